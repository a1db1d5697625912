"""The client-side request budget every Jira request passes through.

Three gates, taken in this order:

1. **Per-issue write gate** (writes that name an issue): Jira Cloud allows 20 writes per 2 s and
   100 per 30 s to one issue, and answers `RateLimit-Reason: jira-per-issue-on-write` beyond
   that. Writes to that issue wait here, without holding a connection slot, so reads and writes
   to other issues keep flowing.
2. **Concurrency cap**: at most `concurrency` requests in flight.
3. **Token bucket**, with a sliding-window cap: `rate` requests per second with a `burst`, and
   never more than `rate` requests sent in any window of a little over one second (a bucket
   alone lets `rate + burst` through in the second after a quiet spell, and a budget stated as
   "10 requests per second" should hold in every second). The window counts when a request
   really went out, not when it was let go: `slot` yields a `Ticket`, and the caller calls
   `ticket.sent()` once the request's head is on the wire (connecting, the connection pool and
   a busy event loop can hold a request back for tens of milliseconds, and requests let go a
   second apart must not reach Jira closer together). Until then the request counts as sent
   "now"; a ticket never marked counts as sent when its slot ends. The server's signals adjust it:
   `X-RateLimit-NearLimit` or a low `X-RateLimit-Remaining` slow it before a 429 happens, a
   Server/Data Center `X-RateLimit-FillRate` caps it, and a `Retry-After` pauses the whole bucket
   once, for every caller, instead of each caller rediscovering the same 429.

A caller that would have to wait for a pause longer than it may gets `BudgetExhausted` at once.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import anyio

from jiramcp.jira._clock import Clock

__all__ = ["Budget", "BudgetExhausted", "BudgetState", "Ticket"]

logger = logging.getLogger("jiramcp.jira")

PER_ISSUE_REASON = "jira-per-issue-on-write"
# The window the per-second cap counts in: one second plus a margin, because requests sent a
# second apart can still be stamped closer together at Jira's end (its own queueing).
_RATE_WINDOW = 1.05
# Jira Cloud's per-issue write limits: (writes, seconds).
_ISSUE_WINDOWS = ((20, 2.0), (100, 30.0))


class BudgetExhausted(Exception):
    """Waiting for the budget would take longer than the caller allows."""

    def __init__(self, wait: float, reason: str | None) -> None:
        super().__init__(f"budget paused for {wait:.1f} s")
        self.wait = wait
        self.reason = reason


@dataclass(frozen=True, slots=True)
class BudgetState:
    """A snapshot, for logs and `jiramcp check`."""

    rate: float
    tokens: float
    in_flight: int
    paused_for: float
    pauses: int


class Ticket:
    """One request's place in the per-second window, from the grant until it is on the wire."""

    __slots__ = ("_budget", "_open")

    def __init__(self, budget: Budget | None) -> None:
        self._budget = budget
        self._open = budget is not None

    def sent(self) -> None:
        """The request's head has been written: count it in the window from now (once; later calls do nothing)."""
        if self._open:
            self._open = False
            assert self._budget is not None
            self._budget._sent()


@dataclass(slots=True)
class _IssueGate:
    lock: anyio.Lock = field(default_factory=anyio.Lock)
    pause_until: float = float("-inf")
    recent: deque[float] = field(default_factory=deque)


class Budget:
    """Token bucket + concurrency cap + per-issue write gates, on an injectable clock."""

    def __init__(self, *, rate: float, burst: int, concurrency: int, clock: Clock) -> None:
        """
        Args:
            rate: Requests per second; 0 switches the bucket off (pauses still apply).
            burst: Bucket size: requests let through at once after idling.
            concurrency: Requests in flight at most.
            clock: Time source.
        """
        self._clock = clock
        self.enabled = rate > 0
        self.configured_rate = rate
        self._target = rate
        self._rate = rate
        self._min_rate = max(rate / 10, 0.1) if rate > 0 else 0.0
        self._burst = max(1, burst)
        self._tokens = float(self._burst)
        self._last = clock.now()
        self._started: deque[float] = deque()  # when granted requests were sent, oldest first
        self._unsent = 0  # granted, not yet sent: they count as sent "now"
        self._sent_event = anyio.Event()
        self._last_slowdown = float("-inf")
        self._pause_until = float("-inf")
        self._pause_reason: str | None = None
        self.pauses = 0
        self._lock = anyio.Lock()
        self._concurrency = concurrency
        self._slots = anyio.Semaphore(concurrency)
        self._issues: dict[str, _IssueGate] = {}

    @property
    def rate(self) -> float:
        """The bucket's current rate (lower than configured while the server signals pressure)."""
        return self._rate

    def state(self) -> BudgetState:
        now = self._clock.now()
        return BudgetState(
            rate=self._rate,
            tokens=round(self._tokens, 2),
            in_flight=self._concurrency - self._slots.value,
            paused_for=max(0.0, self._pause_until - now),
            pauses=self.pauses,
        )

    @asynccontextmanager
    async def slot(self, *, max_wait: float, write_issue: str | None = None) -> AsyncIterator[Ticket]:
        """Hold a place in the budget for one request.

        Args:
            max_wait: Longest pause (server-imposed) the caller accepts; beyond it,
                `BudgetExhausted` is raised without waiting.
            write_issue: Key of the issue this request writes to, if any.

        Yields:
            The request's `Ticket`: call `sent()` when its head is on the wire; if nobody does,
            it counts as sent when the slot ends.
        """
        if write_issue is not None:
            await self._enter_issue(write_issue.upper(), max_wait)
        async with self._slots:
            ticket = await self._take_token(max_wait)
            try:
                yield ticket
            finally:
                ticket.sent()

    def _sent(self) -> None:
        self._unsent -= 1
        self._started.append(self._clock.now())
        self._sent_event.set()
        self._sent_event = anyio.Event()

    async def _take_token(self, max_wait: float) -> Ticket:
        if not self.enabled and self._pause_until <= self._clock.now():
            return Ticket(None)
        # One waiter at a time, in arrival order (anyio locks are fair).
        async with self._lock:
            while True:
                now = self._clock.now()
                paused = self._pause_until - now
                if paused > 0:
                    if paused > max_wait:
                        raise BudgetExhausted(paused, self._pause_reason)
                    await self._clock.sleep(paused)
                    continue
                if not self.enabled:
                    return Ticket(None)
                self._refill(now)
                # The epsilon absorbs float residue: a sleep shorter than the clock's resolution
                # would not move time and the loop would spin.
                if self._tokens >= 1.0 - 1e-9:
                    window_wait = self._window_wait(now)
                    if window_wait is None:
                        # The window is full of requests granted but not yet sent: only one of
                        # them going out (and later leaving the window) makes room.
                        await self._sent_event.wait()
                        continue
                    if window_wait > 0:
                        await self._clock.sleep(window_wait)
                        continue
                    self._tokens = max(0.0, self._tokens - 1.0)
                    self._unsent += 1
                    return Ticket(self)
                await self._clock.sleep((1.0 - self._tokens) / self._rate)

    def _window_wait(self, now: float) -> float | None:
        """Seconds until one more request fits in the sliding window (0: it fits now; None: not
        before an unsent request is sent)."""
        while self._started and self._started[0] <= now - _RATE_WINDOW:
            self._started.popleft()
        # Why unsent requests count as sent now: of any `cap + 1` requests, the one granted last
        # was granted before its own send, so within a window of every other one's send; it saw
        # each of them either at its real send time or, unsent, as "now", and was held back. So
        # no window of `_RATE_WINDOW` holds more than `cap` real sends, whatever the delays.
        cap = max(1, int(self._rate + 1e-9))
        excess = len(self._started) + self._unsent - cap + 1  # sent requests that must leave first
        if excess <= 0:
            return 0.0
        if excess > len(self._started):
            return None
        return self._started[excess - 1] + _RATE_WINDOW - now

    def _refill(self, now: float) -> None:
        elapsed = now - self._last
        if elapsed > 0:
            self._tokens = min(float(self._burst), self._tokens + elapsed * self._rate)
            self._last = now

    def pause(self, seconds: float, reason: str | None = None) -> None:
        """Stop every request for `seconds`; an overlapping pause only extends it."""
        now = self._clock.now()
        until = now + seconds
        if until <= self._pause_until:
            return
        if self._pause_until <= now:
            self.pauses += 1
            logger.info("Jira asked to wait %.1f s (%s): pausing all requests", seconds, reason or "no reason")
        self._pause_until = until
        self._pause_reason = reason
        # Restart empty after the pause: a full burst right away is how a second 429 happens.
        self._tokens = 0.0
        self._last = until
        self._slow_down(now, factor=0.5)

    def pause_issue(self, issue_key: str, seconds: float) -> None:
        """Stop writes to one issue for `seconds`."""
        gate = self._issues.setdefault(issue_key.upper(), _IssueGate())
        gate.pause_until = max(gate.pause_until, self._clock.now() + seconds)
        logger.info("Jira limits writes to %s: pausing them for %.1f s", issue_key, seconds)

    def observe(self, status: int, headers: Mapping[str, str]) -> None:
        """Adjust the rate to the server's rate-limit headers (names matched case-insensitively
        when `headers` is an `httpx.Headers`)."""
        if not self.enabled:
            return
        now = self._clock.now()
        fill = _number(headers.get("x-ratelimit-fillrate"))
        interval = _number(headers.get("x-ratelimit-interval-seconds"))
        if fill and interval:
            # Server/Data Center tells its refill rate outright.
            self._target = min(self.configured_rate, max(self._min_rate, fill / interval))
            self._rate = min(self._rate, self._target)
        limit = _number(headers.get("x-ratelimit-limit"))
        remaining = _number(headers.get("x-ratelimit-remaining"))
        near = (headers.get("x-ratelimit-nearlimit") or "").strip().lower() == "true"
        if remaining is not None and limit:
            near = near or remaining < 0.2 * limit
        if status == 429 or near:
            self._slow_down(now, factor=0.5 if status == 429 else 0.7)
        elif self._rate < self._target:
            # Additive increase: back to full speed over about twenty calm answers.
            self._rate = min(self._target, self._rate + self._target / 20)

    def _slow_down(self, now: float, *, factor: float) -> None:
        if not self.enabled or now - self._last_slowdown < 1.0:
            return  # one step per second: a burst of warnings is one signal
        self._refill(now)
        self._last_slowdown = now
        self._rate = max(self._min_rate, self._rate * factor)
        logger.debug("slowing the request budget to %.2f req/s", self._rate)

    async def _enter_issue(self, key: str, max_wait: float) -> None:
        if len(self._issues) > 1000:
            self._forget_idle_issues()
        gate = self._issues.setdefault(key, _IssueGate())
        async with gate.lock:
            while True:
                now = self._clock.now()
                while gate.recent and gate.recent[0] <= now - _ISSUE_WINDOWS[-1][1]:
                    gate.recent.popleft()
                wait = gate.pause_until - now
                for count, window in _ISSUE_WINDOWS:
                    if len(gate.recent) >= count:
                        wait = max(wait, gate.recent[-count] + window - now)
                if wait <= 0:
                    gate.recent.append(now)
                    return
                if wait > max_wait:
                    raise BudgetExhausted(wait, PER_ISSUE_REASON)
                await self._clock.sleep(wait)

    def _forget_idle_issues(self) -> None:
        horizon = self._clock.now() - _ISSUE_WINDOWS[-1][1]
        for key, gate in list(self._issues.items()):
            idle = not gate.recent or gate.recent[-1] <= horizon
            if idle and gate.pause_until <= horizon and not gate.lock.locked():
                del self._issues[key]


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.strip())
    except ValueError:
        return None
