"""Per-sheet declarations: one TOML file per sheet in ``transforms/sheets/``, applied after the base types.

Format (see ``transforms/examples/example_project_plan.toml`` and the real examples in ``transforms/sheets/``)::

    [sheet]
    id = 1234567890123456        # binds the file to the sheet (name = "..." as a fallback)
    table = "project_plan"       # optional: pin the destination table name

    [columns.budget]             # a column by its base destination name (see the `columns` table)
    parse_number = true          # "$1,234.50" → 1234.5, "12%" → 0.12, "(300)" → -300
    cast = "DECIMAL(12,2)"       # DOUBLE | LONG | DECIMAL(p,s) | DATE | DATETIME | BOOLEAN | STRING
    rename = "budget_usd"        # a snake_case name

    [columns.status]
    trim = true                  # strip surrounding whitespace
    case = "lower"               # lower | upper | title
    map = { "wip" = "in progress" }   # replace whole values; others pass unchanged

    [columns.tags]
    split = ","                  # "a, b" → ["a", "b"] (a JSON array)

    [columns.notes]
    drop = true                  # not sent at all

    [derive.days_planned]        # a new column from others (transforms.expressions)
    expr = "days_between(start, due)"
    cast = "LONG"                # optional

Per column the actions run in this order: trim, case, map, parse_number, split, cast, rename. Then ``derive``
(in file order, reading final names), then ``drop``. A value that a cast or parse cannot convert becomes null and is
kept raw in ``_invalid_values``. A declaration that does not fit its sheet raises ``DeclarationError`` for that sheet
only: the caller reports it and carries on with the other sheets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from transforms.expressions import ExpressionError, compile_expression
from transforms.files import SheetFileError, check_keys, load_file, load_folder, read_toml, sheet_binding
from transforms.naming import normalised
from transforms.types import UTC, parse_date, parse_naive_datetime, parse_utc_datetime, plain_number_text


class DeclarationError(SheetFileError):
    """A declaration that cannot be read or does not fit its sheet."""


COLUMN_ACTIONS = ("trim", "case", "map", "parse_number", "split", "cast", "rename", "drop")
_CASES = {"lower": "to_lowercase", "upper": "to_uppercase", "title": "to_titlecase"}
_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")
_TRUTHS = {"true": True, "yes": True, "y": True, "1": True, "false": False, "no": False, "n": False, "0": False}


@dataclass(frozen=True)
class Declaration:
    """One sheet's declared transforms, as read from its file."""

    path: Path
    sheet_id: int | None
    sheet_name: str | None
    table: str | None = None
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)
    derive: dict[str, dict[str, Any]] = field(default_factory=dict)


def load_declaration(path: Path) -> Declaration:
    """Read and check one declaration file (keys, cast names, expressions); errors name the file."""
    return load_file(path, _load, DeclarationError)


def _load(path: Path) -> Declaration:
    document = read_toml(path)
    check_keys(path, "the file", document, ("sheet", "columns", "derive"))
    sheet_id, sheet_name = sheet_binding(path, document)
    check_keys(path, "[sheet]", document["sheet"], ("id", "name", "table"))
    table = document["sheet"].get("table")
    if table is not None and not normalised(table):
        raise DeclarationError(f"{path}: table {table!r} is not a snake_case name")
    columns, derive = document.get("columns", {}), document.get("derive", {})
    for name, actions in columns.items():
        check_keys(path, f"[columns.{name}]", actions, COLUMN_ACTIONS)
        _check_column(path, name, actions)
    for name, spec in derive.items():
        check_keys(path, f"[derive.{name}]", spec, ("expr", "cast"))
        if not normalised(name):
            raise DeclarationError(f"{path}: derived column {name!r} is not a snake_case name")
        try:
            compile_expression(spec.get("expr", ""))
        except ExpressionError as error:
            raise DeclarationError(f"{path}: [derive.{name}] {error}") from error
        _cast(path, name, spec.get("cast"))
    return Declaration(path, sheet_id, sheet_name, table, columns, derive)


def load_declarations(folder: Path) -> tuple[list[Declaration], list[DeclarationError]]:
    """Every ``*.toml`` in ``folder``; a broken file is returned as an error instead of stopping the others."""
    return load_folder(folder, load_declaration, DeclarationError)


def _check_column(path: Path, name: str, actions: Mapping[str, Any]) -> None:
    if "case" in actions and actions["case"] not in _CASES:
        raise DeclarationError(f"{path}: [columns.{name}] case must be one of {sorted(_CASES)}")
    if "rename" in actions and not normalised(actions["rename"]):
        raise DeclarationError(f"{path}: [columns.{name}] rename {actions['rename']!r} is not a snake_case name")
    if "cast" in actions:
        _cast(path, name, actions["cast"])


def apply_declaration(
    frame: pl.DataFrame, declaration: Declaration, invalid_prefix: str
) -> tuple[pl.DataFrame, dict[str, str]]:
    """The frame with the declaration applied, and the renames made (base name → declared name).

    ``invalid_prefix`` names the helper columns holding each column's raw invalid values (see ``transforms.sheet``).
    """
    missing = sorted(set(declaration.columns) - set(frame.columns))
    if missing:
        raise DeclarationError(
            f"{declaration.path}: column(s) {missing} do not exist in sheet "
            f"{declaration.sheet_id or declaration.sheet_name!r}; its columns are {frame.columns}"
        )
    renames = {name: a["rename"] for name, a in declaration.columns.items() if "rename" in a}
    for name, actions in declaration.columns.items():
        frame = _apply_column(frame, name, actions, declaration.path, invalid_prefix)
    clashes = sorted(set(renames.values()) & (set(frame.columns) - set(renames)))
    if clashes:
        raise DeclarationError(f"{declaration.path}: rename target(s) {clashes} already exist")
    frame = frame.rename(renames | {invalid_prefix + old: invalid_prefix + new for old, new in renames.items()})
    for name, spec in declaration.derive.items():
        expr, reads = compile_expression(spec["expr"])
        unknown = sorted(reads - set(frame.columns))
        if unknown:
            raise DeclarationError(f"{declaration.path}: [derive.{name}] reads missing column(s) {unknown}")
        try:
            frame = frame.with_columns(expr.alias(name))
        except pl.exceptions.PolarsError as error:
            raise DeclarationError(f"{declaration.path}: [derive.{name}] {error}") from error
        cast = spec.get("cast", _default_cast(frame, name))
        frame = _apply_column(frame, name, {"cast": cast}, declaration.path, invalid_prefix)
    dropped = [renames.get(name, name) for name, actions in declaration.columns.items() if actions.get("drop")]
    return frame.drop(*dropped, *(invalid_prefix + name for name in dropped), strict=False), renames


def _default_cast(frame: pl.DataFrame, name: str) -> str | None:
    """A derived column keeps its computed type, except that a duration (no Fivetran type) becomes whole days."""
    return "LONG" if isinstance(frame.schema[name], pl.Duration) else None


def _apply_column(
    frame: pl.DataFrame, name: str, actions: Mapping[str, Any], path: Path | str, invalid_prefix: str
) -> pl.DataFrame:
    """One column's actions in the fixed order; values a conversion rejects are kept in the invalid helper."""
    dtype = frame.schema[name]
    value = pl.col(name)
    if dtype == pl.String:
        if actions.get("trim"):
            value = value.str.strip_chars()
        if "case" in actions:
            value = getattr(value.str, _CASES[actions["case"]])()
        if "map" in actions:
            value = value.replace(actions["map"])
        if actions.get("parse_number"):
            value, dtype = parse_number(value), pl.Float64
        if "split" in actions:
            value, dtype = value.str.split(actions["split"]).list.eval(pl.element().str.strip_chars()), None
    elif any(a in actions for a in ("trim", "case", "map", "parse_number", "split")):
        raise DeclarationError(f"{path}: [columns.{name}] trim/case/map/parse_number/split need a text column")
    if actions.get("cast") and dtype is not None:
        value = _cast(path, name, actions["cast"])(value, dtype)
    helper = invalid_prefix + name
    rejected = pl.when(pl.col(name).is_not_null() & value.is_null()).then(pl.col(name).cast(pl.String))
    previous = pl.col(helper) if helper in frame.columns else pl.lit(None, pl.String)
    try:
        return frame.with_columns(value.alias(name), pl.coalesce(previous, rejected).alias(helper))
    except pl.exceptions.PolarsError as error:
        problem = f"{path}: [{name}] cannot be applied to a {frame.schema[name]} column: {error}"
        raise DeclarationError(problem) from error


def parse_number(text: pl.Expr) -> pl.Expr:
    """A formatted number → Float64: currency symbols, spaces and thousands commas dropped; ``(300)`` → -300;
    ``12%`` → 0.12. Decimal commas (``1.234,50``) are not understood: they become null (and are reported)."""
    text = text.str.strip_chars()
    number = text.str.replace_all(r"[\s\p{Sc},()%]", "").cast(pl.Float64, strict=False)
    number = pl.when(text.str.starts_with("(") & text.str.ends_with(")")).then(-number).otherwise(number)
    return pl.when(text.str.ends_with("%")).then(number / 100).otherwise(number)


Cast = Callable[[pl.Expr, pl.DataType], pl.Expr]


def _cast(path: Path | str, name: str, spelling: str | None) -> Cast:
    """The cast function for a declared type name (``DECIMAL(p,s)`` included)."""
    if spelling is None:
        return lambda value, dtype: value
    decimal = _DECIMAL.fullmatch(str(spelling).upper().replace(" ", ""))
    if decimal:
        return _to_decimal(int(decimal.group(1)), int(decimal.group(2)))
    cast = _CASTS.get(str(spelling).upper())
    if cast is None:
        raise DeclarationError(f"{path}: [{name}] cast {spelling!r} is not one of {sorted(_CASTS)} or DECIMAL(p,s)")
    return cast


def _integral(number: pl.Expr) -> pl.Expr:
    return pl.when(number == number.floor()).then(number.cast(pl.Int64, strict=False))


def _to_double(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    return (value.str.strip_chars() if dtype == pl.String else value).cast(pl.Float64, strict=False)


def _to_long(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.String:
        text = value.str.strip_chars()
        return pl.coalesce(text.cast(pl.Int64, strict=False), _integral(text.cast(pl.Float64, strict=False)))
    if isinstance(dtype, pl.Duration):
        return value.dt.total_days()
    return _integral(value.cast(pl.Float64, strict=False)) if dtype.is_float() else value.cast(pl.Int64, strict=False)


def _to_decimal(precision: int, scale: int) -> Cast:
    def cast(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        source = value.str.strip_chars() if dtype == pl.String else value
        return source.cast(pl.Decimal(precision, scale), strict=False)

    return cast


def _to_date(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.String:
        return pl.coalesce(parse_date(value.str.strip_chars()), _to_datetime(value, dtype).dt.date())
    return value.dt.date() if isinstance(dtype, pl.Datetime) else value.cast(pl.Date, strict=False)


def _to_datetime(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """To UTC: text with an offset is converted, text without one (and a naive datetime or a date) is taken as UTC."""
    if dtype == pl.String:
        text = value.str.strip_chars()
        return pl.coalesce(parse_utc_datetime(text), parse_naive_datetime(text).dt.replace_time_zone("UTC"))
    if isinstance(dtype, pl.Datetime) and dtype.time_zone:
        return value.dt.convert_time_zone("UTC")
    return value.cast(pl.Datetime("us"), strict=False).dt.replace_time_zone("UTC").cast(UTC)


def _to_boolean(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.String:
        truth = value.str.strip_chars().str.to_lowercase()
        return truth.replace_strict(_TRUTHS, default=None, return_dtype=pl.Boolean)
    return value if dtype == pl.Boolean else value.cast(pl.Float64, strict=False) != 0


def _to_string(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype.is_float():
        return plain_number_text(value)
    if isinstance(dtype, pl.List):
        return value.list.eval(pl.element().cast(pl.String)).list.join(", ")
    return value.cast(pl.String)


_CASTS: dict[str, Cast] = {
    "DOUBLE": _to_double,
    "LONG": _to_long,
    "DATE": _to_date,
    "DATETIME": _to_datetime,
    "BOOLEAN": _to_boolean,
    "STRING": _to_string,
}
