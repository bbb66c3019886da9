"""Runs the connector through the SDK's own runner (in-process, DuckDB warehouse) and reads the warehouse back.

`fivetran debug` does the same after a slow, network-bound requirements check; tests call the runner it calls
(`core_adapter.run`) so that a sync takes a fraction of a second. One test exercises the real CLI (test_demo.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timezone
from pathlib import Path

import duckdb
from fivetran_connector_sdk import Logging
from fivetran_connector_sdk_cli import core_adapter

import connector as connector_module

SCHEMA = "tester"


class SyncFailed(Exception):
    """The runner re-raised what the connector raised."""


def run_sync(project: Path, configuration: dict, state: dict | None = None) -> dict:
    """One sync into `project/files/warehouse.db`, resuming from `project/files/state.json` unless `state` is given.

    Returns the runner's operation counts. Every table `schema()` declared is added to `project/declared.json`
    (per table, the union over all runs), so a test can check that no undeclared column ever reached the warehouse.
    """
    state_path = project / "files" / "state.json"
    if state is None and state_path.exists():
        state = json.loads(state_path.read_text())
    Logging.LOG_LEVEL = Logging.Level.INFO  # what `fivetran debug` sets before it calls the runner
    connector = connector_module.connector
    original = connector.schema_method

    def recording_schema(configuration: dict) -> list[dict]:
        tables = original(configuration)
        _record_declared(project, tables)
        return tables

    connector.schema_method = recording_schema
    try:
        return core_adapter.run(connector, str(project), dict(configuration), state)
    except BaseException as error:  # the runner raises ConnectorTask, a BaseException, for op.error
        if isinstance(error, KeyboardInterrupt):
            raise
        raise SyncFailed(str(error)) from error
    finally:
        connector.schema_method = original


def _record_declared(project: Path, tables: list[dict]) -> None:
    path = project / "declared.json"
    declared = json.loads(path.read_text()) if path.exists() else {}
    for table in tables:
        columns = declared.setdefault(table["table"], {})
        for name, kind in table["columns"].items():
            columns.setdefault(name, []).append(kind if isinstance(kind, str) else json.dumps(kind, sort_keys=True))
            columns[name] = sorted(set(columns[name]))
    path.write_text(json.dumps(declared, sort_keys=True))


def declared_tables(project: Path) -> dict[str, dict[str, list[str]]]:
    """Table → column → every type `schema()` declared it with, over all runs of this project."""
    return json.loads((project / "declared.json").read_text())


def saved_state(project: Path) -> dict:
    return json.loads((project / "files" / "state.json").read_text())


class Warehouse:
    """Read-only view of the runner's DuckDB file."""

    def __init__(self, project: Path):
        self.path = project / "files" / "warehouse.db"
        self._db: duckdb.DuckDBPyConnection | None = None

    @contextmanager
    def session(self) -> Iterator[Warehouse]:
        """One read-only connection for many queries (close it before the next sync writes the file)."""
        with duckdb.connect(str(self.path), read_only=True) as db:
            self._db = db
            try:
                yield self
            finally:
                self._db = None

    @contextmanager
    def _connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._db is not None:
            yield self._db
        else:
            with duckdb.connect(str(self.path), read_only=True) as db:
                yield db

    def _query(self, sql: str, params: list | None = None) -> list[tuple]:
        with self._connection() as db:
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
        with self._connection() as db:
            cursor = db.execute(f'select {select} from {SCHEMA}."{table}" {where} order by "{key}"')
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def typed_rows(self, table: str, live: bool = True) -> dict[int, dict]:
        """Rows by `row_id` as Python values: timestamps with a time zone as aware UTC datetimes, JSON parsed."""
        types = self.column_types(table)
        select = ", ".join(
            f"timezone('UTC', \"{c}\")"
            if t == "TIMESTAMP WITH TIME ZONE"
            else f'CAST("{c}" AS VARCHAR)'
            if t == "JSON"
            else f'"{c}"'
            for c, t in types.items()
        )
        where = "where not _fivetran_deleted" if live and "_fivetran_deleted" in types else ""
        out = {}
        with self._connection() as db:
            for values in db.execute(f'select {select} from {SCHEMA}."{table}" {where}').fetchall():
                row = {}
                for (column, kind), value in zip(types.items(), values, strict=True):
                    if kind == "TIMESTAMP WITH TIME ZONE" and value is not None:
                        value = value.replace(tzinfo=timezone.utc)
                    elif kind == "JSON" and value is not None:
                        value = json.loads(value)
                    row[column] = value
                out[row["row_id"]] = row
        return out

    def synced(self, table: str, key: str = "row_id") -> dict:
        """`_fivetran_synced` of every row (deleted ones too), by key: tells a re-sent row from an untouched one."""
        return dict(self._query(f'select "{key}", _fivetran_synced from {SCHEMA}."{table}"'))

    def count(self, table: str, live: bool = True) -> int:
        """Rows of `table`; a declared table that never received a row has no `_fivetran_deleted` column yet."""
        deleted = "_fivetran_deleted" in self.column_types(table)
        where = "where not _fivetran_deleted" if live and deleted else ""
        return self._query(f'select count(*) from {SCHEMA}."{table}" {where}')[0][0]
