"""The benchmark runs end to end on tiny sizes and its JSON carries every figure the issue asks for (no timings
are asserted: speed is the benchmark's own output, not a test)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PER_SCENARIO = (
    "wall_s",
    "connector_cpu_s",
    "connector_us_per_tracked_row",
    "requests",
    "bytes_received",
    "rows_upserted",
    "rows_deleted",
    "peak_rss_mb",
    "state_bytes_per_row",
)


@pytest.mark.slow
def test_bench_writes_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    command = [sys.executable, "-m", "bench", "--quick", "--large-rows", "120", "--resync-sheets", "2"]
    command += ["--wide-sheets", "3", "--latency-ms", "0", "--out", str(out)]
    env = dict(os.environ, DO_NOT_TRACK="1", HOME=str(tmp_path))
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "| scenario | target |" in completed.stdout

    document = json.loads(out.read_text())
    assert set(document["scenarios"]) == {"1", "2", "3", "4"}
    assert {"nproc", "cpu", "python"} <= set(document["machine"])
    for name, scenario in document["scenarios"].items():
        figures = scenario["figures"]
        missing = [key for key in PER_SCENARIO if figures.get(key) is None]
        assert not missing, f"scenario {name} lacks {missing}"
        assert scenario["targets"], f"scenario {name} checks no target"
    one, two, three, four = (document["scenarios"][n]["figures"] for n in "1234")
    assert one["floor.floor_cpu_s"] > 0 and one["overhead_vs_floor"] is not None
    assert one["rows_upserted"] == 120
    assert two["naive.rows_upserted"] > 0 and two["requests_per_sheet"] > 0
    assert three["truth.upserts"] > 0 and three["naive.rows_upserted"] > three["truth.upserts"]
    assert four["serial.wall_s"] > 0 and four["speedup_vs_serial"] > 0
    assert four["max_requests_per_60s"] >= four["sheets_checked"]
