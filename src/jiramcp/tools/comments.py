"""Comments: add one in Markdown, read them back as Markdown, newest first, a page at a time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Resolve
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from jiramcp.adf import wiki_to_markdown
from jiramcp.tools._context import AppState, app_state
from jiramcp.tools._errors import jira_errors
from jiramcp.tools._params import IssueKey, browse_url
from jiramcp.tools._people import text_writer
from jiramcp.tools._results import answer
from jiramcp.tools._shape import is_adf, person, rich_text, short_time
from jiramcp.tools._spec import jira_tool


class Visibility(BaseModel):
    """Who may see a comment: members of a project role or of a group."""

    type: Literal["role", "group"]
    value: str = Field(min_length=1, max_length=255, description="Role name (e.g. Developers) or group name")


class CommentAdded(BaseModel):
    key: str
    id: str
    url: str
    visibility: str | None = None


class CommentItem(BaseModel):
    id: str
    author: str | None = None
    created: str | None = None
    edited: str | None = Field(default=None, description="When it was last edited, if it was")
    visible_to: str | None = None
    body: str | None = None


class CommentPage(BaseModel):
    key: str
    total: int
    start_at: int
    comments: list[CommentItem]
    next_start_at: int | None = Field(default=None, description="Pass as start_at for the next page")


def comment_url(state: AppState, key: str, comment_id: str) -> str:
    return f"{browse_url(state, key)}?focusedCommentId={comment_id}"


@jira_tool(title="Add a comment", toolset="comments", writes=True)
async def jira_add_comment(
    key: IssueKey,
    body: Annotated[str, Field(min_length=1, max_length=50_000, description="The comment, in Markdown")],
    state: Annotated[AppState, Resolve(app_state)],
    visibility: Annotated[
        Visibility | None, Field(description="Restrict who sees it, e.g. {'type': 'role', 'value': 'Developers'}")
    ] = None,
) -> Annotated[CallToolResult, CommentAdded]:
    """Add a comment to an issue. Write Markdown (tables, lists, code, @mentions as
    jira_get_issue shows them); jiramcp converts it for Jira. Returns the comment's id and link."""
    async with jira_errors(parameters={"body": "body", "visibility": "visibility"}):
        state.policy.check_issue_key(key)
        text = (await text_writer(state))(body)
        created = await state.client.add_comment(key, text, visibility=visibility.model_dump() if visibility else None)
    comment_id = str(created.get("id"))
    shown = f"{visibility.type} {visibility.value}" if visibility else None
    result = CommentAdded(key=key, id=comment_id, url=comment_url(state, key, comment_id), visibility=shown)
    only = f" (visible to {shown})" if shown else ""
    return answer(result, f"Comment {comment_id} added to {key}{only}: {result.url}")


def _markdown(body: Any, budget: int) -> str | None:
    if body is not None and not is_adf(body):
        body = wiki_to_markdown(str(body))
    text = rich_text(body, budget)
    return text.strip() if text is not None else None


def comment_item(raw: Mapping[str, Any], budget: int) -> CommentItem:
    visibility = raw.get("visibility") if isinstance(raw.get("visibility"), Mapping) else None
    created, updated = short_time(raw.get("created")), short_time(raw.get("updated"))
    return CommentItem(
        id=str(raw.get("id")),
        author=person(raw.get("author")),
        created=created,
        edited=updated if updated and updated != created else None,
        visible_to=f"{visibility.get('type')} {visibility.get('value')}" if visibility else None,
        body=_markdown(raw.get("body"), budget),
    )


def render_comments(page: CommentPage) -> str:
    if not page.comments:
        return f"{page.key}: no comments{' on this page' if page.total else ''} ({page.total} in all)."
    last = page.start_at + len(page.comments)
    lines = [f"{page.key}: comments {page.start_at + 1}-{last} of {page.total}"]
    for c in page.comments:
        meta = " | ".join(
            x
            for x in (
                c.author,
                c.created,
                f"edited {c.edited}" if c.edited else None,
                f"visible to {c.visible_to}" if c.visible_to else None,
            )
            if x
        )
        lines.append(f"--- #{c.id} {meta}\n{c.body or ''}")
    if page.next_start_at is not None:
        lines.append(f"More: call again with start_at={page.next_start_at}.")
    return "\n".join(lines)


@jira_tool(title="List comments", toolset="comments")
async def jira_list_comments(
    key: IssueKey,
    state: Annotated[AppState, Resolve(app_state)],
    limit: Annotated[int, Field(ge=1, le=100, description="Comments per page")] = 20,
    start_at: Annotated[int, Field(ge=0, le=100_000, description="From the previous page's next_start_at")] = 0,
    order: Annotated[
        Literal["newest", "oldest"], Field(description="newest first (default) or oldest first")
    ] = "newest",
    text_limit: Annotated[
        int, Field(ge=100, le=50_000, description="Characters of each body before it is cut")
    ] = 2_000,
) -> Annotated[CallToolResult, CommentPage]:
    """Read an issue's comments as Markdown, newest first by default, a page at a time.

    Each comment shows author, date and body (long bodies are cut at a block boundary; raise
    text_limit for more). Page with start_at = next_start_at from the previous answer.
    """
    async with jira_errors():
        state.policy.check_issue_key(key)
        raw = await state.client.get_comments(
            key, start_at=start_at, max_results=limit, order_by="-created" if order == "newest" else "created"
        )
    comments = [comment_item(c, text_limit) for c in raw.get("comments") or () if isinstance(c, Mapping)]
    total = raw.get("total") if isinstance(raw.get("total"), int) else start_at + len(comments)
    following = start_at + len(comments)
    page = CommentPage(
        key=key,
        total=total,
        start_at=start_at,
        comments=comments,
        next_start_at=following if comments and following < total else None,
    )
    return answer(page, render_comments(page))
