"""Gathering what the sprint report needs: the estimation field, the issues, their Sprint history.

The arithmetic lives in `jiramcp.tools._sprint_report` (pure); this module only asks Jira,
as cheaply as it can: one search for the issues (only the fields the report reads), and the
changelog only of issues that existed before the sprint started — an issue created later was
added after the start whatever its history says.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from jiramcp.tools._context import AppState
from jiramcp.tools._sprint_report import (
    SprintReport,
    build_report,
    flagged_field,
    parse_time,
    sprint_field,
    story_points_field,
)
from jiramcp.tools.search import checked_jql

Progress = Callable[[float, float | None, str | None], Awaitable[None]]

MAX_REPORT_ISSUES = 2_000
_PAGE = 100
_REPORT_FIELDS = ("summary", "status", "issuetype", "assignee", "created", "labels", "issuelinks")


async def estimation_field(state: AppState, board_id: int | None) -> tuple[str | None, str | None]:
    """(field id, name) of the story points: the board's estimation field, else found by name."""
    fields = await state.client.fields()
    names = {str(f.get("id")): str(f.get("name")) for f in fields}
    if board_id is not None:
        cache = state.extras.setdefault("board_estimation", {})
        if board_id not in cache:
            config = await state.client.board_configuration(board_id)
            estimation = config.get("estimation") or {}
            cache[board_id] = (estimation.get("field") or {}).get("fieldId")
        field_id = cache[board_id]
        # Time-based estimation is not story points; fall back to the name lookup for those.
        if isinstance(field_id, str) and field_id.startswith("customfield_") and field_id in names:
            return field_id, names[field_id]
    found = story_points_field(fields)
    return found, names.get(found) if found else None


async def sprint_issues_all(state: AppState, jql: str, fields: Sequence[str]) -> tuple[list[dict[str, Any]], bool]:
    """Every issue of `jql` up to MAX_REPORT_ISSUES; the flag says whether the list was cut."""
    issues: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = await state.client.search(jql, fields=list(fields), max_results=_PAGE, next_page_token=token)
        issues += page.issues
        if page.is_last or not page.next_page_token:
            return issues, False
        if len(issues) >= MAX_REPORT_ISSUES:
            return issues[:MAX_REPORT_ISSUES], True
        token = page.next_page_token


async def changelogs(state: AppState, issues: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The Sprint-field history of each issue, keyed by issue key, in as few requests as Jira allows."""
    ids = {str(issue["id"]): str(issue["key"]) for issue in issues}
    sprint_id = sprint_field(await state.client.fields())
    by_id = await state.client.bulk_changelogs(list(ids), field_ids=[sprint_id] if sprint_id else None)
    return {ids[issue_id]: histories for issue_id, histories in by_id.items() if issue_id in ids}


async def compute_report(
    state: AppState, sprint: Mapping[str, Any], progress: Progress | None = None, now: datetime | None = None
) -> tuple[SprintReport, bool]:
    """The report for `sprint` (a SprintBean); the flag says whether the issue list was cut."""
    board = sprint.get("originBoardId")
    points_id, points_name = await estimation_field(state, int(board) if board is not None else None)
    fields = await state.client.fields()
    sprint_id_field, flag_id = sprint_field(fields), flagged_field(fields)
    wanted = [*_REPORT_FIELDS, *(f for f in (points_id, sprint_id_field, flag_id) if f)]
    jql, _ = await checked_jql(state, f"sprint = {int(sprint['id'])} ORDER BY Rank ASC")
    issues, cut = await sprint_issues_all(state, jql, wanted)
    start = parse_time(sprint.get("startDate"))
    history: dict[str, list[dict[str, Any]]] = {}
    if start is not None:
        older = [
            i
            for i in issues
            if (created := parse_time((i.get("fields") or {}).get("created"))) is None or created <= start
        ]
        if progress is not None:
            await progress(0, 1, f"reading the history of {len(older)} issues")
        history = await changelogs(state, older)
    report = build_report(
        sprint,
        issues,
        changelogs=history,
        points_field=points_id,
        points_field_name=points_name,
        sprint_field_id=sprint_id_field,
        flagged_field_id=flag_id,
        now=now or datetime.now(UTC),
    )
    return report, cut
