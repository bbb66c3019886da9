"""The tables around the sheet tables: columns, contract violations, summary fields, attachments, discussions,
comments, workspaces, folders and reports.

Each is diffed the same way as sheet rows — rows keyed by id, hashed, compared with the hashes in state — so a sync
sends only what changed and deletes what disappeared. Sheet-level extras are refreshed only for sheets whose version
moved (the caller decides), account-level ones on every sync (they are a few small listings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl

from sheetsync import logs, pipeline
from sheetsync.api import ApiError, SmartsheetClient
from sheetsync.config import Settings
from sheetsync.emit import Emitter
from sheetsync.fetch import offset_pages
from sheetsync.state import SheetState, SyncState

MAX_TRACKED_VIOLATIONS = 5_000


def sync_keyed(table: str, key: str, rows: list[dict], state_key: str, sync_state: SyncState, emitter: Emitter) -> None:
    """Upserts the rows whose content changed and deletes the keys that disappeared since the last sync."""
    previous = sync_state.keyed.get(state_key)
    if not rows and (previous is None or previous.ids.is_empty()):
        return  # most sheets have no summary fields, attachments or discussions: nothing to diff
    changes = pipeline.keyed_diff(rows, key, previous)
    upsert = set(changes.upsert.to_list())
    for row in rows:
        if int(row[key]) in upsert:
            emitter.upsert(table, row)
    emitter.delete_keys(table, ({key: int(i)} for i in changes.delete))
    sync_state.keyed[state_key] = changes.recorded


def sync_columns(planned: pipeline.PlannedTable, previous: SheetState | None, emitter: Emitter) -> None:
    """The `columns` table for one sheet: every column upserted when the sheet changed, removed ones deleted."""
    rows = planned.column_rows()
    for row in rows:
        emitter.upsert("columns", row)
    gone = set(previous.column_ids if previous else ()) - {r["column_id"] for r in rows}
    emitter.delete_keys("columns", ({"sheet_id": planned.sheet_id, "column_id": cid} for cid in sorted(gone)))


def record_violations(
    planned: pipeline.PlannedTable,
    violations: list[pipeline.Violation],
    policy: str,
    sync_state: SyncState,
    emitter: Emitter,
    now: datetime,
) -> None:
    """`contract_violations`: open ones upserted with first/last seen, those that no longer occur marked resolved."""
    open_before = sync_state.violations.get(planned.sheet_id, {})
    open_now: dict[str, str] = {}
    for v in violations:
        key = f"{v.row_id or 0}|{v.column or ''}|{v.check}"
        first_seen = open_before.get(key, now.isoformat())
        if len(open_now) < MAX_TRACKED_VIOLATIONS:
            open_now[key] = first_seen
        emitter.upsert("contract_violations", _violation_row(planned, key, v.value, policy, first_seen, now, False))
    for key in open_before.keys() - open_now.keys():
        emitter.upsert("contract_violations", _violation_row(planned, key, None, policy, open_before[key], now, True))
    if len(violations) > MAX_TRACKED_VIOLATIONS:
        logs.warning(f"sheet {planned.sheet_id}: first-seen times kept for {MAX_TRACKED_VIOLATIONS} violations only")
    if open_now:
        sync_state.violations[planned.sheet_id] = open_now
    else:
        sync_state.violations.pop(planned.sheet_id, None)


def _violation_row(planned, key: str, value, policy: str, first_seen: str, now: datetime, resolved: bool) -> dict:
    row_id, column, check = key.split("|", 2)
    return {
        "sheet_id": planned.sheet_id,
        "row_id": int(row_id),
        "column_name": column,
        "check": check,
        "table_name": planned.name,
        "value": None if value is None else str(value)[:4000],
        "policy": policy,
        "first_seen_at": datetime.fromisoformat(first_seen),
        "last_seen_at": now,
        "resolved": resolved,
    }


@dataclass(frozen=True)
class SheetExtras:
    """What the sheet fetch itself brought of the side tables (`include=summary,attachments,discussions`).

    Comments are read from `/discussions?include=comments`, the documented way, but only for a sheet that has (or
    had) discussions: most sheets have none, and then that request is saved too."""

    summary_fields: list[dict] | None
    attachments: list[dict] | None
    has_discussions: bool | None


def extra_includes(settings: Settings) -> tuple[str, ...]:
    wanted = (
        ("summary", settings.sync_summary_fields),
        ("attachments", settings.sync_attachments),
        ("discussions", settings.sync_discussions),
    )
    return tuple(name for name, on in wanted if on)


def sheet_extras(sheet: dict, include: tuple[str, ...], rows: list[dict]) -> SheetExtras:
    """The side-table data of a sheet fetched with `include`: its own, and that of `rows` (each row's
    `attachments` and `discussions`)."""

    def everywhere(key: str) -> list[dict]:
        return list(sheet.get(key) or []) + [item for row in rows for item in row.get(key) or []]

    return SheetExtras(
        summary_fields=(sheet.get("summary") or {}).get("fields", []) if "summary" in include else None,
        attachments=everywhere("attachments") if "attachments" in include else None,
        has_discussions=bool(everywhere("discussions")) if "discussions" in include else None,
    )


def sync_sheet_extras(client: SmartsheetClient, settings: Settings, result, sync_state: SyncState, emitter: Emitter):
    """Summary fields, attachments, discussions and comments of one sheet whose version moved.

    A sheet that could not be read this sync keeps what was sent before: its extras are not read either."""
    sid = result.ref.id
    sheet = sync_state.sheets.get(sid)
    if sheet is None or sheet.status != "ok":
        return
    fetched = result.extras or SheetExtras(None, None, None)
    try:
        if settings.sync_summary_fields:
            fields = fetched.summary_fields
            if fields is None:
                fields = client.get(f"/sheets/{sid}/summary").get("fields", [])
            rows = [summary_row(sid, f) for f in fields]
            sync_keyed("sheet_summary_fields", "field_id", rows, f"summary:{sid}", sync_state, emitter)
        if settings.sync_attachments:
            attachments = fetched.attachments
            if attachments is None:
                attachments = list(offset_pages(client, f"/sheets/{sid}/attachments"))
            rows = [attachment_row(sid, a) for a in attachments]
            sync_keyed("attachments", "attachment_id", rows, f"attachments:{sid}", sync_state, emitter)
        known = sync_state.keyed.get(f"discussions:{sid}")
        if settings.sync_discussions and (fetched.has_discussions is not False or (known and known.ids.len())):
            discussions = list(offset_pages(client, f"/sheets/{sid}/discussions", {"include": "comments"}))
            rows = [discussion_row(sid, d) for d in discussions]
            comments = [comment_row(sid, d, c) for d in discussions for c in d.get("comments") or []]
            sync_keyed("discussions", "discussion_id", rows, f"discussions:{sid}", sync_state, emitter)
            sync_keyed("comments", "comment_id", comments, f"comments:{sid}", sync_state, emitter)
    except ApiError as error:
        emitter.warning(f"sheet {sid}: summary fields, attachments or discussions not refreshed this sync: {error}")


def sync_account_extras(plan, sync_state: SyncState, emitter: Emitter, report) -> None:
    """Workspaces, folders and reports: versionless, so diffed on every sync."""
    if plan.settings.sync_workspaces and plan.tree is not None:
        workspaces = [
            {"workspace_id": w["id"], "name": w["name"], "permalink": w.get("permalink")} for w in plan.tree.workspaces
        ]
        sync_keyed("workspaces", "workspace_id", workspaces, "workspaces", sync_state, emitter)
        folders = [
            {
                "folder_id": f["id"],
                "name": f["name"],
                "workspace_id": f["workspace_id"],
                "parent_folder_id": f["parent_folder_id"],
            }
            for f in plan.tree.folders
        ]
        sync_keyed("folders", "folder_id", folders, "folders", sync_state, emitter)
    sync_reports(plan, sync_state, emitter, report)


def sync_reports(plan, sync_state: SyncState, emitter: Emitter, report) -> None:
    """Every report is re-read and hash-diffed (reports have no version). The state key names the report's table, so
    a report whose table name changes (it was renamed) is re-sent in full to the new table and the old one emptied."""
    for planned in plan.reports:
        prefix = f"report:{planned.sheet_id}:"
        state_key = prefix + planned.name
        sync_state.keyed.pop(f"report:{planned.sheet_id}", None)  # the key before it named the table: re-sent once
        for old_key in [k for k in sync_state.keyed if k.startswith(prefix) and k != state_key]:
            old_table = old_key[len(prefix) :]
            emitter.warning(
                f"report {planned.sheet_id} ('{planned.sheet_name}') now lands in table '{planned.name}' "
                f"(was '{old_table}'): its rows are re-sent there and the old table's rows are marked deleted"
            )
            emitter.truncate(old_table)
            del sync_state.keyed[old_key]
        changes = pipeline.diff(planned, sync_state.keyed.get(state_key))
        emitter.upsert_frame(planned.name, planned.frame.filter(pl.col("row_id").is_in(changes.upsert.implode())))
        emitter.delete_keys(planned.name, ({"row_id": int(i)} for i in changes.delete))
        sync_state.keyed[state_key] = changes.recorded
        logs.info(
            f"report {planned.sheet_id} → {planned.name}: upserted {changes.upsert.len()}, "
            f"deleted {changes.delete.len()}, unchanged {changes.unchanged}"
        )
    for report_id, error in plan.report_errors.items():
        message = f"report {report_id}: {error}"
        if isinstance(error, ApiError) and error.is_gone:  # unshared or deleted since the listing: like a sheet
            emitter.warning(f"{message}; its rows are kept")
        else:
            report.failures.append(message)


def _utc(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _email(who: dict | None) -> str | None:
    return (who or {}).get("email") or (who or {}).get("name")


def summary_row(sheet_id: int, field: dict) -> dict:
    value = field.get("objectValue")
    if isinstance(value, dict) and "value" in value and len(value) <= 2:
        value = value["value"]
    return {
        "sheet_id": sheet_id,
        "field_id": int(field["id"]),
        "title": field.get("title"),
        "type": field.get("type"),
        "value": value,
        "display_value": field.get("displayValue"),
        "formula": field.get("formula"),
        "index": field.get("index"),
        "modified_at": _utc(field.get("modifiedAt")),
        "modified_by": _email(field.get("modifiedBy")),
    }


def attachment_row(sheet_id: int, a: dict) -> dict:
    return {
        "attachment_id": int(a["id"]),
        "sheet_id": sheet_id,
        "parent_type": a.get("parentType"),
        "parent_id": a.get("parentId"),
        "attachment_type": a.get("attachmentType"),
        "mime_type": a.get("mimeType"),
        "name": a.get("name"),
        "size_kb": a.get("sizeInKb"),
        "created_at": _utc(a.get("createdAt")),
        "created_by": _email(a.get("createdBy")),
    }


def discussion_row(sheet_id: int, d: dict) -> dict:
    return {
        "discussion_id": int(d["id"]),
        "sheet_id": sheet_id,
        "title": d.get("title"),
        "parent_type": d.get("parentType"),
        "parent_id": d.get("parentId"),
        "comment_count": d.get("commentCount"),
        "last_commented_at": _utc(d.get("lastCommentedAt")),
        "created_by": _email(d.get("createdBy")),
    }


def comment_row(sheet_id: int, d: dict, c: dict) -> dict:
    return {
        "comment_id": int(c["id"]),
        "discussion_id": int(d["id"]),
        "sheet_id": sheet_id,
        "text": c.get("text"),
        "created_at": _utc(c.get("createdAt")),
        "modified_at": _utc(c.get("modifiedAt")),
        "created_by": _email(c.get("createdBy")),
    }
