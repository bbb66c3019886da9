"""The HTTP side: a ThreadingHTTPServer on 127.0.0.1 answering the API under /2.0 and the control interface under
/_sandbox, with auth, the optional rate limit, latency, faults and a request log.

    with SandboxServer(sample_account()) as server:     # or .start() / .stop()
        requests.get(server.url + "/sheets", headers={"Authorization": f"Bearer {server.token}"})
"""

from __future__ import annotations

import collections
import json
import re
import socket
import struct
import sys
import threading
import time
import traceback
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO
from urllib.parse import parse_qs, urlsplit

from . import control, routes
from .errors import ApiError
from .faults import Fault, Faults
from .params import Params
from .store import Store

DEFAULT_TOKEN = "sandbox-token"
API_ROOT = "/2.0"
NOMINAL_LIMIT = 300  # what x-ratelimit-limit reports when no limit is enforced
_RATE_HEADER_PATH = re.compile(r"^/sheets/\d+$")  # the only responses that carry x-ratelimit-* (observed)


@dataclass
class RequestRecord:
    """One API request as the log keeps it. Headers (and so the token) are never kept."""

    method: str
    path: str  # relative to /2.0, e.g. "/sheets/123"
    query: dict[str, str]
    status: int
    bytes: int
    at: float  # time.time() when it arrived
    duration_ms: float


class RequestLog(list):
    """The server's request log: a list of RequestRecord, plus counting by path regex."""

    def count(self, path_regex: str = ".*", method: str | None = None, status: int | None = None) -> int:
        return sum(
            1
            for record in list(self)
            if re.search(path_regex, record.path)
            and method in (None, record.method)
            and status in (None, record.status)
        )


class _RateWindow:
    """A sliding 60 s window of admitted requests; with a limit, the (limit+1)th request within it is refused.
    `window_s` shortens the window so that tests can reach the limit in seconds instead of minutes."""

    def __init__(self, limit: int | None, window_s: float = 60.0) -> None:
        self.limit, self.window_s = limit, window_s
        self._times: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def admit(self) -> dict[str, str]:
        """Admits a request or raises 429/4003; returns the x-ratelimit-* headers describing the window."""
        with self._lock:
            now = time.monotonic()
            while self._times and self._times[0] <= now - self.window_s:
                self._times.popleft()
            if self.limit is not None and len(self._times) >= self.limit:
                raise ApiError(4003)
            self._times.append(now)
            limit = self.limit or NOMINAL_LIMIT
            reset = time.time() + (self._times[0] + self.window_s - now)
            return {
                "x-ratelimit-limit": str(limit),
                "x-ratelimit-remaining": str(max(0, limit - len(self._times))),
                "x-ratelimit-reset": str(int(reset)),
            }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as clients pool connections
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed-ACK stall between them
    server: _HTTPServer

    def do_GET(self) -> None:
        self.server.sandbox.handle(self)

    do_POST = do_PUT = do_DELETE = do_GET

    def log_message(self, format: str, *args: object) -> None:
        """Silenced: SandboxServer keeps its own log, without headers."""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    sandbox: SandboxServer


class SandboxServer:
    """A running sandbox: `url` (API root), `token`, `store` (control API), `faults`, `requests` (log)."""

    def __init__(
        self,
        account: Mapping | None = None,
        *,
        store: Store | None = None,
        port: int = 0,
        token: str = DEFAULT_TOKEN,
        latency_ms: float = 0,
        rate_limit_per_minute: int | None = None,
        rate_window_s: float = 60.0,
        log_to: TextIO | None = None,
    ) -> None:
        if store is None:
            if account is None:
                from .generator import sample_account

                account = sample_account()
            store = Store(account)
        self.store = store
        self.token = token
        self.latency_ms = latency_ms
        self.faults = Faults()
        self.requests = RequestLog()
        self.rate = _RateWindow(rate_limit_per_minute, rate_window_s)
        self._log_to = log_to
        self._httpd = _HTTPServer(("127.0.0.1", port), _Handler)
        self._httpd.sandbox = self

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.base_url + API_ROOT

    def start(self) -> SandboxServer:
        # A short poll interval: stop() waits for it, and tests start and stop a server each.
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="sandbox", daemon=True
        ).start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- one request ---------------------------------------------------------------------------------------------

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        arrived, started = time.time(), time.monotonic()
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        payload = handler.rfile.read(length) if length else b""
        if parts.path.startswith("/_sandbox/"):
            status, body = control.handle(self, handler.command, parts.path, payload)
            _write(handler, status, {}, _encode(body))
            return
        under_root = parts.path.startswith(API_ROOT + "/")
        path = parts.path[len(API_ROOT) :] if under_root else parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)
        faults = self.faults.fire(handler.command, path)
        status, headers, data = self._answer(handler, path if under_root else None, query, faults)
        for fault in faults:
            if fault.kind == "hook":
                fault.fn(self.store)
        mode = next((f.kind for f in faults if f.kind in ("reset", "truncate")), None) if status == 200 else None
        sent = _write(handler, status, headers, data, mode=mode)
        record = RequestRecord(
            handler.command,
            path,
            {key: values[-1] for key, values in query.items()},
            status,
            sent,
            arrived,
            round((time.monotonic() - started) * 1000, 2),
        )
        self.requests.append(record)
        if self._log_to:
            print(
                f"{record.method} {parts.path} {record.status} {record.bytes}B {record.duration_ms}ms",
                file=self._log_to,
            )

    def _answer(self, handler, path: str | None, query: dict, faults: list[Fault]) -> tuple[int, dict, bytes]:
        """Status, headers and encoded body: faults first, then auth, the rate limit and the route.
        `path` is None for a request outside the API root."""
        headers: dict[str, str] = {}
        try:
            for fault in faults:
                if fault.kind == "slow":
                    time.sleep(fault.delay_s)
                if fault.kind == "error":
                    if fault.retry_after is not None:
                        headers["Retry-After"] = f"{fault.retry_after:g}"
                    raise ApiError(fault.code, fault.status)
            self._authenticate(handler.headers.get("Authorization"))
            rate_headers = self.rate.admit()
            if path and _RATE_HEADER_PATH.match(path):
                headers.update(rate_headers)
            if handler.command != "GET" or path is None:
                raise ApiError(1006)
            with self.store.lock:  # encoded under the lock: bodies share objects with the store
                return 200, headers, _encode(routes.dispatch(self.store, path, Params(query)))
        except ApiError as error:
            return error.status, headers, _encode(error.body())
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return 500, headers, _encode(ApiError(4000).body())

    def _authenticate(self, authorization: str | None) -> None:
        if not authorization or not authorization.startswith("Bearer ") or not authorization[7:].strip():
            raise ApiError(1001)
        if authorization[7:].strip() != self.token:
            raise ApiError(1002)

    def describe_requests(self) -> list[dict]:
        return [asdict(record) for record in list(self.requests)]


def _encode(body: object) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _write(handler: BaseHTTPRequestHandler, status: int, headers: dict, data: bytes, *, mode: str | None = None) -> int:
    """Writes the response; `reset` stops half-way through the body and resets the connection, `truncate` sends
    a well-framed response whose JSON is cut short. Returns the body bytes sent."""
    if mode == "truncate":
        data = data[: len(data) // 2]
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json;charset=UTF-8")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        if mode == "reset":
            handler.wfile.write(data[: len(data) // 2])
            handler.wfile.flush()
            time.sleep(0.05)  # let the partial body reach the client before the RST discards the send buffer
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.connection.close()
            handler.close_connection = True
            return len(data) // 2
        handler.wfile.write(data)
        return len(data)
    except (BrokenPipeError, ConnectionResetError):
        handler.close_connection = True  # the client gave up (e.g. its timeout beat a slow fault)
        return 0
