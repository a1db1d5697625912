"""Field metadata for createmeta, editmeta and transition screens (allowed values, operations)."""

from __future__ import annotations

from typing import Any

from jiramcp.sandbox import _catalog as cat
from jiramcp.sandbox import _fields as fl
from jiramcp.sandbox import _render as rd
from jiramcp.sandbox._mutate import CREATE_SCREEN, EDIT_SCREEN
from jiramcp.sandbox._store import Record, Store


def _allowed(store: Store, field_id: str, project: Record) -> list[dict[str, Any]] | None:
    kind = fl.BY_ID[field_id].kind
    base = store.base_url
    if kind == "priority":
        return [cat.priority(base, p) for p in cat.PRIORITIES]
    if kind == "components":
        return [rd.component(store, c) for c in project["components"]]
    if kind == "versions":
        return [rd.version(store, v, project["id"]) for v in project["versions"]]
    if kind == "option":
        return [cat.team_option(base, o) for o in cat.TEAM_OPTIONS]
    if kind == "project":
        return [rd.project_ref(store, project)]
    if kind == "resolution":
        return [cat.resolution(base, r) for r in cat.RESOLUTIONS]
    return None


def field_meta(
    store: Store, field_id: str, project: Record, *, required: bool, create: bool, type_id: str | None = None
) -> dict[str, Any]:
    fdef = fl.BY_ID[field_id]
    meta: dict[str, Any] = {
        "required": required,
        "schema": dict(fdef.schema) or {"type": "issuelink", "system": "parent"},
        "name": fdef.name,
        "key": field_id,
        "operations": list(fdef.operations),
    }
    if create:
        meta["fieldId"] = field_id
    if fdef.kind == "user":
        meta["autoCompleteUrl"] = f"{store.base_url}/rest/api/3/user/search?query="
    if fdef.kind == "issuetype" and type_id:
        meta["allowedValues"] = [cat.issue_type(store.base_url, type_id)]
    allowed = _allowed(store, field_id, project)
    if allowed is not None:
        meta["allowedValues"] = allowed
    meta["hasDefaultValue"] = fdef.kind == "priority"
    if fdef.kind == "priority":
        meta["defaultValue"] = cat.priority(store.base_url, cat.DEFAULT_PRIORITY)
    return meta


def create_fields(store: Store, project: Record, type_id: str) -> list[dict[str, Any]]:
    """The create screen of `type_id` in `project` (FieldCreateMetadata list)."""
    required = {"summary", "issuetype", "project"}
    if cat.ISSUE_TYPES[type_id]["subtask"]:
        required.add("parent")
    screen = [f for f in CREATE_SCREEN if not (type_id == cat.EPIC and f in ("parent", fl.EPIC_LINK))]
    if type_id != cat.BUG:
        screen = [f for f in screen if f != "environment"]
    return [field_meta(store, f, project, required=f in required, create=True, type_id=type_id) for f in screen]


def edit_fields(store: Store, rec: Record) -> dict[str, Any]:
    """`GET /issue/{key}/editmeta`'s `fields`."""
    project = store.data["projects"][rec["projectId"]]
    screen = [*EDIT_SCREEN, "comment"]
    return {
        f: field_meta(
            store, f, project, required=f in ("summary", "issuetype"), create=False, type_id=rec["f"]["issuetype"]
        )
        for f in screen
    }


def transition_fields(store: Store, rec: Record, target: str) -> dict[str, Any]:
    """Fields on a transition's screen: resolution on the way to Done."""
    if cat.STATUSES[target]["category"] != "done":
        return {}
    project = store.data["projects"][rec["projectId"]]
    return {"resolution": field_meta(store, "resolution", project, required=False, create=False)}
