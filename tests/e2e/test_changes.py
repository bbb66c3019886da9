"""Each kind of change in Smartsheet, followed by a sync whose warehouse matches the sandbox exactly (values and
types, `tests.e2e.exact`), with the rows that did not change left untouched (`_fivetran_synced` unchanged)."""

from __future__ import annotations

import pytest

from tests.e2e.exact import assert_exact
from tests.e2e.harness import SyncFailed, Warehouse, run_sync, saved_state

# The optional side tables are off: these tests are about sheet tables, and each table costs a checkpoint's write.
LEAN = {
    "sync_reports": "false",
    "sync_summary_fields": "false",
    "sync_attachments": "false",
    "sync_discussions": "false",
    "sync_workspaces": "false",
}


def configuration(sandbox, **extra) -> dict:
    return {
        "smartsheet_api_token": sandbox.token,
        "base_url": sandbox.url,
        "retry_backoff_seconds": "0",
        **LEAN,
        **extra,
    }


@pytest.fixture
def synced(sandbox, tmp_path):
    """The sample account after one exact first sync; returns a function that syncs again and checks exactness."""

    def sync(**extra) -> dict:
        counts = run_sync(tmp_path, configuration(sandbox, **extra))
        assert_exact(sandbox, tmp_path)
        return counts

    sync()
    return sync


def table_of(tmp_path, sheet_id: int) -> str:
    rows = Warehouse(tmp_path).rows("sheets", key="sheet_id")
    return next(r["table_name"] for r in rows if r["sheet_id"] == sheet_id)


def synced_by_table(tmp_path) -> dict[str, dict]:
    warehouse = Warehouse(tmp_path)
    with warehouse.session():
        tables = warehouse.rows("sheets", key="sheet_id")
        return {
            t["table_name"]: warehouse.synced(t["table_name"]) for t in tables if t["table_name"] in warehouse.tables()
        }


def assert_only_resent(before: dict, after: dict, table: str, row_ids: set[int]) -> None:
    """Rows `row_ids` of `table` were re-sent; every other row of every sheet table is untouched."""
    for name, rows in before.items():
        changed = {rid for rid, at in rows.items() if after[name].get(rid) != at}
        assert changed == (row_ids if name == table else set()), name
    assert set(after[table]) - set(before[table]) <= row_ids


def test_cell_edit_resends_only_that_row(sandbox, tmp_path, synced):
    store = sandbox.store
    sheet = store.sheet_id("Inventory")
    row = store.row_ids(sheet)[2]
    before = synced_by_table(tmp_path)
    store.edit_cell(sheet, row, "Item", "Sprocket")
    synced()
    assert_only_resent(before, synced_by_table(tmp_path), table_of(tmp_path, sheet), {row})


def test_formula_recalculation_is_caught_though_no_modified_at_moves(sandbox, tmp_path, synced):
    store = sandbox.store
    sheet = store.sheet_id("Inventory")
    modified = {r["id"]: r["modifiedAt"] for r in store.sheet(sheet)["rows"]}
    version = store.version(sheet)
    rows = store.row_ids(sheet)[:3]
    unchanged = next(r for r in store.sheet(sheet)["rows"] if r["id"] == rows[2])
    price = store.column_id(sheet, "Unit Price")
    same = next(c["value"] for c in unchanged["cells"] if c["columnId"] == price)
    store.recalculate(sheet, "Unit Price", {rows[0]: 1.5, rows[1]: 2, rows[2]: same})  # the last one is unchanged
    assert store.version(sheet) > version
    assert {r["id"]: r["modifiedAt"] for r in store.sheet(sheet)["rows"]} == modified
    before = synced_by_table(tmp_path)
    synced()
    assert_only_resent(before, synced_by_table(tmp_path), table_of(tmp_path, sheet), set(rows[:2]))


def test_full_verification_catches_a_recalculation_that_moved_no_version(sandbox, tmp_path, synced):
    """A volatile formula (TODAY()) that recalculates without a new version: imitated by putting the version back.
    The daily verification is due at once with `full_verification_hours` "0"; with the default it is not."""
    store = sandbox.store
    sheet = store.sheet_id("Inventory")
    row = store.row_ids(sheet)[0]
    version, modified = store.version(sheet), store.sheet(sheet)["modifiedAt"]
    store.recalculate(sheet, "Quantity", {row: 7})
    with store.lock:
        store.sheets[sheet].update(version=version, modifiedAt=modified)
    counts = run_sync(tmp_path, configuration(sandbox))
    assert counts["Upserts"] == 0  # skipped: the version did not move, and the last verification is recent
    before = synced_by_table(tmp_path)
    synced(full_verification_hours="0")
    assert_only_resent(before, synced_by_table(tmp_path), table_of(tmp_path, sheet), {row})


def test_row_add_and_delete(sandbox, tmp_path, synced):
    store = sandbox.store
    sheet = store.sheet_id("Project Plan")
    table = table_of(tmp_path, sheet)
    plan = store.sheet(sheet)
    parent = next(r["id"] for r in plan["rows"] if any(c.get("parentId") == r["id"] for c in plan["rows"]))
    children = {r["id"] for r in plan["rows"] if r.get("parentId") == parent}
    added = store.add_row(sheet, {"Task Name": "New task", "% Complete": 0.5}, to_top=True)
    store.delete_row(sheet, parent)  # with its children
    synced()
    warehouse = Warehouse(tmp_path)
    everything = {r["row_id"]: r for r in warehouse.rows(table, live=False)}
    assert all(everything[rid]["_fivetran_deleted"] for rid in {parent} | children)
    assert not everything[added]["_fivetran_deleted"]


def test_column_add_rename_delete(sandbox, tmp_path, synced):
    store = sandbox.store
    sheet = (
        store.sheet_id(
            "Weekly Report",
        )
        if False
        else store.sheet_ids("Weekly Report")[0]
    )
    table = table_of(tmp_path, sheet)
    store.add_column(sheet, "Score", "TEXT_NUMBER", index=2)
    store.edit_cell(sheet, store.row_ids(sheet)[0], "Score", 3.5)
    synced()
    assert Warehouse(tmp_path).column_types(table)["score"] == "DOUBLE"
    store.rename_column(sheet, "Region", "Area")
    synced()
    live = Warehouse(tmp_path).rows(table)
    assert all(r["region"] is None for r in live) and any(r["area"] for r in live)
    store.delete_column(sheet, "Notes")
    synced()
    assert all(r["notes"] is None for r in Warehouse(tmp_path).rows(table))
    columns = [c for c in Warehouse(tmp_path).rows("columns", key="column_id") if c["sheet_id"] == sheet]
    assert sorted(c["title"] for c in columns) == sorted(c["title"] for c in store.sheet(sheet)["columns"])


def test_sheet_made_inaccessible_keeps_its_rows_and_resumes(sandbox, tmp_path, synced):
    store = sandbox.store
    sheet = store.sheet_id("Inventory")
    table = table_of(tmp_path, sheet)
    rows_before = Warehouse(tmp_path).rows(table)
    store.set_access(sheet, False)
    before = synced_by_table(tmp_path)
    run_sync(tmp_path, configuration(sandbox))  # a warning, not a failure
    assert_exact(sandbox, tmp_path, skip=frozenset({sheet}))
    warehouse = Warehouse(tmp_path)
    assert warehouse.rows(table) == rows_before
    status = next(r for r in warehouse.rows("sheets", key="sheet_id") if r["sheet_id"] == sheet)
    assert status["status"] == "inaccessible" and status["table_name"] == table
    assert synced_by_table(tmp_path) == before

    row = store.row_ids(sheet)[1]
    store.edit_cell(sheet, row, "Item", "Back again")
    store.set_access(sheet, True)
    synced()
    assert_only_resent(before, synced_by_table(tmp_path), table, {row})


def test_interrupted_sync_resumes_without_gaps_or_duplicates(sandbox, tmp_path, synced):
    """One sheet's fetch fails for good (a 500 with no retries left) after the others were fetched: the sync fails
    visibly, the other sheets' changes are checkpointed, and the next sync completes the failed sheet."""
    store = sandbox.store
    inventory, roster = store.sheet_id("Inventory"), store.sheet_id("Team Roster")
    edited = {inventory: store.row_ids(inventory)[0], roster: store.row_ids(roster)[0]}
    store.edit_cell(inventory, edited[inventory], "Item", "Gadget")
    store.edit_cell(roster, edited[roster], "Team", "Platform 2")
    sandbox.faults.add(rf"^/sheets/{inventory}$", "error", code=4000, status=500, count=None)
    with pytest.raises(SyncFailed, match=str(inventory)):
        run_sync(tmp_path, configuration(sandbox, max_retries="0"))
    warehouse = Warehouse(tmp_path)
    assert next(r for r in warehouse.rows(table_of(tmp_path, roster)) if r["row_id"] == edited[roster])["team"] == (
        "Platform 2"
    )
    state = saved_state(tmp_path)
    assert state["sheets"][str(roster)]["version"] == store.version(roster)
    assert state["sheets"][str(inventory)]["version"] != store.version(inventory)
    sandbox.faults.clear()
    before = synced_by_table(tmp_path)
    synced()
    assert_only_resent(before, synced_by_table(tmp_path), table_of(tmp_path, inventory), {edited[inventory]})


def test_crash_mid_emit_resumes_without_gaps_or_duplicates(sandbox, tmp_path, synced, monkeypatch):
    """An exception in the middle of emitting a sheet's rows: nothing after the last checkpoint counts, and the
    state never claims the half-emitted sheet, so the next sync sends all of it again."""
    from sheetsync import emit

    store = sandbox.store
    sheet = store.sheet_id("Project Plan")
    for row in store.row_ids(sheet):
        store.recalculate(sheet, "% Complete", {row: 0.75})
    store.edit_cell(store.sheet_id("Audit Log"), store.row_ids(store.sheet_id("Audit Log"))[0], "Event", "logout")
    calls = {"n": 0}
    original = emit.SdkEmitter._upsert

    def crashing(self, table, row):
        if table == table_of_plan:
            calls["n"] += 1
            if calls["n"] == 5:
                raise RuntimeError("crash mid-emit")
        original(self, table, row)

    table_of_plan = table_of(tmp_path, sheet)
    with monkeypatch.context() as patch:
        patch.setattr(emit.SdkEmitter, "_upsert", crashing)
        with pytest.raises(SyncFailed, match="crash mid-emit"):
            run_sync(tmp_path, configuration(sandbox))
    assert saved_state(tmp_path)["sheets"][str(sheet)]["version"] != store.version(sheet)
    synced()


def test_sheet_rename_moves_an_unpinned_table_and_keeps_a_pinned_one(sandbox, tmp_path, synced, monkeypatch):
    """`schema()` is called without the state, so it cannot know the table a sheet landed in before: an unpinned
    sheet's table follows its current name. Renaming it moves its rows to the new table (all re-sent, the old table's
    rows marked deleted, a warning says how to pin). A sheet whose declaration file pins `table` keeps its table
    through any rename, with nothing re-sent but the rows of its `sheets` and `columns` entries."""
    from sheetsync import pipeline

    store = sandbox.store
    roster, audit = store.sheet_id("Team Roster"), store.sheet_id("Audit Log")
    declarations = tmp_path / "declarations"
    declarations.mkdir()
    (declarations / "audit.toml").write_text(f'[sheet]\nid = {audit}\ntable = "audit_log"\n')
    monkeypatch.setenv(pipeline.DECLARATIONS_ENV, str(declarations))
    synced()
    before = synced_by_table(tmp_path)

    store.rename_sheet(roster, "People")
    store.rename_sheet(audit, "Security Events")
    synced()
    assert table_of(tmp_path, audit) == "audit_log"
    assert table_of(tmp_path, roster) == "people"
    warehouse = Warehouse(tmp_path)
    assert warehouse.count("team_roster") == 0 and warehouse.count("team_roster", live=False) == len(
        before["team_roster"]
    )
    after = synced_by_table(tmp_path)
    assert after["audit_log"] == before["audit_log"]
    assert sorted(after["people"]) == sorted(before["team_roster"])


def test_checkpoints_are_batched_between_sheets(sandbox, tmp_path, monkeypatch):
    """A checkpoint falls between sheets once enough rows went out, not after every small sheet: each one costs a
    fixed time in the SDK. With a 1-row threshold every emitting sheet is followed by one."""
    from sheetsync import sync

    counts = run_sync(tmp_path, configuration(sandbox))
    assert counts["Checkpoints"] == 1  # the sample account is under 5,000 rows: one checkpoint, at the end
    monkeypatch.setattr(sync._Checkpoints, "ROWS", 1)
    store = sandbox.store
    for name in ("Inventory", "Team Roster"):
        sheet = store.sheet_id(name)
        store.edit_cell(sheet, store.row_ids(sheet)[0], store.sheet(sheet)["columns"][0]["id"], "checkpoint me")
    counts = run_sync(tmp_path, configuration(sandbox))
    assert counts["Checkpoints"] == 3  # after each edited sheet, and the final one
