"""Creating and deleting issues: every value checked against createmeta before Jira sees it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import anyio
from mcp.server.mcpserver import Context, Resolve
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from jiramcp.jira import JiraError
from jiramcp.tools._context import AppState, app_state
from jiramcp.tools._errors import describe, jira_errors
from jiramcp.tools._params import IssueKey, ProjectKey, browse_url
from jiramcp.tools._results import answer
from jiramcp.tools._spec import jira_tool
from jiramcp.tools._write_prep import (
    Assignee,
    Components,
    Description,
    DueDate,
    ExtraFields,
    FixVersions,
    IssueInput,
    Labels,
    Parent,
    Prepared,
    Priority,
    Summary,
    prepare_create,
)

# Jira's bulk create takes at most 50 issues per request.
BULK_CHUNK = 50
MAX_BULK = 500
# Items prepared at once (each may look up users; createmeta is cached and loaded once).
_PREPARE_CONCURRENCY = 8


class Created(BaseModel):
    key: str
    url: str


class BulkItem(BaseModel):
    index: int = Field(description="Position in the input list, from 0")
    key: str | None = None
    url: str | None = None
    error: str | None = None


class BulkResult(BaseModel):
    created: int
    failed: int
    items: list[BulkItem]


class Deleted(BaseModel):
    key: str
    summary: str | None = None
    subtasks_deleted: list[str] | None = None


@jira_tool(title="Create an issue", toolset="issues", writes=True)
async def jira_create_issue(
    project: ProjectKey,
    issue_type: Annotated[
        str, Field(min_length=1, max_length=100, description="Issue type name, e.g. Bug, Story, Sub-task")
    ],
    summary: Summary,
    state: Annotated[AppState, Resolve(app_state)],
    description: Description | None = None,
    priority: Priority | None = None,
    labels: Labels | None = None,
    assignee: Assignee | None = None,
    parent: Parent | None = None,
    components: Components | None = None,
    fix_versions: FixVersions | None = None,
    due_date: DueDate | None = None,
    fields: ExtraFields | None = None,
) -> Annotated[CallToolResult, Created]:
    """Create one issue; returns its key and URL. Description in Markdown.

    Everything is checked against the project's create screen first: a missing required field or a
    value that is not allowed comes back as one error listing the allowed values, and nothing is
    created. Unsure what a project needs? Call jira_get_create_fields first. Custom fields go in
    `fields` by name. For several issues, use jira_create_issues (one request per 50).
    """
    item = IssueInput(
        project=project,
        issue_type=issue_type,
        summary=summary,
        description=description,
        priority=priority,
        labels=labels,
        assignee=assignee,
        parent=parent,
        components=components,
        fix_versions=fix_versions,
        due_date=due_date,
        fields=fields,
    )
    async with jira_errors():
        prepared = await prepare_create(state, item)
    async with jira_errors(parameters=prepared.params):
        created = await state.client.create_issue(prepared.fields)
    key = str(created.get("key"))
    result = Created(key=key, url=browse_url(state, key))
    return answer(result, f"Created {key}: {result.url}")


async def _prepare_all(state: AppState, issues: Sequence[IssueInput], ctx: Context) -> list[Prepared | str]:
    """Each item prepared, or the error text saying why it cannot be sent."""
    out: list[Prepared | str] = [""] * len(issues)
    limiter = anyio.CapacityLimiter(_PREPARE_CONCURRENCY)

    async def one(index: int, item: IssueInput) -> None:
        async with limiter:
            try:
                async with jira_errors():
                    out[index] = await prepare_create(state, item, prefix=f"issues[{index}].")
            except ToolError as error:
                out[index] = str(error).replace("Nothing was sent to Jira:\n", "")

    async with anyio.create_task_group() as group:
        for index, item in enumerate(issues):
            group.start_soon(one, index, item)
    await ctx.report_progress(0, len(issues), f"checked {len(issues)} issues")
    return out


def _element_error(error: Mapping[str, Any], params: Mapping[str, str]) -> str:
    body = error.get("elementErrors") if isinstance(error.get("elementErrors"), Mapping) else {}
    fields = body.get("errors") if isinstance(body.get("errors"), Mapping) else {}
    parts = [f"{params.get(str(k), str(k))}: {v}" for k, v in fields.items()]
    parts += [str(m) for m in body.get("errorMessages") or ()]
    return "; ".join(parts) or f"Jira refused it (status {error.get('status')})"


def render_bulk(result: BulkResult, base: str) -> str:
    lines = [
        f"Created {result.created} of {len(result.items)} issues; {result.failed} failed. Browse: {base}/browse/KEY"
    ]
    for item in result.items:
        lines.append(f"{item.index} {item.key}" if item.key else f"{item.index} FAILED {item.error}")
    return "\n".join(lines)


@jira_tool(title="Create several issues", toolset="issues", writes=True)
async def jira_create_issues(
    issues: Annotated[
        list[IssueInput],
        Field(min_length=1, max_length=MAX_BULK, description="The issues, each as jira_create_issue takes it"),
    ],
    state: Annotated[AppState, Resolve(app_state)],
    ctx: Context,
    skip_invalid: Annotated[
        bool, Field(description="Create the valid issues even if some are invalid (default: create none then)")
    ] = False,
) -> Annotated[CallToolResult, BulkResult]:
    """Create many issues at once (Jira's bulk create, 50 per request); results by input index.

    Every item is checked like jira_create_issue before anything is sent. If any item is invalid,
    nothing is created and every problem is listed, unless `skip_invalid` is true. Items Jira
    itself refuses are reported with the reason; the others are created.
    """
    prepared = await _prepare_all(state, issues, ctx)
    invalid = [(i, p) for i, p in enumerate(prepared) if isinstance(p, str)]
    if invalid and not skip_invalid:
        lines = [f"Nothing was created: {len(invalid)} of {len(issues)} issues are invalid."]
        lines += [p for _, p in invalid]
        lines.append("Fix them and call again, or pass skip_invalid=true to create the valid ones.")
        raise ToolError("\n".join(lines))
    items = [BulkItem(index=i, error=p) for i, p in invalid]
    ready = [(i, p) for i, p in enumerate(prepared) if isinstance(p, Prepared)]
    done = 0
    for start in range(0, len(ready), BULK_CHUNK):
        chunk = ready[start : start + BULK_CHUNK]
        try:
            outcome = await state.client.create_issues([{"fields": p.fields} for _, p in chunk])
        except JiraError as error:
            created = ", ".join(f"{it.index}→{it.key}" for it in items if it.key) or "none"
            pending = ", ".join(str(i) for i, _ in ready[start:])
            raise ToolError(
                f"Bulk create stopped: {describe(error)}\nCreated before that (index→key): {created}.\n"
                f"Not confirmed (check with jira_search before re-sending): items {pending}."
            ) from None
        failed = {e.get("failedElementNumber"): e for e in outcome.get("errors") or () if isinstance(e, Mapping)}
        made = iter(outcome.get("issues") or ())
        for position, (index, prep) in enumerate(chunk):
            if position in failed:
                items.append(BulkItem(index=index, error=_element_error(failed[position], prep.params)))
            else:
                key = str(next(made, {}).get("key"))
                items.append(BulkItem(index=index, key=key, url=browse_url(state, key)))
        done += len(chunk)
        # One scale for the whole call: invalid items count as done (they were settled up front).
        await ctx.report_progress(len(invalid) + done, len(issues), f"sent {done} of {len(ready)} valid issues")
    items.sort(key=lambda it: it.index)
    result = BulkResult(
        created=sum(1 for it in items if it.key), failed=sum(1 for it in items if it.error), items=items
    )
    return answer(result, render_bulk(result, browse_url(state, "KEY").removesuffix("/browse/KEY")))


@jira_tool(title="Delete an issue", toolset="issues", writes=True, destructive=True, idempotent=True)
async def jira_delete_issue(
    key: IssueKey,
    state: Annotated[AppState, Resolve(app_state)],
    delete_subtasks: Annotated[bool, Field(description="Also delete its sub-tasks (required if it has any)")] = False,
) -> Annotated[CallToolResult, Deleted]:
    """Delete an issue for good (Jira has no undo). Prefer a transition (e.g. to Won't Do) when the
    record should stay. An issue with sub-tasks needs delete_subtasks=true."""
    async with jira_errors(parameters={"deleteSubtasks": "delete_subtasks"}):
        state.policy.check_issue_key(key)
        issue = await state.client.get_issue(key, fields=["summary", "subtasks"])
        fields = issue.get("fields") or {}
        subtasks = [str(s.get("key")) for s in fields.get("subtasks") or () if isinstance(s, Mapping)]
        if subtasks and not delete_subtasks:
            raise ToolError(
                f"delete_subtasks: {key} has sub-tasks ({', '.join(subtasks)}); nothing was deleted. "
                "Call again with delete_subtasks=true to delete them too."
            )
        await state.client.delete_issue(key, delete_subtasks=delete_subtasks)
    result = Deleted(key=key, summary=fields.get("summary"), subtasks_deleted=subtasks or None)
    also = f" and its sub-tasks {', '.join(subtasks)}" if subtasks else ""
    return answer(result, f"Deleted {key} ({result.summary}){also}.")
