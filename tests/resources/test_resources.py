"""Resources read through the MCP client over the sandbox."""

from __future__ import annotations

import anyio
import pytest
from mcp.shared.exceptions import MCPError
from tests.tools._agile_helpers import NO_LIMITS

pytestmark = pytest.mark.anyio


async def test_the_templates_are_listed_with_markdown_type(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, _app):
            templates = (await client.list_resource_templates()).resource_templates
    assert {t.uri_template: t.mime_type for t in templates} == {
        "jira://issue/{key}": "text/markdown",
        "jira://project/{key}": "text/markdown",
        "jira://sprint/{id}": "text/markdown",
    }


async def test_an_issue_reads_as_markdown_with_its_description_and_comments(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, app):
            store = app.state.sandbox.store
            rec = next(r for r in store.data["issues"].values() if r["comments"] and r["key"].startswith("PLAT"))
            result = await client.read_resource(f"jira://issue/{rec['key']}")
    text = result.contents[0].text
    assert result.contents[0].mime_type == "text/markdown"
    assert text.startswith(f"# {rec['key']}: {rec['f']['summary']}")
    assert "## Description" in text and "## Comments" in text
    assert '"type": "doc"' not in text  # Markdown, not ADF


async def test_a_project_lists_types_fields_and_statuses_by_category(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, _app):
            text = (await client.read_resource("jira://project/PLAT")).contents[0].text
    assert text.startswith("# PLAT: ")
    for heading in ("## Issue types and their fields", "### Story", "## Components", "## Versions", "## Workflow"):
        assert heading in text
    assert "Story Points (customfield_10016, number)" in text
    workflow = text.split("## Workflow", 1)[1]
    assert workflow.index("- To Do: To Do") < workflow.index("- In Progress: In Progress") < workflow.index("- Done:")


async def test_resources_enforce_the_allow_list_and_say_what_is_missing(connect):
    with anyio.fail_after(30):
        async with connect(env={"JIRAMCP_PROJECTS": "MOB"}, **NO_LIMITS) as (client, _app):
            with pytest.raises(MCPError, match="outside this server's allowed projects"):
                await client.read_resource("jira://issue/PLAT-1")
            with pytest.raises(MCPError, match="outside this server's allowed projects"):
                await client.read_resource("jira://sprint/5")
            with pytest.raises(MCPError, match="MOB-99999"):
                await client.read_resource("jira://issue/MOB-99999")
