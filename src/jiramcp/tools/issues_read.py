"""Reading one issue: its fields, its text as Markdown, and the related records asked for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Resolve
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from jiramcp.adf import wiki_to_markdown
from jiramcp.tools._catalog import FieldIndex, field_index
from jiramcp.tools._context import AppState, app_state
from jiramcp.tools._errors import jira_errors
from jiramcp.tools._models import IssueBrief
from jiramcp.tools._params import IssueKey, browse_url
from jiramcp.tools._results import answer
from jiramcp.tools._shape import is_adf, person, rich_text, short_time, shown_value, simplify
from jiramcp.tools._spec import jira_tool
from jiramcp.tools.search import _resolve_fields, brief

Include = Literal["comments", "links", "subtasks", "attachments", "worklogs", "changelog", "transitions"]

DETAIL_FIELDS = (
    "summary",
    "issuetype",
    "status",
    "priority",
    "assignee",
    "reporter",
    "created",
    "updated",
    "resolution",
    "labels",
    "components",
    "fixVersions",
    "parent",
    "duedate",
    "description",
)
_INCLUDE_FIELDS: dict[str, tuple[str, ...]] = {
    "comments": ("comment",),
    "links": ("issuelinks",),
    "subtasks": ("subtasks",),
    "attachments": ("attachment",),
    "worklogs": ("worklog",),
}
# Comments and history entries shown at most; the rest is counted, and the answer says how to get it.
MAX_COMMENTS = 10
MAX_HISTORY = 30


class Comment(BaseModel):
    id: str
    author: str | None = None
    created: str | None = None
    body: str | None = None


class Link(BaseModel):
    relation: str = Field(description="How this issue relates to the other, e.g. 'blocks', 'is blocked by'")
    key: str
    summary: str | None = None
    status: str | None = None


class Attachment(BaseModel):
    id: str
    filename: str
    size: int | None = None
    mime_type: str | None = None
    author: str | None = None
    created: str | None = None


class Worklog(BaseModel):
    author: str | None = None
    started: str | None = None
    time_spent: str | None = None
    comment: str | None = None


class Change(BaseModel):
    author: str | None = None
    at: str | None = None
    field: str
    old: str | None = None
    new: str | None = None


class Transition(BaseModel):
    name: str
    to: str | None = None


class IssueDetail(BaseModel):
    key: str
    url: str
    summary: str | None = None
    type: str | None = None
    status: str | None = None
    priority: str | None = None
    assignee: str | None = None
    reporter: str | None = None
    created: str | None = None
    updated: str | None = None
    resolution: str | None = None
    labels: list[str] | None = None
    components: list[str] | None = None
    fix_versions: list[str] | None = None
    parent: str | None = None
    due_date: str | None = None
    description: str | None = Field(default=None, description="Markdown")
    fields: dict[str, Any] | None = Field(default=None, description="Extra fields asked for, by name")
    comments: list[Comment] | None = None
    comments_total: int | None = None
    links: list[Link] | None = None
    subtasks: list[IssueBrief] | None = None
    attachments: list[Attachment] | None = None
    worklogs: list[Worklog] | None = None
    changelog: list[Change] | None = None
    transitions: list[Transition] | None = None


def _text(value: Any, budget: int, cloud: bool) -> str | None:
    if value is None:
        return None
    if not cloud and isinstance(value, str) and not is_adf(value):
        value = wiki_to_markdown(value)
    return rich_text(value, budget)


def _comments(raw: Any, budget: int, cloud: bool) -> tuple[list[Comment], int]:
    items = raw.get("comments", []) if isinstance(raw, Mapping) else []
    total = raw.get("total", len(items)) if isinstance(raw, Mapping) else 0
    shown = items[-MAX_COMMENTS:]
    return [
        Comment(
            id=str(c.get("id")),
            author=person(c.get("author")),
            created=short_time(c.get("created")),
            body=_text(c.get("body"), budget, cloud),
        )
        for c in shown
    ], int(total)


def _links(raw: Any) -> list[Link]:
    links = []
    for link in raw or ():
        kind = link.get("type", {})
        if "outwardIssue" in link:
            other, relation = link["outwardIssue"], kind.get("outward", "relates to")
        elif "inwardIssue" in link:
            other, relation = link["inwardIssue"], kind.get("inward", "relates to")
        else:
            continue
        fields = other.get("fields") or {}
        links.append(
            Link(
                relation=relation,
                key=other.get("key"),
                summary=fields.get("summary"),
                status=simplify(fields.get("status")),
            )
        )
    return links


def _changes(changelog: Any) -> list[Change]:
    histories = changelog.get("histories", []) if isinstance(changelog, Mapping) else []
    changes = [
        Change(
            author=person(history.get("author")),
            at=short_time(history.get("created")),
            field=str(item.get("field")),
            old=item.get("fromString"),
            new=item.get("toString"),
        )
        for history in histories
        for item in history.get("items", ())
    ]
    return changes[-MAX_HISTORY:]


def detail(
    issue: Mapping[str, Any],
    *,
    url: str,
    extra_ids: Sequence[str],
    include: Sequence[str],
    index: FieldIndex,
    text_limit: int,
    cloud: bool,
) -> IssueDetail:
    f = issue.get("fields") or {}
    parent = f.get("parent")
    result = IssueDetail(
        key=issue["key"],
        url=url,
        summary=f.get("summary"),
        type=simplify(f.get("issuetype")),
        status=simplify(f.get("status")),
        priority=simplify(f.get("priority")),
        assignee=person(f.get("assignee")),
        reporter=person(f.get("reporter")),
        created=short_time(f.get("created")),
        updated=short_time(f.get("updated")),
        resolution=simplify(f.get("resolution")),
        labels=f.get("labels") or None,
        components=simplify(f.get("components")) or None,
        fix_versions=simplify(f.get("fixVersions")) or None,
        parent=simplify(parent) if parent else None,
        due_date=f.get("duedate"),
        description=_text(f.get("description"), text_limit, cloud),
        fields={index.name_of(fid): simplify(f.get(fid), text_limit) for fid in extra_ids if fid not in DETAIL_FIELDS}
        or None,
    )
    if "comments" in include:
        result.comments, result.comments_total = _comments(f.get("comment"), text_limit, cloud)
    if "links" in include:
        result.links = _links(f.get("issuelinks"))
    if "subtasks" in include:
        result.subtasks = [brief(sub, (), index) for sub in f.get("subtasks") or ()]
    if "attachments" in include:
        result.attachments = [
            Attachment(
                id=str(a.get("id")),
                filename=a.get("filename", ""),
                size=a.get("size"),
                mime_type=a.get("mimeType"),
                author=person(a.get("author")),
                created=short_time(a.get("created")),
            )
            for a in f.get("attachment") or ()
        ]
    if "worklogs" in include:
        logs = (f.get("worklog") or {}).get("worklogs", [])
        result.worklogs = [
            Worklog(
                author=person(w.get("author")),
                started=short_time(w.get("started")),
                time_spent=w.get("timeSpent"),
                comment=_text(w.get("comment"), 500, cloud),
            )
            for w in logs
        ]
    if "changelog" in include:
        result.changelog = _changes(issue.get("changelog"))
    if "transitions" in include:
        result.transitions = [
            Transition(name=t.get("name", ""), to=simplify(t.get("to"))) for t in issue.get("transitions", ())
        ]
    return result


def render_detail(d: IssueDetail) -> str:
    head = [
        d.type,
        d.status,
        d.priority,
        f"assignee {d.assignee or 'unassigned'}",
        f"reporter {d.reporter}" if d.reporter else None,
        f"created {d.created}" if d.created else None,
        f"updated {d.updated}" if d.updated else None,
    ]
    facts = [
        f"Resolution: {d.resolution}" if d.resolution else None,
        f"Labels: {', '.join(d.labels)}" if d.labels else None,
        f"Components: {', '.join(d.components)}" if d.components else None,
        f"Fix versions: {', '.join(d.fix_versions)}" if d.fix_versions else None,
        f"Parent: {d.parent}" if d.parent else None,
        f"Due: {d.due_date}" if d.due_date else None,
    ]
    lines = [f"# {d.key}: {d.summary}", " | ".join(h for h in head if h), d.url]
    if any(facts):
        lines.append(" · ".join(x for x in facts if x))
    for name, value in (d.fields or {}).items():
        if (shown := shown_value(value)) is not None:
            lines.append(f"{name}: {shown}")
    lines += ["", "## Description", (d.description or "(none)").rstrip()]
    if d.comments is not None:
        lines += ["", f"## Comments ({len(d.comments)} of {d.comments_total}, oldest first)"]
        if d.comments_total and d.comments_total > len(d.comments):
            lines.append("(older ones: jira_list_comments)")
        lines += [f"- {c.author}, {c.created} [id {c.id}]: {(c.body or '').rstrip()}" for c in d.comments]
    if d.links is not None:
        lines += ["", "## Links"] + (
            [f"- {lk.relation} {lk.key} ({lk.status}) {lk.summary}" for lk in d.links] or ["(none)"]
        )
    if d.subtasks is not None:
        lines += ["", "## Sub-tasks"] + ([f"- {s.key} ({s.status}) {s.summary}" for s in d.subtasks] or ["(none)"])
    if d.attachments is not None:
        lines += ["", "## Attachments"] + (
            [f"- {a.filename} ({a.mime_type}, {a.size} bytes) by {a.author}, {a.created}" for a in d.attachments]
            or ["(none)"]
        )
    if d.worklogs is not None:
        lines += ["", "## Worklogs"] + (
            [f"- {w.author}, {w.started}: {w.time_spent}" for w in d.worklogs] or ["(none)"]
        )
    if d.changelog is not None:
        lines += ["", "## History (latest)"] + [
            f"- {c.at} {c.author}: {c.field} {c.old!r} → {c.new!r}" for c in d.changelog
        ]
    if d.transitions is not None:
        lines += ["", "## Transitions available"] + [f"- {t.name} → {t.to}" for t in d.transitions]
    return "\n".join(lines)


@jira_tool(title="Read an issue", toolset="issues")
async def jira_get_issue(
    key: IssueKey,
    state: Annotated[AppState, Resolve(app_state)],
    fields: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]] | None,
        Field(max_length=50, description="Extra fields by name or id, e.g. 'Story Points', 'Sprint'"),
    ] = None,
    include: Annotated[
        list[Include] | None,
        Field(
            description="Related records to add: comments, links, subtasks, attachments, worklogs, "
            "changelog, transitions"
        ),
    ] = None,
    text_limit: Annotated[
        int, Field(ge=200, le=100_000, description="Characters of Markdown per text field before it is cut")
    ] = 4_000,
) -> Annotated[CallToolResult, IssueDetail]:
    """Read one issue: its main fields, description as Markdown, and what `include` asks for.

    Use after jira_search to see an issue in full, or before editing it. Long text is cut at a
    block boundary with a note; raise `text_limit` to see more.
    """
    wanted = list(dict.fromkeys(include or ()))
    async with jira_errors():
        state.policy.check_issue_key(key)
        index = await field_index(state)
        extra_ids = _resolve_fields(index, fields or ())
        request_fields = [*DETAIL_FIELDS, *extra_ids]
        for item in wanted:
            request_fields += _INCLUDE_FIELDS.get(item, ())
        expand = [e for e in ("changelog", "transitions") if e in wanted]
        issue = await state.client.get_issue(key, fields=request_fields, expand=expand or None)
        # An issue moved to another project answers under its new key: check that one too.
        state.policy.check_issue_key(issue["key"])
        cloud = (await state.client.deployment()).is_cloud
    result = detail(
        issue,
        url=browse_url(state, issue["key"]),
        extra_ids=extra_ids,
        include=wanted,
        index=index,
        text_limit=text_limit,
        cloud=cloud,
    )
    return answer(result, render_detail(result))
