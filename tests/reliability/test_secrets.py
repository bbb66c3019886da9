"""The token never leaves the Authorization header: successful syncs, a bad token, faults and a crash all leave no trace
of it in anything they produce (output, logs, exception texts and tracebacks, state, warehouse, project files)."""

from __future__ import annotations

import signal
import traceback

import duckdb
import pytest

from tests.e2e.harness import SCHEMA, SyncFailed, Warehouse, run_sync
from tests.reliability.helpers import configuration
from tests.reliability.test_crashes import sync_in_subprocess

TOKEN = "zz-Distinctive-Token-7f3a9c-DO-NOT-LEAK"


def _everything_in(project) -> str:
    """Every file's bytes (decoded leniently) plus every value of every warehouse table."""
    texts = [p.read_bytes().decode("utf-8", "replace") for p in project.rglob("*") if p.is_file()]
    warehouse = project / "files" / "warehouse.db"
    if warehouse.exists():
        with duckdb.connect(str(warehouse), read_only=True) as db:
            for table in Warehouse(project).tables():
                texts.append(repr(db.execute(f'select * from {SCHEMA}."{table}"').fetchall()))
    return "\n".join(texts)


@pytest.mark.slow
def test_no_sync_outcome_leaks_the_token(make_sandbox, tmp_path, capfd):
    sandbox = make_sandbox(token=TOKEN)
    full = configuration(sandbox, lean=False)
    errors: list[str] = []

    def attempt(project, conf):
        try:
            run_sync(project, conf)
        except SyncFailed as error:
            errors.append("".join(traceback.format_exception(error)))

    attempt(tmp_path / "ok", full)  # every table, including the optional ones
    attempt(tmp_path / "ok", full)  # the incremental run after it
    attempt(tmp_path / "bad-token", {**full, "smartsheet_api_token": TOKEN + "-revoked"})
    inventory = sandbox.store.sheet_id("Inventory")
    sandbox.faults.add(rf"^/sheets/{inventory}$", "error", code=4000, count=None)
    sandbox.faults.add(r"^/sheets/\d+/summary$", "reset", count=None)
    sandbox.faults.add(r"^/reports/\d+$", "truncate", count=None)
    sandbox.store.edit_cell(inventory, sandbox.store.row_ids(inventory)[0], "Item", "changed")
    attempt(tmp_path / "ok", full)
    sandbox.faults.clear()
    sandbox.faults.add(r".*", "error", code=1003, skip=2, count=None)
    attempt(tmp_path / "expired", full)
    sandbox.faults.clear()

    crash = sync_in_subprocess(tmp_path / "crash", configuration(sandbox), tmp_path, crash_at="upsert:5")
    _, crash_stderr = crash.communicate(timeout=120)
    assert crash.returncode == -signal.SIGKILL

    assert len(errors) == 3, errors  # the bad token, the faults, the expired token
    assert any("1002" in e or "invalid" in e.lower() for e in errors)
    captured = capfd.readouterr()
    produced = {
        "stdout": captured.out,
        "stderr": captured.err,
        "exceptions": "\n".join(errors),
        "crash stderr": crash_stderr.decode("utf-8", "replace"),
        **{name: _everything_in(tmp_path / name) for name in ("ok", "bad-token", "expired", "crash")},
    }
    assert TOKEN not in sandbox.url
    assert produced["stdout"] and Warehouse(tmp_path / "ok").count("inventory") > 0  # there was output to search
    leaks = [name for name, text in produced.items() if TOKEN in text]
    assert not leaks, f"the token appears in: {leaks}"
