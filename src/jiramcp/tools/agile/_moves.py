"""Moving issues between sprints and the backlog, and ranking them.

Jira takes at most 50 issues per move or rank request. The tools chunk longer lists themselves
(rather than leaving it to the client) so each chunk can report progress, and a failure part-way
says exactly which issues were already moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from mcp.server.mcpserver import Context, Resolve
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from jiramcp.jira import JiraError
from jiramcp.tools._context import AppState, app_state
from jiramcp.tools._errors import describe, jira_errors
from jiramcp.tools._params import IssueKey
from jiramcp.tools._results import answer
from jiramcp.tools._spec import jira_tool
from jiramcp.tools.agile._resolve import BoardRef, ProjectRef, SprintRef, resolve_sprint, sprint_info, sprint_line
from jiramcp.tools.search import checked_jql

CHUNK = 50  # POST /sprint/{id}/issue, POST /backlog/issue, PUT /issue/rank: at most 50 issues
MAX_ISSUES = 1_000

IssueList = Annotated[
    list[IssueKey], Field(min_length=1, max_length=MAX_ISSUES, description='Issue keys, e.g. ["DEMO-1", "DEMO-7"]')
]


class MoveResult(BaseModel):
    moved: list[str]
    to: str = Field(description="'backlog' or the sprint, as 'id name'")
    requests: int = Field(description="Move requests sent (50 issues each at most)")


class RankFailure(BaseModel):
    key: str
    error: str


class RankResult(BaseModel):
    ranked: list[str]
    failed: list[RankFailure] = Field(default_factory=list)
    anchor: str = Field(description="'before KEY' or 'after KEY'")


def _unique(keys: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(keys))


def check_keys(state: AppState, keys: Sequence[str], parameter: str = "issues") -> None:
    for key in keys:
        state.policy.check_issue_key(key, parameter=parameter)


async def open_issue_keys(state: AppState, sprint_id: int) -> list[str]:
    """Unfinished issues of a sprint, sub-tasks left out (Jira moves them with their parent)."""
    jql, _ = await checked_jql(state, f"sprint = {sprint_id} AND statusCategory != Done ORDER BY Rank ASC")
    keys: list[str] = []
    token: str | None = None
    while True:
        page = await state.client.search(jql, fields=["issuetype"], max_results=100, next_page_token=token)
        keys += [
            str(i["key"]) for i in page.issues if not ((i.get("fields") or {}).get("issuetype") or {}).get("subtask")
        ]
        if page.is_last or not page.next_page_token or len(keys) >= MAX_ISSUES * 5:
            return keys
        token = page.next_page_token


async def move_in_chunks(state: AppState, ctx: Context, keys: Sequence[str], sprint_id: int | None) -> int:
    """Move `keys` to a sprint (None: the backlog), 50 a request, reporting progress; returns requests."""
    chunks = [list(keys[i : i + CHUNK]) for i in range(0, len(keys), CHUNK)]
    where = f"sprint {sprint_id}" if sprint_id is not None else "the backlog"
    for n, chunk in enumerate(chunks):
        try:
            if sprint_id is None:
                await state.client.move_to_backlog(chunk)
            else:
                await state.client.move_to_sprint(sprint_id, chunk)
        except JiraError as error:
            done = [k for c in chunks[:n] for k in c]
            raise ToolError(
                f"{describe(error)}\nMoved to {where} before the failure ({len(done)}): "
                f"{', '.join(done) or 'none'}. Not moved: {', '.join(k for c in chunks[n:] for k in c)}."
            ) from None
        await ctx.report_progress(min((n + 1) * CHUNK, len(keys)), len(keys), f"moved {n + 1}/{len(chunks)} chunks")
    return len(chunks)


@jira_tool(title="Move issues to a sprint", toolset="agile", writes=True, idempotent=True)
async def jira_move_to_sprint(
    issues: IssueList,
    sprint: SprintRef,
    state: Annotated[AppState, Resolve(app_state)],
    ctx: Context,
    board: BoardRef = None,
    project: ProjectRef = None,
) -> Annotated[CallToolResult, MoveResult]:
    """Move issues into a future or active sprint (sprint id, or "current"/"next" with `project`
    or `board`). Any number of issues: sent 50 at a time with progress. Sub-tasks follow their
    parent; move the parent."""
    keys = _unique(issues)
    async with jira_errors():
        check_keys(state, keys)
        bean = await resolve_sprint(state, sprint, project, board)
        status = str(bean.get("state", "")).lower()
        if status == "closed":
            raise ToolError(
                f"sprint: sprint {bean['id']} ({bean.get('name')}) is closed and takes no issues. "
                'Use sprint="current" or "next", or a future sprint id (jira_list_sprints).'
            )
        requests = await move_in_chunks(state, ctx, keys, int(bean["id"]))
    info = sprint_info(bean)
    result = MoveResult(moved=keys, to=f"{info.id} {info.name}", requests=requests)
    return answer(result, f"Moved {len(keys)} issues to sprint {sprint_line(info)}: {', '.join(keys)}")


@jira_tool(title="Move issues to the backlog", toolset="agile", writes=True, idempotent=True)
async def jira_move_to_backlog(
    issues: IssueList,
    state: Annotated[AppState, Resolve(app_state)],
    ctx: Context,
) -> Annotated[CallToolResult, MoveResult]:
    """Take issues out of their future or active sprint and put them in the backlog (50 a request,
    with progress). Closed sprints keep their history."""
    keys = _unique(issues)
    async with jira_errors():
        check_keys(state, keys)
        requests = await move_in_chunks(state, ctx, keys, None)
    result = MoveResult(moved=keys, to="backlog", requests=requests)
    return answer(result, f"Moved {len(keys)} issues to the backlog: {', '.join(keys)}")


@jira_tool(title="Rank issues", toolset="agile", writes=True, idempotent=True)
async def jira_rank_issues(
    issues: IssueList,
    state: Annotated[AppState, Resolve(app_state)],
    ctx: Context,
    before: Annotated[IssueKey | None, Field(description="Place the issues, in order, right above this")] = None,
    after: Annotated[IssueKey | None, Field(description="Place the issues, in order, right below this")] = None,
) -> Annotated[CallToolResult, RankResult]:
    """Reorder the backlog/board: place `issues`, in the order given, right before or right after
    another issue (exactly one of `before`, `after`)."""
    if (before is None) == (after is None):
        raise ToolError("before/after: pass exactly one of them (the issue to rank against).")
    anchor = before or after or ""
    keys = _unique(issues)
    if anchor in keys:
        raise ToolError(f"issues: {anchor} is the anchor; it cannot also be ranked against itself.")
    failed: list[RankFailure] = []
    async with jira_errors():
        check_keys(state, keys)
        check_keys(state, [anchor], "before" if before else "after")
        chunks = [keys[i : i + CHUNK] for i in range(0, len(keys), CHUNK)]
        following = after
        for n, chunk in enumerate(chunks):
            # Before X: each chunk lands just above X, i.e. below the previous chunk. After X: each
            # chunk follows the last issue of the previous one, keeping the given order.
            entries = await state.client.rank(chunk, before=before, after=None if before else following)
            failed += [
                RankFailure(
                    key=str(e.get("issueKey") or e.get("issueId")), error="; ".join(map(str, e.get("errors") or ()))
                )
                for e in entries
            ]
            following = chunk[-1]
            await ctx.report_progress(min((n + 1) * CHUNK, len(keys)), len(keys), f"ranked {n + 1}/{len(chunks)}")
    bad = {f.key for f in failed}
    where = f"before {before}" if before else f"after {after}"
    result = RankResult(ranked=[k for k in keys if k not in bad], failed=failed, anchor=where)
    text = f"Ranked {len(result.ranked)} issues {where}."
    if failed:
        text += " Not ranked: " + "; ".join(f"{f.key} ({f.error})" for f in failed)
    return answer(result, text)
