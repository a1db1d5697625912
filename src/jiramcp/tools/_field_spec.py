"""What writing a field needs to know: its schema, whether it is required, the values it takes.

Built from createmeta, editmeta or a transition screen (which carry allowed values) or from
`GET /field` (which does not); `kind` decides how a model's value is shaped for Jira.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_NAMED = frozenset({"priority", "resolution", "version", "component", "securitylevel", "issuetype", "group"})
CF = "com.atlassian.jira.plugin.system.customfieldtypes:"
_TEXT_SYSTEM = frozenset({"description", "environment"})


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """What writing one field needs: its schema, and from createmeta whether it is required and
    which values it takes."""

    id: str
    name: str
    schema: Mapping[str, Any]
    required: bool = False
    has_default: bool = False
    allowed: tuple[Mapping[str, Any], ...] | None = None
    operations: tuple[str, ...] = ()

    @classmethod
    def from_meta(cls, entry: Mapping[str, Any]) -> FieldSpec:
        """From a createmeta / editmeta / transition-screen field entry."""
        allowed = entry.get("allowedValues")
        return cls(
            id=str(entry.get("fieldId") or entry.get("key") or entry.get("id")),
            name=str(entry.get("name") or entry.get("fieldId") or ""),
            schema=entry.get("schema") or {},
            required=bool(entry.get("required")),
            has_default=bool(entry.get("hasDefaultValue")) or "defaultValue" in entry,
            allowed=tuple(a for a in allowed if isinstance(a, Mapping)) if isinstance(allowed, list) else None,
            operations=tuple(entry.get("operations") or ()),
        )

    @classmethod
    def from_field(cls, field: Mapping[str, Any]) -> FieldSpec:
        """From a `GET /field` entry (no allowed values known)."""
        return cls(id=str(field["id"]), name=str(field.get("name") or field["id"]), schema=field.get("schema") or {})

    @property
    def kind(self) -> str:
        """How values are shaped: text, string, number, date, datetime, option, cascade, named,
        user, parent, epic, sprint, timetracking, project, array, raw."""
        schema = self.schema
        custom = str(schema.get("custom") or "")
        type_ = str(schema.get("type") or "")
        if self.id == "parent" or schema.get("system") == "parent":
            return "parent"
        if self.id in _TEXT_SYSTEM or custom == CF + "textarea":
            return "text"
        if custom.endswith(":gh-epic-link"):
            return "epic"
        if custom.endswith(":gh-sprint"):
            return "sprint"
        if type_ == "option-with-child" or custom == CF + "cascadingselect":
            return "cascade"
        if type_ == "array":
            return "array"
        if type_ in ("string", "number", "date", "datetime", "option", "user", "timetracking", "project"):
            return type_
        if type_ in _NAMED:
            return "named"
        return "raw"

    @property
    def item_kind(self) -> str:
        """For arrays: the kind of one item."""
        items = str(self.schema.get("items") or "")
        if items in ("string", "option", "user", "date", "datetime", "number"):
            return items
        return "named" if items in _NAMED else "raw"
