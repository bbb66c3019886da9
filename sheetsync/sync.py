"""The second half of a sync, per sheet: contracts → diff → emit → checkpoint.

Reads top to bottom as the design card's pipeline. Every decision about a sheet is made from the plan (fetched and
transformed data) and the checkpointed state; every operation goes through an `Emitter`, and the state is checkpointed
after each sheet that changed anything, so a sync interrupted anywhere resumes without gaps or duplicates:
rows emitted after the last checkpoint are re-sent (upserts are idempotent), and rows the state does not yet record as
sent are never assumed to be in the warehouse.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

import polars as pl

from sheetsync import extras, logs, pipeline
from sheetsync.api import ApiError
from sheetsync.config import Settings, load_settings
from sheetsync.emit import Emitter
from sheetsync.plan import Plan, SheetResult, build_plan, take
from sheetsync.state import SheetState, StateError, SyncState


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
    from sheetsync.plan import remember

    remember(plan)
    return plan.declarations()


def run(configuration: dict, state: dict, emitter: Emitter, plan: Plan | None = None) -> SyncReport:
    """`update()`: emits what changed since `state`, checkpointing after each sheet."""
    settings = load_settings(configuration)
    logs.register_secret(settings.token)
    started = time.monotonic()
    plan = plan or take(settings) or build_plan(settings)
    sync_state = _load_state(state, emitter)
    now = datetime.now(timezone.utc)
    verify_all = sync_state.verification_due(now, settings.full_verification_hours)
    if verify_all:
        logs.info("full verification: every sheet is diffed, whatever its version")
    report = SyncReport()

    for result in plan.sheets:
        report.checked += 1
        changed = _sync_sheet(result, sync_state, settings, emitter, report, now, verify_all)
        if changed:
            if settings.sync_summary_fields or settings.sync_attachments or settings.sync_discussions:
                extras.sync_sheet_extras(plan.client, settings, result, sync_state, emitter)
            emitter.checkpoint(sync_state.to_json())

    extras.sync_account_extras(plan, sync_state, emitter, report)
    if verify_all:
        sync_state.verified_at = now
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


def _sync_sheet(
    result: SheetResult,
    sync_state: SyncState,
    settings: Settings,
    emitter: Emitter,
    report: SyncReport,
    now: datetime,
    verify_all: bool,
) -> bool:
    """Emits one sheet's changes; returns whether anything was emitted or the state changed."""
    sheet_id, previous = result.ref.id, sync_state.sheets.get(result.ref.id)
    if result.error is not None:
        return _sheet_failed(result, previous, sync_state, emitter, report)

    table = result.table
    assert table is not None
    if (
        previous is not None
        and not verify_all
        and previous.version == table.version
        and previous.fingerprint == table.fingerprint
        and previous.table_name == table.name
        and previous.status == "ok"
    ):
        report.skipped += 1
        report.unchanged += previous.row_count
        return False
    report.fetched += 1

    # contracts
    violations = pipeline.validate(table)
    policy = table.policy or settings.violation_policy
    report.violations += len(violations)
    extras.record_violations(table, violations, policy, sync_state, emitter, now)
    if violations:
        logs.warning(pipeline.describe_violations(table, violations, policy))
    if policy == "fail" and violations:
        report.failures.append(
            f"sheet {sheet_id} ('{table.sheet_name}') violates its contract ({len(violations)} violation(s)); "
            f"policy 'fail' kept it from the warehouse: {pipeline.describe_violations(table, violations, policy)}"
        )
        return True
    held = {v.row_id for v in violations if v.row_id is not None} if policy == "quarantine" else set()

    # diff
    if previous is not None and previous.table_name != table.name:
        emitter.warning(
            f"sheet {sheet_id} now lands in table '{table.name}' (was '{previous.table_name}'): its rows are re-sent "
            f"there and the old table's rows are marked deleted"
        )
        emitter.truncate(previous.table_name)
        previous = None
    hashes = pipeline.row_hashes(table)
    old_hashes = previous.hashes if previous is not None else None
    changes = pipeline.diff(hashes, old_hashes, held)

    # emit
    upserts = table.frame.filter(pl.col("row_id").is_in(changes.upsert_ids.implode()))
    emitter.upsert_frame(table.name, upserts)
    emitter.delete_keys(table.name, ({"row_id": int(i)} for i in changes.delete_ids))
    extras.sync_columns(table, previous, emitter)
    emitter.upsert("sheets", pipeline.sheet_row(table, result.ref, "ok", None))

    sync_state.sheets[sheet_id] = SheetState(
        version=table.version,
        table_name=table.name,
        fingerprint=table.fingerprint,
        hashes=changes.kept_hashes,
        column_ids=table.column_ids,
        status="ok",
    )
    report.upserted += upserts.height
    report.deleted += len(changes.delete_ids)
    report.unchanged += changes.unchanged
    report.quarantined += len(held)
    report.per_sheet.append(
        {"sheet_id": sheet_id, "table": table.name, "upserted": upserts.height, "deleted": len(changes.delete_ids)}
    )
    logs.info(
        f"sheet {sheet_id} → {table.name}: upserted {upserts.height}, deleted {len(changes.delete_ids)}, "
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
    emitter.upsert("sheets", pipeline.missing_sheet_row(ref, result.table_name, status, str(error)))
    if previous is not None:
        previous.status = status
    return True
