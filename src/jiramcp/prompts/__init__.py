"""MCP prompts: ready-made Jira workflows a user picks from the client's prompt menu.

Each prompt tells the model which tools to call, in which order, and what to produce. The text
is built when the prompt is fetched, from the tools this server actually registered, so a
read-only or narrowed deployment never points the model at a tool it cannot call.
"""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server import MCPServer
from pydantic import Field

from jiramcp.prompts import _workflows as wf
from jiramcp.prompts._completion import complete, register_completion
from jiramcp.prompts._compose import Steps, compose, jql_block, jql_literal

__all__ = ["PROMPTS", "Steps", "complete", "compose", "jql_block", "jql_literal", "register_prompts"]

ProjectArg = Annotated[
    str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=40, description="Project key, e.g. DEMO")
]
OptionalProject = Annotated[
    str | None,
    Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=40, description="Project key, e.g. DEMO"),
]
BoardArg = Annotated[
    str | None, Field(max_length=200, description="Board id or name (default: the project's scrum board)")
]

PROMPTS = ("sprint_report", "daily_standup", "triage_new_bugs", "release_notes", "plan_next_sprint", "write_jql")


def register_prompts(server: MCPServer[Any]) -> None:
    """Register the prompts and the argument completion (project keys, boards, sprints)."""

    async def tools() -> set[str]:
        return {tool.name for tool in await server.list_tools()}

    @server.prompt(title="Sprint report")
    async def sprint_report(
        project: OptionalProject = None,
        board: BoardArg = None,
        sprint: Annotated[
            str | None,
            Field(pattern=r"^(current|next|[0-9]+)$", description='Sprint id, or "current" (default) or "next"'),
        ] = None,
    ) -> str:
        """Summarise a sprint for stakeholders: progress, scope change, blockers, risks."""
        return wf.sprint_report(await tools(), project, board, sprint)

    @server.prompt(title="Daily stand-up")
    async def daily_standup(project: ProjectArg, board: BoardArg = None) -> str:
        """Prepare today's stand-up from the active sprint: per person done / doing / blocked."""
        return wf.daily_standup(await tools(), project, board)

    @server.prompt(title="Triage new bugs")
    async def triage_new_bugs(
        project: ProjectArg,
        days: Annotated[int, Field(ge=1, le=90, description="How many days back to look (default 7)")] = 7,
    ) -> str:
        """Review recently reported bugs: priority, owner, duplicates, missing information."""
        return wf.triage_new_bugs(await tools(), project, days)

    @server.prompt(title="Release notes")
    async def release_notes(
        version: Annotated[str, Field(min_length=1, max_length=200, description="Fix version name, e.g. 2.4.0")],
        project: ProjectArg,
    ) -> str:
        """Write user-facing release notes from the issues done in a fix version."""
        return wf.release_notes(await tools(), project, version)

    @server.prompt(title="Plan the next sprint")
    async def plan_next_sprint(
        project: ProjectArg,
        board: BoardArg = None,
        capacity: Annotated[
            int | None, Field(ge=1, le=1000, description="Story points the team can take (default: velocity)")
        ] = None,
    ) -> str:
        """Propose the next sprint from velocity, carry-over and the ranked backlog."""
        return wf.plan_next_sprint(await tools(), project, board, capacity)

    @server.prompt(title="Write JQL")
    async def write_jql(
        goal: Annotated[str, Field(min_length=3, max_length=1000, description="What the query should find")],
        project: OptionalProject = None,
    ) -> str:
        """Turn a goal in plain words into checked JQL that this Jira accepts."""
        return wf.write_jql(await tools(), goal, project)

    register_completion(server)
