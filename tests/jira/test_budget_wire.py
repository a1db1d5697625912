"""The budget's per-second window counts requests from when they reached the wire, not when they
were let go: a request held back after its grant (connecting, the pool, a busy loop) must not
let the next second's requests reach Jira bunched with it."""

from __future__ import annotations

import asyncio
import time

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiramcp.jira import Budget, JiraClient, RetryPolicy

from ._fakes import FakeClock

pytestmark = pytest.mark.anyio

WINDOW = 1.05  # the budget's window: one second and a margin


def _most_in_window(times: list[float], window: float) -> int:
    ordered = sorted(times)
    return max((sum(1 for t in ordered if start <= t < start + window) for start in ordered), default=0)


async def test_the_window_counts_a_request_from_when_it_was_sent_not_when_it_was_granted() -> None:
    clock = FakeClock()
    budget = Budget(rate=3.0, burst=10, concurrency=10, clock=clock)
    granted: list[float] = []
    start = clock.now()

    async def held_back(delay: float) -> None:
        async with budget.slot(max_wait=60) as ticket:
            granted.append(clock.now())
            await clock.sleep(delay)  # between the grant and the wire
            ticket.sent()
            await clock.sleep(2.0)  # waiting for the answer: no longer counts as "now"

    with anyio.fail_after(10):
        async with clock.running(), anyio.create_task_group() as tg:
            for _ in range(3):
                tg.start_soon(held_back, 0.5)
            await clock.sleep(0.01)
            tg.start_soon(held_back, 0.0)
    assert granted[:3] == [start] * 3
    # The first three reached the wire at +0.5: the fourth waits a window from then, not from +0.
    assert granted[3] == pytest.approx(start + 0.5 + WINDOW)


async def test_granted_requests_not_yet_sent_fill_the_window_until_one_goes_out() -> None:
    clock = FakeClock()
    budget = Budget(rate=2.0, burst=5, concurrency=5, clock=clock)
    granted: list[float] = []
    start = clock.now()

    async def stuck(until: float) -> None:
        async with budget.slot(max_wait=60) as ticket:
            granted.append(clock.now())
            await clock.sleep(until)  # e.g. a slow connect: not sent yet
            ticket.sent()
            await clock.sleep(0.1)

    async def next_one() -> None:
        async with budget.slot(max_wait=60):
            granted.append(clock.now())

    with anyio.fail_after(10):
        async with clock.running(), anyio.create_task_group() as tg:
            tg.start_soon(stuck, 5.0)
            tg.start_soon(stuck, 7.0)
            await clock.sleep(0.01)
            tg.start_soon(next_one)
    # However long the two stay unsent they count as sent "now"; once the first goes out at +5
    # the third may go a window later (the second, still unsent, may go out at any moment).
    assert granted == [start, start, pytest.approx(start + 5.0 + WINDOW)]


async def test_a_ticket_never_marked_counts_as_sent_when_its_slot_ends() -> None:
    clock = FakeClock()
    budget = Budget(rate=1.0, burst=5, concurrency=5, clock=clock)
    granted: list[float] = []
    start = clock.now()

    async def one(hold: float) -> None:
        async with budget.slot(max_wait=60):
            granted.append(clock.now())
            await clock.sleep(hold)

    with anyio.fail_after(10):
        async with clock.running():
            await one(0.75)
            await one(0.0)
    assert granted == [start, pytest.approx(start + 0.75 + WINDOW)]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rate=st.sampled_from([2.0, 3.0, 5.0, 10.0]),
    burst=st.integers(1, 12),
    concurrency=st.integers(1, 12),
    requests=st.lists(
        st.tuples(st.floats(0, 3), st.floats(0, 0.6), st.floats(0, 0.5), st.booleans()), min_size=3, max_size=35
    ),
)
def test_however_long_requests_wait_between_grant_and_wire_no_window_holds_more_than_rate_sends(
    rate: float, burst: int, concurrency: int, requests: list[tuple[float, float, float, bool]]
) -> None:
    clock = FakeClock()
    budget = Budget(rate=rate, burst=burst, concurrency=concurrency, clock=clock)
    sent: list[float] = []

    async def one(arrival: float, to_wire: float, answer: float, marks: bool) -> None:
        await clock.sleep(arrival)
        async with budget.slot(max_wait=60) as ticket:
            await clock.sleep(to_wire)
            sent.append(clock.now())
            if marks:
                ticket.sent()
            await clock.sleep(answer)  # unmarked: counted when the slot ends, no earlier than the send

    async def main() -> None:
        with anyio.fail_after(30):
            async with clock.running(), anyio.create_task_group() as tg:
                for request in requests:
                    tg.start_soon(one, *request)

    anyio.run(main)
    assert len(sent) == len(requests)
    assert _most_in_window(sent, WINDOW - 1e-9) <= int(rate)


async def test_over_a_real_socket_the_window_runs_from_the_request_head_being_written() -> None:
    """Requests held by a slow server: the window must count them from when they were written
    (httpcore's trace), not from when their answer came back and the slot ended."""
    arrivals: list[float] = []
    hold = 0.5

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if not head:
                    return
                arrivals.append(time.monotonic())
                await asyncio.sleep(hold)
                body = b'{"ok":true}'
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    client = JiraClient(
        f"http://127.0.0.1:{port}",
        username="me@example.com",
        api_token="tok",
        deployment="cloud",
        rate=2.0,
        burst=3,
        concurrency=4,
        retry=RetryPolicy(max_retries=0),
    )
    try:
        with anyio.fail_after(10):
            async with client, anyio.create_task_group() as tg:
                for _ in range(3):
                    tg.start_soon(client.request_json, "GET", "/rest/api/3/myself")
    finally:
        server.close()
        await server.wait_closed()
    assert len(arrivals) == 3
    gap = arrivals[2] - arrivals[0]
    # Two requests fill the window; the third goes a window after the first two were written,
    # not a window after their answers (+hold) ended their slots.
    assert WINDOW - 0.01 <= gap < WINDOW + hold - 0.15
