"""Prompts rendered through the MCP client: every tool they name is registered, every JQL lints."""

from __future__ import annotations

import re

import anyio
import pytest
from mcp.shared.exceptions import MCPError
from mcp.types import PromptReference, ResourceTemplateReference
from tests.tools._agile_helpers import NO_LIMITS

from jiramcp.jql import lint
from jiramcp.prompts import PROMPTS

pytestmark = pytest.mark.anyio

ARGUMENTS = {
    "sprint_report": {"project": "PLAT"},
    "daily_standup": {"project": "PLAT", "board": "PLAT board"},
    "triage_new_bugs": {"project": "MOB", "days": "14"},
    "release_notes": {"project": "PLAT", "version": '2.0 "beta"'},
    "plan_next_sprint": {"project": "PLAT", "capacity": "40"},
    "write_jql": {"goal": "bugs I reported last month that are still open", "project": "OPS"},
}
WRITE_TOOLS = {"jira_update_issue", "jira_link_issues", "jira_move_to_sprint", "jira_rank_issues", "jira_create_sprint"}


def jql_blocks(text: str) -> list[str]:
    return [line for block in re.findall(r"```jql\n(.*?)\n```", text, re.S) for line in block.splitlines()]


async def render_all(client) -> dict[str, str]:
    out = {}
    for name in PROMPTS:
        result = await client.get_prompt(name, ARGUMENTS[name])
        out[name] = "\n".join(m.content.text for m in result.messages)
    return out


async def test_every_prompt_is_listed_with_typed_arguments(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, _app):
            listed = {p.name: p for p in (await client.list_prompts()).prompts}
    assert set(listed) == set(PROMPTS)
    release = {a.name: a for a in listed["release_notes"].arguments}
    assert release["version"].required and release["project"].required
    assert release["version"].description
    assert not {a.name: a for a in listed["sprint_report"].arguments}["project"].required


async def test_prompts_name_only_registered_tools_and_carry_jql_that_lints_clean(connect):
    with anyio.fail_after(60):
        async with connect(**NO_LIMITS) as (client, _app):
            registered = {t.name for t in (await client.list_tools()).tools}
            texts = await render_all(client)
            checked = []
            for name, text in texts.items():
                named = set(re.findall(r"\bjira_[a-z_]+\b", text))
                assert named, name
                assert named <= registered, (name, named - registered)
                for query in jql_blocks(text):
                    assert not [d for d in lint(query) if d.severity == "error"], (name, query)
                    linted = await client.call_tool("jira_lint_jql", {"jql": query})
                    assert linted.structured_content["valid"], (name, query, linted.content[0].text)
                    checked.append(query)
    assert len(checked) >= 8
    assert 'fixVersion = "2.0 \\"beta\\""' in texts["release_notes"]  # the value stays one string
    assert "up to a capacity of 40 points" in texts["plan_next_sprint"]
    assert "created >= -14d" in texts["triage_new_bugs"]
    assert 'sprint="current", board="PLAT board"' in texts["daily_standup"]


async def test_a_read_only_server_gets_prompts_without_write_steps(connect):
    with anyio.fail_after(60):
        async with connect(env={"JIRAMCP_READ_ONLY": "true"}, **NO_LIMITS) as (client, _app):
            registered = {t.name for t in (await client.list_tools()).tools}
            texts = await render_all(client)
    assert not WRITE_TOOLS & registered
    for name, text in texts.items():
        assert not WRITE_TOOLS & set(re.findall(r"\bjira_[a-z_]+\b", text)), name


async def test_without_the_agile_toolset_the_sprint_report_falls_back_to_search(connect):
    with anyio.fail_after(30):
        async with connect(env={"JIRAMCP_TOOLSETS": "search,issues"}, **NO_LIMITS) as (client, _app):
            result = await client.get_prompt("sprint_report", {"project": "PLAT"})
    text = result.messages[0].content.text
    assert "jira_sprint_report" not in text
    assert jql_blocks(text) == ['project = "PLAT" AND sprint in openSprints() ORDER BY Rank ASC']


async def test_a_bad_prompt_argument_is_refused(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, _app):
            with pytest.raises(MCPError):
                await client.get_prompt("triage_new_bugs", {"project": "MOB", "days": "900"})


async def test_completion_offers_project_keys_boards_and_sprints(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, _app):
            ref = PromptReference(name="daily_standup")
            projects = await client.complete(ref, {"name": "project", "value": "p"})
            every = await client.complete(ref, {"name": "project", "value": ""})
            boards = await client.complete(ref, {"name": "board", "value": ""}, {"project": "MOB"})
            sprints = await client.complete(
                PromptReference(name="sprint_report"), {"name": "sprint", "value": ""}, {"project": "PLAT"}
            )
            resource = await client.complete(
                ResourceTemplateReference(uri="jira://sprint/{id}"), {"name": "id", "value": "1"}
            )
            keys = await client.complete(
                ResourceTemplateReference(uri="jira://project/{key}"), {"name": "key", "value": "o"}
            )
    assert projects.completion.values == ["PLAT", "OPS"]  # prefix matches first, then inner ones
    assert every.completion.values == ["MOB", "OPS", "PLAT"]
    assert boards.completion.values == ["MOB board"]
    assert sprints.completion.values == ["current", "next", "5", "6", "7"]
    assert resource.completion.values == ["10"]
    assert keys.completion.values == ["OPS", "MOB"]


async def test_completion_respects_the_project_allow_list(connect):
    with anyio.fail_after(30):
        async with connect(env={"JIRAMCP_PROJECTS": "MOB"}, **NO_LIMITS) as (client, _app):
            ref = PromptReference(name="daily_standup")
            projects = await client.complete(ref, {"name": "project", "value": ""})
            boards = await client.complete(ref, {"name": "board", "value": ""})
    assert projects.completion.values == ["MOB"]
    assert boards.completion.values == ["MOB board"]
