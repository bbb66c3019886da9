"""Hand-built sheet responses in the API's shape (docs/smartsheet-api.md), for the unit tests."""

from __future__ import annotations

from typing import Any


def column(column_id: int, title: str, type_: str = "TEXT_NUMBER", index: int | None = None, **extra: Any) -> dict:
    return {"id": column_id, "index": column_id - 1 if index is None else index, "title": title, "type": type_, **extra}


def row(row_id: int, number: int, cells: dict[int, Any], parent: int | None = None, **extra: Any) -> dict:
    """A row; ``cells`` maps column id → value, or → a dict of cell fields (``{"value": .., "objectValue": ..}``)."""
    built = {
        "id": row_id,
        "rowNumber": number,
        "createdAt": "2026-01-02T03:04:05Z",
        "modifiedAt": "2026-02-03T04:05:06Z",
        "createdBy": {"email": "ann@example.com", "name": "Ann"},
        "modifiedBy": {"email": "bob@example.com", "name": "Bob"},
        "cells": [{"columnId": cid, **(v if isinstance(v, dict) else {"value": v})} for cid, v in cells.items()],
        **extra,
    }
    if parent is not None:
        built["parentId"] = parent
    return built


def sheet(columns: list[dict], rows: list[dict], sheet_id: int = 7001, name: str = "Plan") -> dict:
    return {"id": sheet_id, "name": name, "version": 3, "columns": columns, "rows": rows}
