"""Reports: one table each, typed by the same transforms as sheets.

A report has no version and no per-row change signal, so it is fetched on every sync (paged at 10,000 rows) and
hash-diffed like a sheet, deletions included. Its JSON is reshaped into a sheet's (virtual column ids become column ids)
so that frame and transforms need no report-specific code; each row keeps the `sheet_id` it comes from.
"""

from __future__ import annotations

from sheetsync.api import ApiError, SmartsheetClient
from sheetsync.fetch import fetch_report, offset_pages


def report_as_sheet(report: dict) -> dict:
    """The report in a sheet's shape: columns keyed by `virtualId`, cells by `virtualColumnId`, rows with `sheetId`."""
    columns = []
    for index, column in enumerate(report.get("columns") or []):
        columns.append(
            {
                **column,
                "id": column.get("virtualId", column.get("id")),
                "index": column.get("index", index),
                "type": "TEXT_NUMBER" if column.get("sheetNameColumn") else column.get("type", "TEXT_NUMBER"),
            }
        )
    rows = []
    for number, row in enumerate(report.get("rows") or [], start=1):
        cells = [
            {**cell, "columnId": cell.get("virtualColumnId", cell.get("columnId"))} for cell in row.get("cells") or []
        ]
        rows.append({**row, "rowNumber": row.get("rowNumber", number), "cells": cells})
    return {
        "id": report["id"],
        "name": report.get("name", str(report["id"])),
        "version": None,
        "totalRowCount": len(rows),
        "columns": columns,
        "rows": rows,
    }


def list_reports(client: SmartsheetClient) -> list[dict]:
    return list(offset_pages(client, "/reports"))


def fetch_reports(client: SmartsheetClient) -> tuple[list[dict], dict[int, ApiError]]:
    """Every readable report in a sheet's shape, and the reports that could not be read."""
    sheets, errors = [], {}
    for item in list_reports(client):
        try:
            sheets.append(report_as_sheet(fetch_report(client, int(item["id"]))))
        except ApiError as error:
            errors[int(item["id"])] = error
    return sheets, errors
