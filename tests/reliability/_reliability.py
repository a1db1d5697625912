"""Helpers for the reliability suite: jiramcp over a sandbox, with a distinctive secret.

The sandbox accepts `SECRET` as its API token, so the whole path (settings → client → basic auth
header → sandbox) carries a string that must never come back in a result, a log or the output.
Long soaks are marked `slow`; the default run skips them (`-m "not slow"` in pytest's addopts),
`pytest -m slow tests/reliability` runs them.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from mcp import Client
from mcp.types import CallToolResult

from jiramcp.sandbox import SANDBOX_EMAIL, RateLimitConfig, SandboxConfig, create_app, in_process_transport, serving
from jiramcp.server import build_server
from jiramcp.settings import load_settings

SECRET = "ATATT3xRELIABILITY-9f2c7e51d0b84a6c-SECRET"
AUTH_HEADER_VALUE = base64.b64encode(f"{SANDBOX_EMAIL}:{SECRET}".encode()).decode()
# Anything of these in any output is a leak.
FORBIDDEN = (SECRET, AUTH_HEADER_VALUE, SECRET[8:30])

ENV: dict[str, str] = {
    "JIRA_USERNAME": SANDBOX_EMAIL,
    "JIRA_API_TOKEN": SECRET,
    "JIRA_DEPLOYMENT": "cloud",
    "JIRAMCP_RATE": "0",
}

MARK = "relmark"


def sandbox(**overrides: Any) -> Any:
    options: dict[str, Any] = {"seed": 3, "issues": 90, "token": SECRET, "limits": RateLimitConfig(enabled=False)}
    options.update(overrides)
    return create_app(SandboxConfig(**options))


@asynccontextmanager
async def in_memory(app: Any, env: Mapping[str, str] | None = None) -> AsyncIterator[Client]:
    """The MCP client in memory → jiramcp → the sandbox app in process."""
    settings = load_settings({**ENV, **(env or {})}, sandbox=True)
    server = build_server(settings, transport=in_process_transport(app))
    async with Client(server) as client:
        yield client


@asynccontextmanager
async def over_http(app: Any, env: Mapping[str, str] | None = None) -> AsyncIterator[Client]:
    """The MCP client in memory → jiramcp → the sandbox served by uvicorn on 127.0.0.1.

    Real sockets make injected timeouts and dropped connections behave as on a network.
    """
    async with serving(lambda _url: app, access_log=False) as url:
        settings = load_settings({**ENV, "JIRA_URL": url, **(env or {})}, sandbox=True)
        async with Client(build_server(settings)) as client:
            yield client


def text_of(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if getattr(block, "type", None) == "text")


def everything_in(result: CallToolResult) -> str:
    """Text and structured content of a result: all a model could see."""
    return text_of(result) + json.dumps(result.structured_content, default=str)


def assert_no_secret(*texts: str) -> None:
    for text in texts:
        for secret in FORBIDDEN:
            assert secret not in text, "a credential leaked"


def marker_counts(store: Any) -> Counter[str]:
    """Occurrences of each `relmark-*` word in the store: issue summaries and comment bodies."""
    found: Counter[str] = Counter()
    for issue in store.data["issues"].values():
        texts = [str(issue["f"].get("summary", ""))] + [json.dumps(c.get("body")) for c in issue.get("comments", ())]
        for text in texts:
            found.update(w.strip('".,\\*') for w in text.split() if w.strip('".,\\*').startswith(MARK))
    return found
