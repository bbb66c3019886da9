"""Reports end to end: one table per report (stable name, PK `row_id`, source `sheet_id`, the sheet-name column),
typed by the sheet transforms, read in full on every sync (paged), hash-diffed with deletions."""

from __future__ import annotations

import pytest

from sheetsync import fetch
from sheetsync.api import SmartsheetClient
from sheetsync.config import load_settings
from sheetsync.sync import declare_tables
from tests.account.helpers import configuration
from tests.e2e.harness import Warehouse, run_sync

# Reports do not depend on which sheets are synced: one small sheet and no other extras keep the warehouse small.
ONLY_REPORTS = {
    "sync_summary_fields": "false",
    "sync_attachments": "false",
    "sync_discussions": "false",
    "sync_workspaces": "false",
}


def report_configuration(sandbox) -> dict:
    return configuration(sandbox, sheet_ids=str(sandbox.store.sheet_id("Empty Sheet")), **ONLY_REPORTS)


def api_report(sandbox, name: str) -> dict[int, dict]:
    """The report as the API serves it: row id → {sheet_id, title → value}."""
    client = SmartsheetClient(load_settings(configuration(sandbox)))
    report = fetch.fetch_report(client, sandbox.store.report_id(name))
    titles = {c["virtualId"]: c["title"] for c in report["columns"]}
    return {
        r["id"]: {"sheet_id": r["sheetId"], **{titles[c["virtualColumnId"]]: c.get("value") for c in r["cells"]}}
        for r in report["rows"]
    }


@pytest.fixture
def small_report_pages(monkeypatch):
    monkeypatch.setattr(fetch, "REPORT_PAGE_SIZE", 3)


def test_each_report_lands_as_its_own_typed_table(sandbox, tmp_path, small_report_pages):
    conf = report_configuration(sandbox)
    declared = {t["table"]: t for t in declare_tables(conf)}
    rollup = declared["report_weekly_rollup"]
    assert rollup["primary_key"] == ["row_id"]
    assert {"sheet_id": "LONG", "sheet_name": "STRING", "week": "NAIVE_DATE", "amount": "DOUBLE"}.items() <= (
        rollup["columns"].items()
    )
    assert "report_team_overview" in declared

    run_sync(tmp_path, conf)

    warehouse, store = Warehouse(tmp_path), sandbox.store
    expected = api_report(sandbox, "Weekly Rollup")
    assert len(expected) == 8  # 3 pages of 3: every page was read, and no more
    pages = {r.query["page"] for r in sandbox.requests if r.path == f"/reports/{store.report_id('Weekly Rollup')}"}
    assert pages == {"1", "2", "3"}
    rows = {r["row_id"]: r for r in warehouse.rows("report_weekly_rollup")}
    assert set(rows) == set(expected)
    names = {sid: store.sheet(sid)["name"] for sid in store.sheet_ids()}
    for row_id, api in expected.items():
        row = rows[row_id]
        assert row["sheet_id"] == api["sheet_id"]
        assert row["sheet_name"] == names[api["sheet_id"]]
        assert row["owner"] == api["Owner"]
        assert row["amount"] == (None if api["Amount"] is None else float(api["Amount"]))
    assert warehouse.count("report_team_overview") == len(api_report(sandbox, "Team Overview"))


def test_a_report_change_is_reflected_exactly_and_an_unchanged_report_sends_nothing(sandbox, tmp_path):
    conf, store = report_configuration(sandbox), sandbox.store
    run_sync(tmp_path, conf)
    warehouse = Warehouse(tmp_path)
    synced = {r["row_id"]: r["_fivetran_synced"] for r in warehouse.rows("report_weekly_rollup")}

    run_sync(tmp_path, conf)  # nothing changed: same table, not one row re-sent
    assert {r["row_id"]: r["_fivetran_synced"] for r in warehouse.rows("report_weekly_rollup")} == synced

    rollup = store.report_id("Weekly Rollup")
    team_a = store.sheet_ids("Weekly Report")[0]
    columns = [
        {"title": "Sheet Name", "type": "TEXT_NUMBER", "sheetNameColumn": True},
        {"title": "Week", "type": "DATE"},
        {"title": "Owner", "type": "CONTACT_LIST"},
    ]
    store.update_report(rollup, source_sheet_ids=[team_a], columns=columns)  # one source sheet, no Region or Amount
    edited = store.row_ids(team_a)[0]
    store.edit_cell(team_a, edited, "Owner", "margaret@example.com")
    run_sync(tmp_path, conf)

    expected = api_report(sandbox, "Weekly Rollup")
    assert {a["sheet_id"] for a in expected.values()} == {team_a}
    live = {r["row_id"]: r for r in warehouse.rows("report_weekly_rollup")}
    assert set(live) == set(expected)  # the other sheet's rows are deleted
    assert {r["row_id"] for r in warehouse.rows("report_weekly_rollup", live=False) if r["_fivetran_deleted"]} == (
        set(synced) - set(expected)
    )
    for row_id, api in expected.items():
        assert (live[row_id]["owner"], live[row_id]["amount"]) == (api["Owner"], None)  # the dropped column is empty
    assert live[edited]["owner"] == "margaret@example.com"


def test_a_renamed_report_moves_to_its_new_table(sandbox, tmp_path):
    conf, store = report_configuration(sandbox), sandbox.store
    run_sync(tmp_path, conf)
    store.update_report(store.report_id("Team Overview"), name="People")

    run_sync(tmp_path, conf)

    warehouse = Warehouse(tmp_path)
    assert set(r["row_id"] for r in warehouse.rows("report_people")) == set(api_report(sandbox, "People"))
    assert warehouse.count("report_team_overview") == 0
