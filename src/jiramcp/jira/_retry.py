"""When to retry and how long to wait: small pure functions, tested without sleeping.

The rules follow Atlassian's advice for Jira Cloud: `Retry-After` is a minimum wait, backoff is
exponential with jitter, about four retries, and only requests that cannot be applied twice are
repeated. A non-idempotent request is re-sent only when the outcome proves Jira never acted on
it (connect failure, 429, 503); other failures of a write are reported as ambiguous.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

__all__ = [
    "RetryPolicy",
    "never_reached_jira",
    "parse_retry_after",
    "retry_delay",
    "server_wait",
]

# 429: Jira refused before acting; 503: not accepted; 502/504: a proxy gave up, Jira may have acted;
# 500: Jira failed, often transiently. Only idempotent requests are re-sent after any status Jira
# may have acted on (see `retry_delay`), so a retried 500 never repeats a create or a comment.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
_UNPROCESSED_STATUSES = frozenset({429, 503})

# Failures before a single byte of the request left: safe to re-send anything.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
# Failures after the request may have been sent: retry only what can be applied twice.
_MAYBE_SENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounds of the retry loop.

    Attributes:
        max_retries: Retries after the first attempt.
        max_total_wait: Seconds one call may spend waiting between attempts, in total.
        base_delay: First backoff step, doubled per attempt.
        max_delay: Cap of one backoff step (a server's `Retry-After` is not capped by it).
        min_delay: Floor of one wait, so that nothing retries in a hot loop.
    """

    max_retries: int = 4
    max_total_wait: float = 30.0
    base_delay: float = 0.5
    max_delay: float = 8.0
    min_delay: float = 0.1


def parse_retry_after(value: str | None, *, wall_now: float) -> float | None:
    """Seconds from a `Retry-After` value: delta-seconds or an HTTP date; None if unreadable."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - wall_now)


def _parse_reset(value: str | None, *, wall_now: float) -> float | None:
    """Seconds until an `X-RateLimit-Reset` instant (ISO 8601); None if unreadable."""
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, when.timestamp() - wall_now)


def server_wait(headers: Mapping[str, str] | None, *, wall_now: float, status: int = 429) -> float | None:
    """The wait the server asked for: the longest of `Retry-After`, `Beta-Retry-After` and, on a
    429 without either, `X-RateLimit-Reset`. None when the server named no wait.

    `headers` should be case-insensitive (an `httpx.Headers`); a plain dict is matched as given.
    """
    if not headers:
        return None
    waits = [
        w
        for w in (
            parse_retry_after(headers.get("retry-after"), wall_now=wall_now),
            parse_retry_after(headers.get("beta-retry-after"), wall_now=wall_now),
        )
        if w is not None
    ]
    if not waits and status == 429:
        reset = _parse_reset(headers.get("x-ratelimit-reset"), wall_now=wall_now)
        if reset is not None:
            waits.append(reset)
    return max(waits) if waits else None


def never_reached_jira(outcome: int | BaseException) -> bool:
    """True when the outcome proves Jira did not act on the request."""
    if isinstance(outcome, int):
        return outcome in _UNPROCESSED_STATUSES
    return isinstance(outcome, _NOT_SENT)


def retry_delay(
    attempt: int,
    outcome: int | BaseException,
    headers: Mapping[str, str] | None,
    *,
    idempotent: bool,
    policy: RetryPolicy,
    wall_now: float,
    rand: float,
) -> float | None:
    """Seconds to wait before the next attempt, or None to stop.

    Args:
        attempt: Attempts made so far (1 after the first).
        outcome: The status code of the answer, or the transport exception.
        headers: The answer's headers (case-insensitive mapping), if there was an answer.
        idempotent: The request may be applied twice without harm.
        policy: The bounds.
        wall_now: Epoch seconds, to read `Retry-After` dates.
        rand: A uniform number in [0, 1) for the jitter.
    """
    if attempt > policy.max_retries:
        return None
    if isinstance(outcome, int):
        if outcome not in RETRYABLE_STATUSES:
            return None
    elif not isinstance(outcome, _NOT_SENT + _MAYBE_SENT):
        return None
    if not idempotent and not never_reached_jira(outcome):
        return None
    backoff = min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
    status = outcome if isinstance(outcome, int) else 0
    asked = server_wait(headers, wall_now=wall_now, status=status)
    if asked is not None:
        # The server's wait is a minimum. A floor that still grows keeps `Retry-After: 0` from
        # becoming a hot loop, and up to 30% on top spreads callers that were told the same.
        floor = max(asked, backoff / 2, policy.min_delay)
        return floor * (1.0 + 0.3 * rand)
    # Full jitter: callers that failed together come back apart.
    return max(policy.min_delay, backoff * rand)
