"""What an agent must look up before writing: projects, fields, users, create requirements."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from mcp.server.mcpserver import Resolve
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from jiramcp.tools._catalog import field_index
from jiramcp.tools._context import AppState, app_state
from jiramcp.tools._createmeta import create_fields
from jiramcp.tools._errors import jira_errors
from jiramcp.tools._params import ProjectKey
from jiramcp.tools._results import answer
from jiramcp.tools._spec import jira_tool

# Allowed values listed per field before the list is cut (a select can have hundreds).
MAX_ALLOWED = 25

Query = Annotated[str, Field(min_length=1, max_length=200)]


class ProjectBrief(BaseModel):
    key: str
    name: str
    type: str | None = None


class ProjectList(BaseModel):
    projects: list[ProjectBrief]


class Version(BaseModel):
    name: str
    released: bool = False
    release_date: str | None = None


class ProjectDetail(BaseModel):
    key: str
    name: str
    lead: str | None = None
    issue_types: list[str]
    components: list[str]
    versions: list[Version]


class FieldInfo(BaseModel):
    id: str
    name: str
    type: str
    custom: bool
    jql_names: list[str] | None = Field(default=None, description="Names usable in JQL")


class FieldList(BaseModel):
    fields: list[FieldInfo]


class User(BaseModel):
    display_name: str | None = None
    account_id: str | None = Field(default=None, description="Cloud: use this to assign or mention")
    name: str | None = Field(default=None, description="Server/Data Center user name")
    email: str | None = None
    active: bool | None = None


class UserList(BaseModel):
    users: list[User]


class CreateFieldInfo(BaseModel):
    id: str
    name: str
    required: bool
    type: str
    allowed_values: list[str] | None = None
    more_allowed: int | None = Field(default=None, description="Allowed values not listed")


class CreateFields(BaseModel):
    project: str
    issue_type: str
    fields: list[CreateFieldInfo]


def _field_type(field: Mapping[str, Any]) -> str:
    schema = field.get("schema") or {}
    kind = str(schema.get("type", "unknown"))
    return f"array of {schema['items']}" if kind == "array" and schema.get("items") else kind


@jira_tool(title="List projects", toolset="metadata")
async def jira_list_projects(
    state: Annotated[AppState, Resolve(app_state)],
    query: Annotated[str | None, Field(max_length=200, description="Part of a key or name")] = None,
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
) -> Annotated[CallToolResult, ProjectList]:
    """List the projects this Jira user can see (only the allowed ones when the server restricts them)."""
    async with jira_errors():
        raw = await state.client.projects()
    needle = (query or "").lower()
    projects = [
        ProjectBrief(key=p["key"], name=p.get("name", p["key"]), type=p.get("projectTypeKey"))
        for p in raw
        if state.policy.allows_project(p["key"])
        and (needle in p["key"].lower() or needle in str(p.get("name", "")).lower())
    ][:limit]
    text = "\n".join(f"{p.key} | {p.name}" + (f" | {p.type}" if p.type else "") for p in projects)
    return answer(ProjectList(projects=projects), text or "No project matches.")


@jira_tool(title="Read a project", toolset="metadata")
async def jira_get_project(
    key: ProjectKey, state: Annotated[AppState, Resolve(app_state)]
) -> Annotated[CallToolResult, ProjectDetail]:
    """A project's issue types, components and versions (released or not), for filling in issues."""
    async with jira_errors():
        state.policy.check_project(key, parameter="key")
        raw = await state.client.get_project(key)
    lead = raw.get("lead") or {}
    result = ProjectDetail(
        key=raw["key"],
        name=raw.get("name", raw["key"]),
        lead=lead.get("displayName") or lead.get("name"),
        issue_types=[t["name"] for t in raw.get("issueTypes", ())],
        components=[c["name"] for c in raw.get("components", ())],
        versions=[
            Version(name=v["name"], released=bool(v.get("released")), release_date=v.get("releaseDate"))
            for v in raw.get("versions", ())
        ],
    )
    versions = ", ".join(f"{v.name}{' (released)' if v.released else ''}" for v in result.versions)
    text = "\n".join(
        [
            f"{result.key} | {result.name}" + (f" | lead {result.lead}" if result.lead else ""),
            f"Issue types: {', '.join(result.issue_types) or '(none)'}",
            f"Components: {', '.join(result.components) or '(none)'}",
            f"Versions: {versions or '(none)'}",
        ]
    )
    return answer(result, text)


@jira_tool(title="Find fields", toolset="metadata")
async def jira_find_fields(
    query: Query,
    state: Annotated[AppState, Resolve(app_state)],
    custom_only: Annotated[bool, Field(description="Only custom fields")] = False,
    limit: Annotated[int, Field(ge=1, le=100)] = 20,
) -> Annotated[CallToolResult, FieldList]:
    """Find fields by part of their name or id: id ↔ name, type, and the names JQL accepts.

    Use it before writing JQL or setting custom fields ("Story Points" → customfield_10016). For
    the values a field allows in a project, call jira_get_create_fields.
    """
    async with jira_errors():
        index = await field_index(state)
    needle = query.strip().lower()
    matches = [
        f
        for f in index.by_id.values()
        if (not custom_only or f.get("custom"))
        and (
            needle in str(f.get("name", "")).lower()
            or needle in str(f["id"]).lower()
            or any(needle in str(c).lower() for c in f.get("clauseNames") or ())
        )
    ]
    # Exact names first, then shorter names: the likeliest field leads.
    matches.sort(key=lambda f: (str(f.get("name", "")).lower() != needle, len(str(f.get("name", "")))))
    found = [
        FieldInfo(
            id=str(f["id"]),
            name=str(f.get("name", f["id"])),
            type=_field_type(f),
            custom=bool(f.get("custom")),
            jql_names=list(f.get("clauseNames") or ()) or None,
        )
        for f in matches[:limit]
    ]
    if not found:
        close = index.suggestions(query)
        text = f"No field matches {query!r}." + (f" Close: {', '.join(close)}." if close else "")
    else:
        text = "\n".join(
            f"{f.id} | {f.name} | {f.type}" + (f" | JQL: {', '.join(f.jql_names)}" if f.jql_names else "")
            for f in found
        )
    return answer(FieldList(fields=found), text)


@jira_tool(title="Find users", toolset="metadata")
async def jira_find_users(
    query: Query,
    state: Annotated[AppState, Resolve(app_state)],
    limit: Annotated[int, Field(ge=1, le=50)] = 10,
) -> Annotated[CallToolResult, UserList]:
    """Find people by display name or email, to get the accountId for assigning or mentioning."""
    async with jira_errors():
        raw = await state.client.search_users(query, max_results=limit)
    users = [
        User(
            display_name=u.get("displayName"),
            account_id=u.get("accountId"),
            name=u.get("name"),
            email=u.get("emailAddress"),
            active=u.get("active"),
        )
        for u in raw
    ]
    text = "\n".join(
        " | ".join(str(x) for x in (u.display_name, u.account_id or u.name, u.email) if x)
        + ("" if u.active is not False else " | inactive")
        for u in users
    )
    return answer(UserList(users=users), text or f"No user matches {query!r}.")


@jira_tool(title="Fields needed to create an issue", toolset="metadata")
async def jira_get_create_fields(
    project: ProjectKey,
    issue_type: Annotated[str, Field(min_length=1, max_length=100, description="Issue type name, e.g. Bug")],
    state: Annotated[AppState, Resolve(app_state)],
) -> Annotated[CallToolResult, CreateFields]:
    """What creating an issue of this type in this project needs: required fields, allowed values.

    Call before jira_create_issue when unsure; the create tool checks the same rules itself.
    """
    async with jira_errors():
        state.policy.check_project(project, parameter="project")
        chosen, fields = await create_fields(state, project, issue_type)
    infos = []
    # Project and issue type are the tool's own parameters: listing them again is noise.
    shown = (f for f in fields if f.id not in ("project", "issuetype"))
    for f in sorted(shown, key=lambda f: (not f.required, f.name.lower())):
        names = f.allowed_names()
        infos.append(
            CreateFieldInfo(
                id=f.id,
                name=f.name,
                required=f.required and not f.has_default,
                type=f.type,
                allowed_values=names[:MAX_ALLOWED] or None,
                more_allowed=len(names) - MAX_ALLOWED if len(names) > MAX_ALLOWED else None,
            )
        )
    result = CreateFields(project=project, issue_type=chosen.name, fields=infos)
    lines = [f"Create {chosen.name} in {project}:"]
    for info in infos:
        allowed = f" allowed: {', '.join(info.allowed_values)}" if info.allowed_values else ""
        more = f" (+{info.more_allowed} more)" if info.more_allowed else ""
        lines.append(f"- {info.name} ({info.id}, {info.type}){' REQUIRED' if info.required else ''}{allowed}{more}")
    return answer(result, "\n".join(lines))
