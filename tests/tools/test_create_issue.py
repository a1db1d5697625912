"""jira_create_issue and jira_create_issues through the MCP client against the sandbox."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from mcp.types import CallToolResult

from jiramcp.sandbox import RateLimitConfig

pytestmark = pytest.mark.anyio

PRIYA = "5f8a1c2e9b0d4e0012a1b002"
NO_LIMITS = {"limits": RateLimitConfig(enabled=False)}


def text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if getattr(block, "type", None) == "text")


def store(app: Any) -> Any:
    return app.state.sandbox.store


def requests(app: Any, prefix: str) -> int:
    log = app.state.sandbox.log.requests_by_endpoint
    return sum(count for endpoint, count in log.items() if endpoint.startswith(prefix))


async def test_create_converts_every_value_to_jira_shapes_and_answers_key_and_url(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        with anyio.fail_after(30):
            result = await client.call_tool(
                "jira_create_issue",
                {
                    "project": "plat",
                    "issue_type": "bug",
                    "summary": "Crash on save",
                    "description": "## Steps\n1. open\n2. **save**",
                    "priority": "high",
                    "labels": ["crash", "ui"],
                    "assignee": "Priya",
                    "components": ["api"],
                    "fix_versions": ["2.0"],
                    "due_date": "2026-12-24",
                    "fields": {"Team": "atlas", "Story Points": "3", "Acceptance Criteria": "- no crash"},
                },
            )
        assert not result.is_error, text(result)
        key = result.structured_content["key"]
        assert key.startswith("PLAT-")
        assert text(result) == f"Created {key}: {result.structured_content['url']}"
        assert result.structured_content["url"].endswith(f"/browse/{key}")
        fields = store(app).issue(key)["f"]
        assert fields["assignee"] == PRIYA
        assert fields["labels"] == ["crash", "ui"]
        assert fields["customfield_10016"] == 3
        assert fields["duedate"] == "2026-12-24"
        assert fields["description"]["type"] == "doc"
        assert fields["customfield_10060"]["type"] == "doc"


async def test_every_problem_comes_back_in_one_error_and_nothing_is_sent(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        result = await client.call_tool(
            "jira_create_issue",
            {
                "project": "PLAT",
                "issue_type": "Bug",
                "summary": "x",
                "priority": "Urgent",
                "fields": {"Teem": 1, "Team": "Zeus"},
                "labels": ["two words"],
            },
        )
        said = text(result)
        assert result.is_error
        assert "Nothing was sent to Jira" in said
        assert "fields.Teem: no field is called 'Teem' (did you mean 'Team'?)" in said
        assert "priority: 'Urgent' is not allowed for Priority; allowed: Highest, High, Medium, Low, Lowest" in said
        assert "fields.Team: 'Zeus' is not allowed for Team; allowed: Phoenix, Atlas, Nebula" in said
        assert "labels: labels cannot be empty or contain spaces" in said
        assert "jira_get_create_fields" in said
        assert requests(app, "POST /rest/api/3/issue") == 0


async def test_a_missing_required_field_is_named_before_sending(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        result = await client.call_tool(
            "jira_create_issue", {"project": "PLAT", "issue_type": "Sub-task", "summary": "Part"}
        )
        assert result.is_error
        assert "parent: required for PLAT Sub-task" in text(result)
        assert app.state.sandbox.log.writes_applied == 0


async def test_a_field_off_the_create_screen_lists_what_the_screen_takes(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, _app):
        result = await client.call_tool(
            "jira_create_issue",
            {"project": "PLAT", "issue_type": "Task", "summary": "x", "fields": {"Environment": "prod"}},
        )
        assert result.is_error
        assert "fields.Environment: Environment is not on the create screen of PLAT Task; fields it takes:" in text(
            result
        )


async def test_an_unknown_issue_type_lists_the_project_types(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, _app):
        result = await client.call_tool(
            "jira_create_issue", {"project": "PLAT", "issue_type": "Feature", "summary": "x"}
        )
        assert result.is_error
        assert "issue_type: 'Feature' is not an issue type of project PLAT" in text(result)
        assert "Story" in text(result)


async def test_an_ambiguous_assignee_lists_the_candidates(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        result = await client.call_tool(
            "jira_create_issue", {"project": "PLAT", "issue_type": "Task", "summary": "x", "assignee": "o"}
        )
        said = text(result)
        assert result.is_error, said
        assert "assignee: 'o' does not name one user; candidates:" in said
        assert "accountId" in said
        assert app.state.sandbox.log.writes_applied == 0


async def test_assignee_by_email_and_me(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, app):
        by_email = await client.call_tool(
            "jira_create_issue",
            {"project": "OPS", "issue_type": "Task", "summary": "a", "assignee": "priya.sharma@example.com"},
        )
        mine = await client.call_tool(
            "jira_create_issue", {"project": "OPS", "issue_type": "Task", "summary": "b", "assignee": "me"}
        )
        assert store(app).issue(by_email.structured_content["key"])["f"]["assignee"] == PRIYA
        assert store(app).issue(mine.structured_content["key"])["f"]["assignee"] == "5f8a1c2e9b0d4e0012a1b001"


async def test_jira_field_errors_come_back_under_our_parameter_names(connect: Any) -> None:
    async with connect(**NO_LIMITS) as (client, _app):
        result = await client.call_tool(
            "jira_create_issue",
            {
                "project": "PLAT",
                "issue_type": "Task",
                "summary": "x",
                "fields": {"Sprint": 99999},
            },
        )
        said = text(result)
        assert result.is_error
        assert "Jira refused the request:" in said
        assert "- fields.Sprint: " in said and "customfield_10020" not in said


async def test_a_project_outside_the_allow_list_is_refused_without_a_request(connect: Any) -> None:
    async with connect({"JIRAMCP_PROJECTS": "OPS"}, **NO_LIMITS) as (client, app):
        result = await client.call_tool("jira_create_issue", {"project": "PLAT", "issue_type": "Task", "summary": "x"})
        assert result.is_error
        assert "project: project 'PLAT' is outside this server's allowed projects (OPS)" in text(result)
        assert requests(app, "GET /rest/api/3/issue/createmeta") == 0
        bulk = await client.call_tool(
            "jira_create_issues",
            {
                "issues": [
                    {"project": "OPS", "issue_type": "Task", "summary": "fine"},
                    {"project": "MOB", "issue_type": "Task", "summary": "not here"},
                ]
            },
        )
        assert bulk.is_error
        assert "issues[1].project: project 'MOB' is outside" in text(bulk)
        assert app.state.sandbox.log.writes_applied == 0


async def test_read_only_mode_lists_no_writing_tool(connect: Any) -> None:
    async with connect({"JIRAMCP_READ_ONLY": "true"}) as (client, _app):
        names = {tool.name for tool in (await client.list_tools()).tools}
    writers = {
        "jira_create_issue",
        "jira_create_issues",
        "jira_update_issue",
        "jira_transition_issue",
        "jira_add_comment",
        "jira_link_issues",
        "jira_add_worklog",
        "jira_delete_issue",
    }
    assert not names & writers
    assert "jira_list_comments" in names


async def test_bulk_create_chunks_by_fifty_reports_progress_and_answers_by_index(connect: Any) -> None:
    updates: list[tuple[float, float | None, str | None]] = []

    async def progress(done: float, total: float | None, message: str | None) -> None:
        updates.append((done, total, message))

    issues = [{"project": "MOB", "issue_type": "Task", "summary": f"Item {i}"} for i in range(60)]
    issues[7]["fields"] = {"Sprint": 99999}  # Jira itself refuses this one
    async with connect(**NO_LIMITS) as (client, app):
        with anyio.fail_after(60):
            result = await client.call_tool("jira_create_issues", {"issues": issues}, progress_callback=progress)
        assert not result.is_error, text(result)
        data = result.structured_content
        assert (data["created"], data["failed"]) == (59, 1)
        assert [item["index"] for item in data["items"]] == list(range(60))
        assert "fields.Sprint" in data["items"][7]["error"]
        for item in data["items"]:
            if "key" in item:
                assert store(app).issue(item["key"])["f"]["summary"] == f"Item {item['index']}"
        assert requests(app, "POST /rest/api/3/issue/bulk") == 2
    assert updates[-1][:2] == (60, 60)
    assert len(updates) >= 3


async def test_bulk_create_sends_nothing_when_an_item_is_invalid_unless_told_to_skip_it(connect: Any) -> None:
    issues = [
        {"project": "OPS", "issue_type": "Task", "summary": "good"},
        {"project": "OPS", "issue_type": "Task", "summary": "bad", "priority": "Meh"},
    ]
    async with connect(**NO_LIMITS) as (client, app):
        refused = await client.call_tool("jira_create_issues", {"issues": issues})
        assert refused.is_error
        assert "Nothing was created: 1 of 2 issues are invalid." in text(refused)
        assert "issues[1].priority: 'Meh' is not allowed" in text(refused)
        assert app.state.sandbox.log.writes_applied == 0
        partial = await client.call_tool("jira_create_issues", {"issues": issues, "skip_invalid": True})
        assert not partial.is_error
        items = partial.structured_content["items"]
        assert items[0]["key"].startswith("OPS-") and "Meh" in items[1]["error"]
        assert text(partial).splitlines()[0].startswith("Created 1 of 2 issues; 1 failed.")
