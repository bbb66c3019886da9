"""A corrupt or older-format state is never trusted: the sync warns and re-syncs in full, and the warehouse still ends
exactly like the sandbox, deletions made while the state was unreadable included."""

from __future__ import annotations

import json

import pytest

from tests.e2e.harness import run_sync, saved_state
from tests.reliability.helpers import assert_matches_sandbox, configuration, mutate, record


def _corrupt_rows(state: dict) -> dict:
    sheet = next(iter(state["sheets"]))
    state["sheets"][sheet]["rows"] = "not base85 at all" + state["sheets"][sheet]["rows"][:5]
    return state


BAD_STATES = {
    "rows field corrupted": _corrupt_rows,
    "older format version": lambda state: {**state, "format_version": 0},
    "unknown newer format version": lambda state: {**state, "format_version": 99},
    "sheets is not an object": lambda state: {**state, "sheets": ["x"]},
    "a sheet id that is not a number": lambda state: {**state, "sheets": {"abc": {"table": "t"}}},
}


@pytest.mark.slow
@pytest.mark.parametrize("damage", list(BAD_STATES), ids=list(BAD_STATES))
def test_a_bad_state_warns_and_resyncs_exactly(damage, synced, sandbox, tmp_path, capsys):
    mutate(sandbox.store)  # rows deleted after the last good checkpoint must still end deleted
    conf = configuration(sandbox)
    state = BAD_STATES[damage](json.loads(json.dumps(saved_state(synced))))
    run_sync(synced, conf, state=state)
    assert "the saved state cannot be used" in capsys.readouterr().out
    assert saved_state(synced)["format_version"] == 1
    rows = assert_matches_sandbox(synced, sandbox, conf, tmp_path / "reference")
    record("state", f"state: {damage}", faults=1, rows_compared=rows, outcome="warned, full re-sync")
