"""What each resource shows, as Markdown: an issue, a project's shape, a sprint's report.

The issue view and the sprint report reuse the tools' own shaping (`jira_get_issue`'s detail,
the sprint report), so a resource and the matching tool never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import anyio

from jiramcp.jql import quote
from jiramcp.tools._catalog import field_index
from jiramcp.tools._context import AppState
from jiramcp.tools._params import browse_url
from jiramcp.tools._sprint_report import CATEGORY_NAMES, render_report
from jiramcp.tools.agile import compute_report
from jiramcp.tools.agile._resolve import get_sprint
from jiramcp.tools.issues_read import DETAIL_FIELDS, detail, render_detail

ISSUE_INCLUDE = ("comments", "links", "subtasks")
_ISSUE_EXTRA = ("comment", "issuelinks", "subtasks")
_SAMPLE = 100  # recent issues sampled to show which statuses a project really uses


async def issue_markdown(state: AppState, key: str) -> str:
    """The issue with its description, comments, links and sub-tasks, as Markdown."""
    state.policy.check_issue_key(key.upper())
    index = await field_index(state)
    issue = await state.client.get_issue(key, fields=[*DETAIL_FIELDS, *_ISSUE_EXTRA])
    state.policy.check_issue_key(issue["key"])
    cloud = (await state.client.deployment()).is_cloud
    result = detail(
        issue,
        url=browse_url(state, issue["key"]),
        extra_ids=(),
        include=ISSUE_INCLUDE,
        index=index,
        text_limit=8_000,
        cloud=cloud,
    )
    return render_detail(result)


def _category_of(status: Mapping[str, Any]) -> str:
    key = (status.get("statusCategory") or {}).get("key")
    return CATEGORY_NAMES.get(str(key), "To Do")


def _field_line(f: Mapping[str, Any]) -> str:
    schema = f.get("schema") or {}
    kind = schema.get("type", "?") + (f" of {schema['items']}" if schema.get("items") else "")
    allowed = [str(v.get("value") or v.get("name")) for v in f.get("allowedValues") or () if isinstance(v, Mapping)]
    shown = f"; one of {', '.join(allowed[:10])}{'…' if len(allowed) > 10 else ''}" if allowed else ""
    return f"{f.get('name')} ({f.get('fieldId') or f.get('key')}, {kind}{shown})"


def _workflow(statuses: Sequence[Mapping[str, Any]], used: Mapping[str, int], project_id: str) -> list[str]:
    scoped = [s for s in statuses if str(((s.get("scope") or {}).get("project") or {}).get("id")) == project_id]
    pool = scoped or [s for s in statuses if not s.get("scope")] or list(statuses)
    lines = []
    for category in CATEGORY_NAMES.values():
        names = [str(s.get("name")) for s in pool if _category_of(s) == category]
        marked = [f"{n} ({used[n]})" if n in used else n for n in names]
        lines.append(f"- {category}: {', '.join(marked) or '(none)'}")
    return lines


async def project_markdown(state: AppState, key: str) -> str:
    """Issue types with their create fields, components, versions, and the status flow."""
    key = key.upper()
    state.policy.check_project(key, parameter="key")
    project = await state.client.get_project(key)
    types = [t for t in project.get("issueTypes") or () if isinstance(t, Mapping)]
    fields_by_type: dict[str, list[dict[str, Any]]] = {}
    used: dict[str, int] = {}

    async def load_fields(issue_type: Mapping[str, Any]) -> None:
        fields_by_type[str(issue_type["id"])] = await state.client.createmeta_fields(key, str(issue_type["id"]))

    async def load_usage() -> None:
        page = await state.client.search(
            f"project = {quote(key)} ORDER BY updated DESC", fields=["status"], max_results=_SAMPLE
        )
        for issue in page.issues:
            name = str(((issue.get("fields") or {}).get("status") or {}).get("name"))
            used[name] = used.get(name, 0) + 1

    statuses: list[dict[str, Any]] = []

    async def load_statuses() -> None:
        statuses.extend(await state.client.statuses())

    async with anyio.create_task_group() as group:
        for issue_type in types:
            group.start_soon(load_fields, issue_type)
        group.start_soon(load_usage)
        group.start_soon(load_statuses)
    lead = project.get("lead") or {}
    lines = [f"# {project.get('key')}: {project.get('name')}"]
    if lead:
        lines.append(f"Lead: {lead.get('displayName') or lead.get('name')}")
    if project.get("description"):
        lines.append(str(project["description"]))
    lines += ["", "## Issue types and their fields"]
    for issue_type in types:
        meta = fields_by_type.get(str(issue_type["id"]), [])
        required = [
            f
            for f in meta
            if f.get("required") and not f.get("hasDefaultValue") and f.get("fieldId") not in ("project", "issuetype")
        ]
        custom = [f for f in meta if str(f.get("fieldId", "")).startswith("customfield_") and f not in required]
        sub = " (sub-task)" if issue_type.get("subtask") else ""
        lines.append(f"### {issue_type.get('name')}{sub}")
        lines.append("Required: " + ("; ".join(map(_field_line, required)) or "(only summary)"))
        if custom:
            lines.append("Custom fields: " + "; ".join(map(_field_line, custom)))
    components = [str(c.get("name")) for c in project.get("components") or ()]
    versions = [f"{v.get('name')}{' (released)' if v.get('released') else ''}" for v in project.get("versions") or ()]
    lines += ["", "## Components", ", ".join(components) or "(none)"]
    lines += ["", "## Versions", ", ".join(versions) or "(none)"]
    lines += [
        "",
        "## Workflow",
        f"Statuses by category, in the order work flows (issues among the last {_SAMPLE} updated in brackets):",
        *_workflow(statuses, used, str(project.get("id"))),
    ]
    return "\n".join(lines)


async def sprint_markdown(state: AppState, sprint_id: int) -> str:
    bean = await get_sprint(state, sprint_id, "id")
    report, cut = await compute_report(state, bean)
    text = render_report(report)
    return text + ("\nNote: only the first 2000 issues were counted." if cut else "")
