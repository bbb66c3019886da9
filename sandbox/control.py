"""The control interface for other processes (the demo, benchmarks, a connector run in a subprocess), and a small
client for it. In-process code uses `server.store` / `server.faults` / `server.requests` directly instead.

    POST   /_sandbox/control/<op>   {"args": [...], "kwargs": {...}} -> {"result": ...}   (op: a Store method below)
    POST   /_sandbox/faults         {"path", "kind", "count", "skip", "code", ..., "op": {"op", "args", "kwargs"}}
    GET    /_sandbox/faults         DELETE clears them
    GET    /_sandbox/requests       the request log; DELETE clears it
    POST   /_sandbox/settings       {"latency_ms": N, "rate_limit_per_minute": N|null}
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .server import SandboxServer

OPS = (
    "sheet_ids",
    "sheet_id",
    "sheet",
    "column_id",
    "row_ids",
    "version",
    "report_id",
    "folder_id",
    "workspace_id",
    "edit_cell",
    "add_row",
    "delete_row",
    "move_row",
    "recalculate",
    "add_column",
    "rename_column",
    "retype_column",
    "delete_column",
    "create_sheet",
    "delete_sheet",
    "rename_sheet",
    "set_access",
    "move_sheet",
    "update_report",
    "set_summary_field",
    "add_attachment",
    "remove_attachment",
    "add_discussion",
    "add_comment",
)


def run_op(server: SandboxServer, spec: dict) -> object:
    """Runs `{"op", "args", "kwargs"}` against the server's store."""
    if spec.get("op") not in OPS:
        raise ValueError(f"unknown op {spec.get('op')!r}")
    return getattr(server.store, spec["op"])(*spec.get("args", []), **spec.get("kwargs", {}))


def handle(server: SandboxServer, method: str, path: str, payload: bytes) -> tuple[int, object]:
    """(status, body) for a /_sandbox request. Errors in a control call come back as 400 with the message."""
    try:
        body = json.loads(payload) if payload else {}
        parts = path.strip("/").split("/")[1:]
        if parts[:1] == ["control"] and method == "POST" and len(parts) == 2:
            return 200, {"result": run_op(server, {"op": parts[1], **body})}
        if parts == ["faults"] and method == "POST":
            spec = dict(body)
            op = spec.pop("op", None)
            if op is not None:
                spec["fn"] = lambda store, op=op: run_op(server, op)
            return 200, server.faults.add(spec.pop("path"), spec.pop("kind"), **spec).describe()
        if parts == ["faults"] and method == "GET":
            return 200, {"faults": [fault.describe() for fault in server.faults]}
        if parts == ["faults"] and method == "DELETE":
            server.faults.clear()
            return 200, {}
        if parts == ["requests"] and method == "GET":
            return 200, {"requests": server.describe_requests()}
        if parts == ["requests"] and method == "DELETE":
            server.requests.clear()
            return 200, {}
        if parts == ["settings"] and method == "POST":
            if "latency_ms" in body:
                server.latency_ms = body["latency_ms"]
            if "rate_limit_per_minute" in body:
                server.rate.limit = body["rate_limit_per_minute"]
            return 200, {"latency_ms": server.latency_ms, "rate_limit_per_minute": server.rate.limit}
        return 404, {"error": f"no control endpoint {method} {path}"}
    except (LookupError, ValueError, TypeError) as error:
        return 400, {"error": f"{type(error).__name__}: {error}"}


class RemoteSandbox:
    """Drives a sandbox in another process: `RemoteSandbox(url).edit_cell(sheet_id, row_id, column_id, value)`
    calls the Store method of that name; `add_fault`, `clear_faults`, `requests`, `clear_requests`, `settings`."""

    def __init__(self, url: str) -> None:
        self.base_url = url.rstrip("/").removesuffix("/2.0")

    def _call(self, method: str, path: str, body: object | None = None) -> object:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise RuntimeError(json.loads(error.read()).get("error", str(error))) from None

    def __getattr__(self, op: str):
        if op not in OPS:
            raise AttributeError(op)
        return lambda *args, **kwargs: self._call(
            "POST", f"/_sandbox/control/{op}", {"args": list(args), "kwargs": kwargs}
        )["result"]

    def add_fault(self, path: str, kind: str, **options: object) -> dict:
        """As `Faults.add`; a hook takes `op={"op": name, "args": [...], "kwargs": {...}}` instead of `fn`."""
        return self._call("POST", "/_sandbox/faults", {"path": path, "kind": kind, **options})

    def clear_faults(self) -> None:
        self._call("DELETE", "/_sandbox/faults")

    def requests(self) -> list[dict]:
        return self._call("GET", "/_sandbox/requests")["requests"]

    def clear_requests(self) -> None:
        self._call("DELETE", "/_sandbox/requests")

    def settings(self, **settings: object) -> dict:
        return self._call("POST", "/_sandbox/settings", settings)
