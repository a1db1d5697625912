"""Fixtures for the sandbox's contract tests: a small seeded sandbox at a fixed time, and a client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from tests.sandbox._sandbox_helpers import make_config

from jiramcp.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, create_app, in_process_transport


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app() -> Starlette:
    return create_app(make_config())


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=in_process_transport(app), base_url="http://jira.test", auth=(SANDBOX_EMAIL, SANDBOX_TOKEN)
    ) as http:
        yield http
