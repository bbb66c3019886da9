"""Reading whole resources from Smartsheet: listings walked to their end, and sheets fetched at one version.

Cursor boundaries, stated once:
- `GET /sheets` is offset-paged and sorted by name; a page past the end is clamped to the last page, so the walk stops
  at `totalPages`, never at an empty page.
- Workspace and folder children are token-paged: the walk ends when `lastKey` is absent.
- A sheet is paged by rows (2,500 a page, though 10,000 is accepted: the planner frames each page as it arrives,
  so smaller pages keep a 20,000-row sheet's peak memory near 350 MB instead of 600) and carries no page number; a
  page past the end repeats the last page. The walk therefore stops at `totalRowCount`, and every page must report
  the first page's `version`: if the sheet changed mid-walk, the whole fetch starts again, so a sheet is never
  stitched together from two versions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from sheetsync.api import ApiError, SmartsheetClient

SHEET_PAGE_SIZE = 2_500
LIST_PAGE_SIZE = 1_000
REPORT_PAGE_SIZE = 10_000
FETCH_ATTEMPTS = 3
SHEET_PARAMS = {"include": "objectValue,writerInfo", "level": 2, "exclude": "nonexistentCells"}


class SheetChangedError(ApiError):
    """The sheet kept changing while it was being paged."""


def offset_pages(client: SmartsheetClient, path: str, params: dict | None = None) -> Iterator[dict]:
    """Every item of an offset-paged IndexResult, page 1 to `totalPages`."""
    page = 1
    while True:
        result = client.get(path, {**(params or {}), "page": page, "pageSize": LIST_PAGE_SIZE})
        yield from result.get("data", [])
        if page >= int(result.get("totalPages") or 1):
            return
        page += 1


def token_pages(client: SmartsheetClient, path: str, params: dict | None = None) -> Iterator[dict]:
    """Every item of a token-paged listing, following `lastKey` until it is absent."""
    query = {**(params or {}), "maxItems": LIST_PAGE_SIZE, "paginationType": "token"}
    while True:
        result = client.get(path, query)
        yield from result.get("data", [])
        last_key = result.get("lastKey")
        if not last_key:
            return
        query = {**query, "lastKey": last_key}


def list_sheets(client: SmartsheetClient) -> list[dict]:
    """Every sheet the token can read, with its current `version`."""
    return list(offset_pages(client, "/sheets", {"include": "sheetVersion"}))


def fetch_sheet(
    client: SmartsheetClient,
    sheet_id: int,
    page_size: int | None = None,
    include: tuple[str, ...] = (),
    digest_page: Callable[[dict, list[dict]], Any] | None = None,
) -> dict:
    """The whole sheet (columns and every row) as one consistent version, in the API's own JSON shape.

    `include` adds parts of the sheet to the same requests (`attachments`, `discussions`, `summary`), which saves
    a request each for the side tables. With `digest_page`, each page's rows are handed to it (with the sheet's
    other fields) as they arrive and `rows` holds what it returned, one item a page: a large sheet then never holds
    every page's parsed JSON at once."""
    page_size = page_size or SHEET_PAGE_SIZE  # read at call time, so a test can page a small sheet
    params = {**SHEET_PARAMS, "include": ",".join([SHEET_PARAMS["include"], *include])}
    for _ in range(FETCH_ATTEMPTS):
        first = client.get(f"/sheets/{sheet_id}", {**params, "page": 1, "pageSize": page_size})
        version, total = first.get("version"), int(first.get("totalRowCount") or 0)
        page_rows = first.pop("rows", None) or []
        received, kept = len(page_rows), [digest_page(first, page_rows) if digest_page else page_rows]
        consistent = True
        for page in range(2, math.ceil(total / page_size) + 1):
            more = client.get(f"/sheets/{sheet_id}", {**params, "page": page, "pageSize": page_size})
            if more.get("version") != version or int(more.get("totalRowCount") or 0) != total:
                consistent = False
                break
            page_rows = more.get("rows") or []
            received += len(page_rows)
            kept.append(digest_page(first, page_rows) if digest_page else page_rows)
        if consistent and received == total:
            first["rows"] = kept if digest_page else [row for rows in kept for row in rows]
            return first
    raise SheetChangedError(
        f"/sheets/{sheet_id}", 0, None, f"the sheet changed during each of {FETCH_ATTEMPTS} paged reads"
    )


def fetch_report(client: SmartsheetClient, report_id: int) -> dict:
    """The whole report: reports have no version, so pages are simply walked to `totalRowCount`."""
    params = {"include": "objectValue", "level": 3, "pageSize": REPORT_PAGE_SIZE}
    first = client.get(f"/reports/{report_id}", {**params, "page": 1})
    total = int(first.get("totalRowCount") or 0)
    rows = list(first.get("rows") or [])
    for page in range(2, math.ceil(total / REPORT_PAGE_SIZE) + 1):
        rows.extend(client.get(f"/reports/{report_id}", {**params, "page": page}).get("rows") or [])
    first["rows"] = rows
    return first
