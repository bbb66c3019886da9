"""Shared fixtures: a fresh sandbox per test.

def test_something(sandbox):                      # the sample account on a free port
    requests.get(f"{sandbox.url}/sheets", headers={"Authorization": f"Bearer {sandbox.token}"})
    sandbox.store.edit_cell(...); sandbox.faults.add(...); sandbox.requests.count(r"/sheets/\\d+$")

def test_other(make_sandbox):                     # a custom account, latency or rate limit
    server = make_sandbox(account=sample_account(many=5), latency_ms=20, rate_limit_per_minute=300)
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from sandbox import DEFAULT_TOKEN, SandboxServer, sample_account
from sandbox.account import load_account

os.environ["DO_NOT_TRACK"] = "1"


@functools.cache
def _sample_json() -> str:
    return json.dumps(sample_account())


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., SandboxServer]]:
    """A factory: `make_sandbox(account=None, *, latency_ms=0, rate_limit_per_minute=None, token=DEFAULT_TOKEN)`.
    `account` is an account dict (the server takes it over and mutates it), a data directory, or None for a fresh
    copy of the sample account. Every server started is stopped at teardown."""
    servers: list[SandboxServer] = []

    def make(
        account: Mapping | str | Path | None = None,
        *,
        latency_ms: float = 0,
        rate_limit_per_minute: int | None = None,
        token: str = DEFAULT_TOKEN,
    ) -> SandboxServer:
        if account is None:
            account = json.loads(_sample_json())
        elif isinstance(account, (str, Path)):
            account = load_account(account)
        server = SandboxServer(account, token=token, latency_ms=latency_ms, rate_limit_per_minute=rate_limit_per_minute)
        servers.append(server.start())
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def sandbox(make_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    """A running sandbox with a fresh copy of the sample account: .url (API root, ends /2.0), .token, .store (the
    control API), .faults, .requests (the request log)."""
    return make_sandbox()


@pytest.fixture
def no_sheet_declarations(tmp_path_factory, monkeypatch):
    """Empty per-sheet declaration and contract folders: the sync applies the base transforms only.

    The shipped declarations (transforms/sheets, schemas/sheets) rename, cast and drop columns of the sample sheets;
    tests that check the base mapping use this, and tests/contracts and tests/policies test the declarations."""
    from sheetsync import pipeline

    empty = tmp_path_factory.mktemp("no-declarations")
    for folder, env in (("transforms", pipeline.DECLARATIONS_ENV), ("schemas", pipeline.CONTRACTS_ENV)):
        (empty / folder).mkdir()
        monkeypatch.setenv(env, str(empty / folder))
