"""JQL search and linting: the linter stands in front of every query Jira sees."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from mcp.server.mcpserver import Resolve
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from jiramcp.jql import Diagnostic, fix, lint, render, restrict
from jiramcp.tools._catalog import FieldIndex, field_index, jql_catalog
from jiramcp.tools._context import AppState, app_state
from jiramcp.tools._errors import jira_errors
from jiramcp.tools._models import IssueBrief, LintFinding
from jiramcp.tools._results import answer
from jiramcp.tools._shape import person, short_time, shown_value, simplify
from jiramcp.tools._spec import jira_tool

# What every search row shows; asking Jira for exactly these (plus extras) keeps answers small.
BRIEF_FIELDS = ("summary", "issuetype", "status", "priority", "assignee", "updated")

JqlParam = Annotated[
    str,
    Field(
        min_length=1,
        max_length=8_000,
        description='JQL, e.g. project = DEMO AND status = "In Progress" ORDER BY updated DESC. '
        "Must restrict something (Jira refuses a query that is only ORDER BY).",
    ),
]


class SearchResult(BaseModel):
    jql: str = Field(description="The query Jira ran (after any project restriction)")
    issues: list[IssueBrief]
    is_last: bool
    next_page_token: str | None = Field(default=None, description="Pass back, with the same jql, for more")
    approximate_total: int | None = None
    warnings: list[LintFinding] | None = None


class LintResult(BaseModel):
    valid: bool = Field(description="No errors: Jira will accept the query")
    findings: list[LintFinding]
    fixed_jql: str | None = Field(default=None, description="The query with every mechanical fix applied")


def finding(diagnostic: Diagnostic) -> LintFinding:
    span = diagnostic.span
    return LintFinding(
        code=diagnostic.code,
        severity=diagnostic.severity,
        message=diagnostic.message,
        at=(span.start, span.end) if span is not None else None,
        replacement=diagnostic.replacement,
    )


def _finding_line(item: LintFinding) -> str:
    where = f" at {item.at[0]}-{item.at[1]}" if item.at else ""
    return f"- {item.severity} {item.code}{where}: {item.message}"


async def checked_jql(state: AppState, jql: str) -> tuple[str, list[LintFinding]]:
    """Lint `jql`, refuse it on errors, scope it to the allowed projects; returns (jql, warnings).

    Syntax is checked before the catalog is loaded, so a malformed query costs no request at all.
    """
    catalog = None
    diagnostics = lint(jql)
    if not any(d.severity == "error" for d in diagnostics):
        catalog = await jql_catalog(state)
        diagnostics = lint(jql, catalog)
    errors = [finding(d) for d in diagnostics if d.severity == "error"]
    if errors:
        fixed = fix(jql, catalog)
        lines = ["JQL refused before sending it to Jira (no request spent):", *map(_finding_line, errors)]
        if fixed and fixed != jql:
            lines.append(f"Fixed query: {fixed}")
            lines.append("Call again with the fixed query.")
        else:
            lines.append("Look up field and value names with jira_find_fields, then call again.")
        raise ToolError("\n".join(lines))
    warnings = [finding(d) for d in diagnostics]
    if state.policy.restricts_projects:
        jql = render(restrict(jql, state.policy.projects))
    return jql, warnings


def _resolve_fields(index: FieldIndex, names: Sequence[str]) -> list[str]:
    ids, unknown = [], []
    for name in names:
        field_id = index.resolve(name)
        if field_id is None:
            unknown.append(name)
        elif field_id not in ids:
            ids.append(field_id)
    if unknown:
        hints = "; ".join(
            f"{name!r}"
            + (f" (did you mean {', '.join(map(repr, index.suggestions(name)))}?)" if index.suggestions(name) else "")
            for name in unknown
        )
        raise ToolError(f"fields: unknown field {hints}. Call jira_find_fields to list field names.")
    return ids


def brief(issue: Mapping[str, Any], extra_ids: Sequence[str], index: FieldIndex) -> IssueBrief:
    fields = issue.get("fields") or {}
    extras = {index.name_of(fid): simplify(fields.get(fid)) for fid in extra_ids if fid not in BRIEF_FIELDS}
    # A field the issue doesn't have (story points on a sub-task) is left out, not shown as None.
    extras = {name: value for name, value in extras.items() if value is not None and value != []}
    return IssueBrief(
        key=issue["key"],
        summary=fields.get("summary"),
        type=simplify(fields.get("issuetype")),
        status=simplify(fields.get("status")),
        priority=simplify(fields.get("priority")),
        assignee=person(fields.get("assignee")),
        updated=short_time(fields.get("updated")),
        fields=extras or None,
    )


def brief_line(item: IssueBrief) -> str:
    cells = [item.key, item.type, item.status, item.priority, item.assignee or "Unassigned", item.updated]
    line = " | ".join(c for c in cells if c) + f" | {item.summary or ''}"
    for name, value in (item.fields or {}).items():
        if (shown := shown_value(value, indent="    ")) is not None:
            line += f"\n  {name}: {shown}"
    return line


def render_search(result: SearchResult) -> str:
    page = "last page" if result.is_last else "more available"
    total = f", about {result.approximate_total} in all" if result.approximate_total is not None else ""
    lines = [f"{len(result.issues)} issues ({page}{total}) for: {result.jql}"]
    lines += [brief_line(item) for item in result.issues]
    if result.next_page_token:
        lines.append(f'Next page: call again with the same jql and next_page_token="{result.next_page_token}".')
    if result.warnings:
        lines.append("JQL notes:")
        lines += [_finding_line(w) for w in result.warnings]
    return "\n".join(lines)


@jira_tool(title="Search issues with JQL", toolset="search")
async def jira_search(
    jql: JqlParam,
    state: Annotated[AppState, Resolve(app_state)],
    fields: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]] | None,
        Field(
            max_length=30,
            description="Extra fields to show, by name or id (e.g. 'Story Points', 'labels', "
            "'description'). Key, summary, type, status, priority, assignee, updated always come.",
        ),
    ] = None,
    limit: Annotated[int, Field(ge=1, le=100, description="Issues per page")] = 50,
    next_page_token: Annotated[
        str | None, Field(max_length=4_000, description="From the previous page; keep the same jql")
    ] = None,
    count: Annotated[bool, Field(description="Also report an approximate total (one extra request)")] = False,
) -> Annotated[CallToolResult, SearchResult]:
    """Find issues with JQL. The query is linted first: a mistake comes back with the fix, free.

    Returns compact rows (key, type, status, priority, assignee, updated, summary) plus any
    `fields` asked for, under their names; rich text comes as Markdown. For one issue in full,
    call jira_get_issue. To page, pass `next_page_token` from the previous answer with the same jql.
    """
    async with jira_errors():
        sent_jql, warnings = await checked_jql(state, jql)
        index = await field_index(state)
        extra_ids = _resolve_fields(index, fields or ())
        page = await state.client.search(
            sent_jql,
            fields=[*BRIEF_FIELDS, *(f for f in extra_ids if f not in BRIEF_FIELDS)],
            max_results=limit,
            next_page_token=next_page_token,
        )
        total = await state.client.approximate_count(sent_jql) if count else None
    result = SearchResult(
        jql=sent_jql,
        issues=[brief(issue, extra_ids, index) for issue in page.issues],
        is_last=page.is_last,
        next_page_token=page.next_page_token,
        approximate_total=total,
        warnings=warnings or None,
    )
    return answer(result, render_search(result))


@jira_tool(title="Check a JQL query", toolset="search")
async def jira_lint_jql(
    jql: JqlParam, state: Annotated[AppState, Resolve(app_state)]
) -> Annotated[CallToolResult, LintResult]:
    """Check JQL against this Jira's fields, statuses, projects and JQL grammar without running it.

    Reports errors (Jira would refuse the query), warnings (it would be slow or surprising) and
    hints, each with a suggested replacement, plus the whole query fixed where the fix is mechanical.
    """
    async with jira_errors():
        catalog = await jql_catalog(state)
    diagnostics = lint(jql, catalog)
    findings = [finding(d) for d in diagnostics]
    valid = not any(d.severity == "error" for d in diagnostics)
    fixed = fix(jql, catalog)
    result = LintResult(valid=valid, findings=findings, fixed_jql=fixed if fixed != jql else None)
    lines = ["Valid JQL." if valid else "Jira would refuse this JQL."]
    lines += [_finding_line(f) for f in findings]
    if result.fixed_jql:
        lines.append(f"Fixed query: {result.fixed_jql}")
    return answer(result, "\n".join(lines))
