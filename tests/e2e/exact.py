"""`assert_exact`: the warehouse equals the sandbox, sheet by sheet, values and DuckDB types, per `tests.e2e.oracle`."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.harness import Warehouse, declared_tables
from tests.e2e.oracle import expected_table

SYSTEM = {"_fivetran_synced", "_fivetran_deleted"}
# How each declared Fivetran type lands in DuckDB.
DUCK_OF = {
    "BOOLEAN": "BOOLEAN",
    "LONG": "BIGINT",
    "DOUBLE": "DOUBLE",
    "STRING": "VARCHAR",
    "JSON": "JSON",
    "NAIVE_DATE": "DATE",
    "NAIVE_DATETIME": "TIMESTAMP",
    "UTC_DATETIME": "TIMESTAMP WITH TIME ZONE",
}


def assert_exact(sandbox, project: Path, skip: frozenset[int] = frozenset()) -> Warehouse:
    """Every readable sheet of the sandbox (but `skip`) has a table whose live rows equal the oracle's, whose columns
    have the oracle's types, and whose columns beyond the oracle's (left by a renamed or deleted sheet column) are null
    in every live row; every column in the warehouse was declared by `schema()` with the type it has."""
    warehouse = Warehouse(project)
    with warehouse.session():
        _assert_exact(sandbox, project, warehouse, skip)
    return warehouse


def _assert_exact(sandbox, project: Path, warehouse: Warehouse, skip: frozenset[int]) -> None:
    sheets = {r["sheet_id"]: r for r in warehouse.rows("sheets", key="sheet_id")}
    columns = warehouse.rows("columns", key="column_id")
    store = sandbox.store
    for sheet_id in store.sheet_ids():
        if sheet_id in skip or sheet_id in store.denied:
            continue
        sheet = store.sheet(sheet_id)
        recorded = sheets[sheet_id]
        assert recorded["status"] == "ok", recorded
        assert (recorded["name"], recorded["version"], recorded["total_row_count"]) == (
            sheet["name"],
            sheet["version"],
            sheet["totalRowCount"],
        )
        table = recorded["table_name"]
        names = {c["column_id"]: c["column_name"] for c in columns if c["sheet_id"] == sheet_id}
        assert set(names) == {c["id"] for c in sheet["columns"]}, f"columns table of {sheet['name']}"
        assert len(set(names.values())) == len(names), names
        types, rows = expected_table(sheet, names)
        actual_types = warehouse.column_types(table)
        for name, kind in types.items():
            assert actual_types.get(name) == kind, f"{table}.{name}: {actual_types.get(name)} != {kind}"
        actual = warehouse.typed_rows(table)
        assert sorted(actual) == sorted(rows), f"{table}: live row ids differ"
        stale = set(actual_types) - set(types) - SYSTEM
        for row_id, expected in rows.items():
            got = actual[row_id]
            assert {k: got[k] for k in types} == expected, f"{table} row {row_id}"
            assert all(got[k] is None for k in stale), f"{table} row {row_id}: stale columns {stale} not null"
    assert_declared(project, warehouse)


def assert_declared(project: Path, warehouse: Warehouse) -> None:
    """No column reached the warehouse without `schema()` declaring it (with the type the warehouse gave it)."""
    declared = declared_tables(project)
    for table in warehouse.tables():
        assert table in declared, f"table {table} was never declared"
        for column, kind in warehouse.column_types(table).items():
            if column in SYSTEM:
                continue
            assert column in declared[table], f"{table}.{column} was never declared"
            assert kind in {DUCK_OF.get(t, t) for t in declared[table][column]}, f"{table}.{column}: {kind}"
