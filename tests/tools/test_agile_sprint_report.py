"""The sprint report over the sandbox, on a sprint set up by hand so every number is known."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import anyio
import pytest
from tests.tools._agile_helpers import NO_LIMITS, keys_without_sprint, sandbox_of, sprint_keys
from tests.tools._support import text_of

pytestmark = pytest.mark.anyio

SP, SPRINT = "customfield_10016", "customfield_10020"
TODO, IN_PROGRESS, DONE = "10000", "3", "10002"


def at(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


async def test_report_numbers_match_a_hand_built_sprint(connect):
    start = (datetime.now(UTC) - timedelta(days=2)).replace(second=0, microsecond=0)
    now = [start - timedelta(hours=1)]
    with anyio.fail_after(60):
        async with connect(clock=lambda: now[0], **NO_LIMITS) as (client, app):
            store = sandbox_of(app).store
            emptied = [
                k for k in sprint_keys(app, 10) if store.data["issues"][store.by_key[k]]["f"]["issuetype"] != "10004"
            ]
            if emptied:
                await client.call_tool("jira_move_to_backlog", {"issues": emptied})
            free = [
                k
                for k in keys_without_sprint(app, "MOB", 40)
                if store.data["issues"][store.by_key[k]]["f"]["created"] < at(start)
                and not store.children.get(store.by_key[k])
                and not store.data["issues"][store.by_key[k]]["f"].get(SPRINT)
            ]  # never in any sprint
            a, b, c, d, e = free[:5]
            someone = next(iter(store.users))
            plan = {
                a: (DONE, 5, someone, []),
                b: (IN_PROGRESS, 3, someone, ["blocked"]),
                c: (TODO, None, None, []),
                d: (TODO, 2, someone, []),
                e: (IN_PROGRESS, 1, someone, []),
            }
            for key, (status, points, assignee, labels) in plan.items():
                f = store.data["issues"][store.by_key[key]]["f"]
                f.update({"status": status, SP: points, "assignee": assignee, "labels": labels})
            # e was in closed sprint 8 and came along into 10 without a move (carried over).
            store.data["issues"][store.by_key[e]]["f"][SPRINT] = [8, 10]
            store.touch()
            moved = await client.call_tool("jira_move_to_sprint", {"issues": [a, b, c], "sprint": 10})
            assert not moved.is_error, text_of(moved)
            now[0] = start + timedelta(minutes=5)
            started = await client.call_tool(
                "jira_start_sprint", {"sprint": 10, "start_date": at(start), "end_date": at(start + timedelta(days=14))}
            )
            assert not started.is_error, text_of(started)
            now[0] = start + timedelta(days=1)
            # MOB now has two active sprints (9 and 10): "current" must ask which one.
            ambiguous = await client.call_tool(
                "jira_move_to_sprint", {"issues": [d], "sprint": "current", "project": "MOB"}
            )
            assert ambiguous.is_error and "has 2 active sprints" in text_of(ambiguous)
            late = await client.call_tool("jira_move_to_sprint", {"issues": [d], "sprint": 10})
            assert not late.is_error, text_of(late)
            result = await client.call_tool("jira_sprint_report", {"sprint": 10})
            resource = await client.read_resource("jira://sprint/10")
    assert not result.is_error, text_of(result)
    r = result.structured_content
    assert (r["issues"], r["points"], r["unestimated"], r["points_field"]) == (5, 11.0, 1, "Story Points")
    assert [(c["category"], c["issues"], c["points"]) for c in r["by_category"]] == [
        ("To Do", 2, 2.0),
        ("In Progress", 2, 4.0),
        ("Done", 1, 5.0),
    ]
    assert (r["completion_by_issues"], r["completion_by_points"]) == (20.0, 45.5)
    assert [i["key"] for i in r["added_after_start"]] == [d] and r["added_points"] == 2.0
    assert [(i["key"], i["why"]) for i in r["carried_over"]] == [(e, "from MOB Sprint 1")]
    assert [(i["key"], i["why"]) for i in r["blocked"]] == [(b, "label blocked")]
    assert [i["key"] for i in r["unassigned"]] == [c]
    assert r["days_left"] == 12
    assert "Done: 20% of issues, 45.5% of points" in text_of(result)
    assert resource.contents[0].text == text_of(result)
