"""THE base type table: Smartsheet column type → Polars expression that types a raw cell; Fivetran type from dtype.

Each rule is a tuple of candidate expressions over a raw cell (see ``sheetsync.frame``). The first candidate that types
every non-empty cell of the column wins; the last one is the fallback, and whatever it cannot type becomes null here
and is kept raw in the table's ``_invalid_values`` (and reported). That is how TEXT_NUMBER is DOUBLE when every value
is an exactly representable number and STRING (numbers written plainly) otherwise, with no special case in code.

The Fivetran type of every destination column is a function of its Polars dtype (``fivetran_type``), so base
rules, declared casts and derived columns all declare themselves the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

FivetranType = str | dict[str, Any]
UTC = pl.Datetime("us", "UTC")
NAIVE = pl.Datetime("us")
CONTACT = pl.Struct({"email": pl.String, "name": pl.String})
_EXACT_INT = 2**53


@dataclass(frozen=True)
class Cell:
    """The fields of one raw cell column, as expressions."""

    column: str

    def field(self, name: str) -> pl.Expr:
        return pl.col(self.column).struct.field(name)

    @property
    def kind(self) -> pl.Expr:
        return self.field("kind")

    @property
    def text(self) -> pl.Expr:
        return self.field("text")

    @property
    def raw(self) -> pl.Expr:
        """What the cell holds, as text: its value, else its hyperlink, else its object (kept when typing fails)."""
        return pl.coalesce(self.text, self.field("url"), self.field("object"))


# String parsers, shared with declared casts.
def parse_date(text: pl.Expr) -> pl.Expr:
    return text.str.to_date("%Y-%m-%d", strict=False)


def parse_utc_datetime(text: pl.Expr) -> pl.Expr:
    """ISO-8601 with ``Z`` or an offset → UTC."""
    return text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%#z", time_unit="us", time_zone="UTC", strict=False)


def parse_naive_datetime(text: pl.Expr) -> pl.Expr:
    """``YYYY-MM-DDTHH:MM:SS[.f]`` or a bare date (midnight)."""
    with_time = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", time_unit="us", strict=False)
    return pl.coalesce(with_time, parse_date(text).cast(NAIVE))


def plain_number_text(number: pl.Expr) -> pl.Expr:
    """A Float64 as text without a spurious ``.0``: 5.0 → "5", 2.5 → "2.5"."""
    integral = (number == number.floor()) & (number.abs() < 2.0**63)
    return pl.when(integral).then(number.cast(pl.Int64).cast(pl.String)).otherwise(number.cast(pl.String))


# Rules: raw cell → typed expression.
def exact_double(cell: Cell) -> pl.Expr:
    exact_int = (cell.kind == "int") & (cell.text.cast(pl.Int64, strict=False).abs() <= _EXACT_INT)
    return pl.when((cell.kind == "float") | exact_int).then(cell.text.cast(pl.Float64, strict=False))


def plain_text(cell: Cell) -> pl.Expr:
    """The value as text; a float value written plainly (integers keep every digit); a bare hyperlink's URL."""
    number = cell.text.cast(pl.Float64, strict=False)
    plain = pl.when(cell.kind == "float").then(plain_number_text(number)).otherwise(cell.text)
    return pl.coalesce(plain, cell.field("url"))


def boolean(cell: Cell) -> pl.Expr:
    return pl.when(cell.kind == "bool").then(cell.text == "true")


def date(cell: Cell) -> pl.Expr:
    return parse_date(cell.text)


def utc_datetime(cell: Cell) -> pl.Expr:
    return parse_utc_datetime(cell.text)


def naive_datetime(cell: Cell) -> pl.Expr:
    return parse_naive_datetime(cell.text)


def multi_picklist(cell: Cell) -> pl.Expr:
    shape = pl.Struct({"values": pl.List(pl.String)})
    return cell.field("object").str.json_decode(shape).struct.field("values")


def multi_contact(cell: Cell) -> pl.Expr:
    shape = pl.Struct({"values": pl.List(CONTACT)})
    return cell.field("object").str.json_decode(shape).struct.field("values")


Rule = tuple[Callable[[Cell], pl.Expr], ...]

# Keyed by systemColumnType when the column has one, else by type. Anything else: UNKNOWN.
BASE_TYPES: dict[str, Rule] = {
    "TEXT_NUMBER": (exact_double, plain_text),
    "CHECKBOX": (boolean,),
    "DATE": (date,),
    "DATETIME": (utc_datetime,),
    "CREATED_DATE": (utc_datetime,),
    "MODIFIED_DATE": (utc_datetime,),
    "ABSTRACT_DATETIME": (naive_datetime,),
    "PICKLIST": (plain_text,),
    "CONTACT_LIST": (plain_text,),
    "CREATED_BY": (plain_text,),
    "MODIFIED_BY": (plain_text,),
    "AUTO_NUMBER": (plain_text,),
    "DURATION": (plain_text,),
    "PREDECESSOR": (plain_text,),
    "MULTI_PICKLIST": (multi_picklist,),
    "MULTI_CONTACT_LIST": (multi_contact,),
}
UNKNOWN: Rule = (plain_text,)

# The sheet's system fields (already named by sheetsync.frame) → typed expressions.
SYSTEM_FIELDS: dict[str, pl.Expr] = {
    "row_id": pl.col("row_id").cast(pl.Int64),
    "row_number": pl.col("row_number").cast(pl.Int64),
    "parent_id": pl.col("parent_id").cast(pl.Int64),
    "created_at": parse_utc_datetime(pl.col("created_at")),
    "modified_at": parse_utc_datetime(pl.col("modified_at")),
    "created_by": pl.col("created_by").cast(pl.String),
    "modified_by": pl.col("modified_by").cast(pl.String),
}


def rule_for(column: dict[str, Any]) -> Rule:
    """The base rule of a sheet column (its ``systemColumnType`` wins over its ``type``)."""
    return BASE_TYPES.get(column.get("systemColumnType") or column.get("type"), UNKNOWN)


def fivetran_type(dtype: pl.DataType) -> FivetranType:
    """The Fivetran type a column of this Polars dtype is declared with (nested types are JSON)."""
    if isinstance(dtype, pl.Decimal):
        return {"type": "DECIMAL", "precision": dtype.precision, "scale": dtype.scale}
    if isinstance(dtype, pl.Datetime):
        return "UTC_DATETIME" if dtype.time_zone else "NAIVE_DATETIME"
    if isinstance(dtype, (pl.List, pl.Struct, pl.Array)):
        return "JSON"
    return _SIMPLE_TYPES[dtype.base_type()]


_SIMPLE_TYPES: dict[type[pl.DataType], str] = {
    pl.Boolean: "BOOLEAN",
    pl.Int16: "SHORT",
    pl.Int32: "INT",
    pl.Int64: "LONG",
    pl.Float64: "DOUBLE",
    pl.Date: "NAIVE_DATE",
    pl.String: "STRING",
}
