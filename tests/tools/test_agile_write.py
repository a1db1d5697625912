"""Sprint writes against the sandbox: the state rules refuse bad changes before any write is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import anyio
import pytest
from tests.tools._agile_helpers import NO_LIMITS, keys_without_sprint, open_sprint_of, sandbox_of, sprint_keys
from tests.tools._support import text_of

pytestmark = pytest.mark.anyio


def day(offset: int) -> str:
    return (datetime.now(UTC) + timedelta(days=offset)).strftime("%Y-%m-%d")


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    [
        ("jira_start_sprint", {"sprint": 1}, "is closed; a closed sprint cannot be restarted"),
        ("jira_start_sprint", {"sprint": 5}, "is already active"),
        ("jira_start_sprint", {"sprint": 7}, "has no end date"),
        ("jira_start_sprint", {"sprint": 6, "start_date": day(3), "end_date": day(1)}, "must come after the start"),
        ("jira_complete_sprint", {"sprint": 6}, "has not started; only an active sprint can be completed"),
        ("jira_complete_sprint", {"sprint": 2}, "is already closed"),
        ("jira_complete_sprint", {"sprint": 9, "move_open_to": 8}, "cannot take issues"),
        ("jira_update_sprint", {"sprint": 1, "end_date": day(3)}, "is closed; only its name and goal can change"),
        ("jira_update_sprint", {"sprint": 6}, "Nothing to change"),
        ("jira_move_to_sprint", {"issues": ["PLAT-1"], "sprint": 3}, "is closed and takes no issues"),
        ("jira_rank_issues", {"issues": ["PLAT-1"]}, "exactly one of them"),
        ("jira_rank_issues", {"issues": ["PLAT-1"], "before": "PLAT-1"}, "is the anchor"),
        ("jira_create_sprint", {"name": "S", "board": 1, "start_date": day(2), "end_date": day(1)}, "must come after"),
    ],
)
async def test_invalid_state_changes_are_refused_before_any_write(connect, tool, args, message):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, app):
            result = await client.call_tool(tool, args)
            writes = sandbox_of(app).writes
    assert result.is_error
    assert message in text_of(result)
    assert writes == 0


async def test_completing_with_no_future_sprint_and_next_is_refused_before_closing(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, app):
            # MOB's only future sprint (10) is started first, so none is left to take the open issues.
            started = await client.call_tool("jira_complete_sprint", {"sprint": "current", "project": "MOB"})
            assert not started.is_error, text_of(started)
            await client.call_tool("jira_start_sprint", {"sprint": 10, "duration_days": 14})
            before = sandbox_of(app).writes
            result = await client.call_tool("jira_complete_sprint", {"sprint": 10})
            after = sandbox_of(app).writes
    assert result.is_error and "has no future sprint" in text_of(result)
    assert after == before


async def test_create_update_and_start_a_sprint(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, app):
            created = await client.call_tool(
                "jira_create_sprint", {"name": "MOB Sprint X", "project": "MOB", "goal": "Ship offline mode"}
            )
            sid = created.structured_content["sprint"]["id"]
            updated = await client.call_tool(
                "jira_update_sprint", {"sprint": sid, "name": "MOB Sprint 11", "end_date": day(14)}
            )
            stored = dict(sandbox_of(app).store.data["sprints"][str(sid)])
    assert created.structured_content["sprint"]["state"] == "future"
    assert created.structured_content["sprint"]["board_id"] == 2
    assert "name: MOB Sprint X → MOB Sprint 11" in text_of(updated)
    assert stored["name"] == "MOB Sprint 11" and stored["goal"] == "Ship offline mode"
    assert stored["endDate"].startswith(day(14))


async def test_starting_the_next_sprint_with_a_duration_sets_both_dates(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, app):
            await client.call_tool(
                "jira_complete_sprint", {"sprint": "current", "project": "PLAT", "move_open_to": "backlog"}
            )
            result = await client.call_tool(
                "jira_start_sprint",
                {"sprint": "next", "project": "PLAT", "start_date": "2026-03-02", "duration_days": 10},
            )
            stored = dict(sandbox_of(app).store.data["sprints"]["6"])
    assert not result.is_error, text_of(result)
    assert stored["state"] == "active"
    assert stored["startDate"].startswith("2026-03-02T00:00")
    assert stored["endDate"].startswith("2026-03-12T00:00")


async def test_completing_moves_unfinished_issues_to_the_next_sprint_and_keeps_the_history(connect):
    with anyio.fail_after(30):
        async with connect(**NO_LIMITS) as (client, app):
            store = sandbox_of(app).store
            in_sprint = sprint_keys(app, 9)
            done = {k for k in in_sprint if store.data["issues"][store.by_key[k]]["f"]["status"] == "10002"}
            subtasks = {k for k in in_sprint if store.data["issues"][store.by_key[k]]["f"]["issuetype"] == "10004"}
            result = await client.call_tool("jira_complete_sprint", {"sprint": "current", "project": "MOB"})
            moved = result.structured_content["open_issues_moved"]
            places = {k: open_sprint_of(app, k) for k in in_sprint}
            still_in_9 = sprint_keys(app, 9)
            state = store.data["sprints"]["9"]["state"]
    assert not result.is_error, text_of(result)
    assert state == "closed"
    assert set(moved) == in_sprint - done - subtasks and moved
    assert result.structured_content["moved_to"].startswith("sprint 10")
    assert all(places[k] == 10 for k in moved)
    assert all(places[k] is None for k in done)
    assert still_in_9 == in_sprint  # the closed sprint stays in every issue's Sprint field


async def test_moving_more_than_fifty_issues_goes_in_chunks_with_progress(connect):
    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    with anyio.fail_after(60):
        async with connect(issues=300, **NO_LIMITS) as (client, app):
            keys = keys_without_sprint(app, "PLAT", 120)
            assert len(keys) > 50 and len(keys) % 50  # several chunks, the last one partial
            result = await client.call_tool(
                "jira_move_to_sprint",
                {"issues": keys, "sprint": "next", "project": "PLAT"},
                progress_callback=on_progress,
            )
            requests = sandbox_of(app).log.requests_by_endpoint
            places = {k: open_sprint_of(app, k) for k in keys}
            back = await client.call_tool("jira_move_to_backlog", {"issues": keys})
            after = {k: open_sprint_of(app, k) for k in keys}
    assert not result.is_error, text_of(result)
    chunks = -(-len(keys) // 50)
    assert result.structured_content["requests"] == chunks
    moves = [n for e, n in requests.items() if e.startswith("POST /rest/agile/1.0/sprint/") and e.endswith("/issue")]
    assert sum(moves) == chunks
    assert set(places.values()) == {6}
    assert [p[0] for p in progress] == [min(50 * (n + 1), len(keys)) for n in range(chunks)]
    assert {p[1] for p in progress} == {len(keys)}
    assert back.structured_content["requests"] == chunks and set(after.values()) == {None}


async def test_moves_and_ranks_refuse_issues_outside_the_allowed_projects(connect):
    with anyio.fail_after(30):
        async with connect(env={"JIRAMCP_PROJECTS": "MOB"}, **NO_LIMITS) as (client, app):
            move = await client.call_tool("jira_move_to_sprint", {"issues": ["MOB-1", "PLAT-2"], "sprint": 10})
            backlog = await client.call_tool("jira_move_to_backlog", {"issues": ["PLAT-2"]})
            rank = await client.call_tool("jira_rank_issues", {"issues": ["MOB-1"], "after": "PLAT-2"})
            writes = sandbox_of(app).writes
    for refused in (move, backlog, rank):
        assert refused.is_error and "outside this server's allowed projects" in text_of(refused)
    assert writes == 0


async def test_ranking_more_than_fifty_issues_keeps_their_order_after_the_anchor(connect):
    with anyio.fail_after(60):
        async with connect(issues=300, **NO_LIMITS) as (client, app):
            store = sandbox_of(app).store
            plat = sorted(
                (r for r in store.data["issues"].values() if r["key"].startswith("PLAT-")),
                key=lambda r: store.rank_position(r["id"]),
            )
            anchor = plat[0]["key"]
            keys = [r["key"] for r in reversed(plat[1:71])]  # 70 issues in reverse board order
            result = await client.call_tool("jira_rank_issues", {"issues": keys, "after": anchor})
            order = sorted(
                (r for r in store.data["issues"].values() if r["key"].startswith("PLAT-")),
                key=lambda r: store.rank_position(r["id"]),
            )
            ranks = sum(n for e, n in sandbox_of(app).log.requests_by_endpoint.items() if e.endswith("/issue/rank"))
    assert not result.is_error, text_of(result)
    assert [r["key"] for r in order[: len(keys) + 1]] == [anchor, *keys]
    assert ranks == 2
    assert result.structured_content["failed"] == []
