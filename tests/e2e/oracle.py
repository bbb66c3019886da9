"""The expected content of every sheet table, computed from the sandbox's sheet JSON one cell at a time.

Independent of `sheetsync`/`transforms` on purpose: plain Python over the API's JSON, written from the type mapping of
issue 3 (and docs/sync.md), so that the tests compare the pipeline with a second, obviously-correct reading. Only the
column *names* come from the connector's own `columns` table (the naming rules have their own unit tests).

    CHECKBOX → bool                       DATE → date               ABSTRACT_DATETIME → naive datetime
    DATETIME, CREATED_DATE, MODIFIED_DATE → UTC datetime             MULTI_PICKLIST → JSON list of strings
    MULTI_CONTACT_LIST → JSON list of {email, name}                  everything else → text (numbers written plainly)
    TEXT_NUMBER → DOUBLE when every non-empty cell is a number (an integer at most 2^53 in size), else text

A non-empty cell that does not fit its column's type is null in its column and listed in `_invalid_values` as
`{"column", "value"}` (sheet column order). A cell is non-empty when it has a value, a hyperlink or an object value; a
text cell with no value shows its hyperlink's URL.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from typing import Any

EXACT_INT = 2**53
DUCK = {
    "bool": "BOOLEAN",
    "date": "DATE",
    "utc": "TIMESTAMP WITH TIME ZONE",
    "naive": "TIMESTAMP",
    "text": "VARCHAR",
    "double": "DOUBLE",
    "json": "JSON",
    "long": "BIGINT",
}
KIND_OF_TYPE = {
    "CHECKBOX": "bool",
    "DATE": "date",
    "DATETIME": "utc",
    "CREATED_DATE": "utc",
    "MODIFIED_DATE": "utc",
    "ABSTRACT_DATETIME": "naive",
    "MULTI_PICKLIST": "json",
    "MULTI_CONTACT_LIST": "json",
}
NOT_FITTING = object()


def is_number(value: Any) -> bool:
    return isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool))


def plain(value: Any) -> str:
    """A value as text: 5.0 → "5", 2.5 → "2.5", True → "true"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def raw(cell: dict) -> str | None:
    """What a non-fitting cell is kept as: its value, else its hyperlink's URL, else its object as JSON."""
    if cell.get("value") is not None:
        return plain(cell["value"])
    if (cell.get("hyperlink") or {}).get("url"):
        return cell["hyperlink"]["url"]
    if isinstance(cell.get("objectValue"), dict):
        return json.dumps(cell["objectValue"])
    return None


def non_empty(cell: dict) -> bool:
    return raw(cell) is not None


def column_kind(column: dict, cells: list[dict]) -> str:
    kind = column.get("systemColumnType") or column["type"]
    if kind == "TEXT_NUMBER":
        numbers = all(
            is_number(c.get("value")) and (isinstance(c["value"], float) or abs(c["value"]) <= EXACT_INT)
            for c in cells
            if non_empty(c)
        )
        return "double" if numbers else "text"
    return KIND_OF_TYPE.get(kind, "text")


def typed(kind: str, cell: dict) -> Any:
    """The cell's value in the column's kind; None when empty; NOT_FITTING when it has a value that does not fit."""
    value = cell.get("value")
    if not non_empty(cell):
        return None
    if kind == "double":
        return float(value)
    if kind == "text":
        return plain(value) if value is not None else cell["hyperlink"]["url"]
    if kind == "bool":
        return value if isinstance(value, bool) else NOT_FITTING
    if kind == "date":
        return _parse(lambda t: date.fromisoformat(t) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t) else None, value)
    if kind == "utc":
        return _parse(_utc, value)
    if kind == "naive":
        return _parse(_naive, value)
    if kind == "json":
        obj = cell.get("objectValue")
        if not isinstance(obj, dict) or "values" not in obj:
            return NOT_FITTING
        if obj.get("objectType") == "MULTI_CONTACT":
            return [{"email": v.get("email"), "name": v.get("name")} for v in obj["values"]]
        return list(obj["values"])
    raise AssertionError(kind)


def _parse(parser, value: Any) -> Any:
    if not isinstance(value, str):
        return NOT_FITTING
    try:
        parsed = parser(value)
    except ValueError:
        return NOT_FITTING
    return NOT_FITTING if parsed is None else parsed


def _utc(text: str) -> datetime | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", text):
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def _naive(text: str) -> datetime | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.fromisoformat(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?", text):
        return datetime.fromisoformat(text)
    return None


def expected_table(sheet: dict, names: dict[int, str]) -> tuple[dict[str, str], dict[int, dict]]:
    """(column → DuckDB type, row id → row) of a sheet's table; `names` maps column id → destination column."""
    rows = sheet.get("rows") or []
    columns = sorted(sheet["columns"], key=lambda c: c["index"])
    by_column: dict[int, list[dict]] = {c["id"]: [] for c in columns}
    for row in rows:
        for cell in row.get("cells") or []:
            by_column[cell["columnId"]].append(cell)
    kinds = {c["id"]: column_kind(c, by_column[c["id"]]) for c in columns}

    types = {
        "row_id": "long",
        "row_number": "long",
        "parent_id": "long",
        "created_at": "utc",
        "modified_at": "utc",
    }
    writers = any((r.get("createdBy") or {}).get("email") for r in rows)
    if writers:
        types |= {"created_by": "text", "modified_by": "text"}
    types |= {names[c["id"]]: kinds[c["id"]] for c in columns}
    types["_invalid_values"] = "json"

    expected = {}
    for row in rows:
        out: dict[str, Any] = {
            "row_id": row["id"],
            "row_number": row["rowNumber"],
            "parent_id": row.get("parentId"),
            "created_at": _utc(row["createdAt"]),
            "modified_at": _utc(row["modifiedAt"]),
        }
        if writers:
            out["created_by"] = (row.get("createdBy") or {}).get("email")
            out["modified_by"] = (row.get("modifiedBy") or {}).get("email")
        cells = {cell["columnId"]: cell for cell in row.get("cells") or []}
        invalid = []
        for column in columns:
            cell, name = cells.get(column["id"], {}), names[column["id"]]
            value = typed(kinds[column["id"]], cell)
            if value is NOT_FITTING:
                invalid.append({"column": name, "value": raw(cell)})
                value = None
            out[name] = value
        out["_invalid_values"] = invalid or None
        expected[row["id"]] = out
    return {name: DUCK[kind] for name, kind in types.items()}, expected
