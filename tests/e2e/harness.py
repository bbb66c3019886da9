"""Runs the connector through the SDK's own runner (in-process, DuckDB warehouse) and reads the warehouse back.

`fivetran debug` does the same after a slow, network-bound requirements check; tests call the runner it calls
(`core_adapter.run`) so that a sync takes a fraction of a second. One test exercises the real CLI (test_demo.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from fivetran_connector_sdk import Logging
from fivetran_connector_sdk_cli import core_adapter

import connector as connector_module

SCHEMA = "tester"


class SyncFailed(Exception):
    """The runner re-raised what the connector raised."""


def run_sync(project: Path, configuration: dict, state: dict | None = None) -> dict:
    """One sync into `project/files/warehouse.db`, resuming from `project/files/state.json` unless `state` is given."""
    state_path = project / "files" / "state.json"
    if state is None and state_path.exists():
        state = json.loads(state_path.read_text())
    Logging.LOG_LEVEL = Logging.Level.INFO  # what `fivetran debug` sets before it calls the runner
    try:
        return core_adapter.run(connector_module.connector, str(project), dict(configuration), state)
    except BaseException as error:  # the runner raises ConnectorTask, a BaseException, for op.error
        if isinstance(error, KeyboardInterrupt):
            raise
        raise SyncFailed(str(error)) from error


def saved_state(project: Path) -> dict:
    return json.loads((project / "files" / "state.json").read_text())


class Warehouse:
    """Read-only view of the runner's DuckDB file."""

    def __init__(self, project: Path):
        self.path = project / "files" / "warehouse.db"

    def _query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as db:
            return db.execute(sql, params or []).fetchall()

    def tables(self) -> list[str]:
        rows = self._query(
            "select table_name from information_schema.tables where table_schema = ? order by 1", [SCHEMA]
        )
        return [r[0] for r in rows]

    def column_types(self, table: str) -> dict[str, str]:
        rows = self._query(
            "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ?",
            [SCHEMA, table],
        )
        return dict(rows)

    def rows(self, table: str, live: bool = True, key: str = "row_id") -> list[dict]:
        """Every row of `table` (only those not soft-deleted when `live`), ordered by `key`, timestamps as text."""
        types = self.column_types(table)
        select = ", ".join(
            f'CAST("{c}" AS VARCHAR) AS "{c}"' if "TIME ZONE" in t else f'"{c}"' for c, t in types.items()
        )
        where = "where not _fivetran_deleted" if live and "_fivetran_deleted" in types else ""
        with duckdb.connect(str(self.path), read_only=True) as db:
            cursor = db.execute(f'select {select} from {SCHEMA}."{table}" {where} order by "{key}"')
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def count(self, table: str, live: bool = True) -> int:
        """Rows of `table`; a declared table that never received a row has no `_fivetran_deleted` column yet."""
        deleted = "_fivetran_deleted" in self.column_types(table)
        where = "where not _fivetran_deleted" if live and deleted else ""
        return self._query(f'select count(*) from {SCHEMA}."{table}" {where}')[0][0]
