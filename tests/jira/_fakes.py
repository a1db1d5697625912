"""Test doubles: a virtual clock that jumps ahead whenever every task is waiting, and a client
factory over an in-process transport."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import anyio.lowlevel
import httpx

from jiramcp.jira import JiraClient, RetryPolicy

BASE = "https://acme.atlassian.net"
TOKEN = "tok-SECRET-5f2a9c"


class FakeClock:
    """Virtual time: `sleep` parks the task; when every other task is blocked, the clock jumps to
    the earliest wake-up (trio's autojump clock, for asyncio). Minutes pass in milliseconds, and
    nothing that runs without sleeping ever sees time move."""

    def __init__(self, start: float = 1000.0, wall: float = 1_800_000_000.0) -> None:
        self._now = start
        self._wall_offset = wall - start
        self._sleepers: list[tuple[float, int, anyio.Event]] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    def wall(self) -> float:
        return self._now + self._wall_offset

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await anyio.lowlevel.checkpoint()
            return
        event = anyio.Event()
        heapq.heappush(self._sleepers, (self._now + seconds, next(self._seq), event))
        await event.wait()

    async def _all_blocked(self) -> None:
        this = asyncio.current_task()
        while True:
            for task in asyncio.all_tasks():
                if task is this:
                    continue
                waiter = task._fut_waiter  # type: ignore[attr-defined]
                if waiter is None or waiter.done():
                    await asyncio.sleep(0)
                    break
            else:
                return

    async def _drive(self) -> None:
        while True:
            await self._all_blocked()
            if not self._sleepers:
                await asyncio.sleep(0.0005)  # real time: nothing virtual to wake
                continue
            deadline = self._sleepers[0][0]
            self._now = max(self._now, deadline)
            while self._sleepers and self._sleepers[0][0] <= self._now:
                heapq.heappop(self._sleepers)[2].set()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[FakeClock]:
        async with anyio.create_task_group() as tg:
            tg.start_soon(self._drive)
            try:
                yield self
            finally:
                tg.cancel_scope.cancel()


Handler = Callable[[httpx.Request], Awaitable[httpx.Response] | httpx.Response]


def make_client(handler: Any, clock: Any = None, base_url: str = BASE, **overrides: Any) -> JiraClient:
    """A Cloud client with basic auth over `handler` (a respx router or a function)."""
    if hasattr(handler, "async_handler"):
        transport: httpx.AsyncBaseTransport = httpx.MockTransport(handler.async_handler)
    else:
        transport = httpx.MockTransport(handler)
    options: dict[str, Any] = {
        "username": "me@example.com",
        "api_token": TOKEN,
        "deployment": "cloud",
        "transport": transport,
        "clock": clock,
        "rng": random.Random(7),
        "retry": RetryPolicy(max_retries=4, max_total_wait=60.0),
    }
    options.update(overrides)
    return JiraClient(base_url, **options)


def json_response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> httpx.Response:
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)
