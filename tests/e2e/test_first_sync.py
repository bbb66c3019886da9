"""The first sync of the sample account through the SDK's runner: every sheet lands, typed as declared."""

from tests.e2e.harness import Warehouse, run_sync, saved_state


def configuration(sandbox, **extra):
    return {"smartsheet_api_token": sandbox.token, "base_url": sandbox.url, "retry_backoff_seconds": "0", **extra}


def test_first_sync_lands_every_sheet_and_a_second_sends_nothing(sandbox, tmp_path):
    run_sync(tmp_path, configuration(sandbox))
    warehouse = Warehouse(tmp_path)
    sheets = warehouse.rows("sheets", key="sheet_id")
    assert sheets
    for sheet in sheets:
        if sheet["status"] == "ok":
            assert warehouse.count(sheet["table_name"]) == sandbox.store.sheet(sheet["sheet_id"])["totalRowCount"]
    before = warehouse.rows("sheets", key="sheet_id")
    run_sync(tmp_path, configuration(sandbox))
    after = warehouse.rows("sheets", key="sheet_id")
    assert [r["_fivetran_synced"] for r in before] == [r["_fivetran_synced"] for r in after]
    assert saved_state(tmp_path)["format_version"] == 1
