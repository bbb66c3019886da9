"""One measured sync in a fresh process: `python -m bench.worker SPEC.json OUT.json`.

A fresh process per measurement, so peak RSS is this sync's own high-water mark and no Polars/SDK cache carries over.
The sandbox runs in another process, so `time.process_time()` here is connector-side CPU (plus the SDK's `op.*` and the
HTTP client, which are measured separately and subtracted: `SmartsheetClient.get` and the `Emitter._upsert/_delete/...`
hooks are timed with per-thread CPU clocks).

The connector is driven the way the SDK's runner drives it (`fivetran_connector_sdk_cli.core_adapter`): the SDK's
`Connector.get_schema` calls our `schema()` (which plans the sync and declares the tables, so the SDK coerces every
value to its declared type), a sink is installed with `runtime.install`, and `sheetsync.sync.run` runs `update()` with
an `SdkEmitter` whose operations go through `fivetran_connector_sdk.Operations` into a no-op sink instead of DuckDB. The
runner's renaming and DuckDB writing are left out on purpose: they are the local runner's cost, not production's.

Modes:
- `sync`: the measured sync;
- `floor`: the same sync without operations (rows captured), then the captured rows replayed through
  `Operations.upsert`/`delete` into the no-op sink: the SDK's own cost for exactly these rows.
"""

from __future__ import annotations

import json
import resource
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


class NoopSink:
    """The SDK core's Sink protocol, discarding records; keeps the last checkpointed state."""

    def __init__(self) -> None:
        self.records = 0
        self.state_json: str | None = None

    def record(self, record) -> None:
        self.records += 1

    def truncate(self, truncate) -> None: ...
    def file_chunk(self, chunk) -> None: ...
    def warning(self, warning) -> None: ...
    def task(self, task) -> None: ...

    def checkpoint(self, checkpoint) -> None:
        self.state_json = checkpoint.state_json


class CpuMeter:
    """Per-thread CPU seconds spent inside wrapped calls, summed across threads."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._lock = threading.Lock()

    def wrap(self, function):
        def timed(*args, **kwargs):
            started = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.thread_time() - started
                with self._lock:
                    self.seconds += spent
                    self.calls += 1

        return timed


def _peak_rss_mb() -> float:
    """This process's peak RSS. `VmHWM`, not `ru_maxrss`: Linux carries ru_maxrss across exec from the parent."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux, bytes on macOS


def main(spec_path: str, out_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    rss_before_import = _peak_rss_mb()
    import fivetran_connector_sdk  # noqa: F401  (imports paid before the clock starts, as in the runner)
    from fivetran_connector_sdk import Logging
    from fivetran_connector_sdk_cli import runtime, schema_processing
    from fivetran_connector_sdk_cli.operations import Operations

    import connector as connector_module
    from sheetsync import api, sync
    from sheetsync.emit import SdkEmitter

    Logging.LOG_LEVEL = Logging.Level.WARNING  # the runner logs at INFO; printing is not what is measured here
    http, ops = CpuMeter(), CpuMeter()
    api.SmartsheetClient.get = http.wrap(api.SmartsheetClient.get)
    capture = spec["mode"] == "floor"
    captured: list[tuple[str, str, dict]] = []

    class BenchEmitter(SdkEmitter):
        """SdkEmitter with every operation's CPU measured (or, in floor mode, captured for the replay)."""

        def _upsert(self, table, row):
            if capture:
                captured.append(("upsert", table, row))
            else:
                ops.wrap(super()._upsert)(table, row)

        def _delete(self, table, key):
            if capture:
                captured.append(("delete", table, key))
            else:
                ops.wrap(super()._delete)(table, key)

        def _truncate(self, table):
            ops.wrap(super()._truncate)(table)

        def _checkpoint(self, state):
            ops.wrap(super()._checkpoint)(state)

        def _warning(self, message):
            ops.wrap(super()._warning)(message)

    configuration = spec["configuration"]
    state = json.loads(Path(spec["state_in"]).read_text()) if spec.get("state_in") else {}
    sink = NoopSink()
    rss_start = _peak_rss_mb()
    profiler = None
    if spec.get("profile"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    schema_processing.reset()
    connector_module.connector.get_schema(configuration)  # our schema(): plan + declarations, as the runner calls it
    runtime.install(sink)
    emitter = BenchEmitter()
    report = sync.run(configuration, state, emitter)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(spec["profile"])
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    peak_rss = _peak_rss_mb()

    result = {
        "mode": spec["mode"],
        "wall_s": wall,
        "cpu_s": cpu,
        "http_cpu_s": http.seconds,
        "http_calls": http.calls,
        "op_cpu_s": ops.seconds,
        "op_calls": ops.calls,
        "connector_cpu_s": cpu - http.seconds - ops.seconds,
        "peak_rss_mb": peak_rss,
        "rss_at_start_mb": rss_start,
        "rss_interpreter_mb": rss_before_import,
        "sheets_checked": report.checked,
        "sheets_skipped": report.skipped,
        "sheets_fetched": report.fetched,
        "rows_upserted": report.upserted,
        "rows_deleted": report.deleted,
        "rows_unchanged": report.unchanged,
        "ops_upsert": emitter.total("upsert"),
        "ops_delete": emitter.total("delete"),
        "per_sheet": report.per_sheet,
    }
    if sink.state_json is not None:
        Path(spec["state_out"]).write_text(sink.state_json)
        result.update(_state_size(sink.state_json))
    if capture:
        result.update(_replay(captured, Operations, runtime))
    Path(out_path).write_text(json.dumps(result))
    return 0


def _state_size(state_json: str) -> dict:
    """Bytes of the checkpointed state, per tracked sheet row (whole state, and the packed row hashes alone)."""
    from sheetsync.state import SyncState

    state = json.loads(state_json)
    tracked = sum(s.row_count for s in SyncState.from_json(state).sheets.values())
    rows_bytes = sum(len(s["rows"]) for s in state["sheets"].values())
    return {
        "state_bytes": len(state_json),
        "state_rows_bytes": rows_bytes,
        "tracked_rows": tracked,
        "state_bytes_per_row": len(state_json) / tracked if tracked else None,
        "state_rows_bytes_per_row": rows_bytes / tracked if tracked else None,
    }


def _replay(captured: list, operations, runtime) -> dict:
    """The SDK floor: exactly the captured operations through `Operations` into a fresh no-op sink."""
    runtime.install(NoopSink())
    upserts = [(table, row) for kind, table, row in captured if kind == "upsert"]
    deletes = [(table, key) for kind, table, key in captured if kind == "delete"]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for table, row in upserts:
        operations.upsert(table=table, data=row)
    for table, key in deletes:
        operations.delete(table=table, keys=key)
    return {
        "floor_cpu_s": time.process_time() - cpu0,
        "floor_wall_s": time.perf_counter() - wall0,
        "floor_upserts": len(upserts),
        "floor_deletes": len(deletes),
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
