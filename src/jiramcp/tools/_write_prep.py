"""Turning a model's issue values into a Jira request body, checked before anything is sent.

Shared by create, bulk create and update: parameters and `fields` entries are mapped to field ids,
users are looked up, values are converted by the field's schema, and on create the whole set is
checked against createmeta (required fields, the create screen, allowed values). Every problem is
collected, so the model gets one error that lists them all, not one per round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel, Field

from jiramcp.tools._catalog import field_index
from jiramcp.tools._context import AppState
from jiramcp.tools._createmeta import CreateField, create_fields
from jiramcp.tools._field_values import (
    Converters,
    FieldSpec,
    FieldValueError,
    describe_spec,
    missing_required,
    to_jira,
    user_inputs,
)
from jiramcp.tools._params import ProjectKey
from jiramcp.tools._people import resolve_users, text_writer

# Tool parameters that are Jira fields: parameter name → field id.
FIELD_PARAMS: dict[str, str] = {
    "summary": "summary",
    "description": "description",
    "priority": "priority",
    "labels": "labels",
    "assignee": "assignee",
    "parent": "parent",
    "components": "components",
    "fix_versions": "fixVersions",
    "due_date": "duedate",
}
# Listed at most in "fields you can set" (the rest is one call to jira_get_create_fields away).
MAX_SETTABLE = 30

Name = Annotated[str, Field(min_length=1, max_length=255)]
Summary = Annotated[str, Field(min_length=1, max_length=255, description="One line, at most 255 characters")]
Description = Annotated[str, Field(max_length=100_000, description="Markdown; jiramcp converts it to Jira's format")]
Priority = Annotated[str, Field(min_length=1, max_length=100, description="Priority name, e.g. High")]
Labels = Annotated[list[Name], Field(max_length=50, description="Labels (no spaces inside a label)")]
Assignee = Annotated[
    str, Field(min_length=1, max_length=255, description="Display name, email or accountId; 'me' for yourself")
]
Parent = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_]*-[0-9]+$",
        max_length=64,
        description="Parent issue key (epic, or the task of a sub-task)",
    ),
]
Components = Annotated[list[Name], Field(max_length=50, description="Component names")]
FixVersions = Annotated[list[Name], Field(max_length=50, description="Fix version names")]
DueDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]
ExtraFields = Annotated[
    dict[Annotated[str, Field(min_length=1, max_length=200)], Any],
    Field(
        max_length=50,
        description="Other fields by name or id, e.g. {'Story Points': 5, 'Team': 'Atlas'}. Options by "
        "value, users by name/email, dates YYYY-MM-DD, multi-line text in Markdown. "
        "jira_get_create_fields lists a project's fields and allowed values.",
    ),
]


class IssueInput(BaseModel):
    """One issue to create."""

    project: ProjectKey
    issue_type: Annotated[
        str, Field(min_length=1, max_length=100, description="Issue type name, e.g. Bug, Story, Sub-task")
    ]
    summary: Summary
    description: Description | None = None
    priority: Priority | None = None
    labels: Labels | None = None
    assignee: Assignee | None = None
    parent: Parent | None = None
    components: Components | None = None
    fix_versions: FixVersions | None = None
    due_date: DueDate | None = None
    fields: ExtraFields | None = None


@dataclass(slots=True)
class Prepared:
    """A request body ready to send, and how to name Jira's per-field errors."""

    fields: dict[str, Any]
    params: dict[str, str]


def spec_of(field: CreateField) -> FieldSpec:
    return FieldSpec(
        id=field.id,
        name=field.name,
        schema=field.schema,
        required=field.required,
        has_default=field.has_default,
        allowed=field.allowed_values,
    )


def refuse(problems: list[str], advice: str) -> ToolError:
    return ToolError("\n".join(["Nothing was sent to Jira:", *(f"- {p}" for p in problems), advice]))


async def requested_fields(
    state: AppState, named: Mapping[str, Any], extra: Mapping[str, Any] | None, prefix: str = ""
) -> tuple[dict[str, tuple[str, Any]], list[str]]:
    """Field id → (parameter name, raw value) for the parameters given and the `fields` entries."""
    wanted: dict[str, tuple[str, Any]] = {
        FIELD_PARAMS[param]: (prefix + param, value) for param, value in named.items() if param in FIELD_PARAMS
    }
    problems: list[str] = []
    if extra:
        index = await field_index(state)
        for name, value in extra.items():
            param = f"{prefix}fields.{name}"
            field_id = index.resolve(name)
            if field_id is None:
                hint = index.suggestions(name)
                problems.append(
                    f"{param}: no field is called {name!r}"
                    + (f" (did you mean {', '.join(map(repr, hint))}?)" if hint else "")
                    + "; jira_find_fields lists field names"
                )
            elif field_id in wanted:
                problems.append(f"{param}: {index.name_of(field_id)} is already given as {wanted[field_id][0]}")
            else:
                wanted[field_id] = (param, value)
    return wanted, problems


async def convert(
    state: AppState, specs: Mapping[str, FieldSpec], wanted: Mapping[str, tuple[str, Any]]
) -> tuple[dict[str, Any], list[str]]:
    """Convert every wanted value by its field's spec; returns (field id → Jira value, problems)."""
    lookups = [(q, param) for fid, (param, raw) in wanted.items() for q in user_inputs(specs[fid], raw)]
    users, problems = await resolve_users(state, lookups) if lookups else ({}, [])
    conv = Converters(text=await text_writer(state), users=users)
    out: dict[str, Any] = {}
    for field_id, (param, raw) in wanted.items():
        try:
            out[field_id] = to_jira(specs[field_id], raw, param, conv)
        except FieldValueError as error:
            if error.param not in {p.split(":")[0] for p in problems}:
                problems.append(str(error))
    return out, problems


async def prepare_create(state: AppState, item: IssueInput, prefix: str = "") -> Prepared:
    """Check `item` against the project's createmeta and build the `POST /issue` fields.

    Raises:
        ToolError: Listing every problem (unknown fields, fields not on the create screen, missing
            required fields, values not allowed), with what is allowed.
        PolicyViolation: The project is outside the allow-list.
    """
    state.policy.check_project(item.project, parameter=prefix + "project")
    try:
        issue_type, meta = await create_fields(state, item.project, item.issue_type)
    except ToolError as error:
        raise ToolError(f"{prefix}{error}") from None
    specs = {f.id: spec_of(f) for f in meta}
    specs.setdefault("parent", FieldSpec("parent", "Parent", {}))
    named = {k: v for k, v in item.model_dump(exclude={"project", "issue_type", "fields"}).items() if v is not None}
    wanted, problems = await requested_fields(state, named, item.fields, prefix)
    where = f"{item.project} {issue_type.name}"
    off_screen = [fid for fid in wanted if fid not in specs]
    if off_screen:
        index = await field_index(state)
        settable = sorted(s.name for s in specs.values() if s.id not in ("project", "issuetype"))
        shown = ", ".join(settable[:MAX_SETTABLE]) + (" …" if len(settable) > MAX_SETTABLE else "")
        for fid in off_screen:
            problems.append(
                f"{wanted.pop(fid)[0]}: {index.name_of(fid)} is not on the create screen of "
                f"{where}; fields it takes: {shown}"
            )
    for spec in missing_required(specs, list(wanted)):
        param = next((p for p, f in FIELD_PARAMS.items() if f == spec.id), f"fields.{spec.name}")
        problems.append(f"{prefix}{param}: required for {where}: {describe_spec(spec)}")
    values, value_problems = await convert(state, specs, wanted)
    problems += value_problems
    if problems:
        raise refuse(
            problems,
            f"Fix these and call again (jira_get_create_fields project={item.project!r} "
            f"issue_type={issue_type.name!r} lists every field and its allowed values).",
        )
    fields = {"project": {"key": item.project}, "issuetype": {"id": issue_type.id}, **values}
    params = {fid: param for fid, (param, _) in wanted.items()}
    params.update({"project": prefix + "project", "issuetype": prefix + "issue_type"})
    return Prepared(fields=fields, params=params)
