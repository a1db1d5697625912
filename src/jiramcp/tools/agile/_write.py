"""Changing sprints: create, edit, start, complete.

Jira's sprint life cycle is future → active → closed, one way. Every rule is checked here
before any write is sent, so a refused change costs one read and says what would work:
a sprint starts only from future and with an end date; only an active sprint completes; a closed
sprint takes a new name or goal, nothing else; the end comes after the start.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, Resolve
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from jiramcp.tools._context import AppState, app_state
from jiramcp.tools._errors import jira_errors
from jiramcp.tools._results import answer
from jiramcp.tools._spec import jira_tool
from jiramcp.tools._sprint_report import parse_time
from jiramcp.tools.agile._moves import move_in_chunks, open_issue_keys
from jiramcp.tools.agile._resolve import (
    BoardRef,
    DateParam,
    ProjectRef,
    SprintInfo,
    SprintRef,
    get_sprint,
    jira_time,
    parse_user_time,
    plus_days,
    resolve_board_id,
    resolve_sprint,
    sprint_info,
    sprint_line,
)

NameParam = Annotated[str, Field(min_length=1, max_length=255, description="Sprint name, e.g. PLAT Sprint 8")]
GoalParam = Annotated[str | None, Field(max_length=2_000, description="Sprint goal")]


class SprintChange(BaseModel):
    sprint: SprintInfo
    changed: list[str] = Field(description="What this call changed")


class SprintCompletion(BaseModel):
    sprint: SprintInfo
    open_issues_moved: list[str]
    moved_to: str = Field(description="'backlog' or the sprint the open issues went to")


def _check_order(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and end <= start:
        raise ToolError(f"end_date: the end ({end:%Y-%m-%d %H:%M}) must come after the start ({start:%Y-%m-%d %H:%M}).")


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    out = []
    for key, label in (
        ("name", "name"),
        ("goal", "goal"),
        ("state", "state"),
        ("startDate", "start"),
        ("endDate", "end"),
        ("completeDate", "completed"),
    ):
        if before.get(key) != after.get(key) and after.get(key) is not None:
            out.append(f"{label}: {before.get(key) or '—'} → {after.get(key)}")
    return out


@jira_tool(title="Create a sprint", toolset="agile", writes=True, idempotent=False)
async def jira_create_sprint(
    name: NameParam,
    state: Annotated[AppState, Resolve(app_state)],
    board: BoardRef = None,
    project: ProjectRef = None,
    goal: GoalParam = None,
    start_date: DateParam = None,
    end_date: DateParam = None,
) -> Annotated[CallToolResult, SprintChange]:
    """Create a future sprint on a board (`board` id or name, or `project` for its scrum board).
    Dates are optional now; jira_start_sprint needs an end date (or a duration) later."""
    start = parse_user_time(start_date) if start_date else None
    end = parse_user_time(end_date) if end_date else None
    _check_order(start, end)
    async with jira_errors():
        board_id = await resolve_board_id(state, board, project)
        bean = await state.client.create_sprint(
            name,
            board_id,
            goal=goal,
            start_date=jira_time(start) if start else None,
            end_date=jira_time(end) if end else None,
        )
    info = sprint_info(bean)
    result = SprintChange(sprint=info, changed=["created"])
    return answer(result, f"Created sprint {sprint_line(info)} on board {board_id}.")


@jira_tool(title="Edit a sprint", toolset="agile", writes=True, idempotent=True)
async def jira_update_sprint(
    sprint: Annotated[int, Field(ge=1, description="Sprint id")],
    state: Annotated[AppState, Resolve(app_state)],
    name: Annotated[str | None, Field(min_length=1, max_length=255, description="New name")] = None,
    goal: GoalParam = None,
    start_date: DateParam = None,
    end_date: DateParam = None,
) -> Annotated[CallToolResult, SprintChange]:
    """Rename a sprint, set its goal, or move its dates. A closed sprint takes only a name and a
    goal. To start or complete a sprint, call jira_start_sprint or jira_complete_sprint."""
    if name is None and goal is None and start_date is None and end_date is None:
        raise ToolError("Nothing to change: pass name, goal, start_date or end_date.")
    async with jira_errors():
        bean = await get_sprint(state, sprint)
        current = str(bean.get("state", "")).lower()
        if current == "closed" and (start_date or end_date):
            raise ToolError(f"sprint: sprint {sprint} is closed; only its name and goal can change.")
        start = parse_user_time(start_date) if start_date else parse_time(bean.get("startDate"))
        end = parse_user_time(end_date) if end_date else parse_time(bean.get("endDate"))
        _check_order(start, end)
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name
        if goal is not None:
            changes["goal"] = goal
        if start_date:
            changes["start_date"] = jira_time(parse_user_time(start_date))
        if end_date:
            changes["end_date"] = jira_time(parse_user_time(end_date))
        after = await state.client.update_sprint(sprint, **changes)
    after = after or {**bean}
    info = sprint_info(after)
    result = SprintChange(sprint=info, changed=_changes(bean, after) or ["nothing (already so)"])
    return answer(result, f"Updated sprint {sprint_line(info)}: " + "; ".join(result.changed))


@jira_tool(title="Start a sprint", toolset="agile", writes=True, idempotent=False)
async def jira_start_sprint(
    sprint: SprintRef,
    state: Annotated[AppState, Resolve(app_state)],
    board: BoardRef = None,
    project: ProjectRef = None,
    start_date: DateParam = None,
    end_date: DateParam = None,
    duration_days: Annotated[
        int | None, Field(ge=1, le=90, description="Length in days, when the sprint has no end date")
    ] = None,
) -> Annotated[CallToolResult, SprintChange]:
    """Start a future sprint (e.g. sprint="next" with `project`). It needs an end date: the
    sprint's own, `end_date`, or `duration_days` from the start (default start: now)."""
    async with jira_errors():
        bean = await resolve_sprint(state, sprint, project, board)
        current = str(bean.get("state", "")).lower()
        sid = int(bean["id"])
        if current == "active":
            raise ToolError(f"sprint: sprint {sid} ({bean.get('name')}) is already active.")
        if current == "closed":
            raise ToolError(
                f"sprint: sprint {sid} ({bean.get('name')}) is closed; a closed sprint cannot be "
                "restarted. Create a new one with jira_create_sprint."
            )
        start = parse_user_time(start_date) if start_date else parse_time(bean.get("startDate")) or datetime.now(UTC)
        end = parse_user_time(end_date) if end_date else None
        if end is None and duration_days:
            end = plus_days(start, duration_days)
        end = end or parse_time(bean.get("endDate"))
        if end is None:
            raise ToolError(
                f"sprint: sprint {sid} has no end date, and Jira starts a sprint only with one. "
                "Call again with end_date or duration_days."
            )
        _check_order(start, end)
        after = await state.client.update_sprint(
            sid, state="active", start_date=jira_time(start), end_date=jira_time(end)
        )
    after = after or {**bean, "state": "active"}
    info = sprint_info(after)
    result = SprintChange(sprint=info, changed=_changes(bean, after))
    return answer(result, f"Started sprint {sprint_line(info)}.")


async def _destination(state: AppState, bean: Mapping[str, Any], move_open_to: int | str) -> dict[str, Any] | None:
    """The sprint open issues go to (None: the backlog), checked before anything is written."""
    if move_open_to == "backlog":
        return None
    sid = int(bean["id"])
    if move_open_to == "next":
        board = bean.get("originBoardId")
        future = (
            [s for s in await state.client.sprints(int(board), state="future") if int(s["id"]) != sid]
            if board is not None
            else []
        )
        if not future:
            raise ToolError(
                f"move_open_to: board {board} has no future sprint to take the open issues. "
                'Create one with jira_create_sprint, or pass move_open_to="backlog".'
            )
        return future[0]
    target = await get_sprint(state, int(move_open_to), "move_open_to")
    if int(target["id"]) == sid or str(target.get("state", "")).lower() == "closed":
        raise ToolError(
            f"move_open_to: sprint {target['id']} cannot take issues (it is this sprint or closed). "
            'Pass a future or active sprint id, "next" or "backlog".'
        )
    return target


@jira_tool(title="Complete a sprint", toolset="agile", writes=True, idempotent=False)
async def jira_complete_sprint(
    sprint: SprintRef,
    state: Annotated[AppState, Resolve(app_state)],
    ctx: Context,
    board: BoardRef = None,
    project: ProjectRef = None,
    move_open_to: Annotated[
        int | Literal["next", "backlog"],
        Field(
            description='Where unfinished issues go: "next" (the board\'s next future sprint), "backlog", '
            "or a sprint id"
        ),
    ] = "next",
) -> Annotated[CallToolResult, SprintCompletion]:
    """Complete the active sprint and move its unfinished issues to the next sprint or the backlog.

    Checks first (no write if any fails): the sprint is active, and the destination exists and is
    open. Sub-tasks follow their parents. Call jira_sprint_report first for the closing numbers.
    """
    async with jira_errors():
        bean = await resolve_sprint(state, sprint, project, board)
        current = str(bean.get("state", "")).lower()
        sid = int(bean["id"])
        if current != "active":
            why = "has not started" if current == "future" else "is already closed"
            raise ToolError(f"sprint: sprint {sid} ({bean.get('name')}) {why}; only an active sprint can be completed.")
        target = await _destination(state, bean, move_open_to)
        open_keys = await open_issue_keys(state, sid)
        after = await state.client.update_sprint(sid, state="closed")
        # Closing first keeps this sprint in the moved issues' Sprint field, as Jira's own dialog
        # does, so reports of this sprint still show them as not completed.
        await move_in_chunks(state, ctx, open_keys, int(target["id"]) if target else None)
    after = after or {**bean, "state": "closed"}
    where = f"sprint {target['id']} ({target.get('name')})" if target else "backlog"
    result = SprintCompletion(sprint=sprint_info(after), open_issues_moved=open_keys, moved_to=where)
    text = f"Completed sprint {sprint_line(result.sprint)}. {len(open_keys)} unfinished issues moved to {where}"
    return answer(result, text + (": " + ", ".join(open_keys) if open_keys else "."))
