"""The MCP server factory: `build_server(settings, transport=None) -> MCPServer`.

The transport parameter is the test seam: `None` talks to the configured Jira over the network;
an `httpx.ASGITransport` over the sandbox app gives a server with no network at all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from mcp.server import MCPServer

from jiramcp import __version__
from jiramcp.jira import JiraClient
from jiramcp.prompts import register_prompts
from jiramcp.resources import register_resources
from jiramcp.settings import Settings
from jiramcp.tools import AppState, Policy, register_tools
from jiramcp.tools._guard import ArgumentGuard
from jiramcp.tools._policy import policy_from_settings

INSTRUCTIONS = """\
jiramcp gives you Jira. Work like this:
- Find things with jira_search (JQL). Lint unfamiliar JQL with jira_lint_jql first; a query with \
errors comes back with the fix, without costing a request. Page with next_page_token.
- Before writing, look up what you don't know: jira_find_fields (custom field names and allowed \
values), jira_find_users (people → accountId), jira_get_create_fields (what a project's issue type \
requires).
- Text fields take Markdown; jiramcp converts it for Jira. Issue text comes back as Markdown.
- Errors say what was wrong and what to call next: read them before retrying.
"""


def build_server(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    policy: Policy | None = None,
) -> MCPServer[AppState]:
    """Build the server: one shared Jira client opened in the lifespan, tools filtered by policy."""
    effective_policy = policy or policy_from_settings(settings)

    @asynccontextmanager
    async def lifespan(_server: MCPServer[Any]) -> AsyncIterator[AppState]:
        async with JiraClient.from_settings(settings, transport=transport) as client:
            yield AppState(client=client, settings=settings, policy=effective_policy)

    server: MCPServer[AppState] = MCPServer(
        "jiramcp",
        title="Jira",
        version=__version__,
        instructions=INSTRUCTIONS,
        lifespan=lifespan,
        # Logging is configured by the CLI (stderr only); the SDK must not raise httpx to INFO.
        log_level="WARNING",
    )
    server._lowlevel_server.middleware.append(ArgumentGuard(server))
    register_tools(server, effective_policy)
    register_prompts(server)
    register_resources(server)
    return server
