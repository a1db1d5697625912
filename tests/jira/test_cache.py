"""The metadata cache: single flight, TTL, failures not cached."""

from __future__ import annotations

import anyio
import httpx
import pytest
import respx

from jiramcp.jira import MetadataCache, ServerError

from ._fakes import BASE, FakeClock, make_client

pytestmark = pytest.mark.anyio


async def test_fifty_concurrent_callers_cause_one_request() -> None:
    router = respx.Router(base_url=BASE)
    route = router.get("/rest/api/3/field").respond(200, json=[{"id": "summary", "name": "Summary"}])
    results: list[object] = []
    async with make_client(router) as client:

        async def call() -> None:
            results.append(await client.fields())

        with anyio.fail_after(10):
            async with anyio.create_task_group() as tg:
                for _ in range(50):
                    tg.start_soon(call)
        assert route.call_count == 1
        assert len(results) == 50 and all(r == [{"id": "summary", "name": "Summary"}] for r in results)
        await client.fields()
        assert route.call_count == 1


async def test_entries_expire_after_the_ttl() -> None:
    clock = FakeClock()
    router = respx.Router(base_url=BASE)
    route = router.get("/rest/api/3/status").respond(200, json=[{"id": "1"}])
    async with make_client(router, clock, cache_ttl=60) as client:
        await client.statuses()
        clock._now += 59
        await client.statuses()
        assert route.call_count == 1
        clock._now += 2
        await client.statuses()
        assert route.call_count == 2


async def test_a_failed_load_reaches_every_waiter_and_is_not_cached() -> None:
    clock = FakeClock()
    calls = 0
    release = anyio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            await release.wait()
            return httpx.Response(500)
        return httpx.Response(200, json=[{"id": "3"}])

    errors: list[BaseException] = []
    async with make_client(handler, clock, retry=None) as client:
        client._retry = client._retry.__class__(max_retries=0)

        async def call() -> None:
            try:
                await client.priorities()
            except ServerError as exc:
                errors.append(exc)

        with anyio.fail_after(10):
            async with anyio.create_task_group() as tg:
                for _ in range(10):
                    tg.start_soon(call)
                await anyio.wait_all_tasks_blocked()
                release.set()
        assert len(errors) == 10 and calls == 1
        assert await client.priorities() == [{"id": "3"}]
        assert calls == 2


async def test_a_cancelled_leader_hands_the_load_to_a_waiter() -> None:
    clock = FakeClock()
    cache = MetadataCache(300, clock)
    started = anyio.Event()
    loads = 0

    async def slow() -> str:
        nonlocal loads
        loads += 1
        if loads == 1:
            started.set()
            await anyio.sleep_forever()
        return "value"

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            leader = anyio.CancelScope()

            async def lead() -> None:
                with leader:
                    await cache.get("k", slow)

            tg.start_soon(lead)
            await started.wait()
            result: list[str] = []

            async def wait() -> None:
                result.append(await cache.get("k", slow))

            tg.start_soon(wait)
            await anyio.wait_all_tasks_blocked()
            leader.cancel()
    assert result == ["value"] and loads == 2
