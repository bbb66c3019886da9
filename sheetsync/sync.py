"""The second half of a sync, per sheet: contracts → diff → emit → checkpoint.

Reads top to bottom as the design card's pipeline. Every decision about a sheet is made from the plan (fetched and
transformed data) and the checkpointed state; every operation goes through an `Emitter`, and the state is checkpointed
after each sheet that changed anything, so a sync interrupted anywhere resumes without gaps or duplicates:
rows emitted after the last checkpoint are re-sent (upserts are idempotent), and rows the state does not yet record as
sent are never assumed to be in the warehouse.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

import polars as pl

from sheetsync import extras, logs, pipeline
from sheetsync.api import ApiError
from sheetsync.config import Settings, load_settings
from sheetsync.emit import Emitter
from sheetsync.plan import Plan, SheetResult, build_plan, remember, take
from sheetsync.state import RowHashes, SheetState, StateError, SyncState


class SyncFailed(Exception):
    """One or more sheets failed; every other sheet was emitted and checkpointed first."""


@dataclass
class SyncReport:
    """What a sync did, for the log, the preview notebook and the benchmark."""

    checked: int = 0
    skipped: int = 0
    fetched: int = 0
    upserted: int = 0
    deleted: int = 0
    unchanged: int = 0
    quarantined: int = 0
    violations: int = 0
    failures: list[str] = field(default_factory=list)
    per_sheet: list[dict] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"sheets checked={self.checked} skipped={self.skipped} fetched={self.fetched}; "
            f"rows upserted={self.upserted} deleted={self.deleted} unchanged={self.unchanged} "
            f"quarantined={self.quarantined}; "
            f"violations={self.violations}; failures={len(self.failures)}"
        )


def declare_tables(configuration: dict) -> list[dict]:
    """`schema()`: plans the sync (fetch → frame → transforms) and declares every table it will write."""
    settings = load_settings(configuration)
    logs.register_secret(settings.token)
    plan = build_plan(settings)
    remember(plan)
    return plan.declarations()


def run(configuration: dict, state: dict, emitter: Emitter, plan: Plan | None = None) -> SyncReport:
    """`update()`: emits what changed since `state`, checkpointing after each sheet that changed anything."""
    settings = load_settings(configuration)
    logs.register_secret(settings.token)
    started = time.monotonic()
    plan = plan or take(settings) or build_plan(settings)
    sync_state = _load_state(state, emitter)
    now = datetime.now(timezone.utc)
    report = SyncReport()
    moved = extras.moved_sheets(plan, sync_state)  # a move bumps no version, but the `sheets` row must follow it

    for result in plan.sheets:
        report.checked += 1
        if _sync_sheet(plan, result, sync_state, settings, emitter, report, now, moved):
            extras.sync_sheet_extras(plan.client, settings, result.ref.id, sync_state, emitter)
            emitter.checkpoint(sync_state.to_json())

    extras.sync_account_extras(plan, sync_state, emitter, report)
    emitter.checkpoint(sync_state.to_json())
    logs.info(f"sync done in {time.monotonic() - started:.1f}s: {report.line()}; api {plan.client.metrics.summary()}")
    if report.failures:
        raise SyncFailed("; ".join(report.failures))
    return report


def _load_state(state: dict, emitter: Emitter) -> SyncState:
    """The checkpointed state; a corrupt or unknown one is never trusted: it starts a safe full re-sync."""
    try:
        return SyncState.from_json(state or {})
    except StateError as error:
        emitter.warning(f"the saved state cannot be used ({error}); re-syncing every sheet in full")
        return SyncState()


def _verification_due(previous: SheetState, settings: Settings, now: datetime) -> bool:
    """Whether the periodic full diff is due: it catches what moves no version (volatile formulas)."""
    if previous.verified_at is None:
        return True
    last = datetime.fromisoformat(previous.verified_at.replace("Z", "+00:00"))
    return now - last >= timedelta(hours=settings.full_verification_hours)


def _sync_sheet(
    plan: Plan,
    result: SheetResult,
    sync_state: SyncState,
    settings: Settings,
    emitter: Emitter,
    report: SyncReport,
    now: datetime,
    moved: frozenset[int] = frozenset(),
) -> bool:
    """Emits one sheet's changes; returns whether anything was emitted or the state changed."""
    sheet_id, previous = result.ref.id, sync_state.sheets.get(result.ref.id)
    if result.error is not None:
        return _sheet_failed(result, previous, sync_state, emitter, report)
    planned = result.table
    assert planned is not None
    if (
        previous is not None
        and previous.status == "ok"
        and previous.version == planned.version
        and previous.fingerprint == planned.fingerprint
        and previous.table == planned.name
        and not _verification_due(previous, settings, now)
        and sheet_id not in moved
    ):
        report.skipped += 1
        report.unchanged += previous.row_count
        return False
    report.fetched += 1

    # contracts
    validation = pipeline.validate(planned, settings.violation_policy)
    violations = validation.violations
    report.violations += len(violations)
    extras.record_violations(planned, violations, validation.policy, sync_state, emitter, now)
    if violations:
        logs.warning(
            f"{len(violations)} contract violation(s), policy {validation.policy}: "
            f"{pipeline.describe_violations(planned, violations)}"
        )
    if validation.failed:
        report.failures.append(
            f"sheet {sheet_id} ('{planned.sheet_name}') violates its contract ({len(violations)} violation(s)) and "
            f"policy 'fail' kept it from the warehouse: {pipeline.describe_violations(planned, violations)}"
        )
        return True
    held = validation.held_back(planned.frame["row_id"])

    # diff
    if previous is not None and previous.table != planned.name:
        emitter.warning(
            f"sheet {sheet_id} now lands in table '{planned.name}' (was '{previous.table}'): its rows are re-sent "
            "there and the old table's rows are marked deleted"
        )
        emitter.truncate(previous.table)
        previous = None
    changes = pipeline.diff(planned, previous.rows if previous else None, held)

    # emit
    upserts = planned.frame.filter(pl.col("row_id").is_in(changes.upsert.implode()))
    emitter.upsert_frame(planned.name, upserts)
    emitter.delete_keys(planned.name, ({"row_id": int(i)} for i in changes.delete))
    extras.sync_columns(planned, previous, emitter)
    emitter.upsert("sheets", _sheet_row(plan, result, "ok", None))

    sync_state.sheets[sheet_id] = SheetState(
        table=planned.name,
        version=planned.version,
        fingerprint=planned.fingerprint,
        verified_at=now.isoformat(),
        rows=changes.recorded,
        status="ok",
        column_ids=planned.column_ids,
    )
    report.upserted += upserts.height
    report.deleted += changes.delete.len()
    report.unchanged += changes.unchanged
    report.quarantined += len(held)
    report.per_sheet.append(
        {"sheet_id": sheet_id, "table": planned.name, "upserted": upserts.height, "deleted": changes.delete.len()}
    )
    logs.info(
        f"sheet {sheet_id} → {planned.name}: upserted {upserts.height}, deleted {changes.delete.len()}, "
        f"unchanged {changes.unchanged}, quarantined {len(held)}"
    )
    return True


def _sheet_failed(
    result: SheetResult, previous: SheetState | None, sync_state: SyncState, emitter: Emitter, report: SyncReport
) -> bool:
    """A sheet that could not be read: gone or unshared sheets keep their rows; anything else fails the sync."""
    error, ref = result.error, result.ref
    gone = isinstance(error, ApiError) and error.is_gone
    status = "inaccessible" if gone else "failed"
    message = f"sheet {ref.id} ('{ref.name}'): {error}"
    if gone:
        emitter.warning(f"{message}; its rows are kept and it resumes where it left off if it comes back")
    else:
        report.failures.append(message)
        logs.severe(message)
    if previous is not None and previous.status == status:
        return False
    row = {"sheet_id": ref.id, "name": ref.name, "table_name": result.table_name, "status": status}
    emitter.upsert("sheets", {**row, "status_message": str(error)[:1000]})
    if previous is None:
        previous = SheetState(table=result.table_name, version=None, fingerprint="", verified_at=None)
    sync_state.sheets[ref.id] = replace(previous, status=status)
    return True


def _sheet_row(plan: Plan, result: SheetResult, status: str, message: str | None) -> dict:
    planned = result.table
    workspace_id, folder_id = (plan.tree.sheet_places.get(result.ref.id) if plan.tree else None) or (None, None)
    return {
        "sheet_id": result.ref.id,
        "name": planned.sheet_name,
        "table_name": planned.name,
        "version": planned.version,
        **planned.facts,
        "workspace_id": planned.facts.get("workspace_id") or workspace_id,
        "folder_id": folder_id,
        "status": status,
        "status_message": message,
    }


__all__ = ["RowHashes", "SyncFailed", "SyncReport", "declare_tables", "run"]
