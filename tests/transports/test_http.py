"""The Streamable HTTP transport under uvicorn on 127.0.0.1: auth, Host/Origin, health, scoping."""

from __future__ import annotations

import json
import signal

import anyio
import httpx
import pytest

from .conftest import make_http_app, mcp_client, serving, text_of, wait_for

pytestmark = pytest.mark.anyio

TOKEN = "s3cret-token-for-tests"
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
MCP_HEADERS = {"accept": "application/json, text/event-stream", "content-type": "application/json"}


async def post_init(url: str, **headers: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.post(f"{url}/mcp", json=INIT, headers={**MCP_HEADERS, **headers})


async def test_mcp_endpoint_refuses_requests_without_the_bearer_token():
    http, _ = make_http_app({"JIRAMCP_HTTP_TOKEN": TOKEN})
    with anyio.fail_after(30):
        async with serving(http) as (url, _server):
            missing = await post_init(url)
            wrong = await post_init(url, authorization="Bearer not-the-token")
            basic = await post_init(url, authorization=f"Basic {TOKEN}")
            right = await post_init(url, authorization=f"Bearer {TOKEN}")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert wrong.status_code == 401
    assert 'error="invalid_token"' in wrong.headers["www-authenticate"]
    assert basic.status_code == 401
    assert right.status_code == 200
    assert TOKEN not in missing.text + wrong.text


async def test_an_authenticated_mcp_client_lists_and_calls_tools():
    http, _ = make_http_app({"JIRAMCP_HTTP_TOKEN": TOKEN})
    with anyio.fail_after(30):
        async with serving(http) as (url, _server), mcp_client(url, {"authorization": f"Bearer {TOKEN}"}) as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            result = await client.call_tool("jira_search", {"jql": "project = PLAT ORDER BY key", "limit": 3})
    assert "jira_search" in names
    assert not result.is_error
    assert "PLAT-" in text_of(result)


async def test_a_forged_origin_is_refused_and_a_local_one_accepted():
    http, _ = make_http_app({"JIRAMCP_HTTP_TOKEN": TOKEN})
    auth = f"Bearer {TOKEN}"
    with anyio.fail_after(30):
        async with serving(http) as (url, _server):
            port = url.rsplit(":", 1)[1]
            forged = await post_init(url, authorization=auth, origin="http://evil.example")
            lookalike = await post_init(url, authorization=auth, origin=f"http://localhost.evil.example:{port}")
            local = await post_init(url, authorization=auth, origin=f"http://localhost:{port}")
    assert forged.status_code == 403
    assert lookalike.status_code == 403
    assert local.status_code == 200


async def test_a_request_for_another_host_name_is_refused():
    http, _ = make_http_app()
    with anyio.fail_after(30):
        async with serving(http) as (url, _server):
            port = url.rsplit(":", 1)[1]
            rebound = await post_init(url, host=f"attacker.example:{port}")
            local = await post_init(url, host=f"localhost:{port}")
    assert rebound.status_code == 421
    assert local.status_code == 200


async def test_allowed_hosts_and_origins_come_from_the_environment():
    http, _ = make_http_app(
        {"JIRAMCP_HTTP_ALLOWED_HOSTS": "mcp.example.com", "JIRAMCP_HTTP_ALLOWED_ORIGINS": "https://app.example.com"}
    )
    with anyio.fail_after(30):
        async with serving(http) as (url, _server):
            named = await post_init(url, host="mcp.example.com", origin="https://app.example.com")
            localhost = await post_init(url)
    assert named.status_code == 200
    assert localhost.status_code == 421


async def test_health_endpoint_answers_without_a_token():
    http, _ = make_http_app({"JIRAMCP_HTTP_TOKEN": TOKEN})
    with anyio.fail_after(30):
        async with serving(http) as (url, _server), httpx.AsyncClient(timeout=10) as plain:
            health = await plain.get(f"{url}/healthz")
    assert health.status_code == 200
    body = health.json()
    assert body["status"] == "ok"
    assert body["tools"] >= 1


async def test_per_request_credentials_are_isolated_between_concurrent_users():
    http, _ = make_http_app({"JIRAMCP_HTTP_PER_REQUEST_AUTH": "true", "JIRA_USERNAME": "", "JIRA_API_TOKEN": ""})
    users = {"Priya Sharma": "priya.sharma@example.com", "Jonas Weber": "jonas.weber@example.com"}
    seen: dict[str, list[str]] = {name: [] for name in users}

    async def work_as(name: str, email: str) -> None:
        headers = {"x-jira-username": email, "x-jira-api-token": "sandbox-token"}
        async with mcp_client(url, headers) as client:
            for _ in range(4):
                result = await client.call_tool(
                    "jira_search", {"jql": "assignee = currentUser() ORDER BY key", "limit": 10}
                )
                assert not result.is_error, text_of(result)
                seen[name].append(text_of(result))

    with anyio.fail_after(60):
        async with serving(http) as (url, _server):
            async with anyio.create_task_group() as tg:
                for name, email in users.items():
                    tg.start_soon(work_as, name, email)
            refused = await post_init(url)
    for name, answers in seen.items():
        other = next(n for n in users if n != name)
        assert all(name in answer and other not in answer for answer in answers), (name, answers[0])
    assert http.pool is not None and http.pool.opened == 2
    assert refused.status_code == 400
    assert "X-Jira-Api-Token" in refused.json()["error"]


async def test_request_headers_narrow_the_policy_but_never_widen_it():
    http, _ = make_http_app({"JIRAMCP_PROJECTS": "PLAT,MOB"})
    with anyio.fail_after(60):
        async with serving(http) as (url, _server):
            async with mcp_client(url, {"x-jiramcp-projects": "MOB,OPS", "x-jiramcp-toolsets": "search"}) as client:
                names = {tool.name for tool in (await client.list_tools()).tools}
                plat = await client.call_tool("jira_search", {"jql": "project = PLAT", "limit": 3})
                mob = await client.call_tool("jira_search", {"jql": "project = MOB ORDER BY key", "limit": 3})
                issue = await client.call_tool("jira_get_issue", {"key": "MOB-1"})
            async with mcp_client(url) as client:
                wide_names = {tool.name for tool in (await client.list_tools()).tools}
                ops = await client.call_tool("jira_search", {"jql": "project = OPS", "limit": 3})
            bad = await post_init(url, **{"x-jiramcp-toolsets": "everything"})
    assert names <= {"jira_search", "jira_lint_jql"} and "jira_search" in names
    assert "jira_get_issue" in wide_names
    assert "PLAT-" not in text_of(plat)
    assert "MOB-" in text_of(mob)
    assert issue.is_error and "not available on this connection" in text_of(issue)
    assert "OPS-" not in text_of(ops)
    assert bad.status_code == 400


async def test_graceful_shutdown_finishes_the_call_in_flight_and_refuses_new_ones():
    http, _ = make_http_app()
    server_mcp = http.gate  # the gate counts in-flight POSTs
    release = anyio.Event()
    started = anyio.Event()

    async def slow_probe() -> str:
        started.set()
        await release.wait()
        return "finished"

    # A slow tool, added for this test only, to hold a call in flight during the drain.
    http.server.add_tool(slow_probe, name="slow_probe")
    results: dict[str, object] = {}
    with anyio.fail_after(30):
        async with serving(http) as (url, server):

            async def call() -> None:
                async with mcp_client(url) as client:
                    # The client validates a result against the tool's output schema, and lists
                    # the tools first if it has not: after the drain that request would find no
                    # server. A real client lists tools before calling one.
                    await client.list_tools()
                    results["slow"] = await client.call_tool("slow_probe", {})

            async with anyio.create_task_group() as tg:
                tg.start_soon(call)
                await started.wait()
                server.handle_exit(signal.SIGTERM, None)
                assert server_mcp.draining and server_mcp.in_flight == 1
                async with httpx.AsyncClient(timeout=10) as plain:
                    results["new"] = await post_init(url)
                    results["health"] = await plain.get(f"{url}/healthz")
                assert not server.should_exit
                release.set()
            with anyio.fail_after(5):
                await wait_for(lambda: server.should_exit)
    assert text_of(results["slow"]) == "finished"
    assert results["new"].status_code == 503
    assert results["health"].status_code == 503
    assert json.loads(results["health"].text)["status"] == "draining"
