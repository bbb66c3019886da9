"""Shared by the account tests: the sandbox configuration and small warehouse readers."""

from __future__ import annotations

from tests.e2e.harness import Warehouse


def configuration(sandbox, **extra: str) -> dict:
    return {"smartsheet_api_token": sandbox.token, "base_url": sandbox.url, "retry_backoff_seconds": "0", **extra}


def live_ids(warehouse: Warehouse, table: str, key: str) -> set[int]:
    return {row[key] for row in warehouse.rows(table, key=key)}


def sheet_rows(warehouse: Warehouse) -> dict[int, dict]:
    return {row["sheet_id"]: row for row in warehouse.rows("sheets", key="sheet_id")}
