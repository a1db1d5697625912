"""End-to-end fixtures: the sandbox served over HTTP by uvicorn on 127.0.0.1 (real sockets), and
`jiramcp` run as a subprocess pointed at it through the environment, as a user would run it."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import anyio
import pytest
import uvicorn

from jiramcp.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, SandboxConfig, create_app


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def sandbox_over_http(issues: int = 120) -> AsyncIterator[str]:
    """The sandbox under uvicorn on 127.0.0.1:<free port>; yields its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    app = create_app(SandboxConfig(seed=7, issues=issues, base_url=base_url))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    async with anyio.create_task_group() as tg:
        tg.start_soon(lambda: server.serve(sockets=[sock]))
        with anyio.fail_after(10):
            await wait_for(lambda: server.started)
        try:
            yield base_url
        finally:
            server.should_exit = True
    sock.close()


async def wait_for(condition: Callable[[], bool], step: float = 0.01) -> None:
    """Poll a flag some other library sets (uvicorn's `started` is a plain attribute)."""
    for _ in range(int(30 / step)):
        if condition():
            return
        await anyio.sleep(step)
    raise TimeoutError("condition not reached")


def jiramcp_env(jira_url: str | None = None, **extra: str) -> dict[str, str]:
    """A clean environment for a `jiramcp` subprocess: no inherited Jira or jiramcp settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIRA", "JIRAMCP_"))}
    if jira_url is not None:
        # No JIRA_DEPLOYMENT: the client detects Cloud from serverInfo, as it would for a user.
        env |= {"JIRA_URL": jira_url, "JIRA_USERNAME": SANDBOX_EMAIL, "JIRA_API_TOKEN": SANDBOX_TOKEN}
    return env | extra


JIRAMCP = [sys.executable, "-m", "jiramcp"]
