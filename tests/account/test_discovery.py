"""Discovery end to end: every readable sheet through every page of the listing, new sheets picked up by the next sync,
and the `workspace_ids` / `exclude_sheet_ids` filters."""

from __future__ import annotations

import pytest

from sheetsync import fetch
from tests.account.helpers import configuration, sheet_rows
from tests.e2e.harness import Warehouse, run_sync

NO_SHEET_EXTRAS = {"sync_reports": "false", "sync_summary_fields": "false", "sync_attachments": "false"}


@pytest.fixture
def small_pages(monkeypatch):
    """Listings paged 3 items at a time, so the 8-sheet sample account spans several pages of every listing."""
    monkeypatch.setattr(fetch, "LIST_PAGE_SIZE", 3)


def test_empty_sheet_ids_syncs_every_sheet_of_every_listing_page(sandbox, tmp_path, small_pages):
    run_sync(tmp_path, configuration(sandbox, **NO_SHEET_EXTRAS))

    every_sheet = set(sandbox.store.sheet_ids())
    assert len(every_sheet) == 8
    sheets = sheet_rows(Warehouse(tmp_path))
    assert set(sheets) == every_sheet
    assert all(row["status"] == "ok" for row in sheets.values())
    listed_pages = {r.query.get("page") for r in sandbox.requests if r.path == "/sheets"}
    assert listed_pages == {"1", "2", "3"}  # 8 sheets, 3 a page: the walk went to the last page and no further
    assert all(r.query.get("pageSize") == "3" for r in sandbox.requests if r.path == "/sheets")
    # token-paged children were followed through `lastKey` too: Engineering has 3 children at the top level + folders
    assert any("lastKey" in r.query for r in sandbox.requests if r.path.endswith("/children"))


def test_a_sheet_created_after_the_first_sync_lands_in_the_next(sandbox, tmp_path, small_pages):
    conf = configuration(sandbox, **NO_SHEET_EXTRAS, sync_discussions="false")
    run_sync(tmp_path, conf)
    new_id = sandbox.store.create_sheet(
        "Zeta Sheet", ["Name", {"title": "Qty", "type": "TEXT_NUMBER"}], folder_id=sandbox.store.folder_id("Logs")
    )
    sandbox.store.add_row(new_id, {"Name": "first", "Qty": 3})

    run_sync(tmp_path, conf)

    warehouse = Warehouse(tmp_path)
    row = sheet_rows(warehouse)[new_id]
    assert (row["name"], row["table_name"], row["status"]) == ("Zeta Sheet", "zeta_sheet", "ok")
    assert (row["workspace_id"], row["folder_id"]) == (
        sandbox.store.workspace_id("Operations"),
        sandbox.store.folder_id("Logs"),
    )
    assert [(r["name"], r["qty"]) for r in warehouse.rows("zeta_sheet")] == [("first", 3.0)]


def test_workspace_ids_select_sheets_in_nested_folders_and_exclude_drops_listed_ones(sandbox, tmp_path):
    store = sandbox.store
    engineering = store.workspace_id("Engineering")
    excluded = str(store.sheet_id("Empty Sheet"))
    conf = configuration(sandbox, workspace_ids=str(engineering), exclude_sheet_ids=excluded, **NO_SHEET_EXTRAS)

    run_sync(tmp_path, conf)

    warehouse = Warehouse(tmp_path)
    # Project Plan sits in Engineering/Projects, Messy Titles in Engineering/Projects/Archive
    assert set(sheet_rows(warehouse)) == {store.sheet_id("Project Plan"), store.sheet_id("Messy Titles")}
    assert {r["workspace_id"] for r in warehouse.rows("workspaces", key="workspace_id")} == {engineering}
    assert {r["name"] for r in warehouse.rows("folders", key="folder_id")} == {"Projects", "Archive"}
    assert "inventory" not in warehouse.tables() and "empty_sheet" not in warehouse.tables()


def test_listed_sheet_ids_are_synced_alone(sandbox, tmp_path):
    wanted = sandbox.store.sheet_id("Inventory")
    run_sync(tmp_path, configuration(sandbox, sheet_ids=str(wanted), sync_reports="false"))
    assert set(sheet_rows(Warehouse(tmp_path))) == {wanted}


def test_sheets_named_like_the_connectors_own_tables_get_tables_of_their_own(sandbox, tmp_path):
    from sheetsync.tables import METADATA_TABLES, OPTIONAL_TABLES
    from transforms.naming import FIXED_TABLES

    assert set(METADATA_TABLES) | set(OPTIONAL_TABLES) == FIXED_TABLES
    comments = sandbox.store.create_sheet("Comments", ["Name"])
    sandbox.store.add_row(comments, {"Name": "a sheet, not a comment"})
    run_sync(tmp_path, configuration(sandbox, sheet_ids=f"{comments},{sandbox.store.sheet_id('Project Plan')}"))

    warehouse = Warehouse(tmp_path)
    table = sheet_rows(warehouse)[comments]["table_name"]
    assert table == f"comments_{comments}"
    assert [r["name"] for r in warehouse.rows(table)] == ["a sheet, not a comment"]
    assert warehouse.count("comments") == 3  # Project Plan's comments, untouched
