"""The composed app: Jira's rate limits and faults reach clients through `create_app`."""

from __future__ import annotations

import httpx
import pytest
from tests.sandbox._sandbox_helpers import make_config

from jiramcp.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, FaultConfig, RateLimitConfig, create_app, in_process_transport

pytestmark = pytest.mark.anyio


def client_for(**overrides: object) -> tuple[httpx.AsyncClient, object]:
    app = create_app(make_config(**overrides))
    client = httpx.AsyncClient(
        transport=in_process_transport(app), base_url="http://t", auth=(SANDBOX_EMAIL, SANDBOX_TOKEN)
    )
    return client, app


async def test_default_limits_throttle_a_burst_with_retry_after() -> None:
    client, app = client_for(limits=RateLimitConfig(rate=10, burst=10))
    async with client:
        statuses = [(await client.get("/rest/api/3/myself")) for _ in range(15)]
    throttled = [r for r in statuses if r.status_code == 429]
    assert throttled and all(r.status_code == 200 for r in statuses[:10])
    assert int(throttled[0].headers["Retry-After"]) >= 1
    assert throttled[0].headers["RateLimit-Reason"] == "jira-burst-based"
    assert app.state.sandbox.log.snapshot()["total_requests"] == 15


async def test_per_issue_write_limit_counts_keys_and_ids_as_one_issue() -> None:
    client, app = client_for(limits=RateLimitConfig(rate=1000, burst=1000))
    issue_id = app.state.sandbox.store.issue("PLAT-1")["id"]
    async with client:
        answers = []
        for n in range(22):
            ref = "PLAT-1" if n % 2 else issue_id
            answers.append(await client.put(f"/rest/api/3/issue/{ref}", json={"fields": {"summary": f"s{n}"}}))
    assert [a.status_code for a in answers[:20]] == [204] * 20
    assert answers[20].status_code == 429 and answers[20].headers["RateLimit-Reason"] == "jira-per-issue-on-write"
    assert app.state.sandbox.log.snapshot()["writes_applied"] == 20


async def test_injected_server_errors_pass_through_the_app() -> None:
    client, _ = client_for(faults=FaultConfig(seed=1, error_rate=1.0))
    async with client:
        response = await client.get("/rest/api/3/myself")
    assert response.status_code in (500, 502, 504)
