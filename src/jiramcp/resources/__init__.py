"""MCP resources: Jira things a client can attach as context by URI.

- `jira://issue/{key}`: the issue as Markdown (fields, description, comments, links, sub-tasks);
- `jira://project/{key}`: issue types with their fields, components, versions, statuses by category;
- `jira://sprint/{id}`: the sprint report (progress, scope change, blockers, days left).

The project allow-list applies as it does to tools. Failures come back as resource errors whose
message says what was wrong (never a secret); argument completion for the templates is served
by `jiramcp.prompts`' completion handler.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError

from jiramcp.jira import JiraError, NotFound
from jiramcp.resources._views import issue_markdown, project_markdown, sprint_markdown
from jiramcp.tools._context import app_state
from jiramcp.tools._errors import describe
from jiramcp.tools._policy import PolicyViolation

__all__ = ["issue_markdown", "project_markdown", "register_resources", "sprint_markdown"]

_MARKDOWN = "text/markdown"


@asynccontextmanager
async def _resource_errors(what: str) -> AsyncIterator[None]:
    try:
        yield
    except NotFound as error:
        raise ResourceNotFoundError(f"{what}: {describe(error)}") from None
    except JiraError as error:
        raise ResourceError(f"{what}: {describe(error)}") from None
    except (PolicyViolation, ToolError) as error:
        raise ResourceError(f"{what}: {error}") from None


def register_resources(server: MCPServer[Any]) -> None:
    """Register the three resource templates on `server`."""

    @server.resource(
        "jira://issue/{key}",
        name="issue",
        title="Jira issue",
        mime_type=_MARKDOWN,
        description="An issue as Markdown: fields, description, comments, links, sub-tasks",
    )
    async def issue(key: str, ctx: Context) -> str:
        async with _resource_errors(f"issue {key}"):
            return await issue_markdown(await app_state(ctx), key)

    @server.resource(
        "jira://project/{key}",
        name="project",
        title="Jira project",
        mime_type=_MARKDOWN,
        description="A project's issue types and their fields, components, versions and workflow",
    )
    async def project(key: str, ctx: Context) -> str:
        async with _resource_errors(f"project {key}"):
            return await project_markdown(await app_state(ctx), key)

    @server.resource(
        "jira://sprint/{id}",
        name="sprint",
        title="Sprint report",
        mime_type=_MARKDOWN,
        description="A sprint's report: scope and points by status, completion, added and "
        "carried-over work, blockers, unassigned items, days left",
    )
    async def sprint(id: str, ctx: Context) -> str:
        async with _resource_errors(f"sprint {id}"):
            if not id.isdigit():
                raise ResourceError(f"sprint {id}: the id must be a number (jira_list_sprints lists them)")
            return await sprint_markdown(await app_state(ctx), int(id))
