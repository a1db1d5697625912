"""Boards, sprints, the current sprint and sprint issues, through the MCP client over the sandbox."""

from __future__ import annotations

import anyio
import pytest
from tests.tools._agile_helpers import NO_LIMITS, sprint_keys
from tests.tools._support import text_of

pytestmark = pytest.mark.anyio


async def test_list_boards_shows_each_board_with_its_project(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, _app):
            every = await client.call_tool("jira_list_boards", {})
            scrum = await client.call_tool("jira_list_boards", {"type": "scrum"})
            plat = await client.call_tool("jira_list_boards", {"project": "PLAT"})
    assert [(b["id"], b["project"]) for b in every.structured_content["boards"]] == [
        (1, "PLAT"),
        (2, "MOB"),
        (3, "OPS"),
    ]
    assert [b["type"] for b in scrum.structured_content["boards"]] == ["scrum", "scrum"]
    assert text_of(plat).splitlines() == ["1 boards:", "1 | PLAT board | scrum | PLAT"]


async def test_the_project_allow_list_hides_other_boards_and_refuses_their_sprints(connect):
    with anyio.fail_after(30):
        async with connect(env={"JIRAMCP_PROJECTS": "MOB"}, **NO_LIMITS) as (client, _app):
            boards = await client.call_tool("jira_list_boards", {})
            by_project = await client.call_tool("jira_list_sprints", {"project": "PLAT"})
            by_board = await client.call_tool("jira_list_sprints", {"board": 1})
            by_sprint = await client.call_tool("jira_get_sprint", {"sprint": 5})
    assert [b["id"] for b in boards.structured_content["boards"]] == [2]
    for refused in (by_project, by_board, by_sprint):
        assert refused.is_error
        assert "outside this server's allowed projects" in text_of(refused)


async def test_list_sprints_by_project_or_board_name_with_a_state_filter(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, _app):
            every = await client.call_tool("jira_list_sprints", {"project": "PLAT"})
            future = await client.call_tool("jira_list_sprints", {"board": "plat board", "state": ["future"]})
    assert [(s["id"], s["state"]) for s in every.structured_content["sprints"]] == [
        (1, "closed"),
        (2, "closed"),
        (3, "closed"),
        (4, "closed"),
        (5, "active"),
        (6, "future"),
        (7, "future"),
    ]
    assert [s["id"] for s in future.structured_content["sprints"]] == [6, 7]


async def test_current_and_next_sprint_resolve_without_ids(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, _app):
            current = await client.call_tool("jira_get_sprint", {"sprint": "current", "project": "MOB"})
            following = await client.call_tool("jira_get_sprint", {"sprint": "next", "board": 1})
    assert (current.structured_content["id"], current.structured_content["state"]) == (9, "active")
    assert text_of(current).startswith("9 | MOB Sprint")
    assert following.structured_content["id"] == 6


async def test_a_kanban_only_project_says_it_has_no_sprints_without_asking_for_them(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, app):
            result = await client.call_tool("jira_get_sprint", {"sprint": "current", "project": "OPS"})
            asked = app.state.sandbox.log.requests_by_endpoint
    assert result.is_error
    assert "OPS board (kanban)" in text_of(result) and "scrum boards" in text_of(result)
    assert not any("/sprint" in endpoint for endpoint in asked)


async def test_an_unknown_board_name_lists_the_candidates(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, _app):
            result = await client.call_tool("jira_list_sprints", {"board": "PLAT", "project": "PLAT"})
    assert result.is_error
    assert "no board is named 'PLAT'" in text_of(result) and "1 PLAT board (scrum)" in text_of(result)


async def test_sprint_issues_pages_through_exactly_the_sprints_issues_in_rank_order(connect):
    with anyio.fail_after(60):
        async with connect(**NO_LIMITS) as (client, app):
            seen, token, pages = [], None, 0
            while True:
                args = {"sprint": "current", "project": "PLAT", "limit": 7}
                if token:
                    args["next_page_token"] = token
                page = await client.call_tool("jira_sprint_issues", args)
                assert not page.is_error, text_of(page)
                seen += [row["key"] for row in page.structured_content["issues"]]
                pages += 1
                token = page.structured_content.get("next_page_token")
                if page.structured_content["is_last"]:
                    break
            expected = sprint_keys(app, 5)
            store = app.state.sandbox.store
            ranks = [store.rank_position(store.by_key[k]) for k in seen]
    assert sorted(seen) == sorted(expected) and len(seen) == len(set(seen))
    assert pages == -(-len(expected) // 7)
    assert ranks == sorted(ranks)
    assert page.structured_content["jql"] == "sprint = 5 ORDER BY Rank"


async def test_sprint_issues_ands_the_filter_and_shows_story_points(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, app):
            result = await client.call_tool(
                "jira_sprint_issues", {"sprint": 5, "jql": "statusCategory != Done ORDER BY key DESC"}
            )
            store = app.state.sandbox.store
    rows = result.structured_content["issues"]
    assert result.structured_content["jql"] == "sprint = 5 AND statusCategory != Done ORDER BY key DESC"
    assert rows and all(row["status"] != "Done" for row in rows)
    for row in rows:
        rec = store.data["issues"][store.by_key[row["key"]]]
        # An issue without an estimate (a sub-task) shows no Story Points rather than None.
        assert (row.get("fields") or {}).get("Story Points") == rec["f"].get("customfield_10016")
    assert "Story Points:" in text_of(result)


async def test_a_malformed_sprint_filter_comes_back_with_the_linter_diagnosis(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, app):
            result = await client.call_tool("jira_sprint_issues", {"sprint": 5, "jql": "status = = Done"})
            searched = app.state.sandbox.log.requests_by_endpoint["POST /rest/api/3/search/jql"]
    assert result.is_error
    assert "JQL refused before sending it to Jira" in text_of(result)
    assert searched == 0
