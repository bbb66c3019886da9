"""Medians across runs, the issue's targets checked against them, and the printed table."""

from __future__ import annotations

import os
import platform
import statistics
from pathlib import Path

import polars as pl

TITLES = {
    "1": "first sync, large sheet",
    "2": "re-sync, nothing changed",
    "3": "re-sync, 1%/0.5%/0.5% + formula 10%",
    "4": "first sync, many sheets, latency",
}
FIGURES = (
    "wall_s",
    "cpu_s",
    "connector_cpu_s",
    "http_cpu_s",
    "op_cpu_s",
    "requests",
    "bytes_received",
    "rows_upserted",
    "rows_deleted",
    "ops_upsert",
    "ops_delete",
    "peak_rss_mb",
    "rss_at_start_mb",
    "tracked_rows",
    "state_bytes_per_row",
    "state_rows_bytes_per_row",
    "max_requests_per_60s",
    "sheets_checked",
    "sheets_fetched",
)


def machine() -> dict:
    model = next(
        (line.split(":", 1)[1].strip() for line in _cpuinfo() if line.startswith("model name")), platform.processor()
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "polars": pl.__version__,
        "platform": platform.platform(),
    }


def _cpuinfo() -> list[str]:
    path = Path("/proc/cpuinfo")
    return path.read_text().splitlines() if path.exists() else []


def _median(results: list[dict], key: str) -> float | None:
    values = [_get(r, key) for r in results]
    values = [v for v in values if isinstance(v, (int, float))]
    return statistics.median(values) if values else None


def _get(result: dict, key: str):
    for part in key.split("."):
        result = result.get(part) if isinstance(result, dict) else None
    return result


def summarise(raw: dict[str, list[dict]]) -> dict:
    """Per scenario: the median of every figure over the runs, derived ratios, and the targets met or not."""
    out = {}
    for name, results in raw.items():
        figures = {key: _median(results, key) for key in FIGURES}
        for nested in ("floor", "naive", "serial", "truth"):
            for key in sorted({k for r in results for k in (r.get(nested) or {})}):
                figures[f"{nested}.{key}"] = _median(results, f"{nested}.{key}")
        tracked = figures["tracked_rows"] or 0
        figures["connector_us_per_tracked_row"] = (
            figures["connector_cpu_s"] * 1e6 / tracked if tracked and figures["connector_cpu_s"] is not None else None
        )
        floor = figures.get("floor.floor_cpu_s")
        figures["overhead_vs_floor"] = _overhead(results)
        figures["floor_us_per_row"] = floor * 1e6 / figures["floor.floor_upserts"] if floor else None
        if name == "4":
            figures["speedup_vs_serial"] = _median(results, "speedup_vs_serial")
        if name == "2":
            figures["requests_per_sheet"] = _median([{"v": r["requests"] / r["sheets_checked"]} for r in results], "v")
        targets = _targets(name, results)
        out[name] = {"title": TITLES[name], "runs": len(results), "figures": figures, "targets": targets}
    return out


def _overhead(results: list[dict]) -> float | None:
    """Median of connector CPU / SDK floor CPU for the same rows (runs with a floor only)."""
    ratios = [{"v": r["connector_cpu_s"] / f} for r in results if (f := _get(r, "floor.floor_cpu_s"))]
    return _median(ratios, "v")


def _targets(name: str, results: list[dict]) -> list[dict]:
    """Each target with its measured figure (the worst run where 'never' applies, else the median)."""

    def target(what: str, measured, limit: str, ok: bool) -> dict:
        return {"target": what, "measured": measured, "limit": limit, "met": bool(ok)}

    median = lambda key: _median(results, key)  # noqa: E731
    targets = []
    if name == "1":
        ratio = _overhead(results)
        targets.append(target("connector overhead / SDK floor", ratio, "<= 0.25", ratio is not None and ratio <= 0.25))
        rss = median("peak_rss_mb")
        targets.append(target("peak RSS (MB)", rss, "<= 400", rss <= 400))
    if name == "2":
        sent = max(r["ops_upsert"] + r["ops_delete"] for r in results)
        targets.append(target("rows sent (all tables, worst run)", sent, "== 0", sent == 0))
        per_sheet = max(r["requests"] / r["sheets_checked"] for r in results)
        targets.append(target("requests per sheet (worst run)", per_sheet, "<= 2", per_sheet <= 2))
        cpu = median("connector_cpu_s")
        targets.append(target("connector CPU (s)", cpu, "< 2", cpu < 2))
    if name == "3":
        exact = all(
            r["rows_upserted"] == r["truth"]["upserts"] and r["rows_deleted"] == r["truth"]["deletes"] for r in results
        )
        shown = [
            f"{r['rows_upserted']}/{r['truth']['upserts']} up, {r['rows_deleted']}/{r['truth']['deletes']} del"
            for r in results
        ]
        targets.append(target("rows sent / rows changed (every run)", "; ".join(shown), "equal", exact))
    if name == "4":
        speedup = median("speedup_vs_serial")
        targets.append(target("speed-up vs one sheet at a time", speedup, ">= 4", speedup >= 4))
        window = max(max(r["max_requests_per_60s"], r["serial"]["max_requests_per_60s"]) for r in results)
        targets.append(target("max requests in any 60 s (worst run)", window, "<= 300", window <= 300))
    if name in ("1", "3"):
        per_row = median("state_bytes_per_row")
        targets.append(target("state bytes per tracked row", per_row, "<= 16", per_row is not None and per_row <= 16))
    return targets


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


ROWS = (
    ("wall (s)", "wall_s"),
    ("process CPU (s)", "cpu_s"),
    ("  connector CPU (s), excl. op.* and HTTP", "connector_cpu_s"),
    ("  HTTP client CPU (s), incl. JSON parse", "http_cpu_s"),
    ("  op.* CPU (s)", "op_cpu_s"),
    ("connector µs per tracked row", "connector_us_per_tracked_row"),
    ("SDK floor: op.upsert CPU (s) for the same rows", "floor.floor_cpu_s"),
    ("SDK floor µs per row", "floor_us_per_row"),
    ("connector overhead / floor", "overhead_vs_floor"),
    ("requests", "requests"),
    ("max requests in any 60 s", "max_requests_per_60s"),
    ("bytes received", "bytes_received"),
    ("sheet rows upserted", "rows_upserted"),
    ("sheet rows deleted", "rows_deleted"),
    ("operations: upserts (all tables)", "ops_upsert"),
    ("operations: deletes (all tables)", "ops_delete"),
    ("rows changed at the source (truth)", "truth.upserts"),
    ("rows deleted at the source (truth)", "truth.deletes"),
    ("peak RSS (MB)", "peak_rss_mb"),
    ("  RSS after imports, before the sync (MB)", "rss_at_start_mb"),
    ("state bytes per tracked row (whole state)", "state_bytes_per_row"),
    ("state bytes per tracked row (row hashes)", "state_rows_bytes_per_row"),
    ("naive (no diff): wall (s)", "naive.wall_s"),
    ("naive (no diff): process CPU (s)", "naive.cpu_s"),
    ("naive (no diff): sheet rows upserted", "naive.rows_upserted"),
    ("naive (no diff): SDK floor CPU (s)", "naive.floor_cpu_s"),
    ("one sheet at a time: wall (s)", "serial.wall_s"),
    ("one sheet at a time: max requests in 60 s", "serial.max_requests_per_60s"),
    ("speed-up vs one sheet at a time", "speedup_vs_serial"),
    ("requests per sheet", "requests_per_sheet"),
)


def table(document: dict) -> str:
    """A plain-text table (also valid Markdown): one column per scenario, medians; then the targets."""
    scenarios = document["scenarios"]
    names = sorted(scenarios)
    header = [f"figure (median of {document['runs']} run(s))"] + [f"{n}. {scenarios[n]['title']}" for n in names]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for label, key in ROWS:
        values = [scenarios[n]["figures"].get(key) for n in names]
        if all(v is None for v in values):
            continue
        lines.append("| " + " | ".join([label] + [_fmt(v) for v in values]) + " |")
    lines += ["", "| scenario | target | limit | measured | met |", "|---|---|---|---|---|"]
    for n in names:
        for t in scenarios[n]["targets"]:
            met = "yes" if t["met"] else "**no**"
            lines.append(f"| {n} | {t['target']} | {t['limit']} | {_fmt(t['measured'])} | {met} |")
    m = document["machine"]
    lines += ["", f"{document['date']}; {m['nproc']} CPU(s) {m['cpu']}; Python {m['python']}; Polars {m['polars']}"]
    return "\n".join(lines)
