"""A sheet's JSON (``GET /sheets/{id}?include=objectValue,writerInfo&level=2``) → one raw Polars frame.

One row per sheet row. System fields come first, under their destination names (``row_id``, ``row_number``,
``parent_id``, ``created_at``, ``modified_at``, ``created_by``, ``modified_by``), still as the API wrote them
(timestamps are ISO strings: typing is the transforms' job). Then one Struct column per sheet column, named by the
column id (``"4567..."``), with the fields the transforms need:

- ``kind``: the JSON kind of ``value`` (``string`` | ``int`` | ``float`` | ``bool``; null when there is no value),
  because a number 5 and a text "5" mean different things in a TEXT_NUMBER column;
- ``text``: ``value`` as text, losslessly (an integer beyond 2^53 keeps every digit, a float is its shortest repr,
  booleans are ``true``/``false``);
- ``display``: ``displayValue``; ``url``: ``hyperlink.url`` (a hyperlink cell may have no value);
- ``object``: ``objectValue`` as JSON text when it is an object (multi-contact, multi-picklist, duration, predecessor…);
  a primitive ``objectValue`` only repeats ``value`` and is left out.

Why not ``pl.DataFrame(cells)``: Polars infers one type per field, so mixed values become strings (losing the kind)
and integers beyond 2^63 fail. Instead the cells are flattened with C-level iterators (``chain``/``map`` over the
parsed JSON, no Python bytecode per cell) into flat columns, and Polars does the rest (kind labels, pivot to one
column per sheet column, join onto the rows).
"""

from __future__ import annotations

import json
from itertools import chain, compress, repeat
from json.encoder import c_make_encoder, encode_basestring_ascii
from typing import Any

import polars as pl

KINDS = pl.Enum(["string", "int", "float", "bool"])
_KIND_OF_TYPE = {str: "string", int: "int", float: "float", bool: "bool"}
CELL = pl.Struct({"kind": KINDS, "text": pl.String, "display": pl.String, "url": pl.String, "object": pl.String})
_PERSON = pl.Struct({"email": pl.String})
# `json.dumps(obj)` exactly (same separators, ASCII escapes, no key sorting), but one C encoder built once instead of
# one per call: `json.dumps` builds a fresh encoder for every object, which was half of this module's time on a
# 20,000-row sheet (158,000 object values). Same text, so the row hashes do not move.
_C_ENCODER = (
    c_make_encoder(None, json.JSONEncoder().default, encode_basestring_ascii, None, ": ", ", ", False, False, True)
    if c_make_encoder is not None
    else None
)


def _json_texts(objects: list) -> list[str]:
    """``[json.dumps(o) for o in objects]``, without the per-call set-up."""
    if _C_ENCODER is None:
        return list(map(json.dumps, objects))
    return list(map("".join, map(_C_ENCODER, objects, repeat(0))))


_ROW_SCHEMA = {
    "id": pl.Int64,
    "rowNumber": pl.Int64,
    "parentId": pl.Int64,
    "createdAt": pl.String,
    "modifiedAt": pl.String,
    "createdBy": _PERSON,
    "modifiedBy": _PERSON,
}


def cell_column(column_id: int) -> str:
    """The raw frame's name for a sheet column's cells."""
    return str(column_id)


def sheet_frame(sheet: dict[str, Any]) -> pl.DataFrame:
    """The raw frame of a sheet response: system fields, then one ``CELL`` struct per sheet column (in sheet order)."""
    rows = sheet.get("rows") or []
    rows_frame = pl.from_dicts(rows, schema=_ROW_SCHEMA) if rows else pl.DataFrame(schema=_ROW_SCHEMA)
    system = rows_frame.select(
        row_id=pl.col("id"),
        row_number=pl.col("rowNumber"),
        parent_id=pl.col("parentId"),
        created_at=pl.col("createdAt"),
        modified_at=pl.col("modifiedAt"),
        created_by=pl.col("createdBy").struct.field("email"),
        modified_by=pl.col("modifiedBy").struct.field("email"),
    ).with_row_index("_row")
    wanted = [cell_column(column["id"]) for column in sheet.get("columns") or []]
    wide = _cells_wide(rows)
    frame = system.join(wide, on="_row", how="left") if wide.width > 1 else system
    missing = [pl.lit(None, CELL).alias(name) for name in wanted if name not in frame.columns]
    return frame.with_columns(missing).select(system.columns[1:] + wanted)


def _cells_wide(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Every cell of every row, pivoted to one ``CELL`` column per column id, keyed by the row's position ``_row``."""
    cell_lists = [row.get("cells") or [] for row in rows]
    cells = list(chain.from_iterable(cell_lists))
    if not cells:
        return pl.DataFrame(schema={"_row": pl.UInt32})
    values = list(map(dict.get, cells, repeat("value")))
    row_of_cell = pl.Series(range(len(rows)), dtype=pl.UInt32).repeat_by(pl.Series(list(map(len, cell_lists))))
    long = pl.DataFrame(
        {
            "_row": row_of_cell.explode(),
            "column_id": pl.Series(list(map(dict.get, cells, repeat("columnId"))), dtype=pl.Int64),
            "kind": pl.Series(list(map(_KIND_OF_TYPE.get, map(type, values))), dtype=KINDS),
            "text": pl.Series(list(map(str, values)), dtype=pl.String),
            "display": pl.Series(list(map(dict.get, cells, repeat("displayValue"))), dtype=pl.String),
            "url": _nested(cells, "hyperlink", lambda links: list(map(dict.get, links, repeat("url")))),
            "object": _nested(cells, "objectValue", _json_texts),
        }
    )
    cell = pl.struct(
        kind=pl.col("kind"),
        text=pl.when(pl.col("kind") == "bool")
        .then(pl.col("text").str.to_lowercase())
        .when(pl.col("kind").is_not_null())
        .then(pl.col("text")),
        display=pl.col("display"),
        url=pl.col("url"),
        object=pl.col("object"),
    )
    wide = long.select("_row", pl.col("column_id").cast(pl.String), cell.alias("cell")).pivot(
        on="column_id", index="_row", values="cell", aggregate_function="first"
    )
    return wide.with_columns(pl.exclude("_row").cast(CELL))


def _nested(cells: list[dict[str, Any]], key: str, encode) -> pl.Series:
    """``encode`` applied to the cells' ``key`` objects (dicts only, usually few), null for every other cell."""
    objects = list(map(dict.get, cells, repeat(key)))
    flags = list(map(isinstance, objects, repeat(dict)))
    encoded = pl.Series(encode(list(compress(objects, flags))), dtype=pl.String)
    if encoded.is_empty():
        return pl.Series([None] * len(objects), dtype=pl.String)
    is_object = pl.Series(flags, dtype=pl.Boolean)
    positions = is_object.cast(pl.Int64).cum_sum() - 1
    return pl.select(pl.when(is_object).then(encoded.gather(positions.clip(lower_bound=0)))).to_series()
