"""jira_update_issue through the MCP client against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from mcp.types import CallToolResult

from jiramcp.sandbox import RateLimitConfig

pytestmark = pytest.mark.anyio

NO_LIMITS = {"limits": RateLimitConfig(enabled=False)}
MEDIA_DOC = {
    "type": "doc",
    "version": 1,
    "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": "Intro"}]},
        {
            "type": "mediaSingle",
            "attrs": {"layout": "center"},
            "content": [{"type": "media", "attrs": {"type": "file", "id": "abc-123", "collection": "files"}}],
        },
        {"type": "paragraph", "content": [{"type": "text", "text": "End"}]},
    ],
}


def text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if getattr(block, "type", None) == "text")


async def new_issue(client: Any, **extra: Any) -> str:
    result = await client.call_tool(
        "jira_create_issue", {"project": "PLAT", "issue_type": "Task", "summary": "Write docs", **extra}
    )
    assert not result.is_error, text(result)
    return str(result.structured_content["key"])


def fields_of(app: Any, key: str) -> dict[str, Any]:
    return app.state.sandbox.store.issue(key)["f"]


async def test_update_answers_each_change_as_old_to_new(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        key = await new_issue(client, labels=["a"])
        result = await client.call_tool(
            "jira_update_issue",
            {
                "key": key,
                "summary": "Write better docs",
                "priority": "Low",
                "add_labels": ["docs"],
                "assignee": "Jonas Weber",
                "fields": {"Story Points": 5},
            },
        )
        assert not result.is_error, text(result)
        lines = text(result).splitlines()
        assert lines[0].startswith(f"Updated {key} ")
        assert "- Summary: 'Write docs' → 'Write better docs'" in lines
        assert "- Priority: 'Medium' → 'Low'" in lines
        assert "- Assignee: (empty) → 'Jonas Weber'" in lines
        assert "- Labels: 'a' → 'a, docs'" in lines
        assert any(line.startswith("- Story Points: (empty) → 5") for line in lines)
        changes = {c["field"]: c for c in result.structured_content["changes"]}
        assert changes["Labels"]["new"] == ["a", "docs"]
        assert fields_of(app, key)["labels"] == ["a", "docs"]


async def test_labels_can_be_removed_replaced_and_fields_cleared(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        key = await new_issue(client, labels=["a", "b"], assignee="Priya", due_date="2026-12-01")
        removed = await client.call_tool("jira_update_issue", {"key": key, "remove_labels": ["a"]})
        assert fields_of(app, key)["labels"] == ["b"], text(removed)
        await client.call_tool("jira_update_issue", {"key": key, "labels": ["x", "y"]})
        assert fields_of(app, key)["labels"] == ["x", "y"]
        cleared = await client.call_tool("jira_update_issue", {"key": key, "clear": ["assignee", "due_date"]})
        assert not cleared.is_error, text(cleared)
        assert fields_of(app, key)["assignee"] is None and fields_of(app, key).get("duedate") is None
        assert "- Assignee: 'Priya Sharma' → (empty)" in text(cleared)


async def test_conflicting_or_empty_updates_are_refused_without_a_write(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        key = await new_issue(client)
        writes = app.state.sandbox.log.writes_applied
        both = await client.call_tool("jira_update_issue", {"key": key, "labels": ["a"], "add_labels": ["b"]})
        assert both.is_error and "labels: give either labels" in text(both)
        nothing = await client.call_tool("jira_update_issue", {"key": key})
        assert nothing.is_error and "Nothing to change" in text(nothing)
        twice = await client.call_tool("jira_update_issue", {"key": key, "priority": "Low", "clear": ["priority"]})
        assert twice.is_error and "clear[0]: priority is also given a value in priority" in text(twice)
        bad = await client.call_tool("jira_update_issue", {"key": key, "fields": {"Team": "Zeus"}})
        assert bad.is_error and "fields.Team: 'Zeus' is not allowed for Team" in text(bad)
        locked = await client.call_tool("jira_update_issue", {"key": key, "fields": {"Rank": "0|x"}})
        assert locked.is_error and f"fields.Rank: this field cannot be edited on {key}; editable:" in text(locked)
        assert app.state.sandbox.log.writes_applied == writes


async def test_an_update_that_changes_nothing_says_so(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, _app):
        key = await new_issue(client)
        result = await client.call_tool("jira_update_issue", {"key": key, "summary": "Write docs"})
        assert not result.is_error
        assert "nothing changed" in text(result)
        assert result.structured_content["changes"] == []


async def test_description_rewrite_that_would_drop_adf_only_content_is_refused(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        key = await new_issue(client)
        fields_of(app, key)["description"] = MEDIA_DOC
        writes = app.state.sandbox.log.writes_applied
        refused = await client.call_tool("jira_update_issue", {"key": key, "description": "Intro only"})
        assert refused.is_error
        said = text(refused)
        assert "description: the new text would drop content Markdown cannot carry: mediaSingle: abc-123" in said
        assert "allow_loss=true" in said
        assert app.state.sandbox.log.writes_applied == writes

        kept = await client.call_tool(
            "jira_update_issue", {"key": key, "description": "Intro\n\n![abc-123](adf:0)\n\nFinish"}
        )
        assert not kept.is_error, text(kept)
        assert kept.structured_content["preserved"] == ["mediaSingle: abc-123"]
        doc = fields_of(app, key)["description"]
        assert doc["content"][1] == MEDIA_DOC["content"][1]
        assert doc["content"][2]["content"][0]["text"] == "Finish"

        dropped = await client.call_tool(
            "jira_update_issue", {"key": key, "description": "Intro only", "allow_loss": True}
        )
        assert not dropped.is_error
        assert "Dropped (allow_loss): mediaSingle: abc-123" in text(dropped)
        assert all(n["type"] != "mediaSingle" for n in fields_of(app, key)["description"]["content"])


async def test_update_outside_the_allow_list_is_refused(connect: Any) -> None:
    async with connect({"JIRAMCP_PROJECTS": "OPS"}, **NO_LIMITS) as (client, app):
        result = await client.call_tool("jira_update_issue", {"key": "PLAT-1", "summary": "hijack"})
        assert result.is_error
        assert "key: project 'PLAT' is outside this server's allowed projects (OPS)" in text(result)
        assert app.state.sandbox.log.total_requests == 0


async def test_jira_field_errors_on_update_use_our_parameter_names(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, _app):
        key = await new_issue(client)
        epic = await client.call_tool("jira_create_issue", {"project": "PLAT", "issue_type": "Task", "summary": "p"})
        result = await client.call_tool("jira_update_issue", {"key": key, "parent": epic.structured_content["key"]})
        said = text(result)
        assert result.is_error
        assert "- parent: Given parent work item does not belong to appropriate hierarchy." in said
