"""The tool surface a model sees, pinned: names, descriptions, schemas, annotations.

A change here changes what every model reads on every turn, so it should be a reviewed diff. After
an intended change: `JIRAMCP_UPDATE_SNAPSHOTS=1 python -m pytest tests/tools/test_tool_surface.py`.
"""

import json
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.anyio

SNAPSHOT = Path(__file__).parent / "snapshots" / "tools.json"
# Everything, delete included, so the snapshot covers every tool there is.
ALL_TOOLS_ENV = {"JIRAMCP_ENABLE_DELETE": "true"}


def surface(tools) -> list[dict]:
    return [
        {
            "name": tool.name,
            "title": tool.title,
            "description": tool.description,
            "annotations": tool.annotations.model_dump(mode="json", exclude_none=True) if tool.annotations else None,
            "inputSchema": tool.input_schema,
            "outputSchema": tool.output_schema,
        }
        for tool in sorted(tools, key=lambda t: t.name)
    ]


async def test_the_tool_surface_matches_its_snapshot(connect):
    async with connect(env=ALL_TOOLS_ENV) as (client, _app):
        current = surface((await client.list_tools()).tools)
    if os.environ.get("JIRAMCP_UPDATE_SNAPSHOTS") == "1" or not SNAPSHOT.exists():
        SNAPSHOT.write_text(json.dumps(current, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    expected = json.loads(SNAPSHOT.read_text())
    assert [t["name"] for t in current] == [t["name"] for t in expected]
    for now, then in zip(current, expected, strict=True):
        assert now == then, f"{now['name']} changed; update the snapshot if intended"


async def test_every_tool_is_annotated_and_described_for_a_model(connect):
    async with connect(env=ALL_TOOLS_ENV) as (client, _app):
        tools = (await client.list_tools()).tools
    for tool in tools:
        assert tool.name.startswith("jira_")
        assert tool.description and len(tool.description) > 40, tool.name
        assert tool.annotations is not None and tool.annotations.open_world_hint is True, tool.name
        assert tool.annotations.read_only_hint is not None, tool.name
        assert tool.output_schema is not None, tool.name


async def test_read_only_mode_lists_no_tool_that_writes(connect):
    async with connect(env={"JIRAMCP_READ_ONLY": "true", "JIRAMCP_ENABLE_DELETE": "true"}) as (client, _app):
        tools = (await client.list_tools()).tools
    assert tools
    assert all(tool.annotations.read_only_hint for tool in tools)
    names = {tool.name for tool in tools}
    assert "jira_search" in names and "jira_create_issue" not in names and "jira_delete_issue" not in names


async def test_toolsets_narrow_the_listing(connect):
    async with connect(env={"JIRAMCP_TOOLSETS": "search"}) as (client, _app):
        names = {tool.name for tool in (await client.list_tools()).tools}
    assert names == {"jira_search", "jira_lint_jql"}


async def test_an_enabled_tools_list_alone_lists_only_those_tools(connect):
    async with connect(env={"JIRAMCP_ENABLED_TOOLS": "jira_search,jira_get_issue"}) as (client, _app):
        names = {tool.name for tool in (await client.list_tools()).tools}
    assert names == {"jira_search", "jira_get_issue"}
