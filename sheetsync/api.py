"""The one HTTP client every Smartsheet call goes through.

- One `requests.Session`, so connections are reused across the whole sync and all worker threads.
- urllib3 `Retry` retries 429 and the retryable 5xx answers (4001 maintenance, 4002 timeout, 4004 concurrent
  update) with exponential backoff and jitter, honouring `Retry-After` when the server sends one (Smartsheet
  documents none).
- A failure while reading a body (connection reset, truncated JSON) happens after urllib3 has handed the response
  over, so it is retried here, a bounded number of times.
- `RateLimiter` keeps every attempt, retries included, under the token's 300 requests a minute across threads.
- Every call has a timeout, and `ApiMetrics` counts requests, retries, bytes and latency for the sync log.
- Bounded: one `get` makes at most BODY_ATTEMPTS x (max_retries + 1) requests, each waiting at most the timeout, with
  backoffs capped at BACKOFF_MAX_SECONDS and a `Retry-After` capped at RETRY_AFTER_MAX_SECONDS. A 4xx other than 429
  is never retried.

The token only ever goes into the Authorization header; no message built here contains it.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import statistics
import threading
import time
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from sheetsync.config import Settings

RETRY_STATUSES = (429, 500, 502, 503, 504)
BODY_ATTEMPTS = 3
BACKOFF_MAX_SECONDS = 60.0
RETRY_AFTER_MAX_SECONDS = 60  # Smartsheet asks for ~60 s after a 429; a larger Retry-After must not stall a sync


class ApiError(Exception):
    """Smartsheet answered with an error envelope (or an unusable body) after retries."""

    def __init__(self, path: str, status: int, error_code: int | None, message: str):
        super().__init__(f"Smartsheet GET {path} failed: HTTP {status}, errorCode {error_code}: {message}")
        self.path, self.status, self.error_code, self.message = path, status, error_code, message

    @property
    def is_auth(self) -> bool:
        return self.status == 401

    @property
    def is_gone(self) -> bool:
        """The resource is missing or no longer shared with the token (a sheet to keep, not to delete)."""
        return self.status in (403, 404)


class RateLimiter:
    """A sliding 60-second window shared by every thread: `acquire` blocks until one more request fits.

    The server counts a request when it arrives, which is some time after `acquire` let it go. So a request counts
    as "now" for as long as it is in flight, and from the moment its answer is in once `release` is called: an
    upper bound on its arrival, so the server's count of any window never exceeds ours, however slow the network.
    """

    def __init__(self, per_minute: int, window_seconds: float = 60.0):
        self.per_minute, self.window = per_minute, window_seconds
        self._slots: dict[int, float] = {}  # slot → when its answer came in (inf while in flight)
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._thread = threading.local()  # the slots this thread took and has not released
        self.waited_seconds = 0.0

    def acquire(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                self._slots = {k: t for k, t in self._slots.items() if t > now - self.window}
                if len(self._slots) < self.per_minute:
                    slot = next(self._ids)
                    self._slots[slot] = math.inf
                    self._taken().append(slot)
                    return
                answered = [t for t in self._slots.values() if t != math.inf]
                wait = min(answered) + self.window - now + 0.001 if answered else 0.05
                self.waited_seconds += wait
            time.sleep(wait)

    def release(self) -> None:
        """Every request this thread sent (the first attempt and urllib3's retries) has its answer."""
        with self._lock:
            now = time.monotonic()
            for slot in self._taken():
                if slot in self._slots:
                    self._slots[slot] = now
            self._taken().clear()

    def counted(self) -> int:
        """How many requests the current window holds."""
        with self._lock:
            now = time.monotonic()
            return sum(1 for t in self._slots.values() if t > now - self.window)

    def _taken(self) -> list[int]:
        if not hasattr(self._thread, "slots"):
            self._thread.slots = []
        return self._thread.slots


@dataclass
class ApiMetrics:
    requests: int = 0
    retries: int = 0
    bytes_received: int = 0
    latencies: list[float] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: float) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)

    def observe(self, seconds: float, size: int) -> None:
        with self._lock:
            self.latencies.append(seconds)
            self.bytes_received += size

    def summary(self) -> str:
        lat = sorted(self.latencies) or [0.0]
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        return (
            f"requests={self.requests} retries={self.retries} bytes={self.bytes_received} "
            f"latency_median={statistics.median(lat) * 1000:.0f}ms latency_p95={p95 * 1000:.0f}ms"
        )


class _LimitedRetry(Retry):
    """urllib3's Retry, which also takes a limiter slot and counts each retry before it is sent."""

    limiter: RateLimiter | None = None
    metrics: ApiMetrics | None = None

    def new(self, **kw):  # urllib3 copies the Retry for every attempt; keep the hooks on the copy
        retry = super().new(**kw)
        retry.limiter, retry.metrics = self.limiter, self.metrics
        return retry

    def sleep(self, response=None) -> None:
        super().sleep(response)
        if self.metrics is not None:
            self.metrics.add(requests=1, retries=1)
        if self.limiter is not None:
            self.limiter.acquire()


class SmartsheetClient:
    """GETs JSON from one Smartsheet API root with the settings' token, timeouts, retries and rate limit."""

    def __init__(self, settings: Settings, limiter: RateLimiter | None = None):
        self.base_url = settings.base_url
        self.timeout = (min(10.0, settings.request_timeout_seconds), settings.request_timeout_seconds)
        self.backoff = settings.retry_backoff_seconds
        self.limiter = limiter or RateLimiter(settings.requests_per_minute)
        self.metrics = ApiMetrics()
        retry = _LimitedRetry(
            total=settings.max_retries,
            connect=settings.max_retries,
            read=settings.max_retries,
            status=settings.max_retries,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            backoff_factor=settings.retry_backoff_seconds,
            backoff_max=BACKOFF_MAX_SECONDS,
            retry_after_max=RETRY_AFTER_MAX_SECONDS,
            backoff_jitter=settings.retry_backoff_seconds / 2,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        retry.limiter, retry.metrics = self.limiter, self.metrics
        adapter = HTTPAdapter(max_retries=retry, pool_connections=4, pool_maxsize=max(4, settings.max_workers * 2))
        self.session = requests.Session()
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"Authorization": f"Bearer {settings.token}", "Accept": "application/json"})

    def get(self, path: str, params: dict | None = None) -> dict:
        """GET `path` (relative to the API root) and return its JSON object; raise `ApiError` on an error answer."""
        for attempt in range(1, BODY_ATTEMPTS + 1):
            self.limiter.acquire()
            self.metrics.add(requests=1)
            started = time.monotonic()
            try:
                response = self.session.get(f"{self.base_url}{path}", params=params, timeout=self.timeout)
                body = response.content
            except requests.RequestException as error:
                # urllib3 has already retried what failed before the body (MaxRetryError); only a body cut short
                # (reset, read timeout mid-body) is retried here
                if attempt == BODY_ATTEMPTS or not _body_failure(error):
                    raise ApiError(path, 0, None, _network_problem(error, self.timeout[1])) from None
                self._pause(attempt)
                continue
            finally:
                self.limiter.release()
            self.metrics.observe(time.monotonic() - started, len(body))
            try:
                payload = json.loads(body) if body else {}
            except ValueError:
                payload = None
            if response.status_code >= 400:
                payload = payload if isinstance(payload, dict) else {"message": "the error body is not JSON"}
                message = str(payload.get("message", ""))
                tries = _attempts(response)
                if tries > 1:
                    message += f" (after {tries} attempts)"
                raise ApiError(path, response.status_code, payload.get("errorCode"), message)
            if isinstance(payload, dict):
                return payload
            if attempt == BODY_ATTEMPTS:
                problem = f"the response body is not a JSON object after {attempt} attempts (truncated?)"
                raise ApiError(path, response.status_code, None, problem)
            self._pause(attempt)
        raise AssertionError("unreachable")

    def _pause(self, attempt: int) -> None:
        self.metrics.add(retries=1)
        time.sleep(self.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 2))

    def close(self) -> None:
        self.session.close()


def _body_failure(error: requests.RequestException) -> bool:
    """Whether the failure happened while reading a body (not retried by urllib3) rather than after its retries."""
    if isinstance(error, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        return True
    return isinstance(error, requests.ConnectionError) and not isinstance(
        error.args[0] if error.args else None, (MaxRetryError,)
    )


def _network_problem(error: requests.RequestException, timeout: float) -> str:
    """A short cause without the URL's query or any header: e.g. 'read timed out (timeout 60s)'."""
    reason = error.args[0] if error.args else error
    reason = getattr(reason, "reason", None) or reason
    name = type(reason).__name__
    if "Timeout" in name or isinstance(error, requests.Timeout):
        return f"network failure: no answer within the {timeout:g}s timeout ({name}), retries exhausted"
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return f"network failure: the connection broke while reading the body ({name}), retries exhausted"
    return f"network failure: {name}, retries exhausted"


def _attempts(response: requests.Response) -> int:
    retries = getattr(response.raw, "retries", None)
    return len(getattr(retries, "history", ()) or ()) + 1
