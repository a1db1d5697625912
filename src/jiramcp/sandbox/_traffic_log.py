"""`RequestLog`: what the sandbox saw and answered, for tests and benchmarks."""

from __future__ import annotations

import re
import threading
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any

__all__ = ["RequestLog", "RequestRecord", "endpoint_template"]

_KEY_OR_ID = re.compile(r"^(?:[A-Za-z][A-Za-z0-9_]*-\d+|\d+)$")


def endpoint_template(path: str) -> str:
    """A route-like template of a path: issue keys and numeric ids become `{id}`.

    The first three segments (`/rest/api/3`, `/rest/agile/1.0`) are kept: they name the API version.
    """
    parts = path.split("/")
    return "/".join("{id}" if n > 3 and _KEY_OR_ID.match(part) else part for n, part in enumerate(parts))


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request as the middleware answered it (no headers, no bodies: no secrets)."""

    time: float
    method: str
    path: str
    endpoint: str
    status: int
    outcome: str  # "ok", "throttled:<reason>", or the fault's name


class RequestLog:
    """Counters and a bounded record of requests; safe to read while the sandbox serves.

    Attributes:
        requests_by_endpoint: `"GET /rest/api/3/issue/{id}"` → count (every request received).
        throttled: 429s sent, by `RateLimit-Reason`.
        faults: injected faults, by kind (`latency` counts delayed requests).
        writes_applied: 2xx answers from the app to non-GET requests, counted before any fault
            replaced the answer (so "applied but answered 500" writes are in it).
        max_requests_per_second: most requests received within any sliding 1 s window.
        records: the last `max_records` requests.
    """

    def __init__(self, max_records: int = 10_000) -> None:
        self._lock = threading.Lock()
        self.requests_by_endpoint: Counter[str] = Counter()
        self.throttled: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self.writes_applied = 0
        self.max_requests_per_second = 0
        self.records: deque[RequestRecord] = deque(maxlen=max_records)
        self._window: deque[float] = deque()

    @property
    def total_requests(self) -> int:
        return sum(self.requests_by_endpoint.values())

    def received(self, now: float, endpoint: str) -> None:
        with self._lock:
            self.requests_by_endpoint[endpoint] += 1
            self._window.append(now)
            while self._window and self._window[0] <= now - 1.0:
                self._window.popleft()
            self.max_requests_per_second = max(self.max_requests_per_second, len(self._window))

    def answered(self, record: RequestRecord) -> None:
        with self._lock:
            self.records.append(record)
            if record.outcome.startswith("throttled:"):
                self.throttled[record.outcome.partition(":")[2]] += 1

    def fault(self, kind: str) -> None:
        with self._lock:
            self.faults[kind] += 1

    def write_applied(self) -> None:
        with self._lock:
            self.writes_applied += 1

    def snapshot(self) -> dict[str, Any]:
        """A JSON-ready summary (for `/sandbox/stats`-style endpoints and benchmark output)."""
        with self._lock:
            return {
                "total_requests": sum(self.requests_by_endpoint.values()),
                "requests_by_endpoint": dict(self.requests_by_endpoint),
                "throttled": dict(self.throttled),
                "faults": dict(self.faults),
                "writes_applied": self.writes_applied,
                "max_requests_per_second": self.max_requests_per_second,
            }

    def reset(self) -> None:
        with self._lock:
            self.requests_by_endpoint.clear()
            self.throttled.clear()
            self.faults.clear()
            self.writes_applied = 0
            self.max_requests_per_second = 0
            self.records.clear()
            self._window.clear()
