"""`TrafficReport`: the sandbox's request log over HTTP, for a benchmark or test in another process.

    GET    /_sandbox/traffic           RequestLog.snapshot() plus "records", oldest first
    GET    /_sandbox/traffic?since=T   the same, records received at T or later only
    DELETE /_sandbox/traffic           empty the log (204)

A record is `{"time", "method", "path", "endpoint", "status", "outcome"}`; `time` is when the
traffic middleware received the request, in seconds on the sandbox's clock (`time.time` unless
one was injected). The report wraps the traffic middleware from outside, so asking for it is
never rate-limited, faulted or counted, and it lives outside `/rest/` where no Jira client looks.
It needs no credentials: the sandbox serves made-up data on loopback, and the log keeps no
headers or bodies.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from jiramcp.sandbox._traffic_log import RequestLog

__all__ = ["TRAFFIC_REPORT_PATH", "TrafficReport"]

TRAFFIC_REPORT_PATH = "/_sandbox/traffic"

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class TrafficReport:
    """Answer `TRAFFIC_REPORT_PATH` from `log`; pass every other request on to `app` untouched.

    Args:
        app: the sandbox app, traffic middleware included.
        log: the request log the traffic middleware writes.
    """

    def __init__(self, app: ASGIApp, log: RequestLog) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].rstrip("/") != TRAFFIC_REPORT_PATH:
            await self.app(scope, receive, send)
            return
        method = scope["method"].upper()
        if method in ("GET", "HEAD"):
            since = _since(scope.get("query_string", b""))
            if since is None:
                await _answer(send, 400, _error("The query parameter 'since' must be a number of seconds."))
                return
            await _answer(send, 200, json.dumps(self.report(since)).encode(), head=method == "HEAD")
        elif method == "DELETE":
            self.log.reset()
            await _answer(send, 204, b"")
        else:
            await _answer(send, 405, _error(f"{method} is not supported here."), allow="GET, HEAD, DELETE")

    def report(self, since: float = -math.inf) -> dict[str, Any]:
        """The log's counters and its records received at `since` or later, JSON-ready."""
        # A copy first: the deque may grow while the list is built (the app can serve from threads).
        records = list(self.log.records)
        return {
            **self.log.snapshot(),
            "records": [
                {
                    "time": r.time,
                    "method": r.method,
                    "path": r.path,
                    "endpoint": r.endpoint,
                    "status": r.status,
                    "outcome": r.outcome,
                }
                for r in records
                if r.time >= since
            ],
        }


def _since(query: bytes) -> float | None:
    """`since` from the query string; -inf when absent, None when it is not a finite number."""
    values = parse_qs(query.decode("latin-1")).get("since")
    if not values:
        return -math.inf
    try:
        value = float(values[-1])
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _error(message: str) -> bytes:
    return json.dumps({"errorMessages": [message], "errors": {}}).encode()


async def _answer(send: Send, status: int, body: bytes, *, head: bool = False, allow: str | None = None) -> None:
    headers = [(b"cache-control", b"no-store")]
    if status != 204:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if allow is not None:
        headers.append((b"allow", allow.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head or status == 204 else body})
