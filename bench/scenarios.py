"""The four scenarios of issue 7, each measured in fresh worker processes against a sandbox process."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.sandboxes import ROOT, SandboxProcess
from sandbox.generator import LARGE_SHEET


@dataclass(frozen=True)
class Sizes:
    large_rows: int = 20_000
    resync_sheets: int = 50
    wide_sheets: int = 200
    latency_ms: float = 150.0


FULL = Sizes()
QUICK = Sizes(large_rows=5_000, resync_sheets=20, wide_sheets=50)


class Workdir:
    """Spec, result and state files of the worker processes."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="bench-")
        self.path = Path(self._tmp.name)
        self._n = 0

    def file(self, stem: str) -> Path:
        self._n += 1
        return self.path / f"{self._n:04d}-{stem}"

    def cleanup(self) -> None:
        self._tmp.cleanup()


def run_worker(
    work: Workdir, sandbox: SandboxProcess, configuration: dict, mode: str = "sync", state_in: Path | None = None
) -> dict:
    """One sync in a fresh process; adds what the sandbox saw: requests, bytes sent, max requests in any 60 s."""
    spec, out, state_out = work.file("spec.json"), work.file("result.json"), work.file("state.json")
    spec.write_text(
        json.dumps(
            {
                "mode": mode,
                "configuration": configuration,
                "state_in": str(state_in) if state_in else None,
                "state_out": str(state_out),
            }
        )
    )
    sandbox.remote.clear_requests()
    completed = subprocess.run(
        [sys.executable, "-m", "bench.worker", str(spec), str(out)], cwd=ROOT, capture_output=True, text=True
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench worker ({mode}) failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-4000:]}")
    result = json.loads(out.read_text())
    log = [r for r in sandbox.remote.requests() if not r["path"].startswith("/_sandbox")]
    result["requests"] = len(log)
    result["bytes_received"] = sum(r["bytes"] for r in log)
    result["max_requests_per_60s"] = max_in_window(sorted(r["at"] for r in log), 60.0)
    result["state_file"] = str(state_out) if state_out.exists() else None
    return result


def max_in_window(times: list[float], window: float) -> int:
    """The most timestamps (sorted) that fall within any `window` seconds."""
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


Progress = Callable[[str], None]


def first_sync_large(work: Workdir, sandbox: SandboxProcess, runs: int, say: Progress) -> tuple[list[dict], Path]:
    """Scenario 1: first sync of the large sheet (every column type), with the SDK floor for the same rows."""
    sheet_id = sandbox.remote.sheet_id(LARGE_SHEET)
    configuration = sandbox.configuration(sheet_ids=str(sheet_id))
    results, state = [], None
    for n in range(runs):
        say(f"scenario 1 run {n + 1}/{runs}")
        result = run_worker(work, sandbox, configuration)
        floor = run_worker(work, sandbox, configuration, mode="floor")
        result["floor"] = _floor_fields(floor)
        result["naive"] = _baseline_fields(result)  # a first sync has nothing to diff: naive = measured
        state = Path(result["state_file"])
        results.append(result)
    return results, state


def resync_unchanged(work: Workdir, sandbox: SandboxProcess, runs: int, say: Progress) -> list[dict]:
    """Scenario 2: re-sync of a many-sheet account where nothing changed; naive = the same sync from empty state."""
    configuration = sandbox.configuration()
    say("scenario 2 set-up: first sync")
    setup = run_worker(work, sandbox, configuration)
    state = Path(setup["state_file"])
    results = []
    for n in range(runs):
        say(f"scenario 2 run {n + 1}/{runs}")
        result = run_worker(work, sandbox, configuration, state_in=state)
        naive = run_worker(work, sandbox, configuration)
        floor = run_worker(work, sandbox, configuration, mode="floor")
        result["naive"] = {**_baseline_fields(naive), "floor_cpu_s": floor["floor_cpu_s"]}
        result["floor"] = {"floor_cpu_s": 0.0, "floor_upserts": 0, "floor_deletes": 0}  # nothing to send
        result["sheets"] = result["sheets_checked"]
        results.append(result)
    return results


def resync_changed(work: Workdir, sandbox: SandboxProcess, state: Path, runs: int, say: Progress) -> list[dict]:
    """Scenario 3: 1 % of rows edited, 0.5 % deleted, 0.5 % added, a formula column recalculated on 10 %."""
    sheet_id = sandbox.remote.sheet_id(LARGE_SHEET)
    configuration = sandbox.configuration(sheet_ids=str(sheet_id))
    results = []
    for n in range(runs):
        say(f"scenario 3 run {n + 1}/{runs}")
        before = sandbox.remote.sheet(sheet_id)
        applied = mutate(sandbox, sheet_id, before, seed=7 + n)
        truth = changed_rows(before, sandbox.remote.sheet(sheet_id))
        result = run_worker(work, sandbox, configuration, state_in=state)
        floor = run_worker(work, sandbox, configuration, mode="floor", state_in=state)
        naive = run_worker(work, sandbox, configuration)
        result.update(applied=applied, truth=truth, floor=_floor_fields(floor), naive=_baseline_fields(naive))
        state = Path(result["state_file"])
        results.append(result)
    return results


def wide_first_sync(work: Workdir, sandbox: SandboxProcess, runs: int, say: Progress) -> list[dict]:
    """Scenario 4: first sync of a many-sheet account with latency, parallel (default workers) and one at a time."""
    results = []
    for n in range(runs):
        say(f"scenario 4 run {n + 1}/{runs}: default workers")
        result = run_worker(work, sandbox, sandbox.configuration())
        say(f"scenario 4 run {n + 1}/{runs}: one sheet at a time")
        serial = run_worker(work, sandbox, sandbox.configuration(max_workers="1"))
        result["serial"] = {
            **_baseline_fields(serial),
            "requests": serial["requests"],
            "max_requests_per_60s": serial["max_requests_per_60s"],
        }
        result["naive"] = _baseline_fields(result)
        result["speedup_vs_serial"] = serial["wall_s"] / result["wall_s"]
        results.append(result)
    return results


def mutate(sandbox: SandboxProcess, sheet_id: int, sheet: dict, seed: int) -> dict:
    """Applies the scenario-3 edit mix through the control API; deletes are leaf rows from the bottom up."""
    rng = random.Random(seed)
    rows = sheet["rows"]
    n = len(rows)
    parents = {r.get("parentId") for r in rows}
    deleted = [r["id"] for r in reversed(rows) if r["id"] not in parents][: max(1, n // 200)]
    alive = [r["id"] for r in rows if r["id"] not in set(deleted)]
    rng.shuffle(alive)
    edited = alive[: max(1, n // 100)]
    recalculated = alive[len(edited) : len(edited) + max(1, n // 10)]
    remote = sandbox.remote
    for row_id in deleted:
        remote.delete_row(sheet_id, row_id)
    for k, row_id in enumerate(edited):
        remote.edit_cell(sheet_id, row_id, "Name", f"edited {seed}-{k}")
    remote.recalculate(sheet_id, "Amount", {str(row_id): -(k + 1.25) for k, row_id in enumerate(recalculated)})
    added = max(1, n // 200)
    for k in range(added):
        remote.add_row(sheet_id, {"Name": f"added {seed}-{k}", "Amount": k})
    return {"edited": len(edited), "deleted": len(deleted), "added": added, "recalculated": len(recalculated)}


_ROW_FIELDS = ("rowNumber", "parentId", "createdAt", "modifiedAt", "createdBy", "modifiedBy")
_CELL_FIELDS = ("value", "objectValue", "hyperlink")


def changed_rows(before: dict, after: dict) -> dict:
    """Ground truth from the sandbox's own JSON: rows whose table-relevant fields differ, rows gone, rows new."""

    def canonical(row: dict) -> str:
        cells = sorted(
            ([c["columnId"], *(c.get(f) for f in _CELL_FIELDS)] for c in row.get("cells") or []), key=lambda c: c[0]
        )
        cells = [c for c in cells if any(v is not None for v in c[1:])]
        return json.dumps([[row.get(f) for f in _ROW_FIELDS], cells], sort_keys=True, default=str)

    old = {r["id"]: canonical(r) for r in before["rows"]}
    new = {r["id"]: canonical(r) for r in after["rows"]}
    changed = sum(1 for rid, text in new.items() if old.get(rid) != text)
    return {"upserts": changed, "deletes": len(old.keys() - new.keys()), "rows_after": len(new)}


def _floor_fields(floor: dict) -> dict:
    return {k: floor[k] for k in ("floor_cpu_s", "floor_wall_s", "floor_upserts", "floor_deletes")}


def _baseline_fields(result: dict) -> dict:
    keys = ("wall_s", "cpu_s", "connector_cpu_s", "op_cpu_s", "http_cpu_s", "rows_upserted", "rows_deleted")
    return {k: result[k] for k in (*keys, "requests", "bytes_received") if k in result}
