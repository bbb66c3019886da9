"""The tables around the sheet tables, end to end: summary fields, attachments, discussions, comments, workspaces
and folders land as the API shows them; each change is reflected exactly by the next sync; each toggle removes its
tables."""

from __future__ import annotations

from sheetsync.api import SmartsheetClient
from sheetsync.config import load_settings
from sheetsync.discovery import walk_tree
from tests.account.helpers import configuration, live_ids, sheet_rows
from tests.e2e.harness import Warehouse, run_sync

EXTRA_PATHS = r"^/sheets/\d+/(summary|attachments|discussions)$"


def api_rows(store, key: str, sheet_ids) -> dict[int, dict]:
    """Every attachment / discussion / comment / summary field the sandbox holds for these sheets, by id."""
    found = {}
    for sid in sheet_ids:
        sheet = store.sheet(sid)
        if key == "attachments":
            found.update({a["id"]: a for a in sheet.get("attachments", [])})
        elif key == "discussions":
            found.update({d["id"]: d for d in sheet.get("discussions", [])})
        elif key == "comments":
            found.update({c["id"]: c for d in sheet.get("discussions", []) for c in d["comments"]})
        elif key == "summary":
            found.update({f["id"]: f for f in (sheet.get("summary") or {}).get("fields", [])})
    return found


def synced_sheets(store) -> list[int]:
    """Two sheets that between them have summary fields, attachments (on the sheet and on rows) and discussions."""
    return [store.sheet_id("Project Plan"), store.sheet_id("Inventory")]


def sheet_configuration(sandbox, **extra: str) -> dict:
    return configuration(sandbox, sheet_ids=",".join(map(str, synced_sheets(sandbox.store))), **extra)


def assert_extras_land_as_the_api_shows_them(sandbox, warehouse: Warehouse) -> None:
    store = sandbox.store
    sheets = synced_sheets(store)
    assert all(api_rows(store, key, sheets) for key in ("attachments", "discussions", "comments", "summary"))

    assert live_ids(warehouse, "attachments", "attachment_id") == set(api_rows(store, "attachments", sheets))
    assert live_ids(warehouse, "discussions", "discussion_id") == set(api_rows(store, "discussions", sheets))
    assert live_ids(warehouse, "comments", "comment_id") == set(api_rows(store, "comments", sheets))
    summary = {r["field_id"]: r for r in warehouse.rows("sheet_summary_fields", key="field_id")}
    assert {fid: (f["title"], f.get("displayValue")) for fid, f in api_rows(store, "summary", sheets).items()} == {
        fid: (r["title"], r["display_value"]) for fid, r in summary.items()
    }
    summary_rows = [r for r in summary.values() if r["title"] == "Budget"]
    assert [r["type"] for r in summary_rows] == ["TEXT_NUMBER"]

    # the tree, as walked through the API: every workspace, every folder with its parent, every sheet's place
    tree = walk_tree(SmartsheetClient(load_settings(configuration(sandbox))))
    assert {(w["workspace_id"], w["name"]) for w in warehouse.rows("workspaces", key="workspace_id")} == {
        (w["id"], w["name"]) for w in tree.workspaces
    }
    assert {
        (f["folder_id"], f["name"], f["workspace_id"], f["parent_folder_id"])
        for f in warehouse.rows("folders", key="folder_id")
    } == {(f["id"], f["name"], f["workspace_id"], f["parent_folder_id"]) for f in tree.folders}
    archive = next(f for f in tree.folders if f["name"] == "Archive")
    assert archive["parent_folder_id"] == store.folder_id("Projects")
    places = {sid: (r["workspace_id"], r["folder_id"]) for sid, r in sheet_rows(warehouse).items()}
    assert places == {sid: tree.sheet_places[sid] for sid in places}
    assert tree.sheet_places[store.sheet_id("Messy Titles")] == (store.workspace_id("Engineering"), archive["id"])


def test_extras_land_and_each_change_is_reflected_exactly_by_the_next_sync(sandbox, tmp_path):
    conf, store = sheet_configuration(sandbox, sync_reports="false"), sandbox.store
    sheets = synced_sheets(store)
    run_sync(tmp_path, conf)
    plan_id, inventory = sheets
    warehouse = Warehouse(tmp_path)
    assert_extras_land_as_the_api_shows_them(sandbox, warehouse)
    budget = next(r for r in warehouse.rows("sheet_summary_fields", key="field_id") if r["title"] == "Budget")
    assert (budget["value"], budget["display_value"]) == ("125000", "$125,000.00")  # typed value and display text
    inventory_synced = {r["row_id"]: r["_fivetran_synced"] for r in warehouse.rows("inventory")}

    discussion = next(iter(api_rows(store, "discussions", sheets)))
    comment = store.add_comment(plan_id, discussion, "Agreed — ship it")
    row_discussion = store.add_discussion(plan_id, "Why is this late?", row_id=store.row_ids(plan_id)[2])
    removed = next(
        a for a in api_rows(store, "attachments", sheets).values() if a["parentId"] in store.row_ids(plan_id)
    )
    store.remove_attachment(plan_id, removed["id"])
    store.set_summary_field(plan_id, "Budget", 150000)
    version_before_move = store.version(inventory)
    store.move_sheet(inventory, folder_id=store.folder_id("Team A"))
    assert store.version(inventory) == version_before_move  # a move bumps no version: the sync must see it anyway

    run_sync(tmp_path, conf)

    assert live_ids(warehouse, "comments", "comment_id") == set(api_rows(store, "comments", sheets))
    added = next(r for r in warehouse.rows("comments", key="comment_id") if r["comment_id"] == comment)
    assert (added["discussion_id"], added["sheet_id"], added["text"]) == (discussion, plan_id, "Agreed — ship it")
    discussions = {r["discussion_id"]: r for r in warehouse.rows("discussions", key="discussion_id")}
    assert set(discussions) == set(api_rows(store, "discussions", sheets))
    assert (
        discussions[discussion]["comment_count"] == api_rows(store, "discussions", sheets)[discussion]["commentCount"]
    )
    assert (discussions[row_discussion]["parent_type"], discussions[row_discussion]["parent_id"]) == (
        "ROW",
        store.row_ids(plan_id)[2],
    )
    assert live_ids(warehouse, "attachments", "attachment_id") == set(api_rows(store, "attachments", sheets))
    every = warehouse.rows("attachments", live=False, key="attachment_id")
    assert [r["_fivetran_deleted"] for r in every if r["attachment_id"] == removed["id"]] == [True]
    budget = next(r for r in warehouse.rows("sheet_summary_fields", key="field_id") if r["title"] == "Budget")
    assert budget["value"] == "150000"
    assert_extras_land_as_the_api_shows_them(sandbox, warehouse)

    moved = sheet_rows(warehouse)[inventory]
    assert (moved["workspace_id"], moved["folder_id"]) == (store.workspace_id("Sales"), store.folder_id("Team A"))
    # the move re-sent the `sheets` row only: the sheet's rows did not change, so none was re-sent
    assert {r["row_id"]: r["_fivetran_synced"] for r in warehouse.rows("inventory")} == inventory_synced


def test_extras_are_re_read_only_for_sheets_whose_version_moved(sandbox, tmp_path):
    conf, store = sheet_configuration(sandbox, sync_reports="false"), sandbox.store
    # Summary fields and attachments come with the sheet (include=summary,attachments,discussions); only a sheet
    # that has discussions costs one more request, for their comments.
    with_discussions = {str(sid) for sid in store.sheet_ids() if store.sheet(sid)["discussions"]}
    run_sync(tmp_path, conf)
    assert sandbox.requests.count(EXTRA_PATHS) == len(with_discussions) > 0
    assert sandbox.requests.count(r"^/sheets/\d+/(summary|attachments)$") == 0
    sandbox.requests.clear()

    run_sync(tmp_path, conf)
    assert sandbox.requests.count(EXTRA_PATHS) == 0
    before = Warehouse(tmp_path).count("attachments")

    store.add_attachment(store.sheet_id("Inventory"), "spec.pdf")
    run_sync(tmp_path, conf)
    assert Warehouse(tmp_path).count("attachments") == before + 1
    sandbox.requests.clear()

    run_sync(tmp_path, {**conf, "full_verification_hours": "0"})  # the periodic full verification re-reads them all
    assert {r.path.split("/")[2] for r in sandbox.requests if r.path.endswith("/discussions")} == with_discussions


def test_each_toggle_leaves_its_tables_undeclared_and_unread(sandbox, tmp_path):
    off = {
        "sync_reports": "false",
        "sync_summary_fields": "false",
        "sync_attachments": "false",
        "sync_discussions": "false",
        "sync_workspaces": "false",
    }
    run_sync(tmp_path, configuration(sandbox, sheet_ids=str(sandbox.store.sheet_id("Inventory")), **off))

    tables = set(Warehouse(tmp_path).tables())
    for table in ("sheet_summary_fields", "attachments", "discussions", "comments", "workspaces", "folders"):
        assert table not in tables
    assert not any(t.startswith("report_") for t in tables)
    assert {"sheets", "columns", "inventory"} <= tables
    for path in (EXTRA_PATHS, r"^/workspaces", r"^/folders", r"^/reports"):
        assert sandbox.requests.count(path) == 0, path


def test_one_toggle_turns_off_only_its_own_tables(sandbox, tmp_path):
    conf = configuration(sandbox, sheet_ids=str(sandbox.store.sheet_id("Project Plan")), sync_discussions="false")
    run_sync(tmp_path, conf)
    tables = set(Warehouse(tmp_path).tables())
    assert "discussions" not in tables and "comments" not in tables
    assert {"attachments", "sheet_summary_fields", "workspaces", "folders", "report_weekly_rollup"} <= tables
    assert sandbox.requests.count(r"/discussions$") == 0
