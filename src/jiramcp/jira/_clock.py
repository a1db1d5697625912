"""Time, behind a small seam so tests can run minutes of rate limiting in milliseconds."""

from __future__ import annotations

import time
from typing import Protocol

import anyio

__all__ = ["Clock", "SystemClock"]


class Clock(Protocol):
    """What the client needs of time."""

    def now(self) -> float:
        """Monotonic seconds, for spacing requests and cache ages."""
        ...

    def wall(self) -> float:
        """Seconds since the epoch, for `Retry-After` dates and `X-RateLimit-Reset`."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait; a cancellation point."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(max(0.0, seconds))
