"""End-to-end fixtures: the sandbox served over HTTP by uvicorn on 127.0.0.1 (real sockets), and
`jiramcp` run as a subprocess pointed at it through the environment, as a user would run it."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from jiramcp.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, SandboxConfig, create_app, serving


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@asynccontextmanager
async def sandbox_over_http(issues: int = 120) -> AsyncIterator[str]:
    """The sandbox under uvicorn on 127.0.0.1:<free port>; yields its base URL."""
    async with serving(lambda url: create_app(SandboxConfig(seed=7, issues=issues, base_url=url))) as url:
        yield url


def jiramcp_env(jira_url: str | None = None, **extra: str) -> dict[str, str]:
    """A clean environment for a `jiramcp` subprocess: no inherited Jira or jiramcp settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIRA", "JIRAMCP_"))}
    if jira_url is not None:
        # No JIRA_DEPLOYMENT: the client detects Cloud from serverInfo, as it would for a user.
        env |= {"JIRA_URL": jira_url, "JIRA_USERNAME": SANDBOX_EMAIL, "JIRA_API_TOKEN": SANDBOX_TOKEN}
    return env | extra


JIRAMCP = [sys.executable, "-m", "jiramcp"]
