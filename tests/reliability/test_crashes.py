"""Crashes: the sync is SIGKILLed at chosen points (mid-fetch, mid-emit, just before and just after a checkpoint), in a
first sync and in an incremental one with deletions pending; the next run must land exactly the sandbox: no row lost,
none duplicated, deletions applied.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.harness import run_sync
from tests.reliability.helpers import assert_matches_sandbox, configuration, mutate, record

ROOT = Path(__file__).resolve().parents[2]


def sync_in_subprocess(project: Path, conf: dict, home: Path, crash_at: str | None = None) -> subprocess.Popen:
    project.mkdir(parents=True, exist_ok=True)
    conf_path = project.parent / f"{project.name}-configuration.json"  # outside: the project is searched for secrets
    conf_path.write_text(json.dumps(conf))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(home), "DO_NOT_TRACK": "1"}
    env.pop("CRASH_AT", None)
    if crash_at:
        env["CRASH_AT"] = crash_at
    command = [sys.executable, "-m", "tests.reliability.crash_runner", str(project), str(conf_path)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


# (kill point, whether the project already holds a first sync and the sandbox has edits/adds/deletes pending)
CRASHES = [
    ("fetch:2", False),  # mid-fetch: the second sheet arrived, the third is in flight
    ("upsert:9", False),  # mid-emit of the first sheet, before any checkpoint
    ("checkpoint-before:2", False),  # the second sheet emitted, its checkpoint not yet made
    ("checkpoint-after:1", False),  # just after the first sheet's checkpoint
    ("delete:1", True),  # mid-emit of an incremental sync: the first deletion
    ("checkpoint-before:1", True),  # an incremental sheet emitted (edits, adds, deletes) but not checkpointed
    ("checkpoint-after:1", True),  # just after an incremental checkpoint, the other sheets still pending
]


@pytest.mark.slow
@pytest.mark.parametrize(("crash_at", "incremental"), CRASHES, ids=[f"{c}{'-incremental' * i}" for c, i in CRASHES])
def test_a_killed_sync_resumes_to_exactly_the_sandbox(crash_at, incremental, synced, sandbox, tmp_path):
    project = synced if incremental else tmp_path / "fresh"
    mutate(sandbox.store)
    conf = configuration(sandbox)
    process = sync_in_subprocess(project, conf, tmp_path, crash_at)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == -signal.SIGKILL, stderr.decode()[-2000:]

    run_sync(project, conf)
    rows = assert_matches_sandbox(project, sandbox, conf, tmp_path / "reference")
    record(
        "crash",
        f"SIGKILL at {crash_at}{' (incremental)' if incremental else ''}",
        faults=1,
        rows_compared=rows,
        outcome="killed, then resumed",
    )


@pytest.mark.slow
def test_killed_while_a_request_is_in_flight(synced, sandbox, tmp_path):
    """The sandbox kills the sync while it waits for a sheet's answer (the kill comes from outside the process)."""
    ids = mutate(sandbox.store)
    conf = configuration(sandbox)
    child: dict[str, subprocess.Popen] = {}
    sandbox.faults.add(
        rf"^/sheets/{ids['inventory']}$", "hook", fn=lambda store: child["p"].send_signal(signal.SIGKILL)
    )
    child["p"] = sync_in_subprocess(synced, conf, tmp_path)
    child["p"].communicate(timeout=120)
    assert child["p"].returncode == -signal.SIGKILL
    sandbox.faults.clear()
    run_sync(synced, conf)
    rows = assert_matches_sandbox(synced, sandbox, conf, tmp_path / "reference")
    record(
        "crash",
        "SIGKILL from outside mid-request (incremental)",
        faults=1,
        rows_compared=rows,
        outcome="killed, then resumed",
    )
