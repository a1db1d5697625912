"""Support for tool tests: a jiramcp server over a fresh in-process sandbox, reached through the
official MCP client in memory (fixtures re-exported by the conftests that use them). No sockets;
the whole request path (tool → client → budget → httpx → sandbox ASGI app) is real."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest
from mcp import Client
from mcp.types import CallToolResult

from jiramcp.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, RateLimitConfig, SandboxConfig, create_app
from jiramcp.server import build_server
from jiramcp.settings import load_settings

# Small enough to build in a few milliseconds, large enough for paging and every workflow state.
TEST_ISSUES = 120
TEST_SEED = 7

SANDBOX_ENV: dict[str, str] = {
    "JIRA_USERNAME": SANDBOX_EMAIL,
    "JIRA_API_TOKEN": SANDBOX_TOKEN,
    "JIRA_DEPLOYMENT": "cloud",
    # The tests measure behaviour, not pacing: the client-side budget is off here.
    "JIRAMCP_RATE": "0",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def sandbox_config(**overrides: Any) -> SandboxConfig:
    # Jira's rate limits are the traffic tests' business; tool tests switch them off.
    options: dict[str, Any] = {
        "seed": TEST_SEED,
        "issues": TEST_ISSUES,
        "limits": RateLimitConfig(enabled=False),
    }
    options.update(overrides)
    return SandboxConfig(**options)


class SandboxTransport(httpx.AsyncBaseTransport):
    """Sends to whichever sandbox app the current test set: one server serves many tests."""

    def __init__(self) -> None:
        self.app: Any = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await httpx.ASGITransport(app=self.app).handle_async_request(request)


# Building a server costs the SDK most of a second (a pydantic model and schema per tool), so one
# is built per distinct environment and reused; each connection still opens its own Jira client
# (fresh caches) in the lifespan, and each test gets a fresh sandbox.
_SERVERS: dict[tuple[tuple[str, str], ...], tuple[Any, SandboxTransport]] = {}


def server_for(env: Mapping[str, str]) -> tuple[Any, SandboxTransport]:
    key = tuple(sorted(env.items()))
    if key not in _SERVERS:
        transport = SandboxTransport()
        _SERVERS[key] = (build_server(load_settings(dict(env), sandbox=True), transport=transport), transport)
    return _SERVERS[key]


@asynccontextmanager
async def connected(
    env: Mapping[str, str] | None = None, *, app: Any = None, **config: Any
) -> AsyncIterator[tuple[Client, Any]]:
    """A connected MCP client and the sandbox app behind it (for inspecting its store and log)."""
    sandbox = app if app is not None else create_app(sandbox_config(**config))
    server, transport = server_for({**SANDBOX_ENV, **(env or {})})
    transport.app = sandbox
    async with Client(server) as client:
        yield client, sandbox


Connect = Callable[..., AbstractAsyncContextManager[tuple[Client, Any]]]


@pytest.fixture
def connect() -> Connect:
    """`async with connect(env={...}) as (client, sandbox_app): ...`"""
    return connected


def text_of(result: CallToolResult) -> str:
    """The text a model reads from a tool result."""
    return "\n".join(block.text for block in result.content if getattr(block, "type", None) == "text")


async def sandbox_search(app: Any, jql: str, fields: tuple[str, ...] = ("*navigable",)) -> list[dict[str, Any]]:
    """Every issue matching `jql`, asked of the sandbox's own REST API (the expected answer)."""
    issues: list[dict[str, Any]] = []
    token = None
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sandbox", auth=(SANDBOX_EMAIL, SANDBOX_TOKEN)
    ) as http:
        while True:
            body: dict[str, Any] = {"jql": jql, "fields": list(fields), "maxResults": 100}
            if token:
                body["nextPageToken"] = token
            page = (await http.post("/rest/api/3/search/jql", json=body)).json()
            issues += page["issues"]
            token = page.get("nextPageToken")
            if page.get("isLast", True):
                return issues
