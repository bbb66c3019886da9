"""Raw sheet frame → the destination table: typed columns under destination names, and the table's spec.

Order: base types (``transforms.types``) under base names (``transforms.naming``), then the sheet's declaration
(``transforms.declarations``). Whatever a stage could not type is kept, never dropped: the typed cell is null and
``_invalid_values`` holds ``[{column, value}]`` with the raw text, for the row to land and the contracts to report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from sheetsync.frame import cell_column
from transforms.declarations import Declaration, apply_declaration
from transforms.naming import INVALID_VALUES, column_names
from transforms.types import SYSTEM_FIELDS, Cell, FivetranType, fivetran_type, plain_text, rule_for

PRIMARY_KEY = ["row_id"]
INVALID_ENTRY = pl.Struct({"column": pl.String, "value": pl.String})
_INVALID_PREFIX = "__invalid__"


@dataclass(frozen=True)
class SheetTable:
    """One sheet's destination table: its rows (``frame``), column types, and what the ``columns`` table records."""

    sheet_id: int
    table: str
    frame: pl.DataFrame
    columns: dict[str, FivetranType]
    column_metadata: list[dict[str, Any]] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=lambda: list(PRIMARY_KEY))

    def schema_entry(self) -> dict[str, Any]:
        """This table as ``schema()`` declares it."""
        return {"table": self.table, "primary_key": self.primary_key, "columns": self.columns}


def transform_sheet(
    sheet: Mapping[str, Any], raw: pl.DataFrame, table: str, declaration: Declaration | None = None
) -> SheetTable:
    """The typed table of a sheet from its raw frame (``sheetsync.frame.sheet_frame``).

    Raises ``transforms.declarations.DeclarationError`` when the declaration does not fit the sheet.
    """
    columns = sorted(sheet.get("columns") or [], key=lambda c: c["index"])
    names = column_names(columns)
    system = [expr.alias(name) for name, expr in SYSTEM_FIELDS.items() if _present(raw, name)]
    typed, invalid = [], []
    for column in columns:
        cell, name = Cell(cell_column(column["id"])), names[column["id"]]
        expr = _first_fitting(raw, cell, column)
        typed.append(expr.alias(name))
        invalid.append(pl.when(cell.raw.is_not_null() & expr.is_null()).then(cell.raw).alias(_INVALID_PREFIX + name))
    frame = raw.select(*system, *typed, *invalid)
    renamed: dict[str, str] = {}
    if declaration is not None:
        frame, renamed = apply_declaration(frame, declaration, invalid_prefix=_INVALID_PREFIX)
    frame = _collect_invalid(frame)
    metadata = [_metadata(column, renamed.get(names[column["id"]], names[column["id"]])) for column in columns]
    for entry in metadata:
        entry["column_name"] = entry["column_name"] if entry["column_name"] in frame.columns else None
    return SheetTable(
        sheet_id=sheet["id"],
        table=table,
        frame=frame,
        columns={name: fivetran_type(dtype) for name, dtype in frame.schema.items()},
        column_metadata=metadata,
    )


def _present(raw: pl.DataFrame, name: str) -> bool:
    """Core system fields always; ``created_by``/``modified_by`` only when the response carried writer info."""
    return name not in ("created_by", "modified_by") or raw.get_column(name).null_count() < raw.height


def _first_fitting(raw: pl.DataFrame, cell: Cell, column: Mapping[str, Any]) -> pl.Expr:
    """The first candidate of the column's rule that types every non-empty cell; else the last candidate.

    A candidate that cannot even evaluate (an objectValue of the wrong shape makes `json_decode` fail for the whole
    column) is passed over; if none evaluates, the column keeps every value as text rather than fail the sheet."""
    *candidates, fallback = rule_for(column)
    for candidate in (*candidates, fallback):
        expr = candidate(cell)
        try:
            misses = raw.select((cell.raw.is_not_null() & expr.is_null()).any()).item()
        except pl.exceptions.ComputeError:
            continue
        if not misses or candidate is fallback:
            return expr
    return plain_text(cell)


def _collect_invalid(frame: pl.DataFrame) -> pl.DataFrame:
    """Fold the ``__invalid__<column>`` helpers into one ``_invalid_values`` list (null when the row has none)."""
    helpers = [name for name in frame.columns if name.startswith(_INVALID_PREFIX)]
    entries = [
        pl.when(pl.col(h).is_not_null()).then(pl.struct(column=pl.lit(h[len(_INVALID_PREFIX) :]), value=pl.col(h)))
        for h in helpers
    ]
    found = pl.concat_list(entries).list.drop_nulls() if entries else pl.lit([], pl.List(INVALID_ENTRY))
    collected = pl.when(found.list.len() > 0).then(found).cast(pl.List(INVALID_ENTRY)).alias(INVALID_VALUES)
    return frame.with_columns(collected).drop(helpers)


def _metadata(column: Mapping[str, Any], name: str) -> dict[str, Any]:
    """A row of the ``columns`` table (without ``sheet_id``, which the caller knows)."""
    return {
        "column_id": column["id"],
        "title": column.get("title"),
        "column_name": name,
        "type": column.get("type"),
        "system_column_type": column.get("systemColumnType"),
        "index": column["index"],
        "primary": bool(column.get("primary", False)),
        "options": column.get("options"),
    }
