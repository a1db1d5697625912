"""The write tools against Jira Server/Data Center (REST v2): wiki markup text, users by name.

The sandbox is a Jira Cloud, so a small in-test Jira Server answers through an httpx
MockTransport and records what jiramcp sent.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from mcp import Client
from mcp.types import CallToolResult

from jiramcp.server import build_server
from jiramcp.settings import load_settings

pytestmark = pytest.mark.anyio

_CF = "com.atlassian.jira.plugin.system.customfieldtypes:"
FIELDS = [
    {"id": "summary", "name": "Summary", "schema": {"type": "string", "system": "summary"}},
    {"id": "description", "name": "Description", "schema": {"type": "string", "system": "description"}},
    {"id": "assignee", "name": "Assignee", "schema": {"type": "user", "system": "assignee"}},
    {"id": "labels", "name": "Labels", "schema": {"type": "array", "items": "string", "system": "labels"}},
    {
        "id": "customfield_10060",
        "name": "Acceptance Criteria",
        "custom": True,
        "schema": {"type": "string", "custom": _CF + "textarea", "customId": 10060},
    },
]
CREATE_FIELDS = [
    {"fieldId": f["id"], "key": f["id"], "name": f["name"], "required": f["id"] == "summary", "schema": f["schema"]}
    for f in FIELDS
]
USER = {"name": "jdoe", "key": "JIRAUSER10100", "displayName": "John Doe", "emailAddress": "jdoe@example.com"}


class FakeServer:
    """Just enough of Jira Data Center's REST v2 for the write tools."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, Any]] = []
        self.description = "h2. Old\n\n* one"
        self.refuse_create: dict[str, str] | None = None
        self.broken_after_write = False
        self.bulk_calls = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        body = json.loads(request.content) if request.content else None
        if method != "GET":
            self.sent.append((method, path, body))
        assert path.startswith("/rest/api/2/"), path
        route = path.removeprefix("/rest/api/2/")
        if route == "field":
            return httpx.Response(200, json=FIELDS)
        if route == "issue/createmeta/PROJ/issuetypes":
            return httpx.Response(200, json={"startAt": 0, "total": 1, "values": [{"id": "3", "name": "Task"}]})
        if route == "issue/createmeta/PROJ/issuetypes/3":
            return httpx.Response(200, json={"startAt": 0, "total": len(CREATE_FIELDS), "values": CREATE_FIELDS})
        if route == "user/search":
            assert request.url.params["username"] == "John"
            return httpx.Response(200, json=[USER])
        if route == "issue" and method == "POST":
            if self.refuse_create:
                return httpx.Response(400, json={"errorMessages": [], "errors": self.refuse_create})
            return httpx.Response(201, json={"id": "10007", "key": "PROJ-7", "self": "x"})
        if route == "issue/bulk":
            self.bulk_calls += 1
            if self.bulk_calls > 1:
                return httpx.Response(500, text="<html>oops</html>")
            made = [{"id": str(100 + n), "key": f"PROJ-{100 + n}"} for n in range(len(body["issueUpdates"]))]
            return httpx.Response(201, json={"issues": made, "errors": []})
        if route == "issue/PROJ-7/editmeta":
            return httpx.Response(200, json={"fields": {f["key"]: f for f in CREATE_FIELDS}})
        if route == "issue/PROJ-7" and method == "GET":
            if self.broken_after_write and self.sent:
                return httpx.Response(404, json={"errorMessages": ["Issue does not exist"], "errors": {}})
            return httpx.Response(200, json={"key": "PROJ-7", "fields": {"description": self.description}})
        if route == "issue/PROJ-7" and method == "PUT":
            self.description = body["fields"]["description"]
            return httpx.Response(204)
        if route == "issue/PROJ-7/comment" and method == "POST":
            return httpx.Response(201, json={"id": "501", "body": body["body"]})
        if route == "issue/PROJ-7/comment":
            return httpx.Response(
                200,
                json={
                    "startAt": 0,
                    "maxResults": 20,
                    "total": 1,
                    "comments": [
                        {
                            "id": "501",
                            "author": {"name": "jdoe", "displayName": "John Doe"},
                            "created": "2026-11-20T10:00:00.000+0000",
                            "updated": "2026-11-20T10:00:00.000+0000",
                            "body": "Looks *good*:\n* a\n* b",
                        },
                    ],
                },
            )
        return httpx.Response(404, json={"errorMessages": [f"no route {method} {path}"], "errors": {}})


def text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if getattr(block, "type", None) == "text")


def server_for(fake: FakeServer) -> Any:
    settings = load_settings(
        {
            "JIRA_URL": "https://jira.example.com",
            "JIRA_PERSONAL_TOKEN": "pat-secret",
            "JIRA_DEPLOYMENT": "server",
            "JIRAMCP_RATE": "0",
        }
    )
    return build_server(settings, transport=httpx.MockTransport(fake.handle))


async def test_create_on_server_sends_wiki_markup_and_users_by_name() -> None:
    fake = FakeServer()
    async with Client(server_for(fake)) as client:
        result = await client.call_tool(
            "jira_create_issue",
            {
                "project": "PROJ",
                "issue_type": "task",
                "summary": "Docs",
                "assignee": "John",
                "description": "## Steps\n\n- **open** it\n- `save`",
                "fields": {"Acceptance Criteria": "1. works"},
            },
        )
    assert not result.is_error, text(result)
    assert result.structured_content["url"] == "https://jira.example.com/browse/PROJ-7"
    ((_, _, body),) = [s for s in fake.sent if s[1] == "/rest/api/2/issue"]
    fields = body["fields"]
    assert fields["assignee"] == {"name": "jdoe"}
    assert isinstance(fields["description"], str)
    assert "h2. Steps" in fields["description"] and "* *open* it" in fields["description"]
    assert isinstance(fields["customfield_10060"], str) and fields["customfield_10060"].startswith("#")


async def test_server_field_errors_come_back_under_our_parameter_names() -> None:
    fake = FakeServer()
    fake.refuse_create = {"customfield_10060": "Too long.", "assignee": "User 'jdoe' cannot be assigned."}
    async with Client(server_for(fake)) as client:
        result = await client.call_tool(
            "jira_create_issue",
            {
                "project": "PROJ",
                "issue_type": "Task",
                "summary": "Docs",
                "assignee": "John",
                "fields": {"Acceptance Criteria": "x"},
            },
        )
    said = text(result)
    assert result.is_error
    assert "- fields.Acceptance Criteria: Too long." in said
    assert "- assignee: User 'jdoe' cannot be assigned." in said
    assert "pat-secret" not in said


async def test_update_on_server_replaces_the_wiki_description_without_an_adf_merge() -> None:
    fake = FakeServer()
    async with Client(server_for(fake)) as client:
        result = await client.call_tool("jira_update_issue", {"key": "PROJ-7", "description": "# New\n\n1. first"})
    assert not result.is_error, text(result)
    assert fake.description.startswith("h1. New") and "# first" in fake.description
    assert "- Description:" in text(result)


async def test_comments_on_server_are_written_and_read_in_wiki_markup() -> None:
    fake = FakeServer()
    async with Client(server_for(fake)) as client:
        added = await client.call_tool("jira_add_comment", {"key": "PROJ-7", "body": "**Done**, see `log`"})
        listed = await client.call_tool("jira_list_comments", {"key": "PROJ-7"})
    assert not added.is_error, text(added)
    ((_, _, body),) = [s for s in fake.sent if s[1].endswith("/comment")]
    assert body["body"].rstrip() == "*Done*, see {{log}}"
    comment = listed.structured_content["comments"][0]
    assert comment["author"] == "John Doe"
    assert comment["body"] == "Looks **good**:\n\n- a\n- b"


async def test_a_failed_read_back_after_an_update_says_the_update_was_applied() -> None:
    fake = FakeServer()
    fake.broken_after_write = True
    async with Client(server_for(fake)) as client:
        result = await client.call_tool("jira_update_issue", {"key": "PROJ-7", "description": "New"})
    said = text(result)
    assert result.is_error
    assert "PROJ-7 was updated (Description), but reading it back failed" in said
    assert "do not repeat the update" in said
    assert fake.description.startswith("New")


async def test_a_bulk_create_that_fails_midway_says_what_was_created_and_what_is_unknown() -> None:
    fake = FakeServer()
    issues = [{"project": "PROJ", "issue_type": "Task", "summary": f"Item {n}"} for n in range(70)]
    async with Client(server_for(fake)) as client:
        result = await client.call_tool("jira_create_issues", {"issues": issues})
    said = text(result)
    assert result.is_error
    assert "Bulk create stopped:" in said
    assert "0→PROJ-100" in said and "49→PROJ-149" in said
    assert "Not confirmed (check with jira_search before re-sending): items 50, 51," in said
    assert fake.bulk_calls == 2
