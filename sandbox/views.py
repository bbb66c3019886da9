"""Read side: every API response, derived from the stored level-2 sheets without changing them.

Each function takes already-validated parameters (see params.py) and returns the JSON body. Callers hold the
store's lock while rendering.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from .cells import MULTI_MIN_LEVEL, flatten_cell, is_blank
from .errors import ApiError, bad_param
from .store import Store

DEFAULT_PAGE_SIZE = 100
REPORT_MAX_PAGE_SIZE = 10_000
_ROW_EXTRAS = ("cells", "createdBy", "modifiedBy", "permalink", "attachments", "discussions")
_SHEET_EXTRAS = ("columns", "rows", "attachments", "discussions", "summary")


@dataclass
class SheetQuery:
    """The parameters of GET /sheets/{id} that change what comes back."""

    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    column_ids: frozenset[int] | None = None
    row_ids: frozenset[int] | None = None
    row_numbers: frozenset[int] | None = None
    level: int = 0
    page: int | None = None
    page_size: int | None = None
    rows_modified_since: datetime | None = None
    if_version_after: int | None = None


def parse_timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---- paging -----------------------------------------------------------------------------------------------------


def page_slice(count: int, page: int | None, page_size: int | None) -> tuple[int, int, int, int]:
    """(page number, page size, start, end): a page past the last is clamped to the last, as observed."""
    size = page_size or DEFAULT_PAGE_SIZE
    pages = max(1, math.ceil(count / size))
    number = min(page or 1, pages)
    return number, size, (number - 1) * size, number * size


def index_result(items: list, page: int | None, page_size: int | None, include_all: bool) -> dict:
    """The IndexResult envelope of offset-paged lists."""
    if include_all:
        return {"pageNumber": 1, "pageSize": len(items), "totalPages": 1, "totalCount": len(items), "data": items}
    number, size, start, end = page_slice(len(items), page, page_size)
    pages = math.ceil(len(items) / size)
    return {
        "pageNumber": number,
        "pageSize": size,
        "totalPages": pages,
        "totalCount": len(items),
        "data": items[start:end],
    }


def token_page(items: list, max_items: int | None, last_key: str | None) -> dict:
    """Token paging: `{data, lastKey}`, lastKey absent on the last page. Keys are opaque to clients."""
    start = 0
    if last_key:
        try:
            start = int(base64.urlsafe_b64decode(last_key.encode()).decode().removeprefix("offset:"))
        except ValueError:
            raise bad_param("lastKey", last_key) from None
    size = max_items or DEFAULT_PAGE_SIZE
    body: dict = {"data": items[start : start + size]}
    if start + size < len(items):
        body["lastKey"] = base64.urlsafe_b64encode(f"offset:{start + size}".encode()).decode()
    return body


# ---- sheets -----------------------------------------------------------------------------------------------------


def render_column(column: Mapping, level: int) -> dict:
    """A column as `level` shows it: multi types below their level read as TEXT_NUMBER (`version` still tells)."""
    out = dict(column)
    if level < MULTI_MIN_LEVEL.get(column["type"], 0):
        out["type"] = "TEXT_NUMBER"
    return out


def render_cells(row: Mapping, columns: list[dict], flatten: set[int], query: SheetQuery) -> list[dict]:
    with_objects = "objectValue" in query.include
    with_type = "columnType" in query.include
    drop_empty = "nonexistentCells" in query.exclude
    by_column = {cell["columnId"]: cell for cell in row["cells"]}
    cells = []
    for column in columns:
        cell = by_column.get(column["id"]) or {"columnId": column["id"]}
        if drop_empty and is_blank(cell):
            continue
        if column["id"] in flatten:
            cell = flatten_cell(cell)
        out = {key: value for key, value in cell.items() if with_objects or key != "objectValue"}
        if with_type:
            out["columnType"] = column["type"]
        cells.append(out)
    return cells


def render_sheet(store: Store, sheet: Mapping, query: SheetQuery) -> dict:
    """GET /sheets/{id}."""
    if query.if_version_after is not None and sheet["version"] <= query.if_version_after:
        return {"version": sheet["version"]}
    columns = [
        render_column(c, query.level)
        for c in sheet["columns"]
        if query.column_ids is None or c["id"] in query.column_ids
    ]
    flatten = {c["id"] for c in sheet["columns"] if query.level < MULTI_MIN_LEVEL.get(c["type"], 0)}
    rows = [
        row
        for row in sheet["rows"]
        if (query.row_ids is None or row["id"] in query.row_ids)
        and (query.row_numbers is None or row["rowNumber"] in query.row_numbers)
    ]
    if query.rows_modified_since is not None:
        user_columns = {c["id"] for c in sheet["columns"] if not c.get("systemColumnType")}
        rows = [
            row
            for row in rows
            if parse_timestamp(row["modifiedAt"]) > query.rows_modified_since
            and not all(is_blank(c) for c in row["cells"] if c["columnId"] in user_columns)
        ]
    if query.page is not None or query.page_size is not None:
        _, _, start, end = page_slice(len(rows), query.page, query.page_size)
        rows = rows[start:end]

    body = {key: value for key, value in sheet.items() if key not in _SHEET_EXTRAS}
    body["isMultiPicklistEnabled"] = query.level >= 2
    workspace = workspace_of(store, sheet["id"])
    if workspace:
        body["workspace"] = workspace
    body["columns"] = columns
    attachments = _by_parent(sheet["attachments"]) if "attachments" in query.include else {}
    discussions = _by_parent(sheet["discussions"]) if "discussions" in query.include else {}
    body["rows"] = [_render_row(row, columns, flatten, query, attachments, discussions) for row in rows]
    if "attachments" in query.include:
        body["attachments"] = attachments.get(sheet["id"], [])
    if "discussions" in query.include:
        body["discussions"] = discussions.get(sheet["id"], [])
    if "summary" in query.include:
        body["summary"] = sheet["summary"]
    return body


def _render_row(row, columns, flatten, query, attachments, discussions) -> dict:
    out = {key: value for key, value in row.items() if key not in _ROW_EXTRAS}
    if "writerInfo" in query.include:
        for key in ("createdBy", "modifiedBy"):
            if key in row:
                out[key] = row[key]
    if "rowPermalink" in query.include and "permalink" in row:
        out["permalink"] = row["permalink"]
    if row["id"] in attachments:
        out["attachments"] = attachments[row["id"]]
    if row["id"] in discussions:
        out["discussions"] = discussions[row["id"]]
    out["cells"] = render_cells(row, columns, flatten, query)
    return out


def _by_parent(items: Iterable[Mapping]) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for item in items:
        grouped.setdefault(item["parentId"], []).append(item)
    return grouped


def list_sheets(store: Store, modified_since: datetime | None, with_version: bool) -> list[dict]:
    """GET /sheets items, sorted by name; sheets the token cannot read are not listed."""
    items = []
    for sheet in store.sheets.values():
        if sheet["id"] in store.denied:
            continue
        if modified_since is not None and parse_timestamp(sheet["modifiedAt"]) < modified_since:
            continue
        item = {key: sheet[key] for key in ("id", "name", "accessLevel", "permalink", "createdAt", "modifiedAt")}
        if with_version:
            item["version"] = sheet["version"]
        items.append(item)
    return sorted(items, key=lambda item: (item["name"].casefold(), item["id"]))


def discussions(sheet: Mapping, with_comments: bool) -> list[dict]:
    return [d if with_comments else {k: v for k, v in d.items() if k != "comments"} for d in sheet["discussions"]]


# ---- workspaces and folders -------------------------------------------------------------------------------------


def workspace_of(store: Store, sheet_id: int) -> dict | None:
    """`{id, name}` of the workspace holding the sheet (through any folders), or what a saved response said."""
    location = store.locations.get(sheet_id)
    while location and location["type"] == "folder":
        location = store.folders[location["id"]].get("container")
    if location and location["type"] == "workspace":
        workspace = store.workspaces[location["id"]]
        return {"id": workspace["id"], "name": workspace["name"]}
    return store.sheets[sheet_id].get("workspace")


def list_workspaces(store: Store) -> list[dict]:
    keys = ("id", "name", "accessLevel", "permalink")
    return sorted(
        ({k: w[k] for k in keys if k in w} for w in store.workspaces.values()), key=lambda w: w["name"].casefold()
    )


def children(store: Store, kind: str, container_id: int, resource_types: frozenset[str] | None) -> list[dict]:
    """GET /workspaces/{id}/children and /folders/{id}/children: folders, then sheets, then reports, by name."""
    if container_id not in (store.workspaces if kind == "workspace" else store.folders):
        raise ApiError(1006)
    here = {"type": kind, "id": container_id}
    folders = [f for f in store.folders.values() if f.get("container") == here]
    sheets = [s for sid, s in store.sheets.items() if store.locations.get(sid) == here and sid not in store.denied]
    reports = [r for r in store.reports.values() if r.get("container") == here]
    items = []
    for resource, group, keys in (
        ("folders", folders, ("id", "name", "permalink")),
        ("sheets", sheets, ("id", "name", "accessLevel", "permalink", "createdAt", "modifiedAt")),
        ("reports", reports, ("id", "name", "accessLevel", "permalink", "createdAt", "modifiedAt")),
    ):
        if resource_types is not None and resource not in resource_types:
            continue
        for item in sorted(group, key=lambda g: (g["name"].casefold(), g["id"])):
            items.append({"resourceType": resource[:-1], **{k: item[k] for k in keys if k in item}})
    return items


# ---- reports ----------------------------------------------------------------------------------------------------


def list_reports(store: Store) -> list[dict]:
    keys = ("id", "name", "accessLevel", "permalink")
    return sorted(({k: r[k] for k in keys} for r in store.reports.values()), key=lambda r: r["name"].casefold())


def render_report(
    store: Store, report: Mapping, *, level: int, include: frozenset[str], page: int | None, page_size: int | None
) -> dict:
    """GET /reports/{id}: rows of every readable source sheet under the report's virtual columns (same title and
    type merge), a synthetic "Sheet Name" column, fully blank rows dropped."""
    query = SheetQuery(include=include, level=level)
    columns = []
    for index, spec in enumerate(report["columns"]):
        column = {"virtualId": spec["virtualId"], "index": index, "title": spec["title"], "type": spec["type"]}
        if spec.get("sheetNameColumn"):
            column["sheetNameColumn"] = True
        columns.append(render_column(column, level))
    rows = []
    for sheet_id in report["sourceSheetIds"]:
        sheet = store.sheets.get(sheet_id)
        if sheet is None or sheet_id in store.denied:
            continue
        sources = {c["virtualId"]: _source_column(sheet, c) for c in report["columns"]}
        flatten = {c["id"] for c in sheet["columns"] if level < MULTI_MIN_LEVEL.get(c["type"], 0)}
        for row in sheet["rows"]:
            cells, blank = [], True
            for column in columns:
                if column.get("sheetNameColumn"):
                    cells.append({"virtualColumnId": column["virtualId"], "value": sheet["name"]})
                    cells[-1]["displayValue"] = sheet["name"]
                    continue
                source = sources[column["virtualId"]]
                if source is None:
                    cells.append({"virtualColumnId": column["virtualId"]})
                    continue
                [cell] = render_cells(row, [{**source, "type": column["type"]}], flatten, query)
                blank = blank and is_blank(cell)
                cells.append({"virtualColumnId": column["virtualId"], **cell})
            if not blank:
                out = {key: row[key] for key in ("id", "sheetId", "createdAt", "modifiedAt") if key in row}
                rows.append({**out, "rowNumber": len(rows) + 1, "cells": cells})
    _, _, start, end = page_slice(len(rows), page, min(page_size or DEFAULT_PAGE_SIZE, REPORT_MAX_PAGE_SIZE))
    body = {key: report[key] for key in ("id", "name", "accessLevel", "permalink", "createdAt", "modifiedAt")}
    return {**body, "totalRowCount": len(rows), "columns": columns, "rows": rows[start:end]}


def _source_column(sheet: Mapping, virtual: Mapping) -> dict | None:
    for column in sheet["columns"]:
        if column["title"] == virtual["title"] and column["type"] == virtual["type"]:
            return column
    return None
