"""The account's mutable state and every mutation a test, the demo or a benchmark can make to it.

Sheets are kept in the shape `GET /sheets/{id}?level=2&include=objectValue,...` returns (see account.py); views.py
derives every other response from them. Each mutation bumps what the real service bumps: the sheet's `version` and
`modifiedAt`, plus `modifiedAt` (and the MODIFIED_* system cells) of the rows whose cells a user changed — never of
rows that were only renumbered or recalculated. All methods are thread-safe: the server reads under `lock`.
"""

from __future__ import annotations

import copy
import random
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone

from .cells import column_version, contact, make_cell, plain_value
from .errors import ApiError


def timestamp(moment: datetime) -> str:
    """The API's timestamp format: UTC, whole seconds, `Z`."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Store:
    """One account: sheets, reports, workspaces and folders, plus which sheets the token may no longer read."""

    def __init__(self, account: Mapping, *, clock: Callable[[], datetime] | None = None, seed: int = 2) -> None:
        self.lock = threading.RLock()
        self.user: dict = dict(account["user"])
        self.workspaces: dict[int, dict] = {w["id"]: dict(w) for w in account.get("workspaces", [])}
        self.folders: dict[int, dict] = {f["id"]: dict(f) for f in account.get("folders", [])}
        self.reports: dict[int, dict] = {r["id"]: dict(r) for r in account.get("reports", [])}
        self.locations: dict[int, dict] = {int(k): dict(v) for k, v in account.get("locations", {}).items()}
        self.sheets: dict[int, dict] = {}
        for sheet in account.get("sheets", []):
            self.sheets[sheet["id"]] = _normalise(sheet)
        self.denied: dict[int, int] = {}  # sheet id -> errorCode its reads fail with (1004 or 1006)
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._ids = random.Random(seed)

    # ---- lookups -------------------------------------------------------------------------------------------------

    def sheet_ids(self, name: str | None = None) -> list[int]:
        """Every sheet id, or those of the sheets called `name` (names are not unique)."""
        with self.lock:
            return [sid for sid, sheet in self.sheets.items() if name is None or sheet["name"] == name]

    def sheet_id(self, name: str) -> int:
        """The id of the one sheet called `name`; raises if there is none or more than one."""
        ids = self.sheet_ids(name)
        if len(ids) != 1:
            raise LookupError(f"{len(ids)} sheets are called {name!r}; use sheet_ids(name)")
        return ids[0]

    def sheet(self, sheet_id: int) -> dict:
        """A deep copy of the stored (level 2, everything included) sheet."""
        with self.lock:
            return copy.deepcopy(self._sheet(sheet_id))

    def column_id(self, sheet_id: int, title: str) -> int:
        """The id of the one column titled exactly `title`; raises when titles collide (see `sheet()`)."""
        with self.lock:
            ids = [c["id"] for c in self._sheet(sheet_id)["columns"] if c["title"] == title]
        if len(ids) != 1:
            raise LookupError(f"{len(ids)} columns are titled {title!r}")
        return ids[0]

    def row_ids(self, sheet_id: int) -> list[int]:
        with self.lock:
            return [row["id"] for row in self._sheet(sheet_id)["rows"]]

    def version(self, sheet_id: int) -> int:
        with self.lock:
            return self._sheet(sheet_id)["version"]

    def report_id(self, name: str) -> int:
        return _unique([rid for rid, r in self.reports.items() if r["name"] == name], "reports", name)

    def folder_id(self, name: str) -> int:
        return _unique([fid for fid, f in self.folders.items() if f["name"] == name], "folders", name)

    def workspace_id(self, name: str) -> int:
        return _unique([wid for wid, w in self.workspaces.items() if w["name"] == name], "workspaces", name)

    def readable_sheet(self, sheet_id: int) -> dict:
        """The stored sheet for an API read, or the ApiError the real service answers with."""
        if sheet_id in self.denied:
            raise ApiError(self.denied[sheet_id])
        if sheet_id not in self.sheets:
            raise ApiError(1006)
        return self.sheets[sheet_id]

    # ---- cells and rows ------------------------------------------------------------------------------------------

    def edit_cell(
        self,
        sheet_id: int,
        row_id: int,
        column_id: int | str,
        value: object,
        *,
        display: str | None = None,
        formula: str | None = None,
        hyperlink: Mapping | None = None,
    ) -> None:
        """Sets one cell (None clears it); the row's modifiedAt and the sheet's version move."""
        with self.lock:
            sheet = self._sheet(sheet_id)
            row = self._row(sheet, row_id)
            column = self._column(sheet, column_id)
            if column.get("systemColumnType"):
                raise ValueError(f"column {column['title']!r} is a system column and cannot be edited")
            cell = make_cell(
                column, value, display=display, formula=formula, hyperlink=hyperlink, row_ids_by_number=_numbers(sheet)
            )
            row["cells"] = [c for c in row["cells"] if c["columnId"] != column["id"]] + [cell]
            self._touch(sheet, [row])

    def add_row(
        self,
        sheet_id: int,
        values: Mapping[int | str, object] | None = None,
        *,
        parent_id: int | None = None,
        sibling_id: int | None = None,
        to_top: bool = False,
    ) -> int:
        """Adds a row (values keyed by column id or title) at the bottom, at the top, under `parent_id`, or right
        after `sibling_id` (and its children); returns its id. Later rows are renumbered but keep their modifiedAt."""
        with self.lock:
            sheet = self._sheet(sheet_id)
            now = self._now()
            writer = self._writer()
            row = {
                "id": self._new_id(),
                "sheetId": sheet_id,
                "rowNumber": 0,
                "expanded": True,
                "locked": False,
                "lockedForUser": False,
                "createdAt": now,
                "modifiedAt": now,
                "createdBy": writer,
                "modifiedBy": writer,
                "cells": [{"columnId": c["id"]} for c in sheet["columns"]],
            }
            index, parent = _insert_position(sheet["rows"], parent_id, sibling_id, to_top)
            if parent is not None:
                row["parentId"] = parent
            sheet["rows"].insert(index, row)
            _renumber(sheet)
            by_id = {c["id"]: c for c in sheet["columns"]}
            for key, value in (values or {}).items():
                column = self._column(sheet, key)
                row["cells"] = [c for c in row["cells"] if c["columnId"] != column["id"]]
                row["cells"].append(make_cell(by_id[column["id"]], value, row_ids_by_number=_numbers(sheet)))
            self._fill_system_cells(sheet, row, created=True)
            self._touch(sheet, [row])
            return row["id"]

    def delete_row(self, sheet_id: int, row_id: int) -> None:
        """Deletes a row and its children, as the service does; no other row's modifiedAt moves."""
        with self.lock:
            sheet = self._sheet(sheet_id)
            start = _index(sheet["rows"], row_id)
            end = _subtree_end(sheet["rows"], start)
            gone = {row["id"] for row in sheet["rows"][start:end]}
            del sheet["rows"][start:end]
            sheet["attachments"] = [a for a in sheet["attachments"] if a["parentId"] not in gone]
            sheet["discussions"] = [d for d in sheet["discussions"] if d["parentId"] not in gone]
            _renumber(sheet)
            self._touch(sheet, [])

    def move_row(
        self, sheet_id: int, row_id: int, *, parent_id: int | None = None, sibling_id: int | None = None, to_top=False
    ) -> None:
        """Moves a row with its children (placed as in `add_row`); only the moved row's modifiedAt moves."""
        with self.lock:
            sheet = self._sheet(sheet_id)
            start = _index(sheet["rows"], row_id)
            end = _subtree_end(sheet["rows"], start)
            block = sheet["rows"][start:end]
            if {parent_id, sibling_id} & {row["id"] for row in block}:
                raise ValueError("a row cannot move under itself")
            del sheet["rows"][start:end]
            index, parent = _insert_position(sheet["rows"], parent_id, sibling_id, to_top)
            block[0].pop("parentId", None)
            if parent is not None:
                block[0]["parentId"] = parent
            sheet["rows"][index:index] = block
            _renumber(sheet)
            self._touch(sheet, [block[0]])

    def recalculate(
        self, sheet_id: int, column_id: int | str, fn: Callable[[object], object] | Mapping[int | str, object]
    ) -> None:
        """A formula column recalculating (e.g. TODAY()): `fn(old value) -> new value`, or a {row id: new value}
        mapping (the JSON form). Values change and the sheet version bumps; no row's modifiedAt moves."""
        with self.lock:
            sheet = self._sheet(sheet_id)
            column = self._column(sheet, column_id)
            wanted = None if callable(fn) else {int(k): v for k, v in fn.items()}
            for row in sheet["rows"]:
                if wanted is not None and row["id"] not in wanted:
                    continue
                old = next((c for c in row["cells"] if c["columnId"] == column["id"]), {"columnId": column["id"]})
                new_value = fn(plain_value(old)) if wanted is None else wanted[row["id"]]
                new = make_cell(column, new_value, formula=old.get("formula"), hyperlink=old.get("hyperlink"))
                row["cells"] = [c for c in row["cells"] if c["columnId"] != column["id"]] + [new]
            self._touch(sheet, [])

    # ---- columns -------------------------------------------------------------------------------------------------

    def add_column(
        self, sheet_id: int, title: str, type: str = "TEXT_NUMBER", *, index: int | None = None, **fields: object
    ) -> int:
        """Adds an empty column (extra fields such as `options`, `symbol` are copied); returns its id."""
        with self.lock:
            sheet = self._sheet(sheet_id)
            column = {"id": self._new_id(), "index": 0, "title": title, "type": type, "version": column_version(type)}
            column.update(validation=False, width=150, **fields)
            position = len(sheet["columns"]) if index is None else index
            sheet["columns"].insert(position, column)
            _reindex(sheet)
            for row in sheet["rows"]:
                row["cells"].append({"columnId": column["id"]})
            self._touch(sheet, [])
            return column["id"]

    def rename_column(self, sheet_id: int, column_id: int | str, title: str) -> None:
        with self.lock:
            sheet = self._sheet(sheet_id)
            self._column(sheet, column_id)["title"] = title
            self._touch(sheet, [])

    def retype_column(self, sheet_id: int, column_id: int | str, type: str, **fields: object) -> None:
        """Changes a column's type and re-reads every cell as the new type (what does not fit stays free text)."""
        with self.lock:
            sheet = self._sheet(sheet_id)
            column = self._column(sheet, column_id)
            if column.get("primary") or column.get("systemColumnType"):
                raise ValueError(f"column {column['title']!r} cannot change type")
            for key in ("options", "symbol", "contactOptions"):
                column.pop(key, None)
            column.update(type=type, version=column_version(type), **fields)
            numbers = _numbers(sheet)
            for row in sheet["rows"]:
                for i, cell in enumerate(row["cells"]):
                    if cell["columnId"] == column["id"]:
                        row["cells"][i] = make_cell(
                            column, plain_value(cell), hyperlink=cell.get("hyperlink"), row_ids_by_number=numbers
                        )
            self._touch(sheet, [])

    def delete_column(self, sheet_id: int, column_id: int | str) -> None:
        with self.lock:
            sheet = self._sheet(sheet_id)
            column = self._column(sheet, column_id)
            if column.get("primary"):
                raise ValueError("the primary column cannot be deleted")
            sheet["columns"].remove(column)
            _reindex(sheet)
            for row in sheet["rows"]:
                row["cells"] = [c for c in row["cells"] if c["columnId"] != column["id"]]
            self._touch(sheet, [])

    # ---- sheets, containers, reports -----------------------------------------------------------------------------

    def create_sheet(
        self,
        name: str,
        columns: Iterable[Mapping | str] = ("Primary Column",),
        *,
        folder_id: int | None = None,
        workspace_id: int | None = None,
    ) -> int:
        """Creates a sheet; columns are titles or `{title, type, ...}` dicts, the first is primary. Returns its id."""
        with self.lock:
            now = self._now()
            sheet_id = self._new_id()
            cols = []
            for i, spec in enumerate(columns):
                spec = {"title": spec} if isinstance(spec, str) else dict(spec)
                kind = spec.pop("type", "TEXT_NUMBER")
                col = {"id": self._new_id(), "index": i, "title": spec.pop("title"), "type": kind}
                col.update(version=column_version(kind), validation=False, width=150, **spec)
                if i == 0:
                    col["primary"] = True
                cols.append(col)
            sheet = {
                "id": sheet_id,
                "name": name,
                "version": 1,
                "totalRowCount": 0,
                "accessLevel": "OWNER",
                "permalink": f"https://app.smartsheet.com/sheets/sandbox{sheet_id}",
                "createdAt": now,
                "modifiedAt": now,
                "columns": cols,
                "rows": [],
            }
            self.sheets[sheet_id] = _normalise(sheet)
            self._place(sheet_id, folder_id, workspace_id)
            return sheet_id

    def delete_sheet(self, sheet_id: int) -> None:
        with self.lock:
            self._sheet(sheet_id)
            del self.sheets[sheet_id]
            self.locations.pop(sheet_id, None)
            self.denied.pop(sheet_id, None)

    def rename_sheet(self, sheet_id: int, name: str) -> None:
        with self.lock:
            sheet = self._sheet(sheet_id)
            sheet["name"] = name
            self._touch(sheet, [])

    def set_access(self, sheet_id: int, accessible: bool, *, error_code: int = 1004) -> None:
        """Revokes (or restores) the token's access: the sheet leaves every listing and reads fail with
        403/1004 (default) or 404/1006 (`error_code=1006`, as when a share is removed)."""
        with self.lock:
            self._sheet(sheet_id)
            if accessible:
                self.denied.pop(sheet_id, None)
            else:
                self.denied[sheet_id] = error_code

    def move_sheet(self, sheet_id: int, *, folder_id: int | None = None, workspace_id: int | None = None) -> None:
        """Moves a sheet to a folder or a workspace's top level. Its version does not change (its content did not)."""
        with self.lock:
            self._sheet(sheet_id)
            self._place(sheet_id, folder_id, workspace_id)

    def update_report(
        self,
        report_id: int,
        *,
        name: str | None = None,
        source_sheet_ids: Iterable[int] | None = None,
        columns: Iterable[Mapping] | None = None,
    ) -> None:
        """Changes a report's name, source sheets or columns (`{title, type}`; a virtualId is assigned if missing)."""
        with self.lock:
            report = self.reports[report_id]
            if name is not None:
                report["name"] = name
            if source_sheet_ids is not None:
                report["sourceSheetIds"] = [int(s) for s in source_sheet_ids]
            if columns is not None:
                report["columns"] = [{"virtualId": self._new_id(), **dict(c)} for c in columns]
            report["modifiedAt"] = self._now()

    # ---- summary, attachments, discussions -----------------------------------------------------------------------

    def set_summary_field(self, sheet_id: int, title: str, value: object, type: str = "TEXT_NUMBER") -> int:
        """Creates or updates the summary field titled `title`; returns its id."""
        with self.lock:
            sheet = self._sheet(sheet_id)
            fields = sheet["summary"]["fields"]
            now = self._now()
            field = next((f for f in fields if f["title"] == title), None)
            if field is None:
                field = {"id": self._new_id(), "index": len(fields), "title": title, "createdAt": now}
                field.update(locked=False, lockedForUser=False)
                fields.append(field)
            cell = make_cell({"id": 0, "type": type}, value)
            field.update(type=type, modifiedAt=now)
            for key in ("objectValue", "displayValue"):
                field.pop(key, None)
                if key in cell:
                    field[key] = cell[key]
            if "displayValue" not in field and "value" in cell:
                field["displayValue"] = str(cell["value"])
            sheet["hasSummaryFields"] = True
            self._touch(sheet, [])
            return field["id"]

    def add_attachment(
        self,
        sheet_id: int,
        name: str,
        *,
        row_id: int | None = None,
        mime_type: str = "application/pdf",
        size_in_kb: int = 12,
        attachment_type: str = "FILE",
    ) -> int:
        with self.lock:
            sheet = self._sheet(sheet_id)
            if row_id is not None:
                self._row(sheet, row_id)
            attachment = {
                "id": self._new_id(),
                "parentId": row_id if row_id is not None else sheet_id,
                "parentType": "ROW" if row_id is not None else "SHEET",
                "attachmentType": attachment_type,
                "mimeType": mime_type,
                "name": name,
                "sizeInKb": size_in_kb,
                "createdAt": self._now(),
                "createdBy": self._writer(),
            }
            sheet["attachments"].append(attachment)
            self._touch(sheet, [])
            return attachment["id"]

    def remove_attachment(self, sheet_id: int, attachment_id: int) -> None:
        with self.lock:
            sheet = self._sheet(sheet_id)
            before = len(sheet["attachments"])
            sheet["attachments"] = [a for a in sheet["attachments"] if a["id"] != attachment_id]
            if len(sheet["attachments"]) == before:
                raise LookupError(f"no attachment {attachment_id}")
            self._touch(sheet, [])

    def add_discussion(self, sheet_id: int, text: str, *, title: str | None = None, row_id: int | None = None) -> int:
        """Starts a discussion (on the sheet, or on a row) with its first comment; returns the discussion id."""
        with self.lock:
            sheet = self._sheet(sheet_id)
            if row_id is not None:
                self._row(sheet, row_id)
            discussion = {
                "id": self._new_id(),
                "title": title or text[:100],
                "parentId": row_id if row_id is not None else sheet_id,
                "parentType": "ROW" if row_id is not None else "SHEET",
                "accessLevel": "OWNER",
                "readOnly": False,
                "createdBy": self._writer(),
                "commentCount": 0,
                "comments": [],
            }
            sheet["discussions"].append(discussion)
            self.add_comment(sheet_id, discussion["id"], text)
            return discussion["id"]

    def add_comment(self, sheet_id: int, discussion_id: int, text: str) -> int:
        with self.lock:
            sheet = self._sheet(sheet_id)
            discussion = next((d for d in sheet["discussions"] if d["id"] == discussion_id), None)
            if discussion is None:
                raise LookupError(f"no discussion {discussion_id}")
            now = self._now()
            comment = {"id": self._new_id(), "discussionId": discussion_id, "text": text, "createdAt": now}
            comment.update(modifiedAt=now, createdBy=self._writer())
            discussion["comments"].append(comment)
            discussion.update(commentCount=len(discussion["comments"]), lastCommentedAt=now)
            discussion["lastCommentedUser"] = self._writer()
            self._touch(sheet, [])
            return comment["id"]

    # ---- internals -----------------------------------------------------------------------------------------------

    def _now(self) -> str:
        return timestamp(self._clock())

    def _new_id(self) -> int:
        return self._ids.randrange(2**52, 2**52 + 2**50)

    def _writer(self) -> dict:
        return {"name": f"{self.user['firstName']} {self.user['lastName']}", "email": self.user["email"]}

    def _sheet(self, sheet_id: int) -> dict:
        try:
            return self.sheets[int(sheet_id)]
        except KeyError:
            raise LookupError(f"no sheet {sheet_id}") from None

    def _row(self, sheet: dict, row_id: int) -> dict:
        return sheet["rows"][_index(sheet["rows"], row_id)]

    def _column(self, sheet: dict, key: int | str) -> dict:
        """A column by id, or by exact title when `key` is a str that is not an id."""
        if isinstance(key, str) and not key.isdigit():
            matches = [c for c in sheet["columns"] if c["title"] == key]
            if len(matches) != 1:
                raise LookupError(f"{len(matches)} columns are titled {key!r}")
            return matches[0]
        for column in sheet["columns"]:
            if column["id"] == int(key):
                return column
        raise LookupError(f"no column {key}")

    def _place(self, sheet_id: int, folder_id: int | None, workspace_id: int | None) -> None:
        if folder_id is not None:
            self.folders[folder_id]  # noqa: B018 - fails on an unknown folder
            self.locations[sheet_id] = {"type": "folder", "id": folder_id}
        elif workspace_id is not None:
            self.workspaces[workspace_id]  # noqa: B018
            self.locations[sheet_id] = {"type": "workspace", "id": workspace_id}
        else:
            self.locations.pop(sheet_id, None)

    def _fill_system_cells(self, sheet: dict, row: dict, *, created: bool) -> None:
        """AUTO_NUMBER and CREATED_* on creation; MODIFIED_* whenever a user changes the row."""
        writer = self._writer()
        person = contact(writer["email"], writer["name"])
        values = {"MODIFIED_BY": person, "MODIFIED_DATE": row["modifiedAt"]}
        if created:
            values.update(CREATED_BY=person, CREATED_DATE=row["createdAt"])
        for column in sheet["columns"]:
            kind = column.get("systemColumnType")
            if kind == "AUTO_NUMBER" and created:
                values[kind] = _next_auto_number(sheet, column)
            if kind in values:
                cells = [c for c in row["cells"] if c["columnId"] != column["id"]]
                row["cells"] = cells + [make_cell(column, values[kind])]

    def _touch(self, sheet: dict, rows: list[dict]) -> None:
        now = self._now()
        sheet["version"] += 1
        sheet["modifiedAt"] = now
        for row in rows:
            row["modifiedAt"] = now
            row["modifiedBy"] = self._writer()
            self._fill_system_cells(sheet, row, created=False)


def _normalise(sheet: Mapping) -> dict:
    """Fills what a saved API response may lack, so every stored sheet has the same keys."""
    sheet = dict(sheet)
    sheet.setdefault("version", 0)
    sheet.setdefault("accessLevel", "OWNER")
    sheet.setdefault("rows", [])
    sheet.setdefault("attachments", [])
    sheet.setdefault("discussions", [])
    sheet.setdefault("summary", {"fields": []})
    sheet["hasSummaryFields"] = bool(sheet["summary"]["fields"])
    for column in sheet["columns"]:
        column.setdefault("version", column_version(column["type"]))
    for row in sheet["rows"]:
        row.setdefault("sheetId", sheet["id"])
    _reindex(sheet)
    _renumber(sheet)
    return sheet


def _unique(ids: list[int], what: str, name: str) -> int:
    if len(ids) != 1:
        raise LookupError(f"{len(ids)} {what} are called {name!r}")
    return ids[0]


def _index(rows: list[dict], row_id: int) -> int:
    for i, row in enumerate(rows):
        if row["id"] == int(row_id):
            return i
    raise LookupError(f"no row {row_id}")


def _subtree_end(rows: list[dict], start: int) -> int:
    """The index just past rows[start] and all its descendants (rows are stored in display order)."""
    inside = {rows[start]["id"]}
    end = start + 1
    while end < len(rows) and rows[end].get("parentId") in inside:
        inside.add(rows[end]["id"])
        end += 1
    return end


def _insert_position(rows: list[dict], parent_id: int | None, sibling_id: int | None, to_top: bool):
    """(index, parent id) for a row placed as the service places it: after a sibling's subtree, first or last
    under a parent, or first or last in the sheet."""
    if sibling_id is not None:
        i = _index(rows, sibling_id)
        return _subtree_end(rows, i), rows[i].get("parentId")
    if parent_id is not None:
        i = _index(rows, parent_id)
        return (i + 1 if to_top else _subtree_end(rows, i)), int(parent_id)
    return (0 if to_top else len(rows)), None


def _renumber(sheet: dict) -> None:
    """rowNumber (1-based display order) and siblingId (the previous row with the same parent; absent on a first)."""
    previous: dict[int | None, int] = {}
    for number, row in enumerate(sheet["rows"], start=1):
        row["rowNumber"] = number
        parent = row.get("parentId")
        row.pop("siblingId", None)
        if parent in previous:
            row["siblingId"] = previous[parent]
        previous[parent] = row["id"]
    sheet["totalRowCount"] = len(sheet["rows"])


def _reindex(sheet: dict) -> None:
    for index, column in enumerate(sheet["columns"]):
        column["index"] = index


def _numbers(sheet: dict) -> dict[int, int]:
    return {row["rowNumber"]: row["id"] for row in sheet["rows"]}


def _next_auto_number(sheet: dict, column: dict) -> str:
    fmt = column.get("autoNumberFormat", {})
    prefix, suffix, fill = fmt.get("prefix", ""), fmt.get("suffix", ""), fmt.get("fill", "")
    highest = fmt.get("startingNumber", 1) - 1
    for row in sheet["rows"]:
        for cell in row["cells"]:
            if cell["columnId"] == column["id"] and isinstance(cell.get("value"), str):
                digits = cell["value"][len(prefix) : len(cell["value"]) - len(suffix) or None]
                if digits.isdigit():
                    highest = max(highest, int(digits))
    return f"{prefix}{str(highest + 1).zfill(len(fill))}{suffix}"
