"""The first sync of the sample account through the SDK's runner: every sheet lands exactly, typed as declared,
and a second sync with nothing changed sends nothing."""

from tests.e2e.exact import assert_exact
from tests.e2e.harness import Warehouse, run_sync, saved_state


def configuration(sandbox, **extra):
    return {"smartsheet_api_token": sandbox.token, "base_url": sandbox.url, "retry_backoff_seconds": "0", **extra}


def all_synced(warehouse: Warehouse) -> dict:
    """`_fivetran_synced` of every row of every table that has rows."""
    return {
        table: warehouse._query(f'select * exclude (_fivetran_synced), _fivetran_synced from tester."{table}"')
        for table in warehouse.tables()
    }


def test_first_sync_lands_every_sheet_exactly_and_a_second_sends_nothing(sandbox, tmp_path):
    counts = run_sync(tmp_path, configuration(sandbox))
    warehouse = assert_exact(sandbox, tmp_path)
    sheets = warehouse.rows("sheets", key="sheet_id")
    assert sorted(s["sheet_id"] for s in sheets) == sorted(sandbox.store.sheet_ids())
    assert counts["Upserts"] > 0
    before = all_synced(warehouse)

    counts = run_sync(tmp_path, configuration(sandbox))
    assert (counts["Upserts"], counts["Deletes"], counts["Truncates"]) == (0, 0, 0)
    assert all_synced(warehouse) == before
    assert_exact(sandbox, tmp_path)
    assert saved_state(tmp_path)["format_version"] == 1
