"""Field values in, field values out: parse request values to stored form, describe changes.

`parse(...)` turns what a client sends (`{"name": "High"}`, an ADF document, `["a", "b"]`) into
what the store keeps (a priority id, the document, a label list), raising `FieldError` with
Jira's wording when the value is not allowed. `change_items(...)` writes the changelog items
for one field's old → new value, in Jira's changelog shape.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from jiramcp.adf import validate_adf
from jiramcp.sandbox import _adf
from jiramcp.sandbox import _catalog as cat
from jiramcp.sandbox import _fields as fl
from jiramcp.sandbox._store import Record, Store

NOT_ADF = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"


class FieldError(ValueError):
    """A value a field does not accept; `str(err)` is Jira's message for `errors[field id]`."""


def cannot_set(field_id: str) -> str:
    return f"Field '{field_id}' cannot be set. It is not on the appropriate screen, or unknown."


def _ref(raw: Any, what: str) -> tuple[str | None, str | None]:
    """(`id`, `name`) of `{"id": ...}` / `{"name": ...}`; anything else is not allowed."""
    if not isinstance(raw, dict) or not ({"id", "name", "key", "value"} & raw.keys()):
        raise FieldError(f"Specify the {what} (id or name) in the object format.")
    ident = raw.get("id")
    name = raw.get("name", raw.get("key", raw.get("value")))
    return (str(ident) if ident is not None else None), (str(name) if name is not None else None)


def _catalog_ref(raw: Any, table: dict[str, dict[str, Any]], what: str, invalid: str) -> str:
    ident, name = _ref(raw, what)
    if ident is not None:
        if ident in table:
            return ident
        raise FieldError(invalid)
    found = cat.find_by_name(table, name or "")
    if found is None:
        raise FieldError(invalid)
    return found


def parse(store: Store, field_id: str, raw: Any, project: Record, rec: Record | None) -> Any:
    """The stored form of `raw` for `field_id` in `project` (`rec` is None on create)."""
    kind = fl.BY_ID[field_id].kind
    if kind == "string":
        if raw is None and field_id != "summary":
            return None
        if not isinstance(raw, str):
            raise FieldError("Operation value must be a string")
        if field_id == "summary":
            if not raw.strip():
                raise FieldError("You must specify a summary of the issue.")
            if len(raw) > 255:
                raise FieldError("Summary must be less than 255 characters.")
        return raw
    if kind == "text":
        if raw is None:
            return None
        if not isinstance(raw, dict) or validate_adf(raw):
            raise FieldError(NOT_ADF)
        return raw
    if kind == "issuetype":
        return _catalog_ref(raw, cat.ISSUE_TYPES, "issue type", "The issue type selected is invalid.")
    if kind == "priority":
        if raw is None:
            return None
        return _catalog_ref(raw, cat.PRIORITIES, "Priority", "The priority selected is invalid.")
    if kind == "user":
        if raw is None:
            return None
        account = raw.get("accountId") if isinstance(raw, dict) else None
        if not isinstance(account, str):
            raise FieldError("Specify the user as an object with an accountId.")
        if account not in store.users:
            raise FieldError(f"User '{account}' does not exist.")
        return account
    if kind == "labels":
        values = [] if raw is None else raw
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise FieldError("Operation value must be a string")
        for label in values:
            if " " in label:
                raise FieldError(f"The label '{label}' contains spaces which is invalid.")
            if len(label) > 255:
                raise FieldError("The label must be less than 255 characters.")
        return list(dict.fromkeys(values))
    if kind in ("components", "versions"):
        values = [] if raw is None else raw
        if not isinstance(values, list):
            raise FieldError("Operation value must be an array.")
        return list(dict.fromkeys(_member(project, kind, v) for v in values))
    if kind == "date":
        if raw is None:
            return None
        try:
            return date.fromisoformat(str(raw)).isoformat()
        except ValueError as exc:
            raise FieldError(f"Error parsing date string: {raw}") from exc
    if kind == "number":
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise FieldError("Operation value must be a number")
        return raw
    if kind == "parent":
        return None if raw is None else _parent(store, raw, rec)
    if kind == "epiclink":
        if raw is None:
            return None
        epic = store.find_issue(str(raw)) if isinstance(raw, str | int) else None
        if epic is None or epic["f"]["issuetype"] != cat.EPIC:
            raise FieldError(f"Epic with key '{raw}' does not exist or is not an epic.")
        return epic["id"]
    if kind == "sprint":
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit():
            raise FieldError("Number value expected as the Sprint id.")
        sprint = store.data["sprints"].get(str(int(raw)))
        if sprint is None:
            raise FieldError(f"Sprint with id {raw} does not exist.")
        if sprint["state"] == "closed":
            raise FieldError("Issue can be assigned only active or future sprints.")
        return sprint["id"]
    if kind == "option":
        if raw is None:
            return None
        ident, name = _ref(raw, "option")
        if ident is not None:
            if ident in cat.TEAM_OPTIONS:
                return ident
            raise FieldError(f"Option id '{ident}' is not valid")
        found = next((k for k, v in cat.TEAM_OPTIONS.items() if v == name), None)
        if found is None:
            raise FieldError(f"Option value '{name}' is not valid")
        return found
    raise FieldError(cannot_set(field_id))


def _member(project: Record, kind: str, raw: Any) -> str:
    what = "Component" if kind == "components" else "Version"
    pool = project["components"] if kind == "components" else project["versions"]
    ident, name = _ref(raw, what.lower())
    for item in pool:
        if (ident is not None and item["id"] == ident) or (ident is None and item["name"] == name):
            return str(item["id"])
    if ident is not None:
        raise FieldError(f"{what} with id '{ident}' does not exist.")
    raise FieldError(f"{what} name '{name}' is not valid")


def _parent(store: Store, raw: Any, rec: Record | None) -> str:
    ident, key = _ref(raw, "parent")
    parent = store.find_issue(ident or key or "")
    if parent is None:
        raise FieldError("Could not find issue by id or key.")
    if rec is not None and parent["id"] == rec["id"]:
        raise FieldError("An issue cannot be its own parent.")
    return parent["id"]


def check_hierarchy(store: Store, type_id: str, parent_id: str | None) -> str | None:
    """Jira's message when `parent_id` cannot parent an issue of `type_id`, else None."""
    level = cat.ISSUE_TYPES[type_id]["hierarchyLevel"]
    if parent_id is None:
        if level == -1:
            return "Issue type is a sub-task but parent issue key or id not specified."
        return None
    parent_level = cat.ISSUE_TYPES[store.data["issues"][parent_id]["f"]["issuetype"]]["hierarchyLevel"]
    if parent_level != level + 1:
        return "Given parent work item does not belong to appropriate hierarchy."
    return None


# -- changelog items ---------------------------------------------------------------------------
_CHANGELOG_NAMES = {
    "components": "Component",
    "fixVersions": "Fix Version",
    "versions": "Version",
    "parent": "IssueParentAssociation",
}


def _describe(store: Store, rec: Record, field_id: str, value: Any) -> tuple[str | None, str | None]:
    """(`from`/`to`, `fromString`/`toString`) of one stored value."""
    if value is None or value == []:
        return None, None
    kind = fl.BY_ID[field_id].kind
    if kind == "status":
        return value, cat.STATUSES[value]["name"]
    if kind == "priority":
        return value, cat.PRIORITIES[value]["name"]
    if kind == "resolution":
        return value, cat.RESOLUTIONS[value]["name"]
    if kind == "issuetype":
        return value, cat.ISSUE_TYPES[value]["name"]
    if kind == "user":
        user = store.users.get(value)
        return value, user["displayName"] if user else value
    if kind == "labels":
        return None, " ".join(value)
    if kind == "text":
        return None, _adf.plain_text(value)
    if kind == "parent":
        parent = store.data["issues"].get(value)
        return value, parent["key"] if parent else value
    if kind == "sprint":
        names = [store.data["sprints"][str(s)]["name"] for s in value if str(s) in store.data["sprints"]]
        return ", ".join(str(s) for s in value), ", ".join(names)
    if kind == "option":
        return value, cat.TEAM_OPTIONS.get(value, value)
    if kind == "number":
        return None, f"{value:g}" if isinstance(value, float) else str(value)
    return None, str(value)


def change_items(store: Store, rec: Record, field_id: str, old: Any, new: Any) -> list[dict[str, Any]]:
    """Changelog items for one field going from `old` to `new` (stored forms)."""
    fdef = fl.BY_ID[field_id]
    base = {
        "field": _CHANGELOG_NAMES.get(field_id, fdef.name if fdef.custom else field_id),
        "fieldtype": "custom" if fdef.custom else "jira",
        "fieldId": field_id,
    }
    if fdef.kind in ("components", "versions"):
        project = store.data["projects"][rec["projectId"]]
        pool = project["components" if fdef.kind == "components" else "versions"]
        names = {item["id"]: item["name"] for item in pool}
        items = [
            {**base, "from": i, "fromString": names.get(i, i), "to": None, "toString": None}
            for i in old or []
            if i not in (new or [])
        ]
        items += [
            {**base, "from": None, "fromString": None, "to": i, "toString": names.get(i, i)}
            for i in new or []
            if i not in (old or [])
        ]
        return items
    old_id, old_text = _describe(store, rec, field_id, old)
    new_id, new_text = _describe(store, rec, field_id, new)
    return [{**base, "from": old_id, "fromString": old_text, "to": new_id, "toString": new_text}]
