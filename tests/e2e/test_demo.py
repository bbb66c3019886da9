"""The README's demo, for real: `tools/demo.py` starts the sandbox and runs the `fivetran` CLI (`fivetran debug`,
with its ~12 s offline requirements check) in a copy of the repository; run twice, the second run sends nothing."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(".venv", ".git", "files", "__pycache__", "notebooks", "tests", "bench", "*.db")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def upserts(output: str) -> int:
    """The `Upserts` count of the SDK's end-of-sync table."""
    counts = re.findall(r"Upserts\s*\|\s*(\d+)", output)
    assert len(counts) == 1, output[-3000:]
    return int(counts[0])


@pytest.mark.slow
def test_demo_twice_second_run_sends_nothing(tmp_path):
    project = tmp_path / "repo"
    shutil.copytree(ROOT, project, ignore=SKIP)
    configuration = json.loads((project / "configuration.json").read_text())
    configuration["base_url"] = f"http://127.0.0.1:{free_port()}/2.0"  # not 8765: another demo may be running
    (project / "configuration.json").write_text(json.dumps(configuration))
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "DO_NOT_TRACK": "1"}

    def demo() -> str:
        done = subprocess.run(
            [sys.executable, "tools/demo.py"], cwd=project, env=env, capture_output=True, text=True, timeout=240
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0, output[-3000:]
        return output

    first = demo()
    assert upserts(first) > 0
    assert re.search(r"^\s+inventory\s+8 rows$", first, re.M), first[-2000:]
    second = demo()
    assert upserts(second) == 0
    assert "skipped=8 fetched=0" in second
    assert "sandbox-token" not in first + second
