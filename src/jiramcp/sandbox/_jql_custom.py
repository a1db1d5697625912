"""Custom fields, read through the field catalog's schema (`GET /field`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jiramcp.sandbox._jql_errors import JqlEvaluationError
from jiramcp.sandbox._jql_specs import EQ_OPS, AtomSpec, Spec, date_spec, named, number_spec

if TYPE_CHECKING:
    from jiramcp.sandbox._jql_fields import Env

__all__ = ["custom_spec"]

Issue = Mapping[str, Any]


def custom_spec(env: Env, name: str, entry: Mapping[str, Any]) -> Spec:
    """The spec of a custom field from its catalog entry; unknown schemas raise, naming the field."""
    from jiramcp.sandbox._jql_system import text_field, user_field

    field_id = str(entry["id"])
    schema = entry.get("schema") or {}
    kind, items, plugin = schema.get("type"), schema.get("items"), str(schema.get("custom", ""))

    def raw(issue: Issue) -> Any:
        return (issue.get("fields") or {}).get(field_id)

    if plugin.endswith(":gh-sprint"):
        return _sprint(env, name, field_id, raw)
    if plugin.endswith(":gh-epic-link"):
        return _epic_link(env, name, raw)
    if plugin.endswith(":gh-lexo-rank"):
        return AtomSpec(
            name,
            frozenset(),
            extract=lambda i: frozenset(),
            resolve=lambda t: frozenset(),
            sort=lambda i: raw(i) or None,
        )
    if kind == "number":
        return number_spec(name, raw)
    if kind in ("date", "datetime"):
        return date_spec(env, name, field_id)
    if kind == "option" or (kind == "array" and items == "option"):
        return named(
            name,
            lambda i: _as_list(raw(i)),
            ("id", "value"),
            None,
            sort=lambda i: tuple(str(o.get("value", "")).lower() for o in _as_list(raw(i))) or None,
        )
    if kind == "user" or (kind == "array" and items == "user"):
        if kind == "user":
            return user_field(field_id)(env, name)
        return AtomSpec(
            name,
            EQ_OPS,
            extract=lambda i: frozenset(str(u.get("accountId", "")).lower() for u in _as_list(raw(i))),
            resolve=lambda text: env.user_atoms(text, name),
            function_kinds=("user",),
            sortable=False,
        )
    if kind == "array" and items == "string":
        return AtomSpec(
            name,
            EQ_OPS,
            extract=lambda i: frozenset(str(x).lower() for x in _as_list(raw(i))),
            resolve=lambda text: frozenset({text.lower()}),
            sortable=False,
        )
    if kind == "string":
        return text_field(field_id)(env, name)
    raise JqlEvaluationError(f"The sandbox cannot evaluate the field '{name}' (schema type '{kind}').")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _sprint(env: Env, name: str, field_id: str, raw: Any) -> Spec:
    catalog = env.catalog_atoms(env.ctx.sprints, "id", "name")
    spec = named(
        name,
        lambda i: _as_list(raw(i)),
        ("id", "name"),
        catalog,
        function_kinds=("sprint",),
        # Jira orders by the issue's latest sprint.
        sort=lambda i: max((int(s.get("id", 0)) for s in _as_list(raw(i))), default=None),
        history=(field_id, "Sprint"),
    )
    spec.history_mode = "set"
    return spec


def _epic_link(env: Env, name: str, raw: Any) -> Spec:
    def extract(issue: Issue) -> frozenset[str]:
        linked = raw(issue)
        if linked:
            # A link to a deleted epic still holds its key; it matches nothing else.
            return env.ref_atoms(str(linked)) or frozenset({str(linked).lower()})
        # Jira Cloud answers "Epic Link" from the parent when the parent is an epic.
        parent = (issue.get("fields") or {}).get("parent") or {}
        parent_type = (parent.get("fields") or {}).get("issuetype") or {}
        if parent and (parent_type.get("hierarchyLevel") == 1 or str(parent_type.get("name", "")).lower() == "epic"):
            return frozenset({str(parent.get("key", "")).lower(), str(parent.get("id", ""))})
        return frozenset()

    return AtomSpec(
        name,
        EQ_OPS,
        extract=extract,
        resolve=lambda text: env.issue_atoms(text, name),
        function_kinds=("issue",),
        sort=lambda i: min(extract(i), default=None),
    )
