"""`TrafficControl`: ASGI middleware giving the sandbox Jira Cloud's rate limits and failures.

Per request, in order: log it; the per-token burst bucket (429 `jira-burst-based`); the
per-issue write limit (429 `jira-per-issue-on-write`); then, from a seeded RNG, at most one fault:

    drop         the connection closes without an answer
    timeout      the app runs (a write applies) but the answer is held `timeout_hold` seconds
    unavailable  503 with Retry-After, app not called
    error        500/502/504, app not called; some with an HTML body as Jira's proxies send
    ambiguous    a write the app applied (2xx) is answered 500: the case clients must not retry blindly
    malformed    a 2xx JSON body is cut short
plus `latency` added to any request. Successful answers carry `X-RateLimit-Limit/Remaining`
and `X-RateLimit-NearLimit: true` below 20 % left. The RNG draws the same numbers for every
request whatever happens, so one seed and one request order give one fault sequence.

A dropped connection raises `DroppedConnection` (an `httpx.RemoteProtocolError`) after sending
the response head: uvicorn then closes the socket mid-response, so a client over HTTP sees the
peer hang up; in process (`httpx.ASGITransport`) the exception reaches the caller of `send`.
"""

from __future__ import annotations

import json
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import anyio
import httpx

from jiramcp.sandbox._traffic_limits import (
    IssueWriteLimiter,
    RateLimitConfig,
    TokenBuckets,
    issue_of_write,
    retry_after_seconds,
    token_id,
)
from jiramcp.sandbox._traffic_log import RequestLog, RequestRecord, endpoint_template

__all__ = ["DroppedConnection", "FaultConfig", "RateLimitConfig", "RequestLog", "TrafficControl"]

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_HTML_ERROR = (
    "<!DOCTYPE html><html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1>"
    "<p>The server encountered a temporary error. Please try again.</p></body></html>"
)
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


class DroppedConnection(httpx.RemoteProtocolError):
    """The sandbox hung up without answering (an injected `drop` fault)."""


@dataclass(frozen=True)
class FaultConfig:
    """Injected failures; rates are probabilities per request (0 turns a fault off).

    Attributes:
        seed: seeds the RNG; same seed and request order → same faults.
        latency: (low, high) seconds added to every request, drawn uniformly.
        drop_rate, timeout_rate, unavailable_rate, error_rate: pre-answer faults (one at most).
        timeout_hold: seconds a `timeout` answer is held (set above the client's timeout).
        unavailable_retry_after: `Retry-After` seconds on 503.
        html_share: part of `error` answers with an HTML body instead of JSON.
        ambiguous_write_rate: applied writes answered 500.
        malformed_rate: 2xx JSON answers whose body is cut short.
        path_prefix: only requests under it get faults.
    """

    seed: int = 0
    latency: tuple[float, float] = (0.0, 0.0)
    drop_rate: float = 0.0
    timeout_rate: float = 0.0
    timeout_hold: float = 30.0
    unavailable_rate: float = 0.0
    unavailable_retry_after: int = 5
    error_rate: float = 0.0
    html_share: float = 0.5
    ambiguous_write_rate: float = 0.0
    malformed_rate: float = 0.0
    path_prefix: str = "/rest/"


class TrafficControl:
    """Wrap an ASGI app with Jira Cloud's limits and seeded faults.

    Args:
        app: the sandbox ASGI app.
        limits: rate limits (`RateLimitConfig()` is Jira's defaults).
        faults: injected failures (`FaultConfig()` injects none).
        log: where requests are counted; a new `RequestLog` if omitted.
        clock: seconds, for buckets and windows (default `time.time`); inject a fake in tests.
        sleep: awaited for latency and held answers (default `anyio.sleep`).
        issue_canonical: maps an issue id or key in a path to one name, so `PUT /issue/10001`
            and `PUT /issue/DEMO-1` share a per-issue window (default: as written, uppercased).
    """

    def __init__(
        self,
        app: ASGIApp,
        limits: RateLimitConfig | None = None,
        faults: FaultConfig | None = None,
        log: RequestLog | None = None,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        issue_canonical: Callable[[str], str] | None = None,
    ) -> None:
        import time

        self.app = app
        self.limits = limits or RateLimitConfig()
        self.faults = faults or FaultConfig()
        self.log = log or RequestLog()
        self._clock = clock or time.time
        self._sleep = sleep or anyio.sleep
        self._canonical = issue_canonical or (lambda ref: ref)
        self._buckets = TokenBuckets(self.limits)
        self._issues = IssueWriteLimiter(self.limits)
        self._rng = random.Random(self.faults.seed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"].upper(), scope["path"]
        endpoint = f"{method} {endpoint_template(path)}"
        now = self._clock()
        self.log.received(now, endpoint)
        # Draw the same numbers for every request so the sequence depends only on the seed.
        pick, after, shade, delay_draw = (self._rng.random() for _ in range(4))
        try:
            status, outcome = await self._handle(
                scope, receive, send, method, path, now, (pick, after, shade, delay_draw)
            )
        except DroppedConnection:
            self.log.answered(RequestRecord(now, method, path, endpoint, 0, "drop"))
            raise
        self.log.answered(RequestRecord(now, method, path, endpoint, status, outcome))

    async def _handle(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        method: str,
        path: str,
        now: float,
        draws: tuple[float, float, float, float],
    ) -> tuple[int, str]:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
        limit_headers: list[tuple[str, str]] = []
        if self.limits.enabled:
            allowed, left, wait = self._buckets.take(token_id(headers.get("authorization")), now)
            if not allowed:
                return await self._throttle(send, "jira-burst-based", wait, now, 0)
            limit_headers = self._limit_headers(left)
            issue = issue_of_write(method, path)
            if issue is not None:
                ok, wait = self._issues.take(self._canonical(issue), now)
                if not ok:
                    return await self._throttle(send, "jira-per-issue-on-write", wait, now, int(left))
        pick, after, shade, delay_draw = draws
        faults = self.faults
        faulty = path.startswith(faults.path_prefix)
        low, high = faults.latency
        if faulty and high > 0:
            self.log.fault("latency")
            await self._sleep(low + (high - low) * delay_draw)
        kind = self._pick(pick) if faulty else None
        if kind == "drop":
            self.log.fault("drop")
            await send({"type": "http.response.start", "status": 200, "headers": []})
            raise DroppedConnection("The sandbox dropped the connection (injected fault).")
        if kind == "unavailable":
            self.log.fault("unavailable")
            body = {"errorMessages": ["Service unavailable. Please try again later."], "errors": {}}
            extra = [("retry-after", str(faults.unavailable_retry_after))]
            return await _answer(send, 503, json.dumps(body).encode(), "application/json", extra), "unavailable"
        if kind == "error":
            self.log.fault("error")
            status = (500, 502, 504)[int(after * 3) % 3]
            return await _server_error(send, status, html=shade < faults.html_share), "error"
        status, start, body = await _run(self.app, scope, receive)
        if 200 <= status < 300 and method != "GET":
            self.log.write_applied()
        outcome = "ok"
        if faulty and 200 <= status < 300:
            if method != "GET" and after < faults.ambiguous_write_rate:
                self.log.fault("ambiguous")
                return await _server_error(send, 500, html=False), "ambiguous"
            content_type = _header(start, "content-type")
            if "json" in content_type and body and shade < faults.malformed_rate:
                self.log.fault("malformed")
                body, outcome = body[: max(1, len(body) // 2)], "malformed"
                start = _with_headers(start, [("content-length", str(len(body)))])
        if kind == "timeout":
            self.log.fault("timeout")
            outcome = "timeout"
            await self._sleep(faults.timeout_hold)
        await send(_with_headers(start, limit_headers))
        await send({"type": "http.response.body", "body": body})
        return status, outcome

    def _pick(self, draw: float) -> str | None:
        faults, edge = self.faults, 0.0
        for kind, rate in (
            ("drop", faults.drop_rate),
            ("timeout", faults.timeout_rate),
            ("unavailable", faults.unavailable_rate),
            ("error", faults.error_rate),
        ):
            edge += rate
            if draw < edge:
                return kind
        return None

    def _limit_headers(self, left: float) -> list[tuple[str, str]]:
        limit = self.limits.burst
        headers = [("x-ratelimit-limit", str(limit)), ("x-ratelimit-remaining", str(int(left)))]
        if left < 0.2 * limit:
            headers.append(("x-ratelimit-nearlimit", "true"))
        return headers

    async def _throttle(self, send: Send, reason: str, wait: float, now: float, left: int) -> tuple[int, str]:
        retry = retry_after_seconds(wait)
        reset = datetime.fromtimestamp(now + wait, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        headers = [
            ("retry-after", str(retry)),
            ("x-ratelimit-limit", str(self.limits.burst)),
            ("x-ratelimit-remaining", str(left)),
            ("x-ratelimit-reset", reset),
            ("ratelimit-reason", reason),
        ]
        # Jira's 429 body is not reliably JSON; the sandbox sends the common JSON form.
        body = json.dumps({"errorMessages": ["Rate limit exceeded."], "errors": {}}).encode()
        await _answer(send, 429, body, "application/json", headers)
        return 429, f"throttled:{reason}"


async def _run(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[int, Message, bytes]:
    """Run the app to completion, keeping its answer so a fault can replace or cut it."""
    start: Message = {}
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    return int(start.get("status", 500)), start or {"type": "http.response.start", "status": 500}, b"".join(chunks)


def _header(start: Message, name: str) -> str:
    for key, value in start.get("headers", ()):
        if key.decode("latin-1").lower() == name:
            return value.decode("latin-1")
    return ""


def _with_headers(start: Message, extra: list[tuple[str, str]]) -> Message:
    names = {name for name, _ in extra}
    kept = [(k, v) for k, v in start.get("headers", ()) if k.decode("latin-1").lower() not in names]
    return {**start, "headers": kept + [(k.encode(), v.encode()) for k, v in extra]}


async def _answer(send: Send, status: int, body: bytes, content_type: str, extra: list[tuple[str, str]]) -> int:
    headers = [("content-type", content_type), ("content-length", str(len(body))), *extra]
    await send(
        {"type": "http.response.start", "status": status, "headers": [(k.encode(), v.encode()) for k, v in headers]}
    )
    await send({"type": "http.response.body", "body": body})
    return status


async def _server_error(send: Send, status: int, *, html: bool) -> int:
    reason = _REASONS[status]
    if html:
        page = _HTML_ERROR.format(status=status, reason=reason).encode()
        return await _answer(send, status, page, "text/html;charset=UTF-8", [])
    body = json.dumps({"errorMessages": [f"{reason}."], "errors": {}}).encode()
    return await _answer(send, status, body, "application/json", [])
