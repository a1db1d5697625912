"""Jira Cloud's burst and per-issue write limiters, on an injectable clock."""

from __future__ import annotations

import hashlib
import math
import re
from collections import deque
from dataclasses import dataclass

__all__ = ["IssueWriteLimiter", "RateLimitConfig", "TokenBuckets", "issue_of_write", "token_id"]

# Write paths under one issue: edit, delete, comment, transitions, worklog, watchers, links ...
_ISSUE_WRITE = re.compile(r"^/rest/api/[23]/issue/([^/]+)(?:/[^/]+.*)?$")
_NOT_AN_ISSUE = frozenset(
    {
        "bulk",
        "bulkfetch",
        "createmeta",
        "picker",
        "archive",
        "unarchive",
        "watching",
        "limit",
        "events",
        "properties",
        "rank",
    }
)
_WRITES = frozenset({"POST", "PUT", "DELETE", "PATCH"})


@dataclass(frozen=True)
class RateLimitConfig:
    """Limits, Jira Cloud's by default.

    Attributes:
        enabled: False turns every limiter off (headers are still sent).
        rate: tokens refilled per second into each API token's bucket (Jira: plan for ~10/s).
        burst: bucket capacity. 10 makes the sandbox strict; Atlassian's own example of its burst
            limiter is `burst=100, rate=10`.
        per_issue_windows: (writes, seconds) windows per issue: 20 per 2 s and 100 per 30 s.
    """

    enabled: bool = True
    rate: float = 10.0
    burst: int = 10
    per_issue_windows: tuple[tuple[int, float], ...] = ((20, 2.0), (100, 30.0))


def token_id(authorization: str | None) -> str:
    """A short hash naming the caller's credential; the credential itself is never kept."""
    if not authorization:
        return "anonymous"
    return hashlib.sha256(authorization.encode()).hexdigest()[:16]


def issue_of_write(method: str, path: str) -> str | None:
    """The issue key or id a write request targets (`PUT /issue/DEMO-1`, `POST .../comment`), else None."""
    if method.upper() not in _WRITES:
        return None
    match = _ISSUE_WRITE.match(path)
    if match is None or match.group(1).lower() in _NOT_AN_ISSUE:
        return None
    return match.group(1).upper()


class TokenBuckets:
    """One refilling bucket per API token."""

    def __init__(self, config: RateLimitConfig) -> None:
        self._config = config
        self._buckets: dict[str, tuple[float, float]] = {}  # token → (tokens, at)

    def take(self, token: str, now: float) -> tuple[bool, float, float]:
        """Take one token: (allowed, tokens left, seconds until the next token)."""
        rate, burst = self._config.rate, float(self._config.burst)
        tokens, at = self._buckets.get(token, (burst, now))
        tokens = min(burst, tokens + max(0.0, now - at) * rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[token] = (tokens, now)
        wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / rate
        return allowed, tokens, wait


class IssueWriteLimiter:
    """Sliding windows of accepted writes per issue."""

    def __init__(self, config: RateLimitConfig) -> None:
        self._windows = config.per_issue_windows
        self._longest = max((seconds for _, seconds in self._windows), default=0.0)
        self._writes: dict[str, deque[float]] = {}

    def take(self, issue: str, now: float) -> tuple[bool, float]:
        """Record a write if every window has room: (allowed, seconds until it would have)."""
        stamps = self._writes.setdefault(issue, deque())
        while stamps and stamps[0] <= now - self._longest:
            stamps.popleft()
        wait = 0.0
        for limit, seconds in self._windows:
            recent = [t for t in stamps if t > now - seconds]
            if len(recent) >= limit:
                wait = max(wait, recent[-limit] + seconds - now)
        if wait > 0:
            return False, wait
        stamps.append(now)
        return True, 0.0


def retry_after_seconds(wait: float) -> int:
    """Whole seconds for `Retry-After`: never 0, since a client must wait at least that long."""
    return max(1, math.ceil(wait))
