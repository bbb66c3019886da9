"""Test-only: one sync through tests/e2e/harness.run_sync that SIGKILLs its own process at a chosen point.

    CRASH_AT=KIND:N python -m tests.reliability.crash_runner PROJECT CONF

KIND: upsert, delete, checkpoint-before, checkpoint-after, fetch; N: the Nth such call.

The kill point is armed by wrapping the SDK emitter (or the client's `get` for `fetch`) here, so production code
carries no test hook. `fetch:N` dies after the Nth sheet page arrives, while other sheets are still being fetched.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import threading
from pathlib import Path

from sheetsync import api, emit, sync
from tests.e2e.harness import run_sync

_lock = threading.Lock()
_seen = {"n": 0}


def _reached(n: int) -> bool:
    with _lock:
        _seen["n"] += 1
        return _seen["n"] == n


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def arm(spec: str) -> None:
    # a checkpoint after every sheet, so that "the Nth checkpoint" falls between any two sheets of a small account
    sync._Checkpoints.ROWS = 0
    kind, n = spec.split(":")
    n = int(n)
    if kind in ("upsert", "delete", "checkpoint-before"):
        name = "_checkpoint" if kind == "checkpoint-before" else f"_{kind}"
        original = getattr(emit.SdkEmitter, name)

        def before(self, *args, **kwargs):
            if _reached(n):
                _die()
            return original(self, *args, **kwargs)

        setattr(emit.SdkEmitter, name, before)
    elif kind == "checkpoint-after":
        original = emit.SdkEmitter._checkpoint

        def after(self, *args, **kwargs):
            result = original(self, *args, **kwargs)
            if _reached(n):
                _die()
            return result

        emit.SdkEmitter._checkpoint = after
    elif kind == "fetch":
        original = api.SmartsheetClient.get

        def get(self, path, params=None):
            result = original(self, path, params)
            if re.fullmatch(r"/sheets/\d+", path) and _reached(n):
                _die()
            return result

        api.SmartsheetClient.get = get
    else:
        raise SystemExit(f"unknown CRASH_AT kind {kind!r}")


if __name__ == "__main__":
    if os.environ.get("CRASH_AT"):
        arm(os.environ["CRASH_AT"])
    run_sync(Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text()))
