"""The request budget: rate conformance, concurrency cap, one pause for all, server signals."""

from __future__ import annotations

import anyio
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiramcp.jira import Budget, RateLimited

from ._fakes import FakeClock, json_response, make_client

pytestmark = pytest.mark.anyio


def _worst_window_excess(times: list[float], rate: float, burst: int) -> float:
    """Largest (requests in [t_i, t_j]) - (burst + rate * (t_j - t_i)) over all windows."""
    worst = float("-inf")
    for i in range(len(times)):
        for j in range(i, len(times)):
            worst = max(worst, (j - i + 1) - (burst + rate * (times[j] - times[i])))
    return worst


async def test_requests_from_many_tasks_never_exceed_the_budget_in_any_window() -> None:
    clock = FakeClock()
    seen: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(clock.now())
        return json_response(200, {"ok": True})

    client = make_client(handler, clock, rate=10.0, burst=5, concurrency=4)

    async def worker() -> None:
        for _ in range(6):
            await client.request_json("GET", "/rest/api/3/serverInfo")

    with anyio.fail_after(20):
        async with clock.running(), client, anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(worker)
    assert len(seen) == 120
    assert _worst_window_excess(seen, rate=10.0, burst=5) <= 1e-6
    # Stricter than the bucket: no one-second window holds more than `rate` requests...
    assert max(sum(1 for t in seen if start <= t < start + 1.0) for start in seen) <= 10
    # ...and the budget is used, not wasted: within 6% of the ideal 120 / rate.
    assert 11.0 <= seen[-1] - seen[0] <= 12.0 * 1.06


async def test_no_more_requests_are_in_flight_than_the_concurrency_cap() -> None:
    clock = FakeClock()
    in_flight = peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await clock.sleep(0.7)  # a slow Jira
        in_flight -= 1
        return json_response(200, {})

    client = make_client(handler, clock, rate=100.0, burst=50, concurrency=3)
    with anyio.fail_after(20):
        async with clock.running(), client, anyio.create_task_group() as tg:
            for _ in range(30):
                tg.start_soon(client.request_json, "GET", "/rest/api/3/status")
    assert peak == 3


async def test_with_the_bucket_off_requests_are_not_spaced() -> None:
    clock = FakeClock()
    seen: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(clock.now())
        return json_response(200, {})

    client = make_client(handler, clock, rate=0, concurrency=8)
    with anyio.fail_after(10):
        async with clock.running(), client, anyio.create_task_group() as tg:
            for _ in range(40):
                tg.start_soon(client.request_json, "GET", "/rest/api/3/status")
    assert len(seen) == 40 and seen[-1] == seen[0]


async def test_one_429_with_retry_after_pauses_all_callers_once() -> None:
    clock = FakeClock()
    log: list[tuple[float, int]] = []
    until: float | None = None

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal until
        now = clock.now()
        if until is None:
            until = now + 2.0
        if now < until:
            log.append((now, 429))
            return httpx.Response(429, text="", headers={"Retry-After": "2"})
        log.append((now, 200))
        return json_response(200, {"accountId": "a"})

    client = make_client(handler, clock, rate=10.0, burst=5, concurrency=4)
    with anyio.fail_after(20):
        async with clock.running(), client, anyio.create_task_group() as tg:
            for _ in range(20):
                tg.start_soon(client.request_json, "GET", "/rest/api/3/myself")
    rejected = [t for t, status in log if status == 429]
    assert until is not None
    # Only requests already in flight when the first 429 came back can have met it.
    assert 1 <= len(rejected) <= 4
    assert all(t == log[0][0] for t in rejected)
    assert sum(1 for _, status in log if status == 200) == 20
    assert all(t >= until for t, status in log if status == 200)
    assert client.budget.pauses == 1
    # After the pause the bucket restarts empty: no burst that would earn a second 429.
    resumed = [t for t, status in log if status == 200]
    assert _worst_window_excess(resumed, rate=10.0, burst=1) <= 1e-6


async def test_a_pause_longer_than_the_retry_budget_fails_fast_for_every_caller() -> None:
    clock = FakeClock()
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(
            429, text="<html>slow down</html>", headers={"Retry-After": "3600", "content-type": "text/html"}
        )

    client = make_client(handler, clock)
    async with clock.running(), client:
        with pytest.raises(RateLimited) as first:
            await client.request_json("GET", "/rest/api/3/myself")
        started = clock.now()
        with pytest.raises(RateLimited) as second:
            await client.request_json("GET", "/rest/api/3/field")
    assert calls == 1  # the second caller did not rediscover the 429
    assert clock.now() == started  # nor wait for an hour
    assert first.value.retry_after == pytest.approx(3600)
    assert second.value.retry_after == pytest.approx(3600)
    assert "try again in 3600 s" in str(second.value)


async def test_near_limit_headers_slow_the_bucket_and_calm_answers_restore_it() -> None:
    clock = FakeClock()
    budget = Budget(rate=10.0, burst=5, concurrency=4, clock=clock)
    budget.observe(200, httpx.Headers({"X-RateLimit-NearLimit": "true"}))
    assert budget.rate == pytest.approx(7.0)
    budget.observe(200, httpx.Headers({"x-ratelimit-nearlimit": "TRUE"}))
    assert budget.rate == pytest.approx(7.0)  # one step per second
    clock._now += 1.5
    budget.observe(200, httpx.Headers({"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "5"}))
    assert budget.rate == pytest.approx(4.9)
    for _ in range(200):
        budget.observe(200, httpx.Headers({"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "90"}))
    assert budget.rate == pytest.approx(10.0)


async def test_server_fill_rate_caps_the_bucket() -> None:
    budget = Budget(rate=10.0, burst=5, concurrency=4, clock=FakeClock())
    budget.observe(200, httpx.Headers({"X-RateLimit-FillRate": "2", "X-RateLimit-Interval-Seconds": "1"}))
    assert budget.rate == pytest.approx(2.0)
    for _ in range(100):
        budget.observe(200, httpx.Headers({}))
    assert budget.rate == pytest.approx(2.0)


async def test_writes_to_one_issue_keep_under_jiras_per_issue_limit() -> None:
    clock = FakeClock()
    seen: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(clock.now())
        return httpx.Response(204)

    client = make_client(handler, clock, rate=1000.0, burst=1000, concurrency=16)
    with anyio.fail_after(20):
        async with clock.running(), client, anyio.create_task_group() as tg:
            for i in range(45):
                tg.start_soon(lambda i=i: client.edit_issue("PROJ-1", fields={"summary": f"s{i}"}))
    assert len(seen) == 45
    # 20 writes per 2 s: never 21 within a 2-second window.
    assert all(seen[i + 20] - seen[i] >= 2.0 for i in range(len(seen) - 20))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rate=st.sampled_from([2.0, 5.0, 10.0, 25.0]),
    burst=st.integers(1, 8),
    concurrency=st.integers(1, 6),
    arrivals=st.lists(st.floats(0, 3), min_size=5, max_size=40),
)
def test_any_arrival_pattern_stays_within_burst_plus_rate_times_window(
    rate: float, burst: int, concurrency: int, arrivals: list[float]
) -> None:
    clock = FakeClock()
    budget = Budget(rate=rate, burst=burst, concurrency=concurrency, clock=clock)
    granted: list[float] = []

    async def one(delay: float) -> None:
        await clock.sleep(delay)
        async with budget.slot(max_wait=60):
            granted.append(clock.now())
            await clock.sleep(0.05)

    async def main() -> None:
        with anyio.fail_after(20):
            async with clock.running(), anyio.create_task_group() as tg:
                for delay in arrivals:
                    tg.start_soon(one, delay)

    anyio.run(main)
    assert len(granted) == len(arrivals)
    assert _worst_window_excess(sorted(granted), rate=rate, burst=burst) <= 1e-6
