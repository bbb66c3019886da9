"""What the notebooks call: sources, sheet listings, column profiles, plots and a preview of the next sync.

Everything here goes through the connector's own code (`sheetsync.fetch`, `pipeline.plan_sheet/validate`,
`plan.build_plan`, `sync.run` with a `PreviewEmitter`), so a notebook shows what a sync would really do, and the
notebooks' cells stay a few lines each. Every expected failure (no token, a sheet id the token cannot read, a source
that does not answer, a bad state file) is an `ExploreError` with one line that says what to change; in a notebook,
`friendly_errors()` shows it as that one line instead of a traceback.

Sources: `sandbox` (an in-process sandbox with the sample account), `live` (token from `SMARTSHEET_ACCESS_TOKEN`)
and `export` (sheet JSON files in the API's shape, served by an in-process sandbox so the same HTTP path is used).
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from matplotlib.figure import Figure

from schemas.contracts import Validation
from sheetsync import pipeline, scaffold
from sheetsync.api import ApiError, SmartsheetClient
from sheetsync.config import REGIONS, TOKEN_ENV, ConfigurationError, Settings, load_settings
from sheetsync.discovery import SheetRef
from sheetsync.emit import PreviewEmitter
from sheetsync.fetch import fetch_sheet, list_sheets
from sheetsync.frame import cell_column, sheet_frame
from sheetsync.state import StateError, SyncState
from transforms.declarations import DeclarationError, parse_number
from transforms.types import Cell, parse_date, parse_naive_datetime, parse_utc_datetime

ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = ROOT / "samples"
DEMO_STATE = ROOT / "files" / "state.json"
SOURCES = ("sandbox", "live", "export", "configuration")
TOP_VALUES = 3
INFERRED_SHARE = 0.9  # a text column is "numeric" (or "date") when this share of its filled cells parses as one
SYSTEM_NUMBERS = ("row_id", "row_number", "parent_id")
_US_DATES = ("%m/%d/%Y", "%m/%d/%y", "%d %b %Y", "%b %d, %Y")


class ExploreError(Exception):
    """A problem the notebook user fixes by changing a parameter; the message is one line and names it."""


# ---- sources ----------------------------------------------------------------------------------------------------


@dataclass
class Source:
    """Where sheets come from: a connector configuration, and the in-process sandbox serving it (if any)."""

    kind: str
    label: str
    configuration: dict[str, str]
    server: Any = None  # sandbox.SandboxServer
    _client: SmartsheetClient | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        with _friendly():
            return load_settings(self.configuration)

    @property
    def client(self) -> SmartsheetClient:
        if self._client is None:
            self._client = SmartsheetClient(self.settings)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self.server is not None:
            self.server.stop()
            self.server = None

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:  # the configuration holds the token: never show it
        return f"Source({self.kind}: {self.label})"


def open_source(
    kind: str = "sandbox",
    *,
    export_path: str | Path | None = None,
    region: str = "us",
    configuration_path: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Source:
    """The source a notebook's `source` parameter names."""
    if kind == "sandbox":
        return sandbox_source()
    if kind == "live":
        return live_source(region, environ)
    if kind == "export":
        return export_source(export_path or default_export())
    if kind == "configuration":
        if not configuration_path:
            raise ExploreError("source 'configuration' needs configuration_path (e.g. the demo's configuration.json)")
        return Source("configuration", str(configuration_path), load_configuration(configuration_path))
    raise ExploreError(f"source must be one of {', '.join(SOURCES)}, not {kind!r}")


def sandbox_source(account: dict | None = None) -> Source:
    """An in-process sandbox on a free loopback port, serving `account` (default: the sample account)."""
    from sandbox import SandboxServer, sample_account

    server = SandboxServer(account if account is not None else sample_account(), port=0).start()
    return Source("sandbox", f"sandbox at {server.url}", _sandbox_configuration(server), server)


def live_source(region: str = "us", environ: Mapping[str, str] | None = None) -> Source:
    """A real Smartsheet account, with the token from the environment (never from the notebook itself)."""
    environ = os.environ if environ is None else environ
    if not environ.get(TOKEN_ENV, "").strip():
        raise ExploreError(
            f"no Smartsheet token: set the environment variable {TOKEN_ENV} before starting Jupyter "
            "(or use source = 'sandbox' or 'export')"
        )
    if region not in REGIONS:
        raise ExploreError(f"region must be one of {', '.join(REGIONS)}, not {region!r}")
    configuration = {"smartsheet_api_token": environ[TOKEN_ENV].strip(), "region": region}
    return Source("live", f"Smartsheet {region.upper()} ({REGIONS[region]})", configuration)


def export_source(path: str | Path) -> Source:
    """Sheets saved in the API's JSON shape (one file, or a folder of them), served by an in-process sandbox."""
    from sandbox import SandboxServer
    from sandbox.account import empty_account

    path = Path(path)
    account = empty_account()
    account["sheets"] = read_export(path)
    server = SandboxServer(account, port=0).start()
    return Source(
        "export", f"export {path} ({len(account['sheets'])} sheet(s))", _sandbox_configuration(server), server
    )


def read_export(path: Path) -> list[dict]:
    """The sheets in an export: a sheet JSON file, a file holding a list of them or `{"sheets": [...]}`, or a
    folder of such files (a sandbox data directory's `sheets/` included)."""
    if not path.exists():
        raise ExploreError(f"export_path {str(path)!r} does not exist")
    files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
    sheets = []
    for file in files:
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ExploreError(f"export file {file} is not readable JSON: {error}") from None
        items = document.get("sheets", [document]) if isinstance(document, dict) else document
        sheets += [s for s in items if isinstance(s, dict) and "id" in s and "columns" in s]
    if not sheets:
        raise ExploreError(f"export_path {str(path)!r} holds no sheet JSON (files shaped like GET /sheets/{{id}})")
    return sheets


def write_export(source: Source, directory: str | Path, sheets: list[int | str] | None = None) -> Path:
    """Saves sheets (default: all) from `source` as `<directory>/<sheet id>.json`, as the connector fetches them."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ids = [find_sheet(source, s) for s in sheets] if sheets else [int(s["id"]) for s in _listing(source)]
    for sheet_id in ids:
        with _friendly(f"sheet {sheet_id}"):
            sheet = fetch_sheet(source.client, sheet_id)
        (directory / f"{sheet_id}.json").write_text(json.dumps(sheet, ensure_ascii=False), encoding="utf-8")
    return directory


def default_export() -> Path:
    """`samples/` when the project ships sample exports, else the sample account exported to a temporary folder."""
    if SAMPLES_DIR.is_dir() and any(SAMPLES_DIR.rglob("*.json")):
        return SAMPLES_DIR
    with sandbox_source() as sandbox:
        return write_export(sandbox, tempfile.mkdtemp(prefix="sheetsync-export-"))


def _sandbox_configuration(server: Any) -> dict[str, str]:
    return {"smartsheet_api_token": server.token, "base_url": server.url, "retry_backoff_seconds": "0"}


# ---- sheets -----------------------------------------------------------------------------------------------------


def sheet_overview(source: Source, limit: int = 200) -> pl.DataFrame:
    """Every sheet (up to `limit`): rows, columns, version and last modified; one small request per sheet."""
    rows = []
    for item in _listing(source)[:limit]:
        try:
            head = source.client.get(f"/sheets/{item['id']}", {"page": 1, "pageSize": 1})
        except ApiError as error:
            if not error.is_gone:  # listed but unshared or deleted since: the listing's facts are still worth seeing
                raise ExploreError(_api_message(error, f"sheet {item['id']}")) from None
            head = {}
        rows.append(
            {
                "sheet_id": int(item["id"]),
                "name": item.get("name"),
                "rows": head.get("totalRowCount"),
                "columns": len(head["columns"]) if "columns" in head else None,
                "version": item.get("version", head.get("version")),
                "modified_at": item.get("modifiedAt"),
            }
        )
    schema = {"sheet_id": pl.Int64, "name": pl.String, "rows": pl.Int64, "columns": pl.Int64, "version": pl.Int64}
    frame = pl.DataFrame(rows, schema={**schema, "modified_at": pl.String})
    return frame.with_columns(pl.col("modified_at").pipe(parse_utc_datetime))


def find_sheet(source: Source, sheet: int | str | None) -> int:
    """A sheet id from an id or an exact name; None picks the sheet with the most rows."""
    listing = _listing(source)
    if sheet is None or sheet == "":
        if not listing:
            raise ExploreError(f"{source.label} has no sheets this token can read")
        overview = sheet_overview(source).sort(["rows", "sheet_id"], descending=[True, False], nulls_last=True)
        return int(overview["sheet_id"][0])
    if isinstance(sheet, int) or str(sheet).strip().isdigit():
        return int(sheet)
    named = [int(s["id"]) for s in listing if s.get("name") == sheet]
    if len(named) == 1:
        return named[0]
    if named:
        raise ExploreError(f"{len(named)} sheets are called {sheet!r}: set sheet to one of the ids {named}")
    names = ", ".join(sorted({str(s.get("name")) for s in listing})[:20])
    raise ExploreError(f"no sheet called {sheet!r} in {source.label}; sheets: {names}")


@dataclass
class Explored:
    """One sheet as the connector sees it: the API's JSON, the raw frame and the planned (transformed) table."""

    sheet: dict
    raw: pl.DataFrame
    planned: pipeline.PlannedTable
    policy: str

    @property
    def frame(self) -> pl.DataFrame:
        """The transformed frame, as it would land in the warehouse."""
        return self.planned.frame

    @property
    def name(self) -> str:
        return self.planned.sheet_name


def explore_sheet(source: Source, sheet: int | str | None = None) -> Explored:
    """Fetch a sheet and run it through frame → transforms with the project's declaration files, as a sync would."""
    sheet_id = find_sheet(source, sheet)
    with _friendly(f"sheet {sheet_id}"):
        data = fetch_sheet(source.client, sheet_id)
    declared = pipeline.load_declared()
    refs = {int(s["id"]): SheetRef(int(s["id"]), str(s.get("name"))) for s in _listing(source)}
    refs.setdefault(sheet_id, SheetRef(sheet_id, str(data.get("name") or sheet_id)))
    table_name = pipeline.table_names(refs.values(), declared)[sheet_id]  # named among all sheets, as a sync does
    with _friendly(f"sheet {sheet_id}"):
        planned = pipeline.plan_sheet(data, table_name, declared)
    return Explored(data, sheet_frame(data), planned, source.settings.violation_policy)


# ---- column profiles --------------------------------------------------------------------------------------------


def column_profile(explored: Explored) -> pl.DataFrame:
    """Per sheet column: Smartsheet type → destination column and type, fill rate, distinct count, top values, and
    how much of a text column's content reads as numbers or dates (what a declaration could cast it to)."""
    raw, height = explored.raw, explored.raw.height
    rows = []
    for meta in explored.planned.column_rows():
        cell = Cell(cell_column(meta["column_id"]))
        values = raw.select(value=pl.when(cell.raw.str.strip_chars() != "").then(cell.raw)).select(
            filled=pl.col("value").is_not_null().sum(),
            distinct=pl.col("value").drop_nulls().n_unique(),
            numeric=parse_number(pl.col("value")).is_not_null().sum(),
            dates=_as_date(pl.col("value")).is_not_null().sum(),
        )
        filled, distinct, numeric, dates = values.row(0)
        rows.append(
            {
                "title": meta["title"],
                "smartsheet_type": meta["system_column_type"] or meta["type"],
                "column_name": meta["column_name"],
                "destination_type": meta["destination_type"],
                "fill_rate": filled / height if height else 0.0,
                "distinct": distinct,
                "top_values": _top_values(raw, cell),
                "numeric_share": numeric / filled if filled else None,
                "date_share": dates / filled if filled else None,
            }
        )
    profile = pl.DataFrame(rows, schema=_PROFILE_SCHEMA)
    text = pl.col("destination_type") == "STRING"
    inferred = (
        pl.when(~text | pl.col("numeric_share").is_null())
        .then(pl.col("destination_type"))
        .when(pl.col("numeric_share") >= INFERRED_SHARE)
        .then(pl.lit("numbers in text"))
        .when(pl.col("date_share") >= INFERRED_SHARE)
        .then(pl.lit("dates in text"))
        .when(pl.col("numeric_share") >= 0.5)
        .then(pl.format("mostly numbers ({}%)", (pl.col("numeric_share") * 100).round(0).cast(pl.Int64)))
        .when(pl.col("date_share") >= 0.5)
        .then(pl.format("mostly dates ({}%)", (pl.col("date_share") * 100).round(0).cast(pl.Int64)))
        .otherwise(pl.col("destination_type"))
    )
    return profile.with_columns(inferred=inferred)


_PROFILE_SCHEMA = {
    "title": pl.String,
    "smartsheet_type": pl.String,
    "column_name": pl.String,
    "destination_type": pl.String,
    "fill_rate": pl.Float64,
    "distinct": pl.Int64,
    "top_values": pl.String,
    "numeric_share": pl.Float64,
    "date_share": pl.Float64,
}


def _as_date(text: pl.Expr) -> pl.Expr:
    """ISO dates and datetimes, and the common written forms (`03/15/2025`, `15 Mar 2025`)."""
    text = text.str.strip_chars()
    written = [text.str.to_date(f, strict=False) for f in _US_DATES]
    return pl.coalesce(parse_date(text), parse_utc_datetime(text).dt.date(), parse_naive_datetime(text), *written)


def _top_values(raw: pl.DataFrame, cell: Cell) -> str:
    counts = (
        raw.select(value=pl.coalesce(cell.field("display"), cell.raw))
        .drop_nulls()
        .group_by("value")
        .len()
        .sort(["len", "value"], descending=[True, False])
        .head(TOP_VALUES)
    )
    return ", ".join(f"{_short(v)} ({n})" for v, n in counts.iter_rows())


def _short(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def hierarchy_depths(frame: pl.DataFrame) -> pl.DataFrame:
    """Each row's depth in the sheet's hierarchy (0: top level), following `parent_id` one level per step."""
    links = frame.select(pl.col("row_id").alias("up"), pl.col("parent_id").alias("next"))
    walk = frame.select("row_id", pl.col("parent_id").alias("up"), depth=pl.lit(0, pl.Int64))
    for _ in range(frame.height):  # a cycle cannot make it loop forever
        if walk["up"].null_count() == walk.height:
            break
        walk = walk.with_columns(pl.col("depth") + pl.col("up").is_not_null().cast(pl.Int64))
        walk = walk.join(links, on="up", how="left", maintain_order="left").select("row_id", up="next", depth="depth")
    return walk.select("row_id", "depth")


# ---- contracts and suggestions ----------------------------------------------------------------------------------


@dataclass
class ContractResult:
    validation: Validation
    violations: pl.DataFrame
    failing_rows: pl.DataFrame

    @property
    def line(self) -> str:
        v = self.validation
        held = "kept from the warehouse" if v.failed else f"{self.failing_rows.height} failing row(s)"
        return f"{len(v.violations)} violation(s), policy {v.policy}: {held}"


def contract_result(explored: Explored, policy: str | None = None) -> ContractResult:
    """The sheet's contracts (base + its file) as the sync checks them, with the rows that fail them."""
    validation = pipeline.validate(explored.planned, policy or explored.policy)
    violations = pl.DataFrame(
        [v.__dict__ for v in validation.violations],
        schema={"sheet": pl.Int64, "row_id": pl.Int64, "column": pl.String, "check": pl.String, "value": pl.String},
    ).drop("sheet")
    failed = violations.group_by("row_id").agg(violations=pl.concat_str("column", pl.lit(": "), "check"))
    failing = explored.frame.join(failed, on="row_id", how="inner", maintain_order="left")
    return ContractResult(validation, violations, failing)


def suggested_declarations(explored: Explored) -> scaffold.Scaffold:
    """The starter declaration and contract `python -m sheetsync scaffold` would write for this sheet, inferred
    from its data (types, nullability, allowed values, ranges); save them under transforms/sheets and schemas/sheets."""
    return scaffold.infer(explored.sheet, f"sheet {explored.sheet.get('id')} explored in a notebook")


# ---- plots ------------------------------------------------------------------------------------------------------


def plot_fill_rate(profile: pl.DataFrame) -> Figure:
    """How full each column is (share of rows with a value)."""
    fig = Figure(figsize=(7, 0.3 * max(profile.height, 3) + 1), label="fill_rate")
    ax = fig.subplots()
    labels = [c or t for c, t in zip(profile["column_name"], profile["title"], strict=True)]
    ax.barh(labels[::-1], profile["fill_rate"].to_list()[::-1], color="tab:blue")
    ax.set_xlim(0, 1)
    ax.set_xlabel("fill rate")
    ax.set_title("Fill rate per column")
    fig.tight_layout()
    return fig


def numeric_columns(explored: Explored) -> pl.DataFrame:
    """Numeric destination columns, plus text columns that read as numbers (parsed as a declaration would)."""
    frame = explored.frame
    numeric = [n for n, t in frame.schema.items() if t.is_numeric() and n not in SYSTEM_NUMBERS]
    profile = column_profile(explored).filter(pl.col("inferred") == "numbers in text")
    texts = [n for n in profile["column_name"].to_list() if n in frame.columns]
    return frame.select(*numeric, *[parse_number(pl.col(n)).alias(f"{n} (parsed)") for n in texts])


def date_columns(explored: Explored) -> pl.DataFrame:
    """Date and datetime destination columns, plus text columns that read as dates."""
    frame = explored.frame
    dates = [n for n, t in frame.schema.items() if t.is_temporal()]
    profile = column_profile(explored).filter(pl.col("inferred") == "dates in text")
    texts = [n for n in profile["column_name"].to_list() if n in frame.columns]
    typed = [pl.col(n).cast(pl.Datetime("us")) if frame.schema[n] == pl.Date else pl.col(n) for n in dates]
    parsed = [_as_date(pl.col(n)).cast(pl.Datetime("us")).alias(f"{n} (parsed)") for n in texts]
    return frame.select(
        *[e.dt.replace_time_zone(None) if _is_aware(frame, n) else e for e, n in zip(typed, dates, strict=True)],
        *parsed,
    )


def _is_aware(frame: pl.DataFrame, name: str) -> bool:
    dtype = frame.schema[name]
    return isinstance(dtype, pl.Datetime) and dtype.time_zone is not None


def plot_distributions(columns: pl.DataFrame, label: str, title: str) -> Figure:
    """One histogram per column of `columns` (numbers or dates); a note when there is nothing to plot."""
    names = [n for n in columns.columns if columns[n].drop_nulls().len() > 0]
    cols = min(3, max(len(names), 1))
    rows = max(1, -(-len(names) // cols))
    fig = Figure(figsize=(4 * cols, 2.8 * rows), label=label)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, name in zip(axes, names, strict=False):
        ax.hist(columns[name].drop_nulls().to_numpy(), bins=min(20, max(columns[name].n_unique(), 2)))
        ax.set_title(name, fontsize=9)
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    for ax in axes[len(names) :]:
        ax.axis("off")
    if not names:
        axes[0].text(0.5, 0.5, "no columns of this kind", ha="center", va="center")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_numeric_distributions(explored: Explored) -> Figure:
    return plot_distributions(numeric_columns(explored), "numeric_distributions", "Numeric columns")


def plot_date_distributions(explored: Explored) -> Figure:
    return plot_distributions(date_columns(explored), "date_distributions", "Date columns")


def plot_hierarchy(depths: pl.DataFrame) -> Figure:
    """How many rows sit at each depth of the hierarchy."""
    counts = depths.group_by("depth").len().sort("depth")
    fig = Figure(figsize=(6, 3), label="hierarchy_depth")
    ax = fig.subplots()
    ax.bar(counts["depth"].to_list(), counts["len"].to_list(), color="tab:green")
    ax.set_xticks(counts["depth"].to_list())
    ax.set_xlabel("depth (0 = top level)")
    ax.set_ylabel("rows")
    ax.set_title("Hierarchy depth")
    fig.tight_layout()
    return fig


def show(fig: Figure) -> None:
    """Displays a figure as a PNG, tagged with its name (the tests look for it); needs no matplotlib backend."""
    from IPython.display import Image, display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    display(Image(data=buffer.getvalue(), format="png"), metadata={"figure": fig.get_label()})


# ---- preview of the next sync -----------------------------------------------------------------------------------


class _RecordingPreview(PreviewEmitter):
    """A `PreviewEmitter` that also keeps the few bookkeeping rows the per-sheet summary needs."""

    KEPT = ("sheets", "contract_violations")

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[dict]] = {table: [] for table in self.KEPT}

    def _upsert(self, table: str, row: dict) -> None:
        if table in self.rows:
            self.rows[table].append(row)


@dataclass
class Preview:
    """What the next sync would do, per sheet, and the sync's own summary line (or why it would fail)."""

    sheets: pl.DataFrame
    summary: str
    failure: str | None
    warnings: list[str]
    emitter: PreviewEmitter


def load_configuration(path: str | Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ExploreError(f"configuration file {str(path)!r} cannot be read: {error.strerror}") from None
    except ValueError as error:
        raise ExploreError(f"configuration file {str(path)!r} is not valid JSON: {error}") from None


def load_state(path: str | Path | None = None) -> dict:
    """The state a sync would resume from: `path`, else the demo's `files/state.json`, else empty (a first sync)."""
    path = Path(path) if path else DEMO_STATE
    if not path.exists():
        if path != DEMO_STATE:
            raise ExploreError(f"state file {str(path)!r} does not exist")
        return {}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ExploreError(f"state file {str(path)!r} is not valid JSON: {error}") from None
    try:
        SyncState.from_json(state)
    except StateError as error:
        raise ExploreError(
            f"state file {str(path)!r} cannot be used ({error}); a sync from it would re-sync every sheet in full"
        ) from None
    return state


def preview_next_sync(configuration: Mapping[str, Any], state: Mapping[str, Any] | None = None) -> Preview:
    """Runs the sync (`sheetsync.sync.run`) against `state` with an emitter that sends nothing."""
    from sheetsync.plan import build_plan
    from sheetsync.sync import SyncFailed, run

    _quiet_sdk_logging()
    configuration = {k: str(v) for k, v in configuration.items()}
    with _friendly():
        settings = load_settings(configuration)
        plan = build_plan(settings)
    emitter = _RecordingPreview()
    failure = None
    try:
        summary = run(configuration, dict(state or {}), emitter, plan=plan).line()
    except SyncFailed as error:
        failure, summary = str(error), "the sync would fail (see failure); every other sheet would still be sent"
    finally:
        plan.client.close()
    try:
        previous = SyncState.from_json(state or {}).sheets
    except StateError:  # the sync itself warns and starts over; every sheet shows as a first sync
        previous = {}
    sent = {row["sheet_id"] for row in emitter.rows["sheets"]}
    rows = []
    for result in plan.sheets:
        sid, before = result.ref.id, previous.get(result.ref.id)
        table = result.table.name if result.table is not None else result.table_name
        action = _action(result, sid in sent, failure)
        rows.append(
            {
                "sheet_id": sid,
                "name": result.ref.name,
                "table": table,
                "action": action,
                "version_before": before.version if before else None,
                "version_now": result.version,
                "upserts": emitter.counts["upsert", table] if action == "sync" else 0,
                "deletes": emitter.counts["delete", table] if action == "sync" else 0,
                "violations": _open_violations(emitter, sid),
                "problem": str(result.error) if result.error is not None else None,
            }
        )
    frame = pl.DataFrame(rows, schema=_PREVIEW_SCHEMA)
    return Preview(frame, summary, failure, list(emitter.warnings), emitter)


def plot_preview(preview: Preview) -> Figure:
    """Rows the next sync would upsert and delete, per sheet (skipped sheets show no bar)."""
    sheets = preview.sheets
    labels = [f"{n} ({t})" for n, t in zip(sheets["name"], sheets["table"], strict=True)][::-1]
    fig = Figure(figsize=(8, 0.35 * max(sheets.height, 3) + 1.2), label="next_sync")
    ax = fig.subplots()
    ax.barh(labels, sheets["upserts"].to_list()[::-1], color="tab:blue", label="upserts")
    ax.barh(labels, [-d for d in sheets["deletes"].to_list()[::-1]], color="tab:red", label="deletes")
    ax.axvline(0, color="black", linewidth=0.5)
    ax.set_xlabel("rows (deletes to the left)")
    ax.set_title("Next sync per sheet")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


_PREVIEW_SCHEMA = {
    "sheet_id": pl.Int64,
    "name": pl.String,
    "table": pl.String,
    "action": pl.String,
    "version_before": pl.Int64,
    "version_now": pl.Int64,
    "upserts": pl.Int64,
    "deletes": pl.Int64,
    "violations": pl.Int64,
    "problem": pl.String,
}


def _open_violations(emitter: _RecordingPreview, sheet_id: int) -> int:
    return sum(1 for r in emitter.rows["contract_violations"] if r["sheet_id"] == sheet_id and not r["resolved"])


def _action(result: Any, sent: bool, failure: str | None) -> str:
    """What the sync does with a sheet, in the words of `sheetsync.sync`."""
    if result.error is not None:
        return "keep rows (sheet unreadable)" if getattr(result.error, "is_gone", False) else "fail"
    if failure and f"sheet {result.ref.id} (" in failure:
        return "fail (contract)"
    return "sync" if sent else "skip (version unchanged)"


def _quiet_sdk_logging() -> None:
    """Outside Fivetran's runner the SDK logger has no level (and raises); show warnings and worse."""
    from fivetran_connector_sdk import Logging

    if Logging.LOG_LEVEL is None:
        Logging.LOG_LEVEL = Logging.Level.WARNING


# ---- errors -----------------------------------------------------------------------------------------------------


def _listing(source: Source) -> list[dict]:
    with _friendly():
        return list_sheets(source.client)


@contextmanager
def _friendly(subject: str | None = None) -> Iterator[None]:
    """Turns the connector's expected errors into an `ExploreError` that says what to change."""
    try:
        yield
    except ConfigurationError as error:
        raise ExploreError(f"{error} (set it in the configuration, or the token in {TOKEN_ENV})") from None
    except ApiError as error:
        raise ExploreError(_api_message(error, subject)) from None
    except (DeclarationError, StateError) as error:
        raise ExploreError(f"{subject + ': ' if subject else ''}{error}") from None


def _api_message(error: ApiError, subject: str | None) -> str:
    if error.is_auth:
        return f"the token was refused (HTTP 401, errorCode {error.error_code}): check {TOKEN_ENV} or the configuration"
    if error.is_gone and subject:
        return f"{subject} is not readable with this token (HTTP {error.status}: {error.message}); pick an id listed"
    if error.status == 0:
        return f"the Smartsheet API does not answer ({error.message}): is the source running?"
    return str(error)


def friendly_errors() -> None:
    """In IPython: an `ExploreError` ends the cell with its one-line message instead of a traceback."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return

    def show_one_line(shell, etype, value, tb, tb_offset=None):  # IPython's custom exception handler signature
        stb = [f"{etype.__name__}: {value}"]
        shell._showtraceback(etype, value, stb)  # IPython leaves showing a custom exception to its handler
        return stb

    shell.set_custom_exc((ExploreError,), show_one_line)
