"""A small TTL cache with single-flight loading, for Jira's slowly changing metadata.

Fields, statuses, priorities and the like change rarely and are asked for constantly (every
JQL lint, every create). Fifty concurrent callers for a missing entry cause one request: the
first loads, the others wait for its answer. A failed load is not cached; its waiters get the
same error. If the loading task is cancelled, a waiter takes over.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio

from jiramcp.jira._clock import Clock

__all__ = ["MetadataCache"]

T = TypeVar("T")


@dataclass(slots=True)
class _Flight:
    done: anyio.Event = field(default_factory=anyio.Event)
    ok: bool = False
    value: Any = None
    error: BaseException | None = None


class MetadataCache:
    """Values by key, each kept for `ttl` seconds."""

    def __init__(self, ttl: float, clock: Clock) -> None:
        self._ttl = ttl
        self._clock = clock
        self._values: dict[Hashable, tuple[float, Any]] = {}
        self._flights: dict[Hashable, _Flight] = {}
        self.loads = 0

    async def get(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        """The cached value for `key`, loading it once if missing or expired."""
        while True:
            cached = self._values.get(key)
            if cached is not None and cached[0] > self._clock.now():
                return cached[1]  # type: ignore[no-any-return]
            flight = self._flights.get(key)
            if flight is None:
                return await self._lead(key, load)
            await flight.done.wait()
            if flight.ok:
                return flight.value  # type: ignore[no-any-return]
            if flight.error is not None:
                raise flight.error
            # The leader was cancelled: try again, possibly as the new leader.

    async def _lead(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        flight = _Flight()
        self._flights[key] = flight
        self.loads += 1
        try:
            value = await load()
        except anyio.get_cancelled_exc_class():
            raise
        except Exception as exc:
            flight.error = exc
            raise
        else:
            if self._ttl > 0:
                self._values[key] = (self._clock.now() + self._ttl, value)
            flight.ok, flight.value = True, value
            return value
        finally:
            del self._flights[key]
            flight.done.set()

    def invalidate(self, key: Hashable | None = None) -> None:
        """Forget one entry, or all of them."""
        if key is None:
            self._values.clear()
        else:
            self._values.pop(key, None)
