"""What every reliability scenario shares: configurations, the comparison with the sandbox and a clean sync, and the
figures docs/reliability.md quotes.

The comparison: for every sheet the sandbox holds, the warehouse's live row ids are exactly the sandbox's (none lost,
none duplicated, deletions applied) and every row, and the sheet's `sheets` row, equals what a clean sync of the same
account into a second project writes (all columns but `_fivetran_synced`, the time of the write).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.e2e.harness import Warehouse, run_sync

FIGURES_ENV = "RELIABILITY_FIGURES"  # a JSON-lines file each scenario appends its figures to (docs/reliability.md)
LEAN = {name: "false" for name in ("sync_reports", "sync_attachments", "sync_discussions", "sync_workspaces")}
LEAN["sync_summary_fields"] = "false"
SCENARIO_SHEETS = ("Project Plan", "Inventory", "Team Roster")  # hierarchy, odd numbers, multi-values


def configuration(sandbox, lean: bool = True, **extra: str) -> dict:
    """The sandbox's configuration; `lean` syncs three sheets and no optional table (a sync then takes ~0.5 s)."""
    base = {"smartsheet_api_token": sandbox.token, "base_url": sandbox.url, "retry_backoff_seconds": "0"}
    if lean:
        base |= LEAN | {"sheet_ids": ",".join(str(sandbox.store.sheet_id(name)) for name in SCENARIO_SHEETS)}
    return {**base, **extra}


def synced_sheet_ids(sandbox, conf: dict) -> list[int]:
    """The sandbox's sheets that `conf` selects (all of them when it names none)."""
    chosen = {int(i) for i in conf.get("sheet_ids", "").split(",") if i}
    return [sid for sid in sandbox.store.sheet_ids() if not chosen or sid in chosen]


def copy_project(source: Path, target: Path) -> Path:
    shutil.copytree(source / "files", target / "files")
    return target


def mutate(store) -> dict:
    """Edits, an added row and a deleted row (with its children) in two sheets: the next sync has work of every kind."""
    inventory, plan = store.sheet_id("Inventory"), store.sheet_id("Project Plan")
    rows = store.row_ids(inventory)
    store.edit_cell(inventory, rows[0], "Item", "edited by the scenario")
    store.delete_row(inventory, rows[1])
    store.add_row(inventory, {"Item": "added by the scenario", "Quantity": 7})
    plan_rows = store.row_ids(plan)
    store.delete_row(plan, plan_rows[1])
    store.edit_cell(plan, plan_rows[-1], "Task Name", "renamed by the scenario")
    return {"inventory": inventory, "plan": plan}


def _comparable(row: dict) -> str:
    return json.dumps({k: v for k, v in row.items() if k != "_fivetran_synced"}, default=str, sort_keys=True)


def assert_matches_sandbox(project: Path, sandbox, conf: dict, reference: Path) -> int:
    """Runs a clean sync into `reference` and compares; returns the number of sheet rows compared."""
    run_sync(reference, conf)
    got, want = Warehouse(project), Warehouse(reference)
    got_sheets = {r["sheet_id"]: r for r in got.rows("sheets", key="sheet_id")}
    want_sheets = {r["sheet_id"]: r for r in want.rows("sheets", key="sheet_id")}
    compared = 0
    sheet_ids = synced_sheet_ids(sandbox, conf)
    for sheet_id in sheet_ids:
        assert _comparable(got_sheets[sheet_id]) == _comparable(want_sheets[sheet_id]), f"sheets row of {sheet_id}"
        table = want_sheets[sheet_id]["table_name"]
        rows = got.rows(table)
        ids = [r["row_id"] for r in rows]
        assert ids == sorted(sandbox.store.row_ids(sheet_id)), f"{table}: live row ids differ from the sandbox's"
        assert [_comparable(r) for r in rows] == [_comparable(r) for r in want.rows(table)], f"{table}: values differ"
        compared += len(rows)

    def columns(warehouse: Warehouse) -> list[str]:
        return [_comparable(r) for r in warehouse.rows("columns", key="column_id") if r["sheet_id"] in sheet_ids]

    assert columns(got) == columns(want), "columns table differs"
    return compared


def record(group: str, scenario: str, *, faults: int, rows_compared: int, outcome: str) -> None:
    """Appends one scenario's figures when RELIABILITY_FIGURES names a file (rows lost is 0 whenever this runs)."""
    path = os.environ.get(FIGURES_ENV)
    if not path:
        return
    line = {"group": group, "scenario": scenario, "faults": faults, "rows_compared": rows_compared, "outcome": outcome}
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps({**line, "rows_lost": 0, "rows_duplicated": 0}) + "\n")
