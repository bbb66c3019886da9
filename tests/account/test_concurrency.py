"""Parallel fetches under one shared limiter: the workers together stay within the token's budget, with a sandbox
that refuses the request over it; a 200-sheet account lands completely. Windows are shortened from 60 s to a few
seconds (the same limiter, the same sandbox rule) so that the budget is reached in seconds."""

from __future__ import annotations

import threading

from sandbox import sample_account
from sheetsync import api
from sheetsync.api import ApiError, SmartsheetClient
from sheetsync.config import load_settings
from sheetsync.plan import build_plan
from sheetsync.sync import declare_tables, run
from tests.account.helpers import TableEmitter, configuration

WINDOW_S = 2.0
WORKERS = 8


class ShortWindowLimiter(api.RateLimiter):
    """The product's limiter with the window shortened to WINDOW_S."""

    def __init__(self, per_minute: int, window_seconds: float = WINDOW_S):
        super().__init__(per_minute, window_seconds)


def max_overlap(records) -> int:
    """The most requests the server was handling at one instant."""
    events = sorted([(r.at, 1) for r in records] + [(r.at + r.duration_ms / 1000, -1) for r in records])
    current = peak = 0
    for _, step in events:
        current += step
        peak = max(peak, current)
    return peak


def test_sheets_are_fetched_in_parallel_by_at_most_max_workers(make_sandbox):
    server = make_sandbox(account=sample_account(many=24), latency_ms=15)
    settings = load_settings(configuration(server, max_workers="4", sync_reports="false"))
    plan = build_plan(settings)
    assert all(r.table is not None for r in plan.sheets) and len(plan.sheets) == 32
    fetches = [r for r in server.requests if r.path.startswith("/sheets/")]
    assert len(fetches) == 32
    assert 1 < max_overlap(fetches) <= 4


def test_the_sandbox_refuses_what_a_too_generous_limiter_lets_through(make_sandbox):
    """The control for the test below: with a limiter twice the budget, parallel threads do get refused, so a
    sync with no 429 there is evidence of the limiter, not of a lenient sandbox."""
    server = make_sandbox(rate_limit_per_minute=30)
    server.rate.window_s = WINDOW_S
    client = SmartsheetClient(
        load_settings(configuration(server, max_retries="0")), ShortWindowLimiter(60, window_seconds=WINDOW_S)
    )
    refused: list[ApiError] = []

    def call() -> None:
        for _ in range(8):
            try:
                client.get("/users/me")
            except ApiError as error:
                refused.append(error)

    threads = [threading.Thread(target=call) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert refused and {e.status for e in refused} == {429}
    assert server.requests.count("/users/me", status=429) == len(refused)


def test_200_sheets_land_with_parallel_workers_and_the_shared_limiter_holds(make_sandbox, monkeypatch):
    """The whole sync (schema's parallel plan, then update) with the runner's destination replaced by TableEmitter,
    see its docstring for why."""
    monkeypatch.setattr(api, "RateLimiter", ShortWindowLimiter)  # what SmartsheetClient builds for the sync
    # A sheet costs one request (side tables come with it), so the budget is set below the ~220 the sync sends.
    server = make_sandbox(account=sample_account(many=200), rate_limit_per_minute=150)
    server.rate.window_s = WINDOW_S  # the sandbox refuses the 151st request within any WINDOW_S
    conf = configuration(
        server,
        requests_per_minute="150",
        max_workers=str(WORKERS),
        max_retries="0",  # a refused request fails the sync instead of being retried away
        sync_reports="false",
        sync_summary_fields="false",
        sync_discussions="false",
    )

    declarations = declare_tables(conf)
    emitter = TableEmitter(declarations)
    report = run(conf, {}, emitter)

    assert server.requests.count(".*", status=429) == 0 and not report.failures
    assert len(server.requests) > 150  # the budget was reached: the limiter had to hold requests back
    store = server.store
    sheets = {row["sheet_id"]: row for row in emitter.tables["sheets"].values()}
    assert set(sheets) == set(store.sheet_ids()) and len(sheets) == 208
    assert all(row["status"] == "ok" for row in sheets.values())
    for sid, row in sheets.items():
        assert {key[0] for key in emitter.tables[row["table_name"]]} == set(store.row_ids(sid))
    assert len(emitter.tables["attachments"]) == sum(len(store.sheet(sid)["attachments"]) for sid in sheets)
    assert set(emitter.state["sheets"]) == {str(sid) for sid in sheets}
