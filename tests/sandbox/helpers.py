"""Small readers for sheet JSON, shared by the fidelity tests."""

from __future__ import annotations

from datetime import datetime, timedelta


def column(sheet: dict, title: str) -> dict:
    [match] = [c for c in sheet["columns"] if c["title"] == title]
    return match


def cell(sheet: dict, row: dict, title: str) -> dict:
    column_id = column(sheet, title)["id"]
    [match] = [c for c in row["cells"] if c["columnId"] == column_id]
    return match


def cells_of(sheet: dict, title: str) -> list[dict]:
    """The cells of one column, in row order."""
    return [cell(sheet, row, title) for row in sheet["rows"]]


def shift(stamp: str, seconds: int) -> str:
    """An API timestamp moved by `seconds`."""
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ") + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
