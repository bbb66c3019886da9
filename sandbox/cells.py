"""Cell JSON by column type, exactly as the reference table shows it (value / displayValue / objectValue).

The store keeps every sheet as the level-2 `include=objectValue` response; `make_cell` builds such cells from plain
Python values and `flatten_cell` derives what a lower `level` shows for multi-contact and multi-picklist columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

MAX_CELL_CHARS = 4000  # longer text is truncated silently, like the real service
MULTI_VERSION = {"MULTI_CONTACT_LIST": 1, "MULTI_PICKLIST": 2}  # column `version`: the underlying kind
# The lowest `level` at which each multi type is shown as itself; below it the column reads as TEXT_NUMBER.
MULTI_MIN_LEVEL = {"MULTI_CONTACT_LIST": 1, "MULTI_PICKLIST": 2}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|w|d|h|m|s)")
_PREDECESSOR = re.compile(r"^\s*(\d+)\s*(FS|SS|FF|SF)?\s*([+-].*)?$")
_DURATION_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds", "ms": "milliseconds"}


def column_version(column_type: str) -> int:
    return MULTI_VERSION.get(column_type, 0)


def contact(email: str, name: str | None = None) -> dict:
    """A CONTACT objectValue; `name` is absent when the service does not know one."""
    obj = {"objectType": "CONTACT", "email": email}
    if name:
        obj["name"] = name
    return obj


def format_number(value: int | float) -> str:
    """The default displayValue of a number: thousands separators (`12345` -> `"12,345"`)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        value = int(value)
    return f"{value:,}"


def format_datetime(value: str) -> str:
    """DATETIME displayValue in the US locale the sandbox pretends to have (`"07/15/26 2:30 PM"`)."""
    moment = datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")
    return moment.strftime("%m/%d/%y ") + moment.strftime("%I:%M %p").lstrip("0")


def parse_duration(text: str) -> dict | None:
    """`"4d 6h 30m"` (optionally `-` negative, `e` elapsed) -> the DURATION objectValue; None if it is not one."""
    body = text.strip()
    negative = body.startswith("-")
    body = body.lstrip("-").strip()
    elapsed = body.startswith("e")
    body = body.lstrip("e").strip()
    parts = _DURATION_PART.findall(body)
    if not parts or _DURATION_PART.sub("", body).strip():
        return None
    obj: dict = {"objectType": "DURATION"}
    obj.update({unit: 0 for unit in _DURATION_UNITS.values()})
    for number, unit in parts:
        obj[_DURATION_UNITS[unit]] = float(number) if "." in number else int(number)
    obj.update(elapsed=elapsed, negative=negative)
    return obj


def parse_predecessors(text: str, row_ids_by_number: Mapping[int, int]) -> dict | None:
    """`"12FS +3d 4h, 14SS"` -> the PREDECESSOR_LIST objectValue; rows that do not exist are marked invalid."""
    predecessors = []
    for item in text.split(","):
        match = _PREDECESSOR.match(item)
        if not match:
            return None
        number, kind, lag = int(match.group(1)), match.group(2) or "FS", match.group(3)
        entry: dict = {"rowNumber": number, "type": kind, "inCriticalPath": False}
        if number in row_ids_by_number:
            entry["rowId"] = row_ids_by_number[number]
        entry["invalid"] = number not in row_ids_by_number
        if lag:
            duration = parse_duration(lag.replace("+", "", 1))
            if duration is None:
                return None
            entry["lag"] = duration
        predecessors.append(entry)
    return {"objectType": "PREDECESSOR_LIST", "predecessors": predecessors}


def _text_cell(cell: dict, text: str) -> dict:
    """Free text in any column: value, displayValue and objectValue all carry the text."""
    text = text[:MAX_CELL_CHARS]
    cell.update(value=text, displayValue=text, objectValue=text)
    return cell


def _contact_of(item: object) -> dict:
    if isinstance(item, Mapping):
        return contact(str(item["email"]), item.get("name"))
    return contact(str(item))


def make_cell(
    column: Mapping,
    value: object,
    *,
    display: str | None = None,
    formula: str | None = None,
    hyperlink: Mapping | None = None,
    row_ids_by_number: Mapping[int, int] | None = None,
) -> dict:
    """The level-2, objectValue-bearing cell a value becomes in `column`. None gives an empty cell `{"columnId": N}`.

    Plain inputs: numbers/str for TEXT_NUMBER and PICKLIST, bool for CHECKBOX, `{"email", "name"}` (or an email)
    for CONTACT_LIST, lists of those / of str for the multi types, ISO strings for dates, text for DURATION and
    PREDECESSOR. Anything that does not fit the type is kept as free text, as the service does.
    """
    cell: dict = {"columnId": column["id"]}
    kind = column["type"]
    if value is None or value == "" or value == []:
        pass
    elif kind == "CHECKBOX":
        checked = value if isinstance(value, bool) else str(value).strip().lower() in {"true", "1", "yes"}
        cell.update(value=checked, objectValue=checked)
    elif isinstance(value, bool):
        _text_cell(cell, str(value).lower())
    elif isinstance(value, (int, float)) and kind in {"TEXT_NUMBER", "PICKLIST"}:
        cell.update(value=value, displayValue=display or format_number(value), objectValue=value)
    elif kind == "CONTACT_LIST" and (isinstance(value, Mapping) or _EMAIL.match(str(value))):
        obj = _contact_of(value)
        cell.update(value=obj["email"], displayValue=obj.get("name", obj["email"]), objectValue=obj)
    elif kind == "MULTI_CONTACT_LIST" and isinstance(value, (list, tuple, Mapping)):
        contacts = [_contact_of(item) for item in (value if isinstance(value, (list, tuple)) else [value])]
        joined = ", ".join(c.get("name", c["email"]) for c in contacts)
        cell.update(displayValue=joined, objectValue={"objectType": "MULTI_CONTACT", "values": contacts})
    elif kind == "MULTI_PICKLIST" and isinstance(value, (list, tuple)):
        values = [str(item) for item in value]
        cell.update(displayValue=", ".join(values), objectValue={"objectType": "MULTI_PICKLIST", "values": values})
    elif kind == "DATE" and isinstance(value, (date, str)) and _ISO_DATE.match(_iso(value)):
        cell.update(value=_iso(value), objectValue={"objectType": "DATE", "value": _iso(value)})
    elif kind == "DATETIME" and _ISO_DATETIME.match(_iso(value)):
        cell.update(value=_iso(value), displayValue=format_datetime(_iso(value)))
        cell["objectValue"] = {"objectType": "DATETIME", "value": _iso(value)}
    elif kind == "ABSTRACT_DATETIME" and (_ISO_DATE.match(_iso(value)) or _ISO_DATETIME.match(_iso(value))):
        cell.update(value=_iso(value), objectValue={"objectType": "ABSTRACT_DATETIME", "value": _iso(value)})
    elif (obj := _parsed_text(kind, value, row_ids_by_number)) is not None:
        cell.update(value=str(value), displayValue=str(value), objectValue=obj)
    elif isinstance(value, (list, tuple, Mapping)):
        items = value if isinstance(value, (list, tuple)) else [value]
        parts = (item.get("email", item) if isinstance(item, Mapping) else item for item in items)
        _text_cell(cell, ", ".join(str(part) for part in parts))
    else:
        _text_cell(cell, str(value))
    if display is not None and "displayValue" in cell:
        cell["displayValue"] = display
    if formula:
        cell["formula"] = formula
    if hyperlink:
        cell["hyperlink"] = dict(hyperlink)
    return cell


def _parsed_text(kind: str, value: object, row_ids_by_number: Mapping[int, int] | None) -> dict | None:
    """The objectValue of a DURATION or PREDECESSOR text, None when it is not one (then it is free text)."""
    if kind == "DURATION":
        return parse_duration(str(value))
    if kind == "PREDECESSOR":
        return parse_predecessors(str(value), row_ids_by_number or {})
    return None


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def plain_value(cell: Mapping) -> object:
    """The plain input that rebuilds `cell` (when a column is retyped): lists for multi values, contacts as dicts."""
    obj = cell.get("objectValue")
    if isinstance(obj, Mapping):
        if obj.get("objectType") == "MULTI_PICKLIST":
            return list(obj["values"])
        if obj.get("objectType") == "MULTI_CONTACT":
            return [dict(c) for c in obj["values"]]
        if obj.get("objectType") == "CONTACT":
            return {"email": obj["email"], "name": obj.get("name")}
    if "value" in cell:
        return cell["value"]
    return cell.get("displayValue")


def is_blank(cell: Mapping) -> bool:
    """A cell that holds nothing: only its columnId (and, when requested, columnType)."""
    return all(key in ("columnId", "columnType") for key in cell)


def flatten_cell(cell: dict) -> dict:
    """A multi-value cell as a level that does not know its type shows it: TEXT_NUMBER with joined text."""
    if is_blank(cell):
        return cell
    out = {key: val for key, val in cell.items() if key not in ("value", "displayValue", "objectValue")}
    joined = cell.get("displayValue")
    if joined is None:
        joined = cell.get("value")
    if joined is not None:
        out.update(value=joined, displayValue=joined, objectValue=joined)
    return out
