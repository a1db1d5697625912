"""jira_add_comment and jira_list_comments through the MCP client against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from mcp.types import CallToolResult

from jiramcp.sandbox import RateLimitConfig

pytestmark = pytest.mark.anyio

NO_LIMITS = {"limits": RateLimitConfig(enabled=False)}


def text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if getattr(block, "type", None) == "text")


async def fresh_issue(client: Any) -> str:
    result = await client.call_tool("jira_create_issue", {"project": "OPS", "issue_type": "Task", "summary": "Talk"})
    assert not result.is_error, text(result)
    return str(result.structured_content["key"])


async def test_a_markdown_comment_is_stored_as_adf_and_answered_with_its_link(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        key = await fresh_issue(client)
        result = await client.call_tool("jira_add_comment", {"key": key, "body": "Looks **good**\n\n- a\n- b"})
        assert not result.is_error, text(result)
        comment_id = result.structured_content["id"]
        assert result.structured_content["url"].endswith(f"/browse/{key}?focusedCommentId={comment_id}")
        stored = app.state.sandbox.store.issue(key)["comments"][-1]
        assert stored["body"]["type"] == "doc"
        assert any(node["type"] == "bulletList" for node in stored["body"]["content"])


async def test_visibility_restricts_a_comment_and_shows_when_listed(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, _app):
        key = await fresh_issue(client)
        added = await client.call_tool(
            "jira_add_comment", {"key": key, "body": "internal", "visibility": {"type": "role", "value": "Developers"}}
        )
        assert not added.is_error, text(added)
        assert "(visible to role Developers)" in text(added)
        listed = await client.call_tool("jira_list_comments", {"key": key})
        assert listed.structured_content["comments"][0]["visible_to"] == "role Developers"
        bad = await client.call_tool(
            "jira_add_comment", {"key": key, "body": "x", "visibility": {"type": "team", "value": "a"}}
        )
        assert bad.is_error and "visibility.type" in text(bad)


async def test_comments_come_newest_first_as_markdown_and_page_to_the_end(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, _app):
        key = await fresh_issue(client)
        for n in range(5):
            await client.call_tool("jira_add_comment", {"key": key, "body": f"Note **{n}**"})
        first = await client.call_tool("jira_list_comments", {"key": key, "limit": 2})
        page = first.structured_content
        assert [c["body"] for c in page["comments"]] == ["Note **4**", "Note **3**"]
        assert (page["total"], page["next_start_at"]) == (5, 2)
        assert "More: call again with start_at=2." in text(first)
        bodies = [c["body"] for c in page["comments"]]
        start = page["next_start_at"]
        while start is not None:
            more = await client.call_tool("jira_list_comments", {"key": key, "limit": 2, "start_at": start})
            bodies += [c["body"] for c in more.structured_content["comments"]]
            start = more.structured_content.get("next_start_at")
        assert bodies == [f"Note **{n}**" for n in (4, 3, 2, 1, 0)]
        oldest = await client.call_tool("jira_list_comments", {"key": key, "order": "oldest", "limit": 1})
        assert oldest.structured_content["comments"][0]["body"] == "Note **0**"


async def test_long_comment_bodies_are_cut_at_the_text_limit_with_a_note(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, _app):
        key = await fresh_issue(client)
        long_body = "\n\n".join(f"Paragraph {n} " + "word " * 40 for n in range(20))
        await client.call_tool("jira_add_comment", {"key": key, "body": long_body})
        listed = await client.call_tool("jira_list_comments", {"key": key, "text_limit": 500})
        body = listed.structured_content["comments"][0]["body"]
        assert len(body) < 1_000
        assert "more characters cut" in body


async def test_comments_outside_the_allow_list_are_refused_both_ways(connect: Any) -> None:
    async with connect({"JIRAMCP_PROJECTS": "OPS"}, **NO_LIMITS) as (client, app):
        added = await client.call_tool("jira_add_comment", {"key": "PLAT-1", "body": "hi"})
        listed = await client.call_tool("jira_list_comments", {"key": "PLAT-1"})
        assert added.is_error and listed.is_error
        assert "outside this server's allowed projects (OPS)" in text(added)
        assert app.state.sandbox.log.total_requests == 0


async def test_comments_toolset_can_be_switched_off(connect: Any) -> None:
    async with connect({"JIRAMCP_TOOLSETS": "search,issues"}) as (client, _app):
        names = {t.name for t in (await client.list_tools()).tools}
    assert "jira_add_comment" not in names and "jira_list_comments" not in names
    assert "jira_create_issue" in names
