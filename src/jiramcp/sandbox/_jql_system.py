"""JQL system fields (status, priority, users, dates, keys …) as specs over Jira's wire shape."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jiramcp.jql import Operator
from jiramcp.sandbox._jql_errors import JqlEvaluationError, JqlValueError
from jiramcp.sandbox._jql_fields import Env, field_values, obj_atoms
from jiramcp.sandbox._jql_specs import EQ_OPS, AtomSpec, Spec, TextSpec, date_spec, named, number_spec
from jiramcp.sandbox._jql_text import adf_text

__all__ = ["SYSTEM_FIELDS", "text_field", "user_field"]

Issue = Mapping[str, Any]
_f = field_values
_obj_atoms = obj_atoms

_STATUS_CATEGORIES = (
    {"id": 1, "key": "undefined", "name": "No Category"},
    {"id": 2, "key": "new", "name": "To Do"},
    {"id": 4, "key": "indeterminate", "name": "In Progress"},
    {"id": 3, "key": "done", "name": "Done"},
)


# ---- system fields ----------------------------------------------------------------------------
def _project(env: Env, name: str) -> Spec:
    catalog = env.catalog_atoms(env.ctx.projects, "id", "key", "name")
    return named(
        name,
        lambda i: [_f(i).get("project")],
        ("id", "key", "name"),
        catalog,
        sort=lambda i: str((_f(i).get("project") or {}).get("name", "")).lower() or None,
    )


def _status(env: Env, name: str) -> Spec:
    order = {str(s.get("id")): n for n, s in enumerate(env.ctx.statuses)}

    def sort(issue: Issue) -> Any:
        status = _f(issue).get("status") or {}
        if not status:
            return None
        return order.get(str(status.get("id")), len(order)), str(status.get("name", "")).lower()

    return named(
        name,
        lambda i: [_f(i).get("status")],
        ("id", "name"),
        env.catalog_atoms(env.ctx.statuses, "id", "name"),
        sort=sort,
        history=("status",),
    )


def _status_category(env: Env, name: str) -> Spec:
    return named(
        name,
        lambda i: [(_f(i).get("status") or {}).get("statusCategory")],
        ("id", "key", "name"),
        env.catalog_atoms(_STATUS_CATEGORIES, "id", "key", "name"),
        sort=lambda i: str(((_f(i).get("status") or {}).get("statusCategory") or {}).get("id", "")) or None,
    )


def _priority(env: Env, name: str) -> Spec:
    ranks: dict[str, int] = {}
    for index, priority in enumerate(env.ctx.priorities):
        for atom in _obj_atoms(priority, "id", "name"):
            ranks[atom] = len(env.ctx.priorities) - index

    def rank_of(issue: Issue) -> int | None:
        atoms = _obj_atoms(_f(issue).get("priority"), "id", "name")
        return next((ranks[a] for a in atoms if a in ranks), None)

    def operand_rank(text: str) -> int:
        if not ranks:
            raise JqlEvaluationError("The sandbox cannot order priorities: the context has no priority list.")
        if text.lower() not in ranks:
            raise JqlValueError(f"The value '{text}' does not exist for the field '{name}'.")
        return ranks[text.lower()]

    spec = named(
        name,
        lambda i: [_f(i).get("priority")],
        ("id", "name"),
        env.catalog_atoms(env.ctx.priorities, "id", "name"),
        sort=rank_of,
        history=("priority",),
        default_desc=True,
    )
    spec.ordered(rank_of, operand_rank)
    return spec


def _resolution(env: Env, name: str) -> Spec:
    catalog = env.catalog_atoms(env.ctx.resolutions, "id", "name")
    spec = named(
        name,
        lambda i: [_f(i).get("resolution")],
        ("id", "name"),
        catalog,
        sort=lambda i: str((_f(i).get("resolution") or {}).get("name", "")).lower() or None,
        history=("resolution",),
    )
    if catalog is None or "unresolved" not in catalog:
        spec.empty_words = frozenset({"unresolved"})
    return spec


def user_field(field_id: str, history: tuple[str, ...] = ()) -> Callable[[Env, str], Spec]:
    def build(env: Env, name: str) -> Spec:
        return AtomSpec(
            name,
            EQ_OPS,
            extract=lambda i: _obj_atoms(_f(i).get(field_id), "accountId"),
            resolve=lambda text: env.user_atoms(text, name),
            function_kinds=("user",),
            sort=lambda i: env.user_sort(_f(i).get(field_id)),
            history=history,
        )

    return build


def text_field(*field_ids: str, comments: bool = False, all_text: bool = False) -> Callable[[Env, str], Spec]:
    def build(env: Env, name: str) -> Spec:
        text_ids = list(field_ids)
        if all_text:
            text_ids += [
                str(e["id"])
                for e in env.ctx.fields
                if e.get("custom")
                and (e.get("schema") or {}).get("type") == "string"
                and not str((e.get("schema") or {}).get("custom", "")).endswith(("gh-epic-link", "gh-lexo-rank"))
            ]

        def texts(issue: Issue) -> list[str]:
            fields = _f(issue)
            found = [adf_text(fields.get(fid)) for fid in text_ids if fields.get(fid)]
            if comments:
                found += [adf_text(c.get("body")) for c in (fields.get("comment") or {}).get("comments") or ()]
            return [t for t in found if t.strip()]

        sort = (lambda i: str(_f(i).get("summary") or "").lower() or None) if field_ids == ("summary",) else None
        return TextSpec(name, texts, sort=sort)

    return build


def _labels(env: Env, name: str) -> Spec:
    return AtomSpec(
        name,
        EQ_OPS,
        extract=lambda i: frozenset(str(x).lower() for x in _f(i).get("labels") or ()),
        resolve=lambda text: frozenset({text.lower()}),
        sort=lambda i: tuple(sorted(str(x).lower() for x in _f(i).get("labels") or ())) or None,
    )


def _version_catalog(env: Env, key: str) -> list[Mapping[str, Any]]:
    return [v for p in env.ctx.projects for v in p.get(key) or ()]


def _listed(field_id: str, catalog_key: str, kinds: tuple[str, ...], history: tuple[str, ...]):
    def build(env: Env, name: str) -> Spec:
        return named(
            name,
            lambda i: list(_f(i).get(field_id) or ()),
            ("id", "name"),
            env.catalog_atoms(_version_catalog(env, catalog_key), "id", "name"),
            sort=lambda i: tuple(sorted(str(v.get("name", "")).lower() for v in _f(i).get(field_id) or ())) or None,
            function_kinds=kinds,
            history=history,
        )

    return build


def _key(env: Env, name: str) -> Spec:
    def order_value(issue: Issue) -> tuple[str, int]:
        project, _, number = str(issue.get("key", "")).rpartition("-")
        return project.lower(), int(number) if number.isdigit() else -1

    def operand_order(text: str) -> tuple[str, int]:
        if text.strip().isdigit():
            return "#id", int(text)
        project, _, number = text.strip().rpartition("-")
        if not project or not number.isdigit():
            raise JqlValueError(f"The issue key '{text}' for field '{name}' is invalid.")
        return project.lower(), int(number)

    def issue_order(issue: Issue, operand: tuple[str, int]) -> tuple[str, int]:
        # A numeric operand compares ids; a key compares numbers within the key's project.
        return ("#id", int(issue.get("id", 0))) if operand[0] == "#id" else order_value(issue)

    spec = AtomSpec(
        name,
        EQ_OPS,
        extract=lambda i: frozenset({str(i.get("key", "")).lower(), str(i.get("id", ""))}),
        resolve=lambda text: env.issue_atoms(text, name),
        function_kinds=("issue",),
        sort=order_value,
    )
    spec.ordered(order_value, operand_order, relative=issue_order)
    return spec


def _parent(env: Env, name: str) -> Spec:
    return named(
        name,
        lambda i: [_f(i).get("parent")],
        ("id", "key"),
        None,
        resolve=lambda text: env.issue_atoms(text, name),
        function_kinds=("issue",),
        sort=lambda i: str((_f(i).get("parent") or {}).get("key", "")).lower() or None,
    )


def _watcher(env: Env, name: str) -> Spec:
    current = (env.ctx.current_account_id or "").lower()

    def extract(issue: Issue) -> frozenset[str]:
        watches = _f(issue).get("watches") or {}
        if "watchers" in watches:
            return frozenset(str(u.get("accountId", "")).lower() for u in watches["watchers"])
        return frozenset({current}) if watches.get("isWatching") and current else frozenset()

    def resolve(text: str) -> frozenset[str]:
        atoms = env.user_atoms(text, name)
        if atoms != {current} and not any("watchers" in (_f(i).get("watches") or {}) for i in env.issues[:1]):
            raise JqlEvaluationError("The sandbox can evaluate 'watcher' only for currentUser() without watcher lists.")
        return atoms

    return AtomSpec(
        name,
        EQ_OPS - {Operator.IS, Operator.IS_NOT},
        extract=extract,
        resolve=resolve,
        function_kinds=("user",),
        sortable=False,
    )


def _duration(field_id: str) -> Callable[[Env, str], Spec]:
    return lambda env, name: number_spec(name, lambda i: _f(i).get(field_id), duration=True)


def _count(holder: str, key: str) -> Callable[[Env, str], Spec]:
    return lambda env, name: number_spec(name, lambda i: (_f(i).get(holder) or {}).get(key), default_desc=True)


SYSTEM_FIELDS: dict[str, Callable[[Env, str], Spec]] = {
    "project": _project,
    "issuetype": lambda env, name: named(
        name,
        lambda i: [_f(i).get("issuetype")],
        ("id", "name"),
        env.catalog_atoms(env.ctx.issue_types, "id", "name"),
        sort=lambda i: str((_f(i).get("issuetype") or {}).get("name", "")).lower() or None,
    ),
    "status": _status,
    "statuscategory": _status_category,
    "priority": _priority,
    "resolution": _resolution,
    "assignee": user_field("assignee", ("assignee",)),
    "reporter": user_field("reporter", ("reporter",)),
    "creator": user_field("creator"),
    "summary": text_field("summary"),
    "description": text_field("description"),
    "environment": text_field("environment"),
    "comment": text_field(comments=True),
    "text": text_field("summary", "description", "environment", comments=True, all_text=True),
    "labels": _labels,
    "component": _listed("components", "components", (), ()),
    "fixversion": _listed("fixVersions", "versions", ("version",), ("fixVersions", "Fix Version")),
    "affectedversion": _listed("versions", "versions", ("version",), ("versions", "Version")),
    "created": lambda env, name: date_spec(env, name, "created", default_desc=True),
    "updated": lambda env, name: date_spec(env, name, "updated", default_desc=True),
    "resolved": lambda env, name: date_spec(env, name, "resolutiondate", default_desc=True),
    "duedate": lambda env, name: date_spec(env, name, "duedate"),
    "key": _key,
    "parent": _parent,
    "watcher": _watcher,
    "originalestimate": _duration("timeoriginalestimate"),
    "remainingestimate": _duration("timeestimate"),
    "timespent": _duration("timespent"),
    "votes": _count("votes", "votes"),
    "watchers": _count("watches", "watchCount"),
}
