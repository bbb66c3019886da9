"""The HTTP client against the sandbox: what is retried, how often, how long it waits, what it says on giving up.

Every fault here is real HTTP on 127.0.0.1; counts come from the sandbox's fault counters (a request the client gave up
waiting for still counts).
"""

from __future__ import annotations

import time

import pytest

from sheetsync.api import BODY_ATTEMPTS, RETRY_AFTER_MAX_SECONDS, ApiError, RateLimiter, SmartsheetClient
from sheetsync.config import load_settings

MAX_RETRIES = 3
SHEETS = r"^/sheets$"


def logged_times(sandbox, path: str, n: int) -> list[float]:
    """Arrival times of the first `n` requests to `path` (logged after the answer is sent, so wait a little)."""
    deadline = time.monotonic() + 5
    while True:
        times = [r.at for r in sandbox.requests if r.path == path]
        if len(times) >= n or time.monotonic() > deadline:
            assert len(times) == n
            return times
        time.sleep(0.02)


def client(sandbox, limiter: RateLimiter | None = None, **conf) -> SmartsheetClient:
    base = {"smartsheet_api_token": sandbox.token, "base_url": sandbox.url, "retry_backoff_seconds": "0"}
    settings = load_settings({**base, "max_retries": str(MAX_RETRIES), **conf}, environ={})
    return SmartsheetClient(settings, limiter)


@pytest.mark.parametrize("code", [4000, 4001, 4002, 4003, 4004])
def test_retryable_errors_are_retried_until_they_pass(sandbox, code):
    fault = sandbox.faults.add(SHEETS, "error", code=code, count=MAX_RETRIES)
    c = client(sandbox)
    assert c.get("/sheets")["data"]
    assert fault.seen == MAX_RETRIES + 1
    assert (c.metrics.requests, c.metrics.retries) == (MAX_RETRIES + 1, MAX_RETRIES)


@pytest.mark.parametrize(("code", "status"), [(4000, 500), (4001, 503), (4002, 500), (4003, 429), (4004, 500)])
def test_a_storm_ends_after_max_retries_with_the_apis_message(sandbox, code, status):
    fault = sandbox.faults.add(SHEETS, "error", code=code, count=None)
    with pytest.raises(ApiError) as caught:
        client(sandbox).get("/sheets")
    assert fault.seen == MAX_RETRIES + 1  # not multiplied by the body-level attempts
    assert (caught.value.status, caught.value.error_code) == (status, code)
    assert f"HTTP {status}, errorCode {code}" in str(caught.value)
    assert f"after {MAX_RETRIES + 1} attempts" in str(caught.value)


@pytest.mark.parametrize(
    ("code", "auth", "gone"),
    [(1002, True, False), (1003, True, False), (1004, False, True), (1006, False, True), (1018, False, False)],
)
def test_a_4xx_other_than_429_is_never_retried(sandbox, code, auth, gone):
    fault = sandbox.faults.add(SHEETS, "error", code=code, count=None)
    with pytest.raises(ApiError) as caught:
        client(sandbox).get("/sheets")
    assert fault.seen == 1
    assert (caught.value.is_auth, caught.value.is_gone, caught.value.error_code) == (auth, gone, code)


def test_retry_after_is_honoured_even_with_no_backoff(sandbox):
    sandbox.faults.add(SHEETS, "error", code=4003, count=2, retry_after=1)
    c = client(sandbox)
    c.get("/sheets")
    times = logged_times(sandbox, "/sheets", 3)
    assert all(later - earlier >= 0.95 for earlier, later in zip(times, times[1:], strict=False))


def test_a_huge_retry_after_is_capped(sandbox):
    retry = client(sandbox).session.get_adapter(sandbox.url).max_retries
    assert retry.parse_retry_after("86400") == RETRY_AFTER_MAX_SECONDS
    assert retry.get_backoff_time() <= retry.backoff_max


def test_a_slow_answer_times_out_and_is_retried(sandbox):
    fault = sandbox.faults.add(SHEETS, "slow", delay_s=1.0, count=2)
    c = client(sandbox, request_timeout_seconds="0.2")
    assert c.get("/sheets")["data"]
    assert fault.seen == 3


def test_an_always_slow_api_fails_after_a_bounded_number_of_timeouts(sandbox):
    fault = sandbox.faults.add(SHEETS, "slow", delay_s=1.0, count=None)
    with pytest.raises(ApiError, match=r"no answer within the 0.2s timeout") as caught:
        client(sandbox, request_timeout_seconds="0.2").get("/sheets")
    assert fault.seen == MAX_RETRIES + 1
    assert caught.value.status == 0


@pytest.mark.parametrize("kind", ["reset", "truncate"])
def test_a_broken_body_is_fetched_again(sandbox, kind):
    fault = sandbox.faults.add(SHEETS, kind, count=BODY_ATTEMPTS - 1)
    c = client(sandbox)
    assert c.get("/sheets")["data"]
    assert fault.seen == BODY_ATTEMPTS
    assert c.metrics.retries == BODY_ATTEMPTS - 1


@pytest.mark.parametrize(("kind", "message"), [("reset", "broke while reading the body"), ("truncate", "not a JSON")])
def test_a_body_that_always_breaks_fails_clearly_after_a_bounded_number_of_attempts(sandbox, kind, message):
    fault = sandbox.faults.add(SHEETS, kind, count=None)
    with pytest.raises(ApiError, match=message):
        client(sandbox).get("/sheets")
    assert fault.seen == BODY_ATTEMPTS


def test_the_limiter_counts_every_retry(sandbox):
    limiter = RateLimiter(per_minute=300)
    storm = sandbox.faults.add(SHEETS, "error", code=4003, count=2)
    sandbox.faults.add(SHEETS, "truncate", count=1, skip=2)
    c = client(sandbox, limiter=limiter)
    c.get("/sheets")
    sent = storm.seen
    assert sent == 4  # 429, 429, truncated 200, good 200
    assert limiter.counted() == c.metrics.requests == sent


def test_a_dead_server_fails_with_a_network_message(sandbox):
    conf = {"base_url": "http://127.0.0.1:9/2.0", "request_timeout_seconds": "1"}
    with pytest.raises(ApiError, match="network failure") as caught:
        client(sandbox, **conf).get("/sheets")
    assert caught.value.status == 0


def test_a_request_counts_against_the_window_from_when_its_answer_arrived(sandbox):
    """The server counts arrivals, which come after `acquire`: a request holds its slot while in flight and is
    dated by its answer, so a slow request cannot leave the window early on our side only."""
    limiter = RateLimiter(per_minute=2, window_seconds=0.5)
    sandbox.faults.add(SHEETS, "slow", delay_s=0.6, count=1)
    c = client(sandbox, limiter=limiter)
    c.get("/sheets")  # takes 0.6 s: longer than the window, yet it must still count once its answer is in
    assert limiter.counted() == 1
    c.get("/users/me")
    assert limiter.counted() == 2
