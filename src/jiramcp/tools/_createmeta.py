"""What a project's issue type accepts on create: required fields and allowed values, cached.

Shared by `jira_get_create_fields` (which shows it) and the create tools (which check a request
against it before sending, so a missing field costs no request).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

from jiramcp.tools._context import AppState


@dataclass(frozen=True, slots=True)
class CreateField:
    id: str
    name: str
    required: bool
    schema: Mapping[str, Any]
    allowed_values: tuple[Mapping[str, Any], ...]
    has_default: bool

    @property
    def type(self) -> str:
        kind = str(self.schema.get("type", "any"))
        items = self.schema.get("items")
        return f"array of {items}" if kind == "array" and items else kind

    def allowed_names(self) -> list[str]:
        """Allowed values as a model would write them (name, value or key)."""
        names = []
        for value in self.allowed_values:
            label = value.get("name") or value.get("value") or value.get("key") or value.get("id")
            if label is not None:
                names.append(str(label))
        return names


@dataclass(frozen=True, slots=True)
class IssueTypeMeta:
    id: str
    name: str
    subtask: bool


def _pick_issue_type(types: Sequence[IssueTypeMeta], wanted: str, project: str) -> IssueTypeMeta:
    lowered = wanted.strip().lower()
    for issue_type in types:
        if lowered in (issue_type.name.lower(), issue_type.id):
            return issue_type
    names = ", ".join(t.name for t in types)
    raise ToolError(f"issue_type: {wanted!r} is not an issue type of project {project}. Use one of: {names}.")


async def issue_types_for(state: AppState, project: str) -> list[IssueTypeMeta]:
    async def load() -> list[IssueTypeMeta]:
        raw = await state.client.createmeta_issue_types(project)
        return [
            IssueTypeMeta(id=str(t["id"]), name=str(t.get("name", t["id"])), subtask=bool(t.get("subtask")))
            for t in raw
        ]

    return await state.client.cache.get(("createmeta-types", project), load)


async def create_fields(state: AppState, project: str, issue_type: str) -> tuple[IssueTypeMeta, list[CreateField]]:
    """The issue type (matched by name or id, case-insensitive) and its create fields."""
    chosen = _pick_issue_type(await issue_types_for(state, project), issue_type, project)

    async def load() -> list[CreateField]:
        raw = await state.client.createmeta_fields(project, chosen.id)
        return [
            CreateField(
                id=str(f.get("fieldId") or f.get("key")),
                name=str(f.get("name", f.get("fieldId"))),
                required=bool(f.get("required")),
                schema=f.get("schema") or {},
                allowed_values=tuple(f.get("allowedValues") or ()),
                has_default=bool(f.get("hasDefaultValue") or "defaultValue" in f),
            )
            for f in raw
        ]

    return chosen, await state.client.cache.get(("createmeta-fields", project, chosen.id), load)
