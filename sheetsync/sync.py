"""The second half of a sync, per sheet: contracts → diff → emit → checkpoint.

Reads top to bottom as the design card's pipeline. Every decision about a sheet is made from the plan (fetched and
transformed data) and the checkpointed state; every operation goes through an `Emitter`, and the state is checkpointed
between sheets (see `_Checkpoints`), never inside one, so a sync interrupted anywhere resumes without gaps or
duplicates: rows emitted after the last checkpoint are re-sent (upserts are idempotent), and rows the state does not
yet record as sent are never assumed to be in the warehouse.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

import polars as pl

from sheetsync import extras, logs, pipeline
from sheetsync.api import ApiError
from sheetsync.config import Settings, load_settings
from sheetsync.discovery import SheetRef
from sheetsync.emit import Emitter
from sheetsync.plan import Plan, SheetResult, build_plan, remember, take
from sheetsync.state import RowHashes, SheetState, StateError, SyncState, stored_hash

SHEET_ROWS = "sheets"  # the state's key for the hashes of the `sheets` rows last sent


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
    """`update()`: emits what changed since `state`, checkpointing between sheets (see `_Checkpoints`)."""
    settings = load_settings(configuration)
    logs.register_secret(settings.token)
    started = time.monotonic()
    plan = plan or take(settings) or build_plan(settings)
    sync_state, discarded = _load_state(state, emitter)
    now = datetime.now(timezone.utc)
    report = SyncReport()

    checkpoints = _Checkpoints(emitter, sync_state)
    validations = _validate_changed(plan, sync_state, now)
    for result in plan.sheets:
        report.checked += 1
        if discarded and result.table is not None:
            # nobody knows which rows went while the state was unreadable: the full re-send replaces the table's rows
            emitter.truncate(result.table.name)
        synced = _sync_sheet(plan, result, sync_state, settings, emitter, report, now, validations)
        if synced:
            extras.sync_sheet_extras(plan.client, settings, result, sync_state, emitter)
        if result.table is not None:
            synced |= _send_sheet_row(_sheet_row(plan, result), sync_state, emitter)
        if synced:
            checkpoints.after_sheet()
    for result in _missing_sheets(plan, sync_state):
        report.checked += 1
        if _sheet_failed(result, sync_state.sheets.get(result.ref.id), sync_state, emitter, report):
            checkpoints.after_sheet()

    extras.sync_account_extras(plan, sync_state, emitter, report)
    checkpoints.final()
    logs.info(f"sync done in {time.monotonic() - started:.1f}s: {report.line()}; api {plan.client.metrics.summary()}")
    if report.failures:
        raise SyncFailed("; ".join(report.failures))
    return report


class _Checkpoints:
    """Checkpoints between sheets, never inside one, once enough rows or time have gone by since the last.

    Each checkpoint costs a fixed ~40 ms in the SDK (and the local runner re-checks every table at each one), so a
    checkpoint after every one of hundreds of small sheets would dominate a sync. Batching loses nothing: the state
    only ever describes sheets whose rows were all emitted before it, and an interrupted sync re-sends (idempotent
    upserts) the sheets after the last checkpoint."""

    ROWS = 5_000
    SECONDS = 30.0

    def __init__(self, emitter: Emitter, sync_state: SyncState):
        self.emitter, self.sync_state = emitter, sync_state
        self.rows_at_last, self.time_at_last = self._rows(), time.monotonic()

    def _rows(self) -> int:
        return self.emitter.total("upsert") + self.emitter.total("delete")

    def after_sheet(self) -> None:
        if self._rows() - self.rows_at_last >= self.ROWS or time.monotonic() - self.time_at_last >= self.SECONDS:
            self.final()

    def final(self) -> None:
        self.emitter.checkpoint(self.sync_state.to_json())
        self.rows_at_last, self.time_at_last = self._rows(), time.monotonic()


def _load_state(state: dict, emitter: Emitter) -> tuple[SyncState, bool]:
    """The checkpointed state, and whether it was discarded: a corrupt or unknown one is never trusted, it starts a
    safe full re-sync."""
    try:
        return SyncState.from_json(state or {}), False
    except StateError as error:
        emitter.warning(f"the saved state cannot be used ({error}); re-syncing every sheet in full")
        return SyncState(), True


def _verification_due(previous: SheetState, settings: Settings, now: datetime) -> bool:
    """Whether the periodic full diff is due: it catches what moves no version (volatile formulas)."""
    if previous.verified_at is None:
        return True
    last = datetime.fromisoformat(previous.verified_at.replace("Z", "+00:00"))
    return now - last >= timedelta(hours=settings.full_verification_hours)


def _unchanged(result: SheetResult, previous: SheetState | None, settings: Settings, now: datetime) -> bool:
    """The sheet is as last synced: same version, same declarations, same table, and no full verification due."""
    planned = result.table
    return (
        planned is not None
        and previous is not None
        and previous.status == "ok"
        and previous.version == planned.version
        and previous.fingerprint == planned.fingerprint
        and previous.table == planned.name
        and not _verification_due(previous, settings, now)
    )


def _validate_changed(plan: Plan, sync_state: SyncState, now: datetime) -> dict[int, pipeline.Validation]:
    """The contracts of every sheet that will be diffed, on the plan's worker threads: validation is pure and the
    largest per-sheet cost after fetching, and the emit loop that follows must stay sequential."""
    settings = plan.settings
    changed = [
        r.table
        for r in plan.sheets
        if r.table is not None and not _unchanged(r, sync_state.sheets.get(r.ref.id), settings, now)
    ]
    with ThreadPoolExecutor(max_workers=settings.max_workers, thread_name_prefix="contracts") as pool:
        checked = pool.map(lambda t: (t.sheet_id, pipeline.validate(t, settings.violation_policy)), changed)
        return dict(checked)


def _sync_sheet(
    plan: Plan,
    result: SheetResult,
    sync_state: SyncState,
    settings: Settings,
    emitter: Emitter,
    report: SyncReport,
    now: datetime,
    validations: dict[int, pipeline.Validation],
) -> bool:
    """Emits one sheet's changes; returns whether anything was emitted or the state changed."""
    sheet_id, previous = result.ref.id, sync_state.sheets.get(result.ref.id)
    if result.error is not None:
        return _sheet_failed(result, previous, sync_state, emitter, report)
    planned = result.table
    assert planned is not None
    if _unchanged(result, previous, settings, now):
        report.skipped += 1
        report.unchanged += previous.row_count
        logs.info(f"sheet {sheet_id} → {planned.name}: version {planned.version} already synced; skipped")
        return False
    report.fetched += 1

    # contracts (checked in parallel for every changed sheet before the emit loop, see `run`)
    validation = validations.get(sheet_id) or pipeline.validate(planned, settings.violation_policy)
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
            f"sheet {sheet_id} ('{planned.sheet_name}') now lands in table '{planned.name}' (was '{previous.table}'; "
            "schema() sees no state, so an unpinned table follows the sheet's name): its rows are re-sent there and "
            f"the old table's rows are marked deleted. To keep '{previous.table}', pin it in a declaration file "
            f'(transforms/sheets/*.toml: [sheet] id = {sheet_id}, table = "{previous.table}")'
        )
        emitter.truncate(previous.table)
        previous = None
    changes = pipeline.diff(planned, previous.rows if previous else None, held)

    # emit
    upserts = planned.frame.filter(pl.col("row_id").is_in(changes.upsert.implode()))
    emitter.upsert_frame(planned.name, upserts)
    emitter.delete_keys(planned.name, ({"row_id": int(i)} for i in changes.delete))
    extras.sync_columns(planned, previous, emitter)

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
    """A sheet that could not be read: gone or unshared sheets keep their rows; anything else fails the sync.

    Its `sheets` row keeps what was last known (an update of `status` and `status_message` only), and its hash is
    forgotten so that the full row is sent again when the sheet comes back."""
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
    _forget_sheet_row(ref.id, sync_state)
    row = {"sheet_id": ref.id, "table_name": result.table_name, "status": status, "status_message": str(error)[:1000]}
    if previous is None:
        emitter.upsert("sheets", {**row, "name": ref.name})
        previous = SheetState(table=result.table_name, version=None, fingerprint="", verified_at=None)
    else:
        emitter.update("sheets", row)
    sync_state.sheets[ref.id] = replace(previous, status=status)
    return True


def _missing_sheets(plan: Plan, sync_state: SyncState) -> list[SheetResult]:
    """Sheets the state knows that this sync's listing no longer shows (deleted, or no longer shared): each is probed
    once (`GET /sheets/{id}/version`), so the `sheets` table can say why. Sheets the configuration no longer selects
    are left alone."""
    settings, planned = plan.settings, {r.ref.id for r in plan.sheets}
    missing = []
    for sheet_id, previous in sync_state.sheets.items():
        deselected = (
            settings.sheet_ids and sheet_id not in settings.sheet_ids
        ) or sheet_id in settings.exclude_sheet_ids
        if sheet_id in planned or deselected or settings.workspace_ids:
            continue
        ref = SheetRef(id=sheet_id, name=previous.table)
        try:
            plan.client.get(f"/sheets/{sheet_id}/version")
            error: Exception = ApiError(f"/sheets/{sheet_id}", 404, None, "readable, but no longer listed")
        except ApiError as probe:
            error = probe
        missing.append(SheetResult(ref, previous.table, error=error))
    return missing


def _send_sheet_row(row: dict, sync_state: SyncState, emitter: Emitter) -> bool:
    """Upserts a sheet's `sheets` row when it differs from the one last sent (facts such as the folder can change
    without a new version); returns whether it was sent."""
    sent = _sent_sheet_rows(sync_state)
    digest = stored_hash(pipeline.row_digest(row))
    if sent.get(row["sheet_id"]) == digest:
        return False
    emitter.upsert("sheets", row)
    sent[row["sheet_id"]] = digest
    _keep_sheet_rows(sent, sync_state)
    return True


def _forget_sheet_row(sheet_id: int, sync_state: SyncState) -> None:
    sent = _sent_sheet_rows(sync_state)
    if sent.pop(sheet_id, None) is not None:
        _keep_sheet_rows(sent, sync_state)


def _sent_sheet_rows(sync_state: SyncState) -> dict[int, int]:
    rows = sync_state.keyed.get(SHEET_ROWS)
    return dict(zip(rows.ids.to_list(), rows.hashes.to_list(), strict=True)) if rows is not None else {}


def _keep_sheet_rows(sent: dict[int, int], sync_state: SyncState) -> None:
    sync_state.keyed[SHEET_ROWS] = RowHashes(
        pl.Series("row_id", list(sent), dtype=pl.Int64), pl.Series("hash", list(sent.values()), dtype=pl.UInt64)
    )


def _sheet_row(plan: Plan, result: SheetResult) -> dict:
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
        "status": "ok",
        "status_message": None,
    }


__all__ = ["RowHashes", "SyncFailed", "SyncReport", "declare_tables", "run"]
