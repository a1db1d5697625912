import httpx
import pytest
import respx
from mcp import Client
from tests.tools._support import sandbox_search, text_of

from jiramcp.server import build_server
from jiramcp.settings import load_settings

pytestmark = pytest.mark.anyio


async def epic_key(app) -> str:
    return (await sandbox_search(app, "project = PLAT AND type = Epic ORDER BY key"))[0]["key"]


async def test_an_issue_reads_as_markdown_with_its_main_fields(connect):
    async with connect() as (client, app):
        key = await epic_key(app)
        result = await client.call_tool("jira_get_issue", {"key": key.lower()})
        assert not result.is_error
        issue = result.structured_content
        assert issue["key"] == key and issue["url"].endswith(f"/browse/{key}")
        assert issue["type"] == "Epic"
        text = text_of(result)
        assert text.startswith(f"# {key}: ")
        # The seeded epic descriptions hold a table and a panel: both survive as Markdown.
        assert "| Milestone |" in issue["description"] and "> [!" in issue["description"]
        assert '"type": "doc"' not in text


async def test_include_adds_comments_links_transitions_and_history(connect):
    async with connect() as (client, app):
        key = await epic_key(app)
        result = await client.call_tool(
            "jira_get_issue", {"key": key, "include": ["comments", "links", "transitions", "changelog", "subtasks"]}
        )
        issue = result.structured_content
        assert "comments" in issue and "transitions" in issue and "changelog" in issue
        assert {t["name"] for t in issue["transitions"]}
        assert "## Transitions available" in text_of(result)


async def test_extra_fields_are_asked_for_by_name(connect):
    async with connect() as (client, app):
        story = (await sandbox_search(app, '"Story Points" is not EMPTY ORDER BY key'))[0]
        result = await client.call_tool("jira_get_issue", {"key": story["key"], "fields": ["Story Points"]})
        assert result.structured_content["fields"]["Story Points"] == story["fields"]["customfield_10016"]


async def test_a_missing_issue_says_so_and_what_to_do(connect):
    async with connect() as (client, _app):
        result = await client.call_tool("jira_get_issue", {"key": "PLAT-99999"})
        assert result.is_error
        assert "does not exist" in text_of(result).lower() or "404" in text_of(result)


async def test_an_issue_outside_the_allowed_projects_is_refused_without_a_request(connect):
    async with connect(env={"JIRAMCP_PROJECTS": "OPS"}) as (client, app):
        before = app.state.sandbox.log.total_requests
        result = await client.call_tool("jira_get_issue", {"key": "PLAT-1"})
        assert result.is_error and "OPS" in text_of(result)
        assert app.state.sandbox.log.total_requests == before


async def test_a_malformed_key_is_refused_by_the_schema():
    settings = load_settings({"JIRA_DEPLOYMENT": "cloud"}, sandbox=True)
    async with Client(build_server(settings, transport=httpx.MockTransport(lambda r: httpx.Response(500)))) as client:
        result = await client.call_tool("jira_get_issue", {"key": "not a key"})
    assert result.is_error and "`key`" in text_of(result)


@respx.mock
async def test_on_server_data_center_wiki_text_reads_as_markdown():
    base = "https://jira.example.org"
    respx.get(f"{base}/rest/api/2/field").respond(json=[{"id": "summary", "name": "Summary", "schema": {}}])
    respx.get(url__regex=rf"{base}/rest/api/2/issue/OPS-7\b.*").respond(
        json={
            "key": "OPS-7",
            "fields": {
                "summary": "Rotate keys",
                "status": {"name": "Open"},
                "description": "h2. Steps\n* one\n** nested\n{code:python}\nprint(1)\n{code}",
            },
        }
    )
    env = {
        "JIRA_URL": base,
        "JIRA_PERSONAL_TOKEN": "pat-secret-value",
        "JIRA_DEPLOYMENT": "server",
        "JIRAMCP_RATE": "0",
    }
    async with Client(build_server(load_settings(env))) as client:
        result = await client.call_tool("jira_get_issue", {"key": "OPS-7"})
    assert not result.is_error, text_of(result)
    description = result.structured_content["description"]
    assert "## Steps" in description and "```python" in description
    assert "pat-secret-value" not in text_of(result)
