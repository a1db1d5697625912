"""The retry policy, as a pure function: no sleeping, no network."""

from __future__ import annotations

import email.utils

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiramcp.jira import RetryPolicy, parse_retry_after, retry_delay

NOW = 1_800_000_000.0
POLICY = RetryPolicy(max_retries=4, max_total_wait=30.0, base_delay=0.5, max_delay=8.0)
REQUEST = httpx.Request("GET", "https://x/rest/api/3/myself")


def delay(
    outcome: object,
    headers: dict[str, str] | None = None,
    *,
    attempt: int = 1,
    idempotent: bool = True,
    rand: float = 0.5,
) -> float | None:
    return retry_delay(
        attempt,
        outcome,
        httpx.Headers(headers or {}),
        idempotent=idempotent,
        policy=POLICY,  # type: ignore[arg-type]
        wall_now=NOW,
        rand=rand,
    )


def test_retry_after_is_read_as_seconds_or_an_http_date() -> None:
    assert parse_retry_after("12", wall_now=NOW) == 12.0
    assert parse_retry_after(" 1.5 ", wall_now=NOW) == 1.5
    assert parse_retry_after(email.utils.formatdate(NOW + 30, usegmt=True), wall_now=NOW) == pytest.approx(30)
    assert parse_retry_after(email.utils.formatdate(NOW - 30, usegmt=True), wall_now=NOW) == 0.0
    assert parse_retry_after("soon", wall_now=NOW) is None
    assert parse_retry_after("", wall_now=NOW) is None
    assert parse_retry_after(None, wall_now=NOW) is None


def test_the_servers_wait_is_a_minimum_with_some_jitter_on_top() -> None:
    assert delay(429, {"Retry-After": "10"}, rand=0.0) == pytest.approx(10.0)
    assert delay(429, {"retry-after": "10"}, rand=0.999) == pytest.approx(12.997)
    assert delay(429, {"Beta-Retry-After": "4", "Retry-After": "2"}, rand=0.0) == pytest.approx(4.0)


def test_x_ratelimit_reset_stands_in_for_a_missing_retry_after_on_429() -> None:
    reset = "2027-01-15T08:00:20Z"
    now = 1_800_000_000.0  # 2027-01-15T08:00:00Z
    got = retry_delay(
        1, 429, httpx.Headers({"X-RateLimit-Reset": reset}), idempotent=True, policy=POLICY, wall_now=now, rand=0.0
    )
    assert got == pytest.approx(20.0)


def test_retry_after_zero_still_waits_and_the_wait_grows() -> None:
    waits = [delay(429, {"Retry-After": "0"}, attempt=a, rand=0.0) for a in range(1, 5)]
    assert waits == sorted(waits) and waits[0] is not None and waits[0] >= 0.25


def test_only_the_allowed_statuses_are_retried() -> None:
    for status in (429, 500, 502, 503, 504):
        assert delay(status) is not None
    for status in (400, 401, 403, 404, 409, 410, 501):
        assert delay(status) is None


def test_non_idempotent_requests_retry_only_when_jira_never_got_them() -> None:
    assert delay(429, idempotent=False) is not None
    assert delay(503, idempotent=False) is not None
    assert delay(httpx.ConnectError("refused", request=REQUEST), idempotent=False) is not None
    assert delay(httpx.PoolTimeout("pool", request=REQUEST), idempotent=False) is not None
    assert delay(500, idempotent=False) is None
    assert delay(502, idempotent=False) is None
    assert delay(504, idempotent=False) is None
    assert delay(httpx.ReadTimeout("read", request=REQUEST), idempotent=False) is None
    assert delay(httpx.RemoteProtocolError("dropped", request=REQUEST), idempotent=False) is None
    assert delay(httpx.ReadTimeout("read", request=REQUEST), idempotent=True) is not None


def test_unknown_exceptions_are_not_retried() -> None:
    assert delay(ValueError("bug")) is None


def test_attempts_are_bounded() -> None:
    assert delay(503, attempt=4) is not None
    assert delay(503, attempt=5) is None


@settings(max_examples=60, deadline=None)
@given(attempt=st.integers(1, 4), rand=st.floats(0, 0.999999), status=st.sampled_from([429, 502, 503, 504]))
def test_backoff_without_a_server_wait_stays_within_full_jitter_bounds(attempt: int, rand: float, status: int) -> None:
    got = delay(status, attempt=attempt, rand=rand)
    cap = min(POLICY.max_delay, POLICY.base_delay * 2 ** (attempt - 1))
    assert got is not None and POLICY.min_delay <= got <= max(cap, POLICY.min_delay)
