"""Shared by the account tests: the sandbox configuration and small warehouse readers."""

from __future__ import annotations

from sheetsync.emit import Emitter
from tests.e2e.harness import Warehouse


def configuration(sandbox, **extra: str) -> dict:
    return {"smartsheet_api_token": sandbox.token, "base_url": sandbox.url, "retry_backoff_seconds": "0", **extra}


def live_ids(warehouse: Warehouse, table: str, key: str) -> set[int]:
    return {row[key] for row in warehouse.rows(table, key=key)}


def sheet_rows(warehouse: Warehouse) -> dict[int, dict]:
    return {row["sheet_id"]: row for row in warehouse.rows("sheets", key="sheet_id")}


class TableEmitter(Emitter):
    """The sync's real operations collected into tables keyed by primary key (a destination in memory), for
    accounts too large for the SDK runner in a test: its DuckDB writer re-checks every declared table at each
    checkpoint, so a 200-sheet first sync costs minutes there."""

    def __init__(self, declarations: list[dict]) -> None:
        super().__init__()
        self.keys = {d["table"]: d["primary_key"] for d in declarations}
        self.tables: dict[str, dict[tuple, dict]] = {name: {} for name in self.keys}
        self.state: dict | None = None

    def _upsert(self, table: str, row: dict) -> None:
        self.tables[table][tuple(row[k] for k in self.keys[table])] = row

    def _delete(self, table: str, key: dict) -> None:
        self.tables[table].pop(tuple(key[k] for k in self.keys[table]), None)

    def _checkpoint(self, state: dict) -> None:
        self.state = state
