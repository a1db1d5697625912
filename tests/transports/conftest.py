"""Fixtures for the HTTP transport: jiramcp's HTTP app under uvicorn on 127.0.0.1 (real sockets),
backed by an in-process sandbox, reached with the official MCP client over Streamable HTTP."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx2
import pytest
import uvicorn
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from jiramcp.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, SandboxConfig, create_app, in_process_transport
from jiramcp.server import build_server
from jiramcp.settings import load_settings
from jiramcp.transports import HttpApp, build_http_app, load_http_config
from jiramcp.transports._http import make_server

SANDBOX_ENV: dict[str, str] = {
    "JIRA_USERNAME": SANDBOX_EMAIL,
    "JIRA_API_TOKEN": SANDBOX_TOKEN,
    "JIRA_DEPLOYMENT": "cloud",
    "JIRAMCP_RATE": "0",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def make_http_app(env: Mapping[str, str] | None = None, *, sandbox_app: Any = None) -> tuple[HttpApp, Any]:
    """jiramcp's HTTP app over a fresh in-process sandbox; `env` adds/overrides variables."""
    merged = {**SANDBOX_ENV, **(env or {})}
    sandbox_app = sandbox_app or create_app(SandboxConfig(seed=7, issues=120))
    transport = in_process_transport(sandbox_app)
    settings = load_settings(merged, sandbox=True)
    server = build_server(settings, transport=transport)
    return build_http_app(server, settings, load_http_config(merged), transport=transport), sandbox_app


async def wait_for(condition: Callable[[], bool], step: float = 0.01) -> None:
    """Poll a flag some other library sets (uvicorn's `started` is a plain attribute)."""
    for _ in range(int(30 / step)):
        if condition():
            return
        await anyio.sleep(step)
    raise TimeoutError("condition not reached")


@asynccontextmanager
async def serving(http: HttpApp, *, grace: float = 10.0) -> AsyncIterator[tuple[str, uvicorn.Server]]:
    """Serve `http` under uvicorn on 127.0.0.1:<free port>; yields (base URL, server)."""
    sock = free_socket()
    port = sock.getsockname()[1]
    server = make_server(http, host="127.0.0.1", port=port, grace=grace)
    server.config.timeout_graceful_shutdown = 1
    async with anyio.create_task_group() as tg:
        tg.start_soon(lambda: server.serve(sockets=[sock]))
        with anyio.fail_after(10):
            await wait_for(lambda: server.started)
        try:
            yield f"http://127.0.0.1:{port}", server
        finally:
            server.should_exit = True
    sock.close()


@asynccontextmanager
async def mcp_client(url: str, headers: Mapping[str, str] | None = None) -> AsyncIterator[Client]:
    """The official MCP client over Streamable HTTP, sending `headers` on every request."""
    async with (
        httpx2.AsyncClient(headers=dict(headers or {}), timeout=30) as http,
        Client(streamable_http_client(f"{url}/mcp", http_client=http)) as client,
    ):
        yield client


def text_of(result: Any) -> str:
    return "\n".join(block.text for block in result.content if getattr(block, "type", None) == "text")
