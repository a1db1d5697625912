"""Updating an issue: the edit screen checked first, rich text merged without silent loss, and an
answer that says exactly what changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from mcp.server.mcpserver import Resolve
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from jiramcp.adf import merge_markdown_into_adf
from jiramcp.jira import JiraError
from jiramcp.tools._catalog import field_index
from jiramcp.tools._context import AppState, app_state
from jiramcp.tools._errors import describe, jira_errors
from jiramcp.tools._field_spec import FieldSpec
from jiramcp.tools._params import IssueKey, browse_url
from jiramcp.tools._results import answer
from jiramcp.tools._shape import is_adf, simplify
from jiramcp.tools._spec import jira_tool
from jiramcp.tools._write_prep import (
    FIELD_PARAMS,
    Assignee,
    Components,
    Description,
    DueDate,
    ExtraFields,
    FixVersions,
    Labels,
    Name,
    Parent,
    Priority,
    Summary,
    convert,
    refuse,
    requested_fields,
)

# A changed value longer than this is summarised in the answer, not repeated.
_SHOWN = 80


class Change(BaseModel):
    field: str
    old: Any = None
    new: Any = None


class Updated(BaseModel):
    key: str
    url: str
    changes: list[Change]
    preserved: list[str] | None = Field(default=None, description="ADF-only content kept in the rich text")
    dropped: list[str] | None = Field(default=None, description="ADF-only content removed (allow_loss)")


def _brief(value: Any) -> str:
    if value in (None, [], ""):
        return "(empty)"
    if isinstance(value, int | float | bool):
        return str(value)
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    text = " ".join(text.split())
    return repr(text) if len(text) <= _SHOWN else f"{text[: _SHOWN - 1]!r}… ({len(text)} chars)"


def render_update(result: Updated) -> str:
    if not result.changes:
        return f"{result.key}: nothing changed (the values were already set). {result.url}"
    lines = [f"Updated {result.key} {result.url}"]
    lines += [f"- {c.field}: {_brief(c.old)} → {_brief(c.new)}" for c in result.changes]
    if result.preserved:
        lines.append(f"Kept ADF-only content: {'; '.join(result.preserved)}")
    if result.dropped:
        lines.append(f"Dropped (allow_loss): {'; '.join(result.dropped)}")
    return "\n".join(lines)


async def _clear_targets(
    state: AppState, clear: list[str], wanted: Mapping[str, tuple[str, Any]]
) -> tuple[dict[str, tuple[str, Any]], list[str]]:
    index = await field_index(state)
    out: dict[str, tuple[str, Any]] = {}
    problems = []
    for i, name in enumerate(clear):
        field_id = FIELD_PARAMS.get(name) or index.resolve(name)
        if field_id is None:
            problems.append(f"clear[{i}]: no field is called {name!r}; jira_find_fields lists field names")
        elif field_id in wanted:
            problems.append(f"clear[{i}]: {name} is also given a value in {wanted[field_id][0]}")
        else:
            out[field_id] = (f"clear[{i}]", None)
    return out, problems


@jira_tool(title="Update an issue", toolset="issues", writes=True, idempotent=True)
async def jira_update_issue(
    key: IssueKey,
    state: Annotated[AppState, Resolve(app_state)],
    summary: Summary | None = None,
    description: Annotated[
        Description | None,
        Field(
            description="The whole new text, in Markdown. Keep any `adf:N` placeholders jira_get_issue "
            "showed: they stand for content Markdown cannot carry (files, smart links, macros)."
        ),
    ] = None,
    priority: Priority | None = None,
    labels: Annotated[Labels | None, Field(description="Replaces all labels")] = None,
    add_labels: Annotated[Labels | None, Field(description="Labels to add, keeping the others")] = None,
    remove_labels: Annotated[Labels | None, Field(description="Labels to remove")] = None,
    assignee: Assignee | None = None,
    parent: Parent | None = None,
    components: Annotated[Components | None, Field(description="Replaces all components")] = None,
    fix_versions: Annotated[FixVersions | None, Field(description="Replaces all fix versions")] = None,
    due_date: DueDate | None = None,
    fields: ExtraFields | None = None,
    clear: Annotated[
        list[Name] | None,
        Field(
            max_length=20,
            description="Fields to empty, by parameter or field name, e.g. ['assignee', 'due_date', 'Story Points']",
        ),
    ] = None,
    allow_loss: Annotated[
        bool, Field(description="Accept dropping rich-text content Markdown cannot carry (refused by default)")
    ] = False,
    notify: Annotated[bool, Field(description="Email watchers about the change")] = True,
) -> Annotated[CallToolResult, Updated]:
    """Change fields of an issue; answers with each change as old → new.

    Give only what changes. Labels: `labels` replaces them all, `add_labels`/`remove_labels` edit
    them. Custom fields go in `fields` by name; `clear` empties fields. To change status, use
    jira_transition_issue. The new description replaces the old one: read it with jira_get_issue,
    edit the Markdown and send it whole. Content Markdown cannot express (attachments, smart links,
    macros) is kept through its `adf:N` placeholders; if the new text would drop some, nothing is
    changed unless `allow_loss` is true.
    """
    named = {
        "summary": summary,
        "description": description,
        "priority": priority,
        "labels": labels,
        "assignee": assignee,
        "parent": parent,
        "components": components,
        "fix_versions": fix_versions,
        "due_date": due_date,
    }
    named = {k: v for k, v in named.items() if v is not None}
    async with jira_errors():
        state.policy.check_issue_key(key)
        wanted, problems = await requested_fields(state, named, fields)
        cleared, clear_problems = await _clear_targets(state, clear or [], wanted)
        wanted.update(cleared)
        problems += clear_problems
        label_ops = [{"add": x} for x in add_labels or ()] + [{"remove": x} for x in remove_labels or ()]
        if label_ops and "labels" in wanted:
            problems.append(f"{wanted['labels'][0]}: give either labels (replace all) or add_labels/remove_labels")
        if not wanted and not label_ops and not problems:
            raise ToolError("Nothing to change: give at least one field (summary, description, labels, fields, ...).")
        meta = (await state.client.editmeta(key)).get("fields") or {}
        specs = {str(fid): FieldSpec.from_meta({**entry, "key": fid}) for fid, entry in meta.items()}
        editable = ", ".join(sorted(s.name for s in specs.values() if s.id not in ("comment", "issuetype")))
        for field_id in [f for f in wanted if f not in specs]:
            problems.append(f"{wanted.pop(field_id)[0]}: this field cannot be edited on {key}; editable: {editable}")
        if label_ops and "labels" not in specs:
            problems.append(f"add_labels/remove_labels: labels cannot be edited on {key}")
        touched = list(dict.fromkeys([*wanted, *(["labels"] if label_ops else [])]))
        before = (await state.client.get_issue(key, fields=touched or ["summary"])).get("fields") or {}
        values, value_problems = await convert(
            state, specs, {f: w for f, w in wanted.items() if f not in _rich(specs, wanted, before)}
        )
        problems += value_problems
        preserved: list[str] = []
        dropped: list[str] = []
        for field_id in _rich(specs, wanted, before):
            param, markdown = wanted[field_id]
            merged = merge_markdown_into_adf(before[field_id], markdown)
            preserved += merged.preserved
            if merged.lost and not allow_loss:
                problems.append(
                    f"{param}: the new text would drop content Markdown cannot carry: {'; '.join(merged.lost)}. "
                    "Keep those adf:N placeholders (as jira_get_issue shows them) in the text, or pass "
                    "allow_loss=true to drop them."
                )
            dropped += merged.lost
            values[field_id] = merged.doc
        if problems:
            raise refuse(problems, "Fix these and call again (jira_get_issue shows the current values).")
    params = {fid: param for fid, (param, _) in wanted.items()}
    params.setdefault("labels", "add_labels/remove_labels")
    async with jira_errors(parameters=params):
        await state.client.edit_issue(
            key, fields=values, update={"labels": label_ops} if label_ops else None, notify_users=notify
        )
    index = await field_index(state)
    try:
        after = (await state.client.get_issue(key, fields=touched)).get("fields") or {}
    except JiraError as error:
        # The edit is applied; only reading it back failed. Say so rather than report a failure.
        names = ", ".join(index.name_of(f) for f in touched)
        raise ToolError(
            f"{key} was updated ({names}), but reading it back failed: {describe(error)} "
            "Check it with jira_get_issue; do not repeat the update."
        ) from None
    changes = []
    for field_id in touched:
        old, new = simplify(before.get(field_id)), simplify(after.get(field_id))
        if old != new and not (old in (None, [], "") and new in (None, [], "")):
            changes.append(Change(field=index.name_of(field_id), old=old, new=new))
    result = Updated(
        key=key, url=browse_url(state, key), changes=changes, preserved=preserved or None, dropped=dropped or None
    )
    return answer(result, render_update(result))


def _rich(
    specs: Mapping[str, FieldSpec], wanted: Mapping[str, tuple[str, Any]], before: Mapping[str, Any]
) -> list[str]:
    """Rich-text fields being rewritten whose current value is ADF: these are merged, not replaced."""
    return [
        fid
        for fid, (_, raw) in wanted.items()
        if isinstance(raw, str) and fid in specs and specs[fid].kind == "text" and is_adf(before.get(fid))
    ]
