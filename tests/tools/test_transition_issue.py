"""jira_transition_issue and jira_delete_issue through the MCP client against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from mcp.types import CallToolResult

from jiramcp.sandbox import RateLimitConfig
from jiramcp.tools.transitions import choose_transition

pytestmark = pytest.mark.anyio

NO_LIMITS = {"limits": RateLimitConfig(enabled=False)}


def text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if getattr(block, "type", None) == "text")


async def new_issue(client: Any, issue_type: str = "Task", **extra: Any) -> str:
    result = await client.call_tool(
        "jira_create_issue", {"project": "PLAT", "issue_type": issue_type, "summary": "Flow", **extra}
    )
    assert not result.is_error, text(result)
    return str(result.structured_content["key"])


def status_of(app: Any, key: str) -> str:
    return str(app.state.sandbox.store.issue(key)["f"]["status"])


def test_transition_names_win_over_status_names_and_matching_ignores_case() -> None:
    transitions = [
        {"id": "21", "name": "Start Progress", "to": {"name": "In Progress"}},
        {"id": "31", "name": "Done", "to": {"name": "Done"}},
        {"id": "32", "name": "Close quickly", "to": {"name": "Done"}},
    ]
    assert choose_transition(transitions, "in progress")["id"] == "21"
    assert choose_transition(transitions, "START PROGRESS")["id"] == "21"
    assert choose_transition(transitions, "close quickly")["id"] == "32"
    assert choose_transition(transitions, "done")["id"] == "31"
    assert choose_transition(transitions, "In Review") is None


async def test_move_by_status_name_with_a_comment(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        key = await new_issue(client)
        result = await client.call_tool(
            "jira_transition_issue", {"key": key, "to": "in progress", "comment": "Starting **now**"}
        )
        assert not result.is_error, text(result)
        assert text(result).startswith(f"{key}: To Do → In Progress via 'Start Progress' (comment added).")
        assert status_of(app, key) == "3"
        comment = app.state.sandbox.store.issue(key)["comments"][-1]["body"]
        assert comment["type"] == "doc"


async def test_an_impossible_move_lists_the_transitions_that_exist(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        key = await new_issue(client)
        writes = app.state.sandbox.log.writes_applied
        result = await client.call_tool("jira_transition_issue", {"key": key, "to": "In Review"})
        assert result.is_error
        assert text(result).endswith(
            f"to: {key} cannot move to 'In Review' from To Do. Possible now (transition → status): "
            "Start Progress → In Progress, Done → Done. Call again with one of those."
        )
        assert app.state.sandbox.log.writes_applied == writes


async def test_closing_with_a_resolution_by_name(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        key = await new_issue(client)
        result = await client.call_tool("jira_transition_issue", {"key": key, "to": "done", "resolution": "won't do"})
        assert not result.is_error, text(result)
        assert result.structured_content["resolution"] == "Won't Do"
        assert ", resolution Won't Do" in text(result)
        assert app.state.sandbox.store.issue(key)["f"]["resolution"] == "10001"


async def test_a_resolution_not_allowed_or_not_on_the_screen_is_refused(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        key = await new_issue(client)
        wrong = await client.call_tool("jira_transition_issue", {"key": key, "to": "Done", "resolution": "Fixed"})
        assert wrong.is_error
        assert "resolution: 'Fixed' is not allowed for Resolution; allowed: Done, Won't Do, Duplicate" in text(wrong)
        off_screen = await client.call_tool(
            "jira_transition_issue", {"key": key, "to": "In Progress", "resolution": "Done"}
        )
        assert off_screen.is_error, text(off_screen)
        assert "resolution: the 'Start Progress' transition (to In Progress) does not set a resolution" in text(
            off_screen
        )
        assert status_of(app, key) == "10000"


async def test_transition_outside_the_allow_list_is_refused(connect: Any) -> None:
    async with connect({"JIRAMCP_PROJECTS": "MOB"}, **NO_LIMITS) as (client, app):
        result = await client.call_tool("jira_transition_issue", {"key": "PLAT-2", "to": "Done"})
        assert result.is_error and "outside this server's allowed projects (MOB)" in text(result)
        assert app.state.sandbox.log.total_requests == 0


async def test_delete_is_only_listed_when_enabled(connect: Any) -> None:
    async with connect() as (client, _app):
        assert "jira_delete_issue" not in {t.name for t in (await client.list_tools()).tools}
    async with connect({"JIRAMCP_ENABLE_DELETE": "true"}) as (client, _app):
        tool = next(t for t in (await client.list_tools()).tools if t.name == "jira_delete_issue")
        assert tool.annotations is not None and tool.annotations.destructive_hint is True


async def test_delete_refuses_an_issue_with_subtasks_unless_told(connect: Any) -> None:
    async with connect({"JIRAMCP_ENABLE_DELETE": "true"}, **NO_LIMITS) as (client, app):
        parent = await new_issue(client)
        child = await new_issue(client, "Sub-task", parent=parent)
        refused = await client.call_tool("jira_delete_issue", {"key": parent})
        assert refused.is_error
        assert f"delete_subtasks: {parent} has sub-tasks ({child}); nothing was deleted." in text(refused)
        assert app.state.sandbox.store.find_issue(parent) is not None
        done = await client.call_tool("jira_delete_issue", {"key": parent, "delete_subtasks": True})
        assert not done.is_error, text(done)
        assert text(done) == f"Deleted {parent} (Flow) and its sub-tasks {child}."
        assert app.state.sandbox.store.find_issue(parent) is None
        assert app.state.sandbox.store.find_issue(child) is None


async def test_delete_outside_the_allow_list_is_refused(connect: Any) -> None:
    async with connect({"JIRAMCP_ENABLE_DELETE": "true", "JIRAMCP_PROJECTS": "OPS"}, **NO_LIMITS) as (client, app):
        result = await client.call_tool("jira_delete_issue", {"key": "PLAT-3"})
        assert result.is_error and "outside this server's allowed projects (OPS)" in text(result)
        assert app.state.sandbox.store.find_issue("PLAT-3") is not None
