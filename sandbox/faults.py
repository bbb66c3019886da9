r"""Scriptable faults: which requests misbehave, how, and how often.

    server.faults.add(r"/sheets/\d+$", "error", code=4003, count=3, retry_after=2)   # 3 x 429 with Retry-After
    server.faults.add(r".*", "error", code=1003, skip=9, count=None)                # token expires from request 10 on
    server.faults.add(r"/sheets$", "hook", fn=lambda store: store.delete_sheet(sid))  # deleted between list and fetch

A fault matches requests whose method matches and whose API-relative path (e.g. `/sheets/123`, no `/2.0`) the
regex `search`es. It lets the first `skip` matching requests through, then fires on the next `count` (None:
forever). Kinds:

    error     answer with `code`'s status and envelope (`status=` overrides; `retry_after=` adds Retry-After)
    slow      sleep `delay_s` seconds, then answer normally
    reset     send the headers and half the body, then reset the connection
    truncate  answer 200 with the JSON cut in half (Content-Length matches the cut body)
    hook      answer normally, then run `fn(store)` before the response is written, so the client's next
              request sees the change (a sheet edited between two pages, deleted between list and fetch)
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import ERRORS

KINDS = ("error", "slow", "reset", "truncate", "hook")
_ids = itertools.count(1)


@dataclass
class Fault:
    path: str
    kind: str
    count: int | None = 1
    skip: int = 0
    method: str | None = None
    code: int = 4000
    status: int | None = None
    retry_after: float | None = None
    delay_s: float = 0.0
    fn: Callable | None = None
    id: int = field(default_factory=lambda: next(_ids))
    seen: int = 0  # matching requests so far
    fired: int = 0  # times it fired

    def describe(self) -> dict:
        """A JSON-able view (for /_sandbox/faults)."""
        keys = ("id", "path", "kind", "count", "skip", "method", "code", "status", "retry_after", "delay_s")
        return {key: getattr(self, key) for key in keys} | {"seen": self.seen, "fired": self.fired}


class Faults:
    """The server's fault list; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, path: str, kind: str, *, count: int | None = 1, skip: int = 0, **options: object) -> Fault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {KINDS}")
        if kind == "hook" and not callable(options.get("fn")):
            raise ValueError("a hook fault needs fn=callable(store)")
        if kind == "error" and options.get("code", 4000) not in ERRORS:
            raise ValueError(f"unknown errorCode {options.get('code')}")
        re.compile(path)
        fault = Fault(path=path, kind=kind, count=count, skip=skip, **options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def __iter__(self):
        with self._lock:
            return iter(list(self._faults))

    def fire(self, method: str, path: str) -> list[Fault]:
        """The faults this request triggers, in the order they were added; counts the match either way."""
        firing = []
        with self._lock:
            for fault in self._faults:
                if fault.method not in (None, method) or not re.search(fault.path, path):
                    continue
                fault.seen += 1
                if fault.seen > fault.skip and (fault.count is None or fault.fired < fault.count):
                    fault.fired += 1
                    firing.append(fault)
        return firing
