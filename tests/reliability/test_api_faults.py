"""API faults end to end: each scenario injects faults into the sandbox, runs an incremental sync through the SDK runner
(edits, an added row and deleted rows pending), and then checks that the sync either succeeded with exact data or failed
with a clear message, that retries stayed within their bound, and that the next (clean) run resumes to exactly what a
clean sync of the same account writes.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

import sheetsync.fetch
from sheetsync.api import BODY_ATTEMPTS
from sheetsync.fetch import FETCH_ATTEMPTS
from tests.e2e.harness import SyncFailed, Warehouse, run_sync
from tests.reliability.helpers import assert_matches_sandbox, configuration, mutate, record

RETRIES = 6  # the default max_retries: a call gives up after 7 answers
SHEETS = 3  # sheets the lean configuration syncs
_edits = itertools.count()


@dataclass
class Scenario:
    name: str
    arrange: Callable  # (sandbox, ids) -> the faults added; the first one's `seen` is checked against `seen`
    fails: str | None = None  # the failure message (regex) when the sync must fail; None: it must succeed
    seen: int | None = None  # requests that reached the first fault: the retry bound
    conf: dict = field(default_factory=dict)
    page_size: int | None = None  # pages a sheet by this many rows (the sample's sheets fit one 10,000-row page)


def _sheet(sid: int) -> str:
    return rf"^/sheets/{sid}$"


def _edit_plan(ids):
    return lambda store: store.edit_cell(ids["plan"], store.row_ids(ids["plan"])[0], "Task Name", f"e{next(_edits)}")


SCENARIOS = [
    Scenario("429 storm, no Retry-After", lambda s, i: [s.faults.add(r"^/sheets/\d+$", "error", code=4003, count=5)]),
    Scenario(
        "429 with Retry-After", lambda s, i: [s.faults.add(_sheet(i["inventory"]), "error", code=4003, retry_after=1)]
    ),
    Scenario(
        "429 forever on one sheet",
        lambda s, i: [s.faults.add(_sheet(i["inventory"]), "error", code=4003, count=None)],
        fails=r"sheet \d+ \('Inventory'\).*HTTP 429, errorCode 4003.*after 7 attempts",
        seen=RETRIES + 1,
    ),
    *(
        Scenario(
            f"{code} transient", lambda s, i, code=code: [s.faults.add(r"^/sheets/\d+$", "error", code=code, count=3)]
        )
        for code in (4000, 4001, 4002, 4004)
    ),
    *(
        Scenario(
            f"{code} forever on one sheet",
            lambda s, i, code=code: [s.faults.add(_sheet(i["plan"]), "error", code=code, count=None)],
            fails=rf"sheet \d+ \('Project Plan'\).*errorCode {code}",
            seen=RETRIES + 1,
        )
        for code in (4000, 4002, 4004)
    ),
    Scenario(
        "503 maintenance everywhere",
        lambda s, i: [s.faults.add(r".*", "error", code=4001, count=None)],
        fails=r"HTTP 503, errorCode 4001: .*maintenance",
        seen=RETRIES + 1,
    ),
    Scenario(
        "slow answers past the timeout",
        lambda s, i: [s.faults.add(r"^/sheets/\d+$", "slow", delay_s=1.0, count=3)],
        conf={"request_timeout_seconds": "0.3"},
    ),
    Scenario(
        "a sheet always slower than the timeout",
        lambda s, i: [s.faults.add(_sheet(i["inventory"]), "slow", delay_s=1.0, count=None)],
        fails=r"'Inventory'.*no answer within the 0.3s timeout",
        seen=RETRIES + 1,
        conf={"request_timeout_seconds": "0.3"},
    ),
    Scenario("connection resets mid-body", lambda s, i: [s.faults.add(r"^/sheets/\d+$", "reset", count=2)]),
    Scenario(
        "a sheet always reset mid-body",
        lambda s, i: [s.faults.add(_sheet(i["inventory"]), "reset", count=None)],
        fails=r"'Inventory'.*broke while reading the body",
        seen=BODY_ATTEMPTS,
    ),
    Scenario("truncated JSON", lambda s, i: [s.faults.add(r"^/sheets(/\d+)?$", "truncate", count=2)]),
    Scenario(
        "a sheet always truncated",
        lambda s, i: [s.faults.add(_sheet(i["plan"]), "truncate", count=None)],
        fails=r"'Project Plan'.*not a JSON object",
        seen=BODY_ATTEMPTS,
    ),
    Scenario(
        "token expires from request 4 on",
        lambda s, i: [s.faults.add(r".*", "error", code=1003, skip=3, count=None)],
        fails=r"HTTP 401, errorCode 1003: Your Access Token has expired",
        seen=1 + SHEETS,  # the listing and one request per sheet: a 401 is never retried
    ),
    Scenario(
        "a sheet deleted between listing and fetching",
        lambda s, i: [s.faults.add(r"^/sheets$", "hook", fn=lambda store: store.delete_sheet(i["inventory"]))],
    ),
    Scenario(
        "a sheet edited between two pages",
        lambda s, i: [s.faults.add(_sheet(i["plan"]), "hook", fn=_edit_plan(i))],
        page_size=5,
    ),
    Scenario(
        "a sheet edited between every two pages",
        lambda s, i: [s.faults.add(_sheet(i["plan"]), "hook", fn=_edit_plan(i), count=None)],
        fails=rf"'Project Plan'.*changed during each of {FETCH_ATTEMPTS} paged reads",
        seen=2 * FETCH_ATTEMPTS,  # page 1, then a page 2 at another version, each attempt
        page_size=5,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_fault_then_resume_lands_exactly_the_sandbox(scenario, synced, sandbox, tmp_path, monkeypatch):
    ids = mutate(sandbox.store)
    if scenario.page_size:
        monkeypatch.setattr(sheetsync.fetch, "SHEET_PAGE_SIZE", scenario.page_size)
    conf = configuration(sandbox, **scenario.conf)
    faults = scenario.arrange(sandbox, ids)

    try:
        run_sync(synced, conf)
        failure = None
    except SyncFailed as error:
        failure = str(error)
    if scenario.fails is None:
        assert failure is None, failure
    else:
        assert failure is not None and re.search(scenario.fails, failure), failure
    assert all(f.fired for f in faults), "a fault never fired: the scenario tested nothing"
    if scenario.seen is not None:
        assert faults[0].seen == scenario.seen

    sandbox.faults.clear()
    if failure is not None:
        run_sync(synced, conf)
    rows = assert_matches_sandbox(synced, sandbox, conf, tmp_path / "reference")
    outcome = "failed clearly, then resumed" if failure else "succeeded"
    record("api", scenario.name, faults=sum(f.fired for f in faults), rows_compared=rows, outcome=outcome)


@pytest.mark.slow
def test_a_deleted_sheet_keeps_its_rows_and_says_why(synced, sandbox):
    ids = mutate(sandbox.store)
    kept = Warehouse(synced).count("inventory")
    sandbox.faults.add(r"^/sheets$", "hook", fn=lambda store: store.delete_sheet(ids["inventory"]))
    run_sync(synced, configuration(sandbox))
    sheets = {r["sheet_id"]: r for r in Warehouse(synced).rows("sheets", key="sheet_id")}
    assert sheets[ids["inventory"]]["status"] == "inaccessible"
    assert "HTTP 404" in sheets[ids["inventory"]]["status_message"]
    assert Warehouse(synced).count("inventory") == kept
