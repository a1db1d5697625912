"""TrafficControl over a tiny stand-in app: limits, headers, faults, counters, determinism."""

from __future__ import annotations

import json
from datetime import datetime

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from jiramcp.sandbox._traffic import DroppedConnection, FaultConfig, RateLimitConfig, RequestLog, TrafficControl
from jiramcp.sandbox._traffic_limits import issue_of_write, token_id

pytestmark = pytest.mark.anyio


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def stand_in_app() -> tuple[Starlette, list[str]]:
    applied: list[str] = []

    async def get_issue(request: Request) -> Response:
        return JSONResponse({"key": request.path_params["key"], "fields": {"summary": "x" * 40}})

    async def edit_issue(request: Request) -> Response:
        applied.append(request.path_params["key"])
        return Response(status_code=204)

    async def comment(request: Request) -> Response:
        applied.append(request.path_params["key"])
        return JSONResponse({"id": "1"}, status_code=201)

    app = Starlette(
        routes=[
            Route("/rest/api/3/issue/{key}", get_issue, methods=["GET"]),
            Route("/rest/api/3/issue/{key}", edit_issue, methods=["PUT"]),
            Route("/rest/api/3/issue/{key}/comment", comment, methods=["POST"]),
        ]
    )
    return app, applied


def client_for(
    limits: RateLimitConfig | None = None, faults: FaultConfig | None = None, token: str = "Basic abc"
) -> tuple[httpx.AsyncClient, TrafficControl, FakeClock, list[str]]:
    clock = FakeClock()
    app, applied = stand_in_app()
    control = TrafficControl(
        app, limits or RateLimitConfig(), faults or FaultConfig(), RequestLog(), clock=clock, sleep=clock.sleep
    )
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=control), base_url="http://sandbox", headers={"Authorization": token}
    )
    return client, control, clock, applied


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_burst_budget_answers_429_with_jira_headers_once_exhausted() -> None:
    client, control, clock, _ = client_for(RateLimitConfig(rate=10, burst=10))
    with anyio.fail_after(5):
        answers = [await client.get("/rest/api/3/issue/DEMO-1") for _ in range(13)]
    statuses = [a.status_code for a in answers]
    assert statuses == [200] * 10 + [429] * 3
    refused = answers[-1].headers
    assert refused["RateLimit-Reason"] == "jira-burst-based"
    assert refused["Retry-After"] == "1"
    assert refused["X-RateLimit-Limit"] == "10" and refused["X-RateLimit-Remaining"] == "0"
    datetime.fromisoformat(refused["X-RateLimit-Reset"])
    assert answers[0].headers["X-RateLimit-Remaining"] == "9"
    assert "X-RateLimit-NearLimit" not in answers[0].headers
    assert answers[9].headers["X-RateLimit-NearLimit"] == "true"
    assert control.log.throttled == {"jira-burst-based": 3}
    clock.now += 0.11  # one token refilled
    assert (await client.get("/rest/api/3/issue/DEMO-1")).status_code == 200


async def test_budget_is_per_token_and_the_token_is_never_stored() -> None:
    client, control, _, _ = client_for(RateLimitConfig(rate=1, burst=2))
    for _ in range(2):
        assert (await client.get("/rest/api/3/issue/DEMO-1")).status_code == 200
    assert (await client.get("/rest/api/3/issue/DEMO-1")).status_code == 429
    other = await client.get("/rest/api/3/issue/DEMO-1", headers={"Authorization": "Basic other"})
    assert other.status_code == 200
    assert "abc" not in repr(control._buckets._buckets) and token_id("Basic abc") != "Basic abc"


async def test_per_issue_429_limits_only_writes_to_that_issue() -> None:
    client, _, clock, applied = client_for(RateLimitConfig(rate=1000, burst=1000))
    answers = [await client.put("/rest/api/3/issue/DEMO-1", json={}) for _ in range(21)]
    assert [a.status_code for a in answers] == [204] * 20 + [429]
    assert answers[-1].headers["RateLimit-Reason"] == "jira-per-issue-on-write"
    assert int(answers[-1].headers["Retry-After"]) >= 1
    assert (await client.post("/rest/api/3/issue/DEMO-1/comment", json={})).status_code == 429
    assert (await client.put("/rest/api/3/issue/DEMO-2", json={})).status_code == 204
    assert (await client.get("/rest/api/3/issue/DEMO-1")).status_code == 200
    assert applied.count("DEMO-1") == 20
    clock.now += 2.01
    assert (await client.put("/rest/api/3/issue/DEMO-1", json={})).status_code == 204


async def test_per_issue_long_window_allows_100_writes_in_30_seconds() -> None:
    client, _, clock, _ = client_for(RateLimitConfig(rate=1000, burst=1000))
    ok = 0
    for _ in range(12):
        for _ in range(20):
            ok += (await client.put("/rest/api/3/issue/DEMO-1", json={})).status_code == 204
        clock.now += 2.1
    assert ok == 100


def test_write_paths_name_their_issue_and_other_paths_do_not() -> None:
    assert issue_of_write("PUT", "/rest/api/3/issue/demo-7") == "DEMO-7"
    assert issue_of_write("POST", "/rest/api/3/issue/DEMO-7/transitions") == "DEMO-7"
    assert issue_of_write("POST", "/rest/api/3/issue/10001/worklog") == "10001"
    assert issue_of_write("GET", "/rest/api/3/issue/DEMO-7") is None
    assert issue_of_write("POST", "/rest/api/3/issue/bulk") is None
    assert issue_of_write("POST", "/rest/api/3/issue") is None


async def test_error_fault_sends_5xx_sometimes_as_html_without_calling_the_app() -> None:
    client, control, _, applied = client_for(
        RateLimitConfig(enabled=False), FaultConfig(seed=3, error_rate=1.0, html_share=0.5)
    )
    answers = [await client.put("/rest/api/3/issue/DEMO-1", json={}) for _ in range(30)]
    assert {a.status_code for a in answers} <= {500, 502, 504} and len({a.status_code for a in answers}) > 1
    kinds = {a.headers["content-type"].split(";")[0] for a in answers}
    assert kinds == {"text/html", "application/json"}
    assert applied == [] and control.log.writes_applied == 0 and control.log.faults["error"] == 30


async def test_unavailable_fault_answers_503_with_retry_after() -> None:
    client, _, _, _ = client_for(faults=FaultConfig(unavailable_rate=1.0, unavailable_retry_after=7))
    answer = await client.get("/rest/api/3/issue/DEMO-1")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "7"


async def test_ambiguous_write_is_applied_but_answered_500() -> None:
    client, control, _, applied = client_for(faults=FaultConfig(ambiguous_write_rate=1.0))
    answer = await client.post("/rest/api/3/issue/DEMO-1/comment", json={})
    assert answer.status_code == 500 and applied == ["DEMO-1"]
    assert control.log.writes_applied == 1 and control.log.faults["ambiguous"] == 1
    assert (await client.get("/rest/api/3/issue/DEMO-1")).status_code == 200  # reads are never ambiguous


async def test_malformed_fault_cuts_the_json_body() -> None:
    client, _, _, _ = client_for(faults=FaultConfig(malformed_rate=1.0))
    answer = await client.get("/rest/api/3/issue/DEMO-1")
    assert answer.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        answer.json()


async def test_dropped_connection_reaches_the_in_process_caller_as_a_protocol_error() -> None:
    client, control, _, applied = client_for(faults=FaultConfig(drop_rate=1.0))
    with pytest.raises(httpx.RemoteProtocolError):
        await client.put("/rest/api/3/issue/DEMO-1", json={})
    assert applied == [] and control.log.records[-1].outcome == "drop"
    assert issubclass(DroppedConnection, httpx.TransportError)


async def test_timeout_fault_holds_the_answer_and_latency_is_added() -> None:
    client, control, clock, applied = client_for(
        faults=FaultConfig(timeout_rate=1.0, timeout_hold=45.0, latency=(0.2, 0.2))
    )
    answer = await client.put("/rest/api/3/issue/DEMO-1", json={})
    assert answer.status_code == 204 and applied == ["DEMO-1"]
    assert clock.slept == [pytest.approx(0.2), 45.0]
    assert control.log.faults["timeout"] == 1 and control.log.faults["latency"] == 1


async def fault_sequence(seed: int) -> list[int]:
    client, _, _, _ = client_for(
        RateLimitConfig(enabled=False), FaultConfig(seed=seed, error_rate=0.3, unavailable_rate=0.2)
    )
    return [(await client.get("/rest/api/3/issue/DEMO-1")).status_code for _ in range(40)]


async def test_same_seed_gives_the_same_fault_sequence() -> None:
    first, again, other = await fault_sequence(11), await fault_sequence(11), await fault_sequence(12)
    assert first == again and first != other
    assert {200, 503} <= set(first)


async def test_log_counts_endpoints_writes_and_the_busiest_second() -> None:
    client, control, clock, _ = client_for(RateLimitConfig(rate=1000, burst=1000))
    for n in range(5):
        await client.get(f"/rest/api/3/issue/DEMO-{n}")
        clock.now += 0.1
    clock.now += 5
    await client.put("/rest/api/3/issue/DEMO-1", json={})
    await client.post("/rest/api/3/issue/DEMO-1/comment", json={})
    log = control.log
    assert log.requests_by_endpoint == {
        "GET /rest/api/3/issue/{id}": 5,
        "PUT /rest/api/3/issue/{id}": 1,
        "POST /rest/api/3/issue/{id}/comment": 1,
    }
    assert log.max_requests_per_second == 5 and log.writes_applied == 2
    assert [r.status for r in log.records][-2:] == [204, 201]
    assert log.snapshot()["total_requests"] == 7
