"""What one Jira instance holds: its fields, statuses, priorities, issue types, projects and
resolutions, indexed for the linter's lookups and "did you mean" suggestions.

Built from the raw JSON Jira returns (`GET /rest/api/3/field`, `/status`, `/priority`,
`/issuetype`, the `values` of `/project/search`, `/resolution`), so the client's metadata cache
can hand its answers over unchanged.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jiramcp.jql._knowledge import SYSTEM_FIELDS

JSON = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One field of the instance.

    Attributes:
        id: Jira's id (`summary`, `customfield_10016`).
        name: Display name (`Story Points`).
        clause_names: Names JQL accepts (`cf[10016]`, `"Story Points"`, ...).
        kind: Operator family (`text`, `option`, `ordered`, `user`, ... see `_knowledge`), or
            None when the type is unknown and operators are not checked.
        custom: Whether it is a custom field.
        schema_type: `schema.type` as Jira reports it (`string`, `number`, `array`, ...).
    """

    id: str
    name: str
    clause_names: tuple[str, ...]
    kind: str | None
    custom: bool
    schema_type: str | None = None


def _kind_from_schema(raw: JSON) -> str | None:
    schema = raw.get("schema") or {}
    custom_key = str(schema.get("custom") or "")
    kind = schema.get("type")
    items = schema.get("items")
    if not raw.get("custom"):
        system = SYSTEM_FIELDS.get(str(raw.get("id", "")).lower()) or SYSTEM_FIELDS.get(
            str(raw.get("name", "")).lower()
        )
        if system is not None:
            return system.kind
    if custom_key.endswith((":textfield", ":textarea")):
        return "text"
    if kind in ("number", "date", "datetime", "version") or (kind == "array" and items == "version"):
        return "ordered"
    if kind == "user" or (kind == "array" and items == "user"):
        return "user"
    if kind in ("option", "option-with-child", "priority", "resolution", "issuetype", "component") or (
        kind == "array" and items in ("string", "option", "component", "json", "group")
    ):
        return "option"
    if kind == "status":
        return "status"
    if kind == "project":
        return "project"
    return None


def _names(records: Iterable[JSON], *keys: str) -> dict[str, str]:
    """Lower-cased names, keys and ids → as Jira spells them (suggestions keep the form typed)."""
    index: dict[str, str] = {}
    for record in records:
        for key in keys:
            value = record.get(key)
            if value is not None and value != "":
                index.setdefault(str(value).lower(), str(value))
    return index


@dataclass(slots=True)
class Catalog:
    """The instance's vocabulary. Build it with `Catalog.from_jira(...)`."""

    fields: tuple[FieldInfo, ...] = ()
    statuses: dict[str, str] = field(default_factory=dict)
    priorities: dict[str, str] = field(default_factory=dict)
    issue_types: dict[str, str] = field(default_factory=dict)
    projects: dict[str, str] = field(default_factory=dict)
    resolutions: dict[str, str] = field(default_factory=dict)
    _by_name: dict[str, FieldInfo] = field(default_factory=dict, repr=False)
    _ambiguous: set[str] = field(default_factory=set, repr=False)
    # The linter's per-name resolution cache (name -> canonical, kind, finding code).
    _resolved: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_jira(
        cls,
        *,
        fields: Sequence[JSON] = (),
        statuses: Sequence[JSON] = (),
        priorities: Sequence[JSON] = (),
        issue_types: Sequence[JSON] = (),
        projects: Sequence[JSON] = (),
        resolutions: Sequence[JSON] = (),
    ) -> Catalog:
        """Index Jira's own JSON lists (each optional; an empty list means "not checked")."""
        infos = []
        for raw in fields:
            schema = raw.get("schema") or {}
            infos.append(
                FieldInfo(
                    id=str(raw.get("id", "")),
                    name=str(raw.get("name", "")),
                    clause_names=tuple(str(name) for name in raw.get("clauseNames") or ()),
                    kind=_kind_from_schema(raw),
                    custom=bool(raw.get("custom")),
                    schema_type=schema.get("type"),
                )
            )
        catalog = cls(
            fields=tuple(infos),
            statuses=_names(statuses, "name", "id"),
            priorities=_names(priorities, "name", "id"),
            issue_types=_names(issue_types, "name", "id"),
            projects=_names(projects, "key", "name", "id"),
            resolutions=_names(resolutions, "name", "id"),
        )
        seen: set[str] = set()
        for info in infos:
            lowered = info.name.lower()
            if info.custom and lowered in seen:
                catalog._ambiguous.add(lowered)
            seen.add(lowered)
            for name in (*info.clause_names, info.name, info.id):
                catalog._by_name.setdefault(name.lower(), info)
            if info.id.startswith("customfield_") and info.id[12:].isdigit():
                catalog._by_name.setdefault(f"cf[{int(info.id[12:])}]", info)
        return catalog

    def field(self, name: str) -> FieldInfo | None:
        """The field JQL `name` refers to (a clause name, display name, id or `cf[N]`), or None."""
        lowered = name.lower()
        found = self._by_name.get(lowered)
        if found is None and lowered.endswith("]") and "[" in lowered:
            # Jira Cloud's editor writes custom fields with a type suffix: "Story Points[Number]".
            found = self._by_name.get(lowered[: lowered.index("[")].rstrip())
        return found

    def is_ambiguous(self, name: str) -> bool:
        """Whether several custom fields share this display name (JQL then needs `cf[N]`)."""
        return name.lower() in self._ambiguous

    def closest_field(self, name: str) -> FieldInfo | None:
        """The field whose name is closest to `name` ("Story point" → Story Points)."""
        names = {info.name.lower(): info for info in self.fields}
        for info in self.fields:
            for clause in info.clause_names:
                names.setdefault(clause.lower(), info)
        match = difflib.get_close_matches(name.lower(), list(names), n=1, cutoff=0.6)
        return names[match[0]] if match else None

    def values_for(self, field_name: str) -> dict[str, str] | None:
        """The known values of a field with a fixed vocabulary, or None if it has none here."""
        table = {
            "status": self.statuses,
            "priority": self.priorities,
            "issuetype": self.issue_types,
            "type": self.issue_types,
            "project": self.projects,
            "resolution": self.resolutions,
        }.get(field_name.lower())
        return table or None


def closest(value: str, table: Mapping[str, str]) -> str | None:
    """The display name in `table` closest to `value`, if any is close."""
    match = difflib.get_close_matches(value.lower(), list(table), n=1, cutoff=0.6)
    return table[match[0]] if match else None
