"""jira_link_issues and jira_add_worklog through the MCP client against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from mcp.types import CallToolResult

from jiramcp.sandbox import RateLimitConfig
from jiramcp.tools.links import choose_link_type

pytestmark = pytest.mark.anyio

NO_LIMITS = {"limits": RateLimitConfig(enabled=False)}
TYPES = [
    {"name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
    {"name": "Relates", "inward": "relates to", "outward": "relates to"},
]


def text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if getattr(block, "type", None) == "text")


async def two_issues(client: Any) -> tuple[str, str]:
    keys = []
    for summary in ("Blocker", "Blocked"):
        result = await client.call_tool(
            "jira_create_issue", {"project": "PLAT", "issue_type": "Task", "summary": summary}
        )
        keys.append(str(result.structured_content["key"]))
    return keys[0], keys[1]


async def relations(client: Any, key: str) -> list[tuple[str, str]]:
    result = await client.call_tool("jira_get_issue", {"key": key, "include": ["links"]})
    return [(link["relation"], link["key"]) for link in result.structured_content.get("links") or []]


def test_link_types_match_by_phrase_or_name_and_know_their_direction() -> None:
    assert choose_link_type(TYPES, "blocks") == (TYPES[0], "outward")
    assert choose_link_type(TYPES, "BLOCKS") == (TYPES[0], "outward")
    assert choose_link_type(TYPES, "is  blocked by") == (TYPES[0], "inward")
    assert choose_link_type(TYPES, "relates to") == (TYPES[1], "outward")
    assert choose_link_type(TYPES, "loves") is None


async def test_from_blocks_to_reads_the_same_way_in_both_issues(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, _app):
        blocker, blocked = await two_issues(client)
        result = await client.call_tool(
            "jira_link_issues", {"from_issue": blocker, "to_issue": blocked, "link_type": "blocks"}
        )
        assert not result.is_error, text(result)
        assert text(result).startswith(f"Linked: {blocker} blocks {blocked}.")
        assert await relations(client, blocker) == [("blocks", blocked)]
        assert await relations(client, blocked) == [("is blocked by", blocker)]


async def test_the_inward_phrase_records_the_reverse_relation(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, _app):
        blocker, blocked = await two_issues(client)
        result = await client.call_tool(
            "jira_link_issues", {"from_issue": blocked, "to_issue": blocker, "link_type": "Is Blocked By"}
        )
        assert not result.is_error, text(result)
        assert result.structured_content["relation"] == "is blocked by"
        assert await relations(client, blocker) == [("blocks", blocked)]


async def test_an_unknown_link_type_lists_the_types_and_sends_nothing(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        blocker, blocked = await two_issues(client)
        writes = app.state.sandbox.log.writes_applied
        result = await client.call_tool(
            "jira_link_issues", {"from_issue": blocker, "to_issue": blocked, "link_type": "depends on"}
        )
        assert result.is_error
        assert "link_type: 'depends on' is not a link type here." in text(result)
        assert "Blocks ('blocks' / 'is blocked by')" in text(result)
        same = await client.call_tool(
            "jira_link_issues", {"from_issue": blocker, "to_issue": blocker, "link_type": "blocks"}
        )
        assert same.is_error and "cannot be linked to itself" in text(same)
        assert app.state.sandbox.log.writes_applied == writes


async def test_linking_across_the_allow_list_is_refused(connect: Any) -> None:
    async with connect({"JIRAMCP_PROJECTS": "PLAT"}, **NO_LIMITS) as (client, app):
        result = await client.call_tool(
            "jira_link_issues", {"from_issue": "PLAT-1", "to_issue": "MOB-1", "link_type": "blocks"}
        )
        assert result.is_error
        assert "to_issue: project 'MOB' is outside this server's allowed projects (PLAT)" in text(result)
        assert app.state.sandbox.log.total_requests == 0


async def test_worklog_is_parsed_locally_and_stored_in_seconds(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        key, _ = await two_issues(client)
        result = await client.call_tool(
            "jira_add_worklog",
            {
                "key": key,
                "time_spent": "1d 2h 30m",
                "started": "2026-11-20T09:00",
                "comment": "Did **it**",
            },
        )
        assert not result.is_error, text(result)
        assert result.structured_content["seconds"] == (8 + 2) * 3600 + 30 * 60
        assert text(result) == f"Logged 1d 2h 30m on {key}, started 2026-11-20 09:00."
        stored = app.state.sandbox.store.issue(key)["worklogs"][-1]
        assert stored["timeSpentSeconds"] == 37_800
        assert stored["comment"]["type"] == "doc"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ({"time_spent": "90"}, "time_spent: '90' is not a Jira duration (a bare number needs a unit"),
        ({"time_spent": "30m 1h"}, "time_spent: '30m 1h': give each unit once, largest first"),
        ({"time_spent": "1h", "started": "last monday"}, "started: started takes a date-time as ISO 8601"),
    ],
)
async def test_bad_worklog_input_is_refused_without_a_request(connect: Any, args: dict[str, str], said: str) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        result = await client.call_tool("jira_add_worklog", {"key": "PLAT-1", **args})
        assert result.is_error
        assert said in text(result)
        assert app.state.sandbox.log.total_requests == 0
