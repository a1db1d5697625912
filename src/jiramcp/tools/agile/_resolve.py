"""Finding the board and sprint a call means, from ids, names, or just a project.

A model rarely knows sprint ids. `sprint="current"` with a project or board finds the active
sprint; `"next"` the first future one. Every lookup also enforces the project allow-list: a
board or sprint outside the allowed projects is refused like an issue would be.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel, Field

from jiramcp.tools._context import AppState
from jiramcp.tools._params import ProjectKey
from jiramcp.tools._shape import short_time

SprintRef = Annotated[
    int | Literal["current", "next"],
    Field(
        description='Sprint id, or "current" (the active sprint) or "next" (the first future sprint) '
        "of `board` or `project`"
    ),
]
BoardRef = Annotated[
    int | Annotated[str, Field(min_length=1, max_length=200)] | None,
    Field(description="Board id or exact name (jira_list_boards lists them)"),
]
ProjectRef = Annotated[
    ProjectKey | None, Field(description="Project key: its scrum board is used when `board` is not given")
]
DateParam = Annotated[
    str | None,
    Field(
        pattern=r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$",
        description="ISO date or date-time, e.g. 2026-03-02 or 2026-03-02T09:00Z (UTC when no offset)",
    ),
]


class SprintInfo(BaseModel):
    id: int
    name: str
    state: str
    start: str | None = None
    end: str | None = None
    completed: str | None = None
    goal: str | None = None
    board_id: int | None = None


class BoardInfo(BaseModel):
    id: int
    name: str
    type: str | None = None
    project: str | None = Field(default=None, description="Key of the board's project")


def sprint_info(bean: Mapping[str, Any]) -> SprintInfo:
    board = bean.get("originBoardId")
    return SprintInfo(
        id=int(bean["id"]),
        name=str(bean.get("name", "")),
        state=str(bean.get("state", "")).lower(),
        start=short_time(bean.get("startDate")),
        end=short_time(bean.get("endDate")),
        completed=short_time(bean.get("completeDate")),
        goal=bean.get("goal") or None,
        board_id=int(board) if isinstance(board, int | str) and str(board).isdigit() else None,
    )


def board_info(bean: Mapping[str, Any]) -> BoardInfo:
    location = bean.get("location") or {}
    return BoardInfo(
        id=int(bean["id"]), name=str(bean.get("name", "")), type=bean.get("type"), project=location.get("projectKey")
    )


def sprint_line(s: SprintInfo) -> str:
    dates = " → ".join(d for d in (s.start, s.end) if d)
    parts = [f"{s.id}", s.name, s.state]
    if dates:
        parts.append(dates)
    if s.completed:
        parts.append(f"completed {s.completed}")
    line = " | ".join(parts)
    return line + (f" | goal: {s.goal}" if s.goal else "")


def iso_time(value: str) -> str:
    """A user's date or date-time as the ISO timestamp Jira's Agile API takes (UTC by default)."""
    return jira_time(parse_user_time(value))


def parse_user_time(value: str) -> datetime:
    text = value.strip().replace(" ", "T")
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def jira_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def plus_days(moment: datetime, days: int) -> datetime:
    return moment + timedelta(days=days)


async def _project_boards(state: AppState, project: str) -> list[dict[str, Any]]:
    state.policy.check_project(project, parameter="project")
    return await state.client.boards(project=project)


async def check_board_allowed(state: AppState, board_id: int, parameter: str = "board") -> None:
    """Refuse a board that belongs to none of the allowed projects (no-op without an allow-list)."""
    if not state.policy.restricts_projects:
        return
    for project in state.policy.projects:
        if any(int(b["id"]) == board_id for b in await state.client.boards(project=project)):
            return
    raise ToolError(
        f"{parameter}: board {board_id} is outside this server's allowed projects "
        f"({', '.join(state.policy.projects)}). Call jira_list_boards to see the boards you can use."
    )


def _board_choices(boards: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(f"{b['id']} {b.get('name')} ({b.get('type')})" for b in boards[:20]) or "none"


async def resolve_boards(state: AppState, board: int | str | None, project: str | None) -> list[dict[str, Any]]:
    """The boards a call means: one for a board id or name, the scrum boards of a project otherwise."""
    if isinstance(board, int) or (isinstance(board, str) and board.isdigit()):
        board_id = int(board)
        await check_board_allowed(state, board_id)
        return [{"id": board_id}]
    if isinstance(board, str):
        candidates = await (_project_boards(state, project) if project else state.client.boards(name=board))
        exact = [b for b in candidates if str(b.get("name", "")).lower() == board.lower()]
        if len(exact) != 1:
            near = [b for b in candidates if board.lower() in str(b.get("name", "")).lower()] or candidates
            what = "several boards are" if exact else "no board is"
            raise ToolError(
                f"board: {what} named {board!r}. Candidates: {_board_choices(near)}. Call again with board=<id>."
            )
        await check_board_allowed(state, int(exact[0]["id"]))
        return exact
    if project:
        boards = await _project_boards(state, project)
        scrum = [b for b in boards if b.get("type") == "scrum"]
        if not scrum:
            others = f"only {_board_choices(boards)}, which has no sprints" if boards else "no board"
            raise ToolError(
                f"project: {project} has {others}. Sprints live on scrum boards; pass a project "
                'or board that has one (jira_list_boards type="scrum").'
            )
        return scrum
    raise ToolError(
        "board: pass a board id or name, or `project` to use its scrum board (jira_list_boards lists boards)."
    )


async def resolve_board_id(state: AppState, board: int | str | None, project: str | None) -> int:
    boards = await resolve_boards(state, board, project)
    if len(boards) > 1:
        raise ToolError(
            f"board: project {project} has several boards: {_board_choices(boards)}. Call again with board=<id>."
        )
    return int(boards[0]["id"])


async def get_sprint(state: AppState, sprint_id: int, parameter: str = "sprint") -> dict[str, Any]:
    bean = await state.client.get_sprint(sprint_id)
    board = bean.get("originBoardId")
    if state.policy.restricts_projects and board is not None:
        await check_board_allowed(state, int(board), parameter)
    return bean


async def resolve_sprint(
    state: AppState, sprint: int | str, project: str | None, board: int | str | None, parameter: str = "sprint"
) -> dict[str, Any]:
    """The sprint bean for an id, or the current/next sprint of a board or project."""
    if isinstance(sprint, int) or str(sprint).isdigit():
        return await get_sprint(state, int(sprint), parameter)
    boards = await resolve_boards(state, board, project)
    wanted = "active" if sprint == "current" else "future"
    found: dict[int, dict[str, Any]] = {}
    for b in boards:
        for bean in await state.client.sprints(int(b["id"]), state=wanted):
            found.setdefault(int(bean["id"]), bean)
    sprints = list(found.values())
    if sprint == "next" and sprints:
        return sprints[0]  # Jira lists future sprints in the board's planned order
    if len(sprints) == 1:
        return sprints[0]
    where = f"board {board}" if board is not None else f"project {project}"
    if not sprints:
        hint = (
            "Create one with jira_create_sprint."
            if sprint == "next"
            else 'Start one with jira_start_sprint(sprint="next"), or list sprints with jira_list_sprints.'
        )
        raise ToolError(f"{parameter}: {where} has no {wanted} sprint. {hint}")
    listed = "; ".join(sprint_line(sprint_info(s)) for s in sprints[:20])
    raise ToolError(
        f"{parameter}: {where} has {len(sprints)} {wanted} sprints: {listed}. Call again with {parameter}=<id>."
    )
