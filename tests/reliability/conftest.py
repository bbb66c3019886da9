"""A first sync of the sample account, made once per worker and copied into each scenario's project."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import SandboxServer, sample_account
from tests.e2e.harness import run_sync
from tests.reliability.helpers import configuration, copy_project


@pytest.fixture(scope="session")
def _baseline_project(tmp_path_factory) -> Iterator[Path]:
    project = tmp_path_factory.mktemp("baseline")
    with SandboxServer(sample_account(), port=0, rate_limit_per_minute=None, latency_ms=0) as server:
        run_sync(project, configuration(server))
    yield project
    shutil.rmtree(project, ignore_errors=True)


@pytest.fixture
def synced(_baseline_project, sandbox, tmp_path) -> Path:
    """A project whose warehouse and state hold a clean first (lean) sync of the sandbox's sample account."""
    project = copy_project(_baseline_project, tmp_path / "project")
    state = json.loads((project / "files" / "state.json").read_text())
    assert state["sheets"], "the baseline sync recorded no sheet"
    return project
