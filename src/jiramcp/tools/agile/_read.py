"""Reading boards and sprints: list them, find the current one, its issues, and its report."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import Context, Resolve
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from jiramcp.jql import And, Comparison, JQLSyntaxError, Operator, Query, SortKey, Span, Value, parse, render
from jiramcp.jql import Field as JqlField
from jiramcp.tools._catalog import field_index
from jiramcp.tools._context import AppState, app_state
from jiramcp.tools._errors import jira_errors
from jiramcp.tools._models import IssueBrief
from jiramcp.tools._results import answer
from jiramcp.tools._spec import jira_tool
from jiramcp.tools._sprint_report import SprintReport, render_report
from jiramcp.tools.agile._report_data import MAX_REPORT_ISSUES, compute_report, estimation_field
from jiramcp.tools.agile._resolve import (
    BoardInfo,
    BoardRef,
    ProjectRef,
    SprintInfo,
    SprintRef,
    board_info,
    resolve_board_id,
    resolve_sprint,
    sprint_info,
    sprint_line,
)
from jiramcp.tools.search import BRIEF_FIELDS, _resolve_fields, brief, brief_line, checked_jql

_S = Span(0, 0)
SprintState = Literal["active", "future", "closed"]


class BoardList(BaseModel):
    boards: list[BoardInfo]


class SprintList(BaseModel):
    board_id: int
    sprints: list[SprintInfo]


class SprintIssues(BaseModel):
    sprint: SprintInfo
    jql: str
    issues: list[IssueBrief]
    is_last: bool
    next_page_token: str | None = None


@jira_tool(title="List boards", toolset="agile")
async def jira_list_boards(
    state: Annotated[AppState, Resolve(app_state)],
    project: ProjectRef = None,
    type: Annotated[Literal["scrum", "kanban", "simple"] | None, Field(description="Board type")] = None,
    name: Annotated[str | None, Field(max_length=200, description="Part of the board name")] = None,
) -> Annotated[CallToolResult, BoardList]:
    """List Jira boards (id, name, type, project). Sprints live on scrum boards.

    Most agile tools also accept `project` and find its scrum board themselves, so call this only
    when a project has several boards or you need a board id.
    """
    async with jira_errors():
        if project:
            state.policy.check_project(project, parameter="project")
        beans = await state.client.boards(project=project, type=type, name=name)
    boards = [board_info(b) for b in beans]
    if state.policy.restricts_projects:
        boards = [b for b in boards if b.project and state.policy.allows_project(b.project)]
    lines = [f"{len(boards)} boards:"] + [
        " | ".join(str(c) for c in (b.id, b.name, b.type, b.project) if c) for b in boards
    ]
    return answer(BoardList(boards=boards), "\n".join(lines) if boards else "No boards match.")


@jira_tool(title="List sprints", toolset="agile")
async def jira_list_sprints(
    app: Annotated[AppState, Resolve(app_state)],
    board: BoardRef = None,
    project: ProjectRef = None,
    state: Annotated[
        list[SprintState] | None,
        Field(max_length=3, description="Only sprints in these states (default: all)"),
    ] = None,
) -> Annotated[CallToolResult, SprintList]:
    """List a board's sprints, oldest first: id, name, state, dates, goal.

    Pass `board` (id or name) or `project` (its scrum board). For just the active sprint, call
    jira_get_sprint(sprint="current", project=...) instead.
    """
    async with jira_errors():
        board_id = await resolve_board_id(app, board, project)
        beans = await app.client.sprints(board_id, state=state or None)
    sprints = [sprint_info(b) for b in beans]
    text = f"{len(sprints)} sprints on board {board_id}:\n" + "\n".join(map(sprint_line, sprints))
    return answer(
        SprintList(board_id=board_id, sprints=sprints),
        text if sprints else f"Board {board_id} has no sprints in that state.",
    )


@jira_tool(title="Get a sprint", toolset="agile")
async def jira_get_sprint(
    sprint: SprintRef,
    state: Annotated[AppState, Resolve(app_state)],
    board: BoardRef = None,
    project: ProjectRef = None,
) -> Annotated[CallToolResult, SprintInfo]:
    """One sprint: id, name, state, dates, goal, board. `sprint="current"` with `project` or
    `board` finds the active sprint without knowing its id; `"next"` the first future sprint."""
    async with jira_errors():
        bean = await resolve_sprint(state, sprint, project, board)
    info = sprint_info(bean)
    return answer(info, sprint_line(info))


def sprint_jql(sprint_id: int, jql: str | None) -> str:
    """`sprint = N AND (jql)`, keeping the caller's ORDER BY, else the board's order (Rank)."""
    clause = Comparison(JqlField("sprint", _S), Operator.EQ, Value(str(sprint_id), _S), _S)
    tree = parse(jql) if jql else Query(None, (), _S)
    where = clause if tree.where is None else And((clause, tree.where), _S)
    order = tree.order_by or (SortKey(JqlField("Rank", _S), _S),)
    return render(Query(where, order, _S))


@jira_tool(title="List a sprint's issues", toolset="agile")
async def jira_sprint_issues(
    sprint: SprintRef,
    state: Annotated[AppState, Resolve(app_state)],
    board: BoardRef = None,
    project: ProjectRef = None,
    jql: Annotated[
        str | None,
        Field(
            max_length=4_000,
            description="Extra JQL filter, e.g. statusCategory != Done or assignee = "
            "currentUser(); ORDER BY allowed (default: board rank)",
        ),
    ] = None,
    fields: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]] | None,
        Field(max_length=30, description="Extra fields by name or id (story points come by default)"),
    ] = None,
    limit: Annotated[int, Field(ge=1, le=100, description="Issues per page")] = 50,
    next_page_token: Annotated[
        str | None, Field(max_length=4_000, description="From the previous page; keep the other arguments")
    ] = None,
) -> Annotated[CallToolResult, SprintIssues]:
    """The issues of a sprint in board order, as compact rows with their story points.

    Filter with `jql` (it is ANDed with the sprint). Page with `next_page_token`. For the
    sprint's totals, blockers and progress, call jira_sprint_report instead.
    """
    async with jira_errors():
        bean = await resolve_sprint(state, sprint, project, board)
        try:
            combined = sprint_jql(int(bean["id"]), jql)
        except JQLSyntaxError:
            await checked_jql(state, jql or "")  # raises the linter's explanation and fix
            raise
        sent, _warnings = await checked_jql(state, combined)
        index = await field_index(state)
        extra = _resolve_fields(index, fields or ())
        points, _ = await estimation_field(state, bean.get("originBoardId"))
        if points and points not in extra:
            extra.append(points)
        page = await state.client.search(
            sent, fields=[*BRIEF_FIELDS, *extra], max_results=limit, next_page_token=next_page_token
        )
    result = SprintIssues(
        sprint=sprint_info(bean),
        jql=sent,
        issues=[brief(i, extra, index) for i in page.issues],
        is_last=page.is_last,
        next_page_token=page.next_page_token,
    )
    lines = [
        f"{len(result.issues)} issues ({'last page' if result.is_last else 'more available'}) in "
        f"{sprint_line(result.sprint)}"
    ]
    lines += [brief_line(item) for item in result.issues]
    if result.next_page_token:
        lines.append(f'Next page: call again with next_page_token="{result.next_page_token}".')
    return answer(result, "\n".join(lines))


@jira_tool(title="Sprint report", toolset="agile")
async def jira_sprint_report(
    sprint: SprintRef,
    state: Annotated[AppState, Resolve(app_state)],
    ctx: Context,
    board: BoardRef = None,
    project: ProjectRef = None,
) -> Annotated[CallToolResult, SprintReport]:
    """How a sprint is going, computed from its issues: issues and story points by status
    category, completion %, scope added after the start, items carried over from earlier
    sprints, blocked items (flagged, a Blocked status or label, or an open "is blocked by" link),
    unassigned open items, and days left. Story points are found by field name.

    Use `sprint="current"` with `project` or `board` for the active sprint.
    """
    async with jira_errors():
        bean = await resolve_sprint(state, sprint, project, board)
        report, cut = await compute_report(state, bean, progress=ctx.report_progress)
    text = render_report(report)
    if cut:
        text += f"\nNote: only the first {MAX_REPORT_ISSUES} issues were counted."
    return answer(report, text)
