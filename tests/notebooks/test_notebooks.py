"""Both notebooks, executed headlessly start to finish, against sandboxes and a sample export; and the two
expected problems (no token, a wrong sheet id) end with one line, not a traceback wall."""

from __future__ import annotations

import json

import pytest
from nbclient.exceptions import CellExecutionError

from sheetsync import explore
from tests.notebooks.conftest import figures, text

EXPLORE = "explore_sheet_shapes.ipynb"
PREVIEW = "preview_next_sync.ipynb"
EXPLORE_FIGURES = ["fill_rate", "numeric_distributions", "date_distributions", "hierarchy_depth"]


def test_explore_runs_against_the_in_process_sandbox_by_default(run_notebook):
    notebook = run_notebook(EXPLORE)
    assert figures(notebook) == EXPLORE_FIGURES
    shown = text(notebook)
    assert "Project Plan (sheet " in shown  # the sheet with the most rows, and its hierarchy
    assert "3 violation(s), policy warn: 3 failing row(s)" in shown


def test_explore_runs_against_a_sample_export(run_notebook, tmp_path):
    with explore.sandbox_source() as source:
        explore.write_export(source, tmp_path / "export", ["Inventory"])
    notebook = run_notebook(EXPLORE, source="export", export_path=str(tmp_path / "export"))
    assert figures(notebook) == EXPLORE_FIGURES
    shown = text(notebook)
    assert "Inventory (sheet " in shown
    assert "1 violation(s), policy warn: 1 failing row(s)" in shown  # 'next Tuesday' in a DATE column


def test_preview_against_a_configuration_and_state_shows_only_what_changed(run_notebook, sandbox, tmp_path):
    configuration = {"smartsheet_api_token": sandbox.token, "base_url": sandbox.url, "retry_backoff_seconds": "0"}
    first = explore.preview_next_sync(configuration, {})
    (tmp_path / "configuration.json").write_text(json.dumps(configuration))
    (tmp_path / "state.json").write_text(json.dumps(first.emitter.state))
    inventory = sandbox.store.sheet_id("Inventory")
    rows = sandbox.store.row_ids(inventory)
    sandbox.store.delete_row(inventory, rows[-1])  # the last row: no other row is renumbered
    sandbox.store.edit_cell(inventory, rows[0], "Item", "Widget, renamed")

    notebook = run_notebook(
        PREVIEW,
        source="configuration",
        configuration_path=str(tmp_path / "configuration.json"),
        state_path=str(tmp_path / "state.json"),
    )
    assert figures(notebook) == ["next_sync"]
    shown = text(notebook)
    skipped = first.sheets.height - 1
    assert f"sheets checked={first.sheets.height} skipped={skipped} fetched=1; rows upserted=1 deleted=1" in shown
    assert "skip (version unchanged)" in shown
    assert "no sheet would fail" in shown


def test_preview_runs_against_a_sample_export_and_shows_a_failing_contract(run_notebook, tmp_path):
    with explore.sandbox_source() as source:
        explore.write_export(source, tmp_path / "export")
    (tmp_path / "state.json").write_text("{}")
    notebook = run_notebook(
        PREVIEW,
        source="export",
        export_path=str(tmp_path / "export"),
        state_path=str(tmp_path / "state.json"),
        settings={"violation_policy": "fail"},
    )
    assert figures(notebook) == ["next_sync"]
    shown = text(notebook)
    assert "the sync would fail" in shown
    assert "violates its contract" in shown and "policy 'fail' kept it from the warehouse" in shown


def _one_line_error(notebook) -> tuple[dict, list]:
    """The single error output, and the cells after it (which must not have run)."""
    errored = [i for i, c in enumerate(notebook.cells) if any(o.output_type == "error" for o in c.get("outputs", []))]
    assert len(errored) == 1
    (error,) = [o for o in notebook.cells[errored[0]].outputs if o.output_type == "error"]
    later = [c for c in notebook.cells[errored[0] + 1 :] if c.cell_type == "code"]
    return error, later


def test_a_missing_token_ends_with_one_clear_line(run_notebook, monkeypatch):
    monkeypatch.delenv("SMARTSHEET_ACCESS_TOKEN", raising=False)
    with pytest.raises(CellExecutionError) as raised:
        run_notebook(EXPLORE, source="live")
    error, later = _one_line_error(raised.value.notebook)
    assert error.ename == "ExploreError"
    assert len(error.traceback) == 1
    assert "no Smartsheet token: set the environment variable SMARTSHEET_ACCESS_TOKEN" in error.traceback[0]
    assert all(c.execution_count is None and not c.outputs for c in later)


def test_a_wrong_sheet_id_ends_with_one_clear_line(run_notebook):
    with pytest.raises(CellExecutionError) as raised:
        run_notebook(EXPLORE, sheet=123)
    error, later = _one_line_error(raised.value.notebook)
    assert error.ename == "ExploreError"
    assert len(error.traceback) == 1
    assert error.traceback[0].startswith("ExploreError: sheet 123 is not readable with this token (HTTP 404")
    assert all(c.execution_count is None and not c.outputs for c in later)
