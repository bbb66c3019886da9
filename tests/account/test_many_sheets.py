"""A 200-sheet account through the SDK's own runner and its DuckDB warehouse (the limiter test in
test_concurrency.py uses an in-memory sink to reach the rate limit in seconds; this one proves the real path)."""

from __future__ import annotations

import pytest

from sandbox import sample_account
from tests.e2e.harness import Warehouse, run_sync


@pytest.mark.slow
def test_a_200_sheet_account_lands_completely_and_a_second_sync_sends_nothing(make_sandbox, tmp_path):
    server = make_sandbox(account=sample_account(many=200))
    conf = {"smartsheet_api_token": server.token, "base_url": server.url, "retry_backoff_seconds": "0"}
    run_sync(tmp_path, conf)

    warehouse, store = Warehouse(tmp_path), server.store
    sheets = {row["sheet_id"]: row for row in warehouse.rows("sheets", key="sheet_id")}
    assert set(sheets) == set(store.sheet_ids()) and len(sheets) == 208
    assert {row["status"] for row in sheets.values()} == {"ok"}
    assert len({row["table_name"] for row in sheets.values()}) == 208
    for sheet_id, row in sheets.items():
        landed = [r["row_id"] for r in warehouse.rows(row["table_name"])]
        assert landed == sorted(store.row_ids(sheet_id)), row["name"]

    counts = run_sync(tmp_path, conf)
    assert (counts["Upserts"], counts["Deletes"], counts["Truncates"]) == (0, 0, 0)
