"""The first half of a sync: fetch → frame → transforms for every selected sheet, in parallel.

`schema()` builds the plan, because the declared type of a TEXT_NUMBER column depends on the data, and `update()`
consumes it, so each sheet is fetched once per sync. The plan holds only transformed frames (not the raw JSON), and it
is handed over once: the next `schema()` call builds a new one.

Table names are decided here, without the state: the SDK calls `schema(configuration)` with no state, and a table
`update()` writes must be one `schema()` declared (an undeclared table gets inferred types and a hashed key). So the
names are a function of what `schema()` can see: the listed sheets' names and ids and the declaration files' pins
(`[sheet] table = ...`). `update()` builds its fallback plan the same way, never from the state, so the two always
agree. Consequence: an unpinned sheet's table follows the sheet's current name (`sync.py` moves its rows when it is
renamed and says how to pin it); a pinned one never moves.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import polars as pl

from sheetsync import logs, pipeline
from sheetsync.api import ApiError, RateLimiter, SmartsheetClient
from sheetsync.config import Settings
from sheetsync.discovery import SheetRef, Tree, select_sheets, walk_tree
from sheetsync.extras import SheetExtras, extra_includes, sheet_extras
from sheetsync.fetch import fetch_sheet
from sheetsync.frame import sheet_frame
from sheetsync.reports import fetch_reports
from sheetsync.tables import METADATA_TABLES, OPTIONAL_TABLES, declaration

PLAN_MAX_AGE_SECONDS = 15 * 60


@dataclass
class SheetResult:
    """One selected sheet after fetch and transforms: a table, or the error that prevented it."""

    ref: SheetRef
    table_name: str
    table: pipeline.PlannedTable | None = None
    error: Exception | None = None
    extras: SheetExtras | None = None  # summary fields, attachments and discussions read with the sheet

    @property
    def version(self) -> int | None:
        return self.table.version if self.table is not None else self.ref.version


@dataclass
class Plan:
    settings: Settings
    client: SmartsheetClient
    tree: Tree | None
    sheets: list[SheetResult]
    reports: list[pipeline.PlannedTable] = field(default_factory=list)
    report_errors: dict[int, Exception] = field(default_factory=dict)
    created: float = field(default_factory=time.monotonic)

    def declarations(self) -> list[dict]:
        """`schema()`'s answer: the fixed tables, then one table per sheet and report that transformed cleanly."""
        tables = [declaration(name, spec) for name, spec in METADATA_TABLES.items()]
        tables += [
            declaration(name, spec)
            for name, (toggle, spec) in OPTIONAL_TABLES.items()
            if getattr(self.settings, toggle)
        ]
        for result in self.sheets:
            if result.table is not None:
                tables.append(result.table.declaration())
        tables += [report.declaration() for report in self.reports]
        return tables


def build_plan(settings: Settings, limiter: RateLimiter | None = None) -> Plan:
    """Discovers the sheets, then fetches and transforms each on `settings.max_workers` threads."""
    client = SmartsheetClient(settings, limiter)
    tree = walk_tree(client, settings.workspace_ids) if settings.sync_workspaces or settings.workspace_ids else None
    refs = select_sheets(client, settings, tree)
    declared = pipeline.load_declared()
    for problem in declared.errors:
        logs.warning(f"declaration file not used: {problem}")
    names = pipeline.table_names(refs, declared)
    logs.info(f"planning {len(refs)} sheet(s) with {settings.max_workers} worker(s)")
    with ThreadPoolExecutor(max_workers=settings.max_workers, thread_name_prefix="sheet") as pool:
        include = extra_includes(settings)
        results = list(pool.map(lambda ref: _plan_sheet(client, ref, names[ref.id], declared, include), refs))
    plan = Plan(settings=settings, client=client, tree=tree, sheets=results)
    if settings.sync_reports:
        _plan_reports(plan, declared)
    return plan


def _plan_sheet(
    client: SmartsheetClient, ref: SheetRef, table_name: str, declared: pipeline.Declared, include: tuple[str, ...]
) -> SheetResult:
    try:
        sheet = fetch_sheet(client, ref.id, include=include, digest_page=_frame_page)
        pages = sheet.pop("rows")
        raw = pl.concat([frame for frame, _ in pages], how="vertical")
        planned = pipeline.plan_sheet(sheet, table_name, declared, raw=raw)
        row_parts = [part for _, parts in pages for part in parts]
        return SheetResult(ref, table_name, table=planned, extras=sheet_extras(sheet, include, row_parts))
    except ApiError as error:
        return SheetResult(ref, table_name, error=error)
    except Exception as error:  # a sheet the transforms cannot handle must not stop the other sheets
        problem = f"could not be transformed: {type(error).__name__}: {error}"
        return SheetResult(ref, table_name, error=SheetProblem(f"sheet {ref.id} ('{ref.name}') {problem}"))


def _plan_reports(plan: Plan, declared: pipeline.Declared) -> None:
    """Every readable report, typed like a sheet, in tables named `report_<name>` that no sheet table uses."""
    reports, plan.report_errors = fetch_reports(plan.client)
    sheet_tables = {r.ref.id: r.table_name for r in plan.sheets}
    names = pipeline.name_tables([{"id": r["id"], "name": f"report {r['name']}"} for r in reports], sheet_tables)
    for report in reports:
        try:
            plan.reports.append(pipeline.plan_report(report, names[report["id"]], declared))
        except Exception as error:  # like a sheet: reported, the rest goes on
            plan.report_errors[int(report["id"])] = SheetProblem(f"{type(error).__name__}: {error}")


def _frame_page(sheet: dict, rows: list[dict]) -> tuple[pl.DataFrame, list[dict]]:
    """A page of rows, framed as it arrives (its JSON can then go), with the rows' attachments and discussions."""
    parts = [{key: row[key] for key in ("attachments", "discussions") if row.get(key)} for row in rows]
    return sheet_frame({**sheet, "rows": rows}), [p for p in parts if p]


class SheetProblem(Exception):
    """A sheet or report the pipeline could not turn into a table (a declaration that does not fit, bad data)."""


_handoff: dict[tuple, Plan] = {}
_handoff_lock = threading.Lock()


def remember(plan: Plan) -> None:
    """Keeps the plan `schema()` built for the `update()` that follows it."""
    with _handoff_lock:
        _handoff.clear()
        _handoff[plan.settings.fingerprint] = plan


def take(settings: Settings) -> Plan | None:
    """The plan `schema()` built for these settings, once, if it is recent enough."""
    with _handoff_lock:
        plan = _handoff.pop(settings.fingerprint, None)
    if plan is not None and time.monotonic() - plan.created <= PLAN_MAX_AGE_SECONDS:
        return plan
    return None
