"""Issue writes: create, edit (`fields` and `update` operations), transition, sprint moves.

Every change goes through `apply`, which writes one changelog history per request (as Jira
does), bumps `updated`, keeps resolution and status category dates consistent with the status,
and invalidates the search cache.
"""

from __future__ import annotations

from typing import Any

from jiramcp.adf import validate_adf
from jiramcp.sandbox import _catalog as cat
from jiramcp.sandbox import _fields as fl
from jiramcp.sandbox._common import JiraError
from jiramcp.sandbox._store import Record, Store
from jiramcp.sandbox._values import NOT_ADF, FieldError, cannot_set, change_items, check_hierarchy, parse

# Fields `fields`/`update` may set on the create and edit screens.
CREATE_SCREEN = tuple(f.id for f in fl.FIELDS if f.settable)
EDIT_SCREEN = tuple(f for f in CREATE_SCREEN if f != "project")


def apply(store: Store, rec: Record, changes: dict[str, Any], actor: str) -> None:
    """Set stored values and record the changelog; `changes` maps field id → new stored value."""
    items: list[dict[str, Any]] = []
    now = store.now_text()
    f = rec["f"]
    for field_id, new in changes.items():
        if field_id == fl.EPIC_LINK:
            field_id = "parent"
        old = f.get(field_id)
        if old == new or (old in (None, []) and new in (None, [])):
            continue
        items.extend(change_items(store, rec, field_id, old, new))
        if field_id == "parent":
            store.set_parent(rec, new)
        else:
            f[field_id] = new
        if field_id == "status":
            old_cat = cat.STATUSES[old]["category"]
            new_cat = cat.STATUSES[new]["category"]
            if old_cat != new_cat:
                f["statuscategorychangedate"] = now
            if new_cat == "done" and not f.get("resolution"):
                resolution = changes.get("resolution") or cat.RESOLUTION_DONE
                items.extend(change_items(store, rec, "resolution", None, resolution))
                f["resolution"] = resolution
                f["resolutiondate"] = now
            elif new_cat != "done" and f.get("resolution"):
                items.extend(change_items(store, rec, "resolution", f["resolution"], None))
                f["resolution"] = None
                f["resolutiondate"] = None
    if not items:
        return
    f["updated"] = now
    rec["histories"].append({"id": str(store.next_id("history")), "author": actor, "created": now, "items": items})
    # A parent change alters the old and new parent's sub-task lists too.
    store.touch(None if any(i["fieldId"] == "parent" for i in items) else rec["id"])


def _parse_fields(
    store: Store, fields: dict[str, Any], project: Record, rec: Record | None, screen: tuple[str, ...]
) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field_id, raw in fields.items():
        if field_id not in screen:
            errors[field_id] = cannot_set(field_id)
            continue
        try:
            values[field_id] = parse(store, field_id, raw, project, rec)
        except FieldError as err:
            errors[field_id] = str(err)
    return values, errors


def create(store: Store, body: Any, actor: str) -> Record:
    """Create an issue from a `POST /issue` body; raises JiraError(400) with per-field errors."""
    if not isinstance(body, dict) or not isinstance(body.get("fields", {}), dict):
        raise JiraError(400, "Issue body must be an object with 'fields'.")
    fields = dict(body.get("fields") or {})
    update = body.get("update") or {}
    errors: dict[str, str] = {}
    project_raw = fields.pop("project", None)
    ident = None
    if isinstance(project_raw, dict):
        ident = project_raw.get("id") or project_raw.get("key")
    project = store.find_project(str(ident)) if ident else None
    if project is None:
        raise JiraError(400, errors={"project": "Specify a valid project ID or key"})
    type_raw = fields.pop("issuetype", None)
    if type_raw is None:
        raise JiraError(400, errors={"issuetype": "Specify an issue type"})
    try:
        type_id = parse(store, "issuetype", type_raw, project, None)
    except FieldError as err:
        raise JiraError(400, errors={"issuetype": str(err)}) from err
    for field_id, ops in update.items():
        if field_id in fields:
            errors[field_id] = both_message(field_id)
        elif isinstance(ops, list) and ops and isinstance(ops[0], dict) and "set" in ops[0]:
            fields[field_id] = ops[0]["set"]
    values, parse_errors = _parse_fields(store, fields, project, None, CREATE_SCREEN)
    errors.update(parse_errors)
    if "summary" not in fields:
        errors["summary"] = "You must specify a summary of the issue."
    if fl.EPIC_LINK in values:
        values.setdefault("parent", values.pop(fl.EPIC_LINK))
    if not errors:
        problem = check_hierarchy(store, type_id, values.get("parent"))
        if problem:
            errors["parent"] = problem
    if errors:
        raise JiraError(400, errors=errors)
    now = store.now_text()
    number = store.next_id(f"project:{project['key']}")
    issue_id = str(store.next_id("issue"))
    sprint = values.pop(fl.SPRINT, None)
    rec: Record = {
        "id": issue_id,
        "key": f"{project['key']}-{number}",
        "projectId": project["id"],
        "f": {
            "summary": values["summary"],
            "issuetype": type_id,
            "status": cat.INITIAL_STATUS,
            "priority": values.get("priority", cat.DEFAULT_PRIORITY),
            "resolution": None,
            "resolutiondate": None,
            "assignee": values.get("assignee"),
            "reporter": values.get("reporter", actor),
            "creator": actor,
            "labels": values.get("labels", []),
            "created": now,
            "updated": now,
            "statuscategorychangedate": now,
            "parent": None,
            fl.SPRINT: [sprint] if sprint else [],
        },
        "histories": [],
        "comments": [],
        "worklogs": [],
    }
    for field_id, value in values.items():
        if field_id not in rec["f"]:
            rec["f"][field_id] = value
    parent = values.get("parent")
    store.add_issue(rec)
    if parent:
        store.set_parent(rec, parent)
    return rec


def both_message(field_id: str) -> str:
    return f"Field '{field_id}' cannot be set in both 'fields' and 'update'."


def edit(store: Store, rec: Record, body: Any, actor: str) -> None:
    """Apply a `PUT /issue` body (`fields` sets; `update` set/add/remove; comment add)."""
    if not isinstance(body, dict):
        raise JiraError(400, "Issue body must be an object with 'fields' or 'update'.")
    fields = body.get("fields") or {}
    update = body.get("update") or {}
    if not isinstance(fields, dict) or not isinstance(update, dict):
        raise JiraError(400, "'fields' and 'update' must be objects.")
    project = store.data["projects"][rec["projectId"]]
    errors = {fid: both_message(fid) for fid in update if fid in fields}
    values, parse_errors = _parse_fields(store, fields, project, rec, EDIT_SCREEN)
    errors.update(parse_errors)
    comments: list[dict[str, Any]] = []
    for field_id, ops in update.items():
        if field_id in errors:
            continue
        if field_id == "comment":
            comments.extend(_comment_ops(ops, errors))
            continue
        if field_id not in EDIT_SCREEN:
            errors[field_id] = cannot_set(field_id)
            continue
        try:
            values[field_id] = _run_ops(store, rec, project, field_id, ops)
        except FieldError as err:
            errors[field_id] = str(err)
    if "issuetype" in values and not errors:
        old_level = cat.ISSUE_TYPES[rec["f"]["issuetype"]]["hierarchyLevel"]
        if cat.ISSUE_TYPES[values["issuetype"]]["hierarchyLevel"] != old_level:
            errors["issuetype"] = "The issue type selected is invalid."
    parent_value = values.get("parent", values.get(fl.EPIC_LINK, rec["f"].get("parent")))
    if not errors and ("parent" in values or fl.EPIC_LINK in values):
        problem = check_hierarchy(store, values.get("issuetype", rec["f"]["issuetype"]), parent_value)
        if problem:
            errors["parent"] = problem
    if errors:
        raise JiraError(400, errors=errors)
    if fl.SPRINT in values:
        values[fl.SPRINT] = sprint_membership(store, rec, values[fl.SPRINT])
    apply(store, rec, values, actor)
    for body_doc in comments:
        add_comment(store, rec, body_doc, actor)


def _run_ops(store: Store, rec: Record, project: Record, field_id: str, ops: Any) -> Any:
    if not isinstance(ops, list):
        raise FieldError("Update operations must be a list.")
    kind = fl.BY_ID[field_id].kind
    current = rec["f"].get(field_id)
    multi = kind in ("labels", "components", "versions")
    value = list(current or []) if multi else current
    for op in ops:
        if not isinstance(op, dict) or len(op) != 1:
            raise FieldError("Each operation must be an object with one verb.")
        verb, raw = next(iter(op.items()))
        if verb == "set":
            value = parse(store, field_id, raw, project, rec)
        elif verb in ("add", "remove") and multi:
            item = parse(store, field_id, [raw], project, rec)[0]
            if verb == "add" and item not in value:
                value.append(item)
            elif verb == "remove" and item in value:
                value.remove(item)
        else:
            raise FieldError(f"Field '{field_id}' does not support operation '{verb}'")
    return value


def _comment_ops(ops: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    bodies = []
    for op in ops if isinstance(ops, list) else [None]:
        body = (op or {}).get("add", {}).get("body") if isinstance(op, dict) else None
        if not isinstance(body, dict) or validate_adf(body):
            errors["comment"] = NOT_ADF
            return []
        bodies.append(body)
    return bodies


def sprint_membership(store: Store, rec: Record, sprint_id: int | None) -> list[int]:
    """Closed sprints stay in the history of the Sprint field; the open one is replaced."""
    kept = [s for s in rec["f"].get(fl.SPRINT) or [] if store.data["sprints"].get(str(s), {}).get("state") == "closed"]
    return [*kept, sprint_id] if sprint_id is not None else kept


def add_comment(
    store: Store, rec: Record, body: dict[str, Any], actor: str, visibility: dict[str, Any] | None = None
) -> dict[str, Any]:
    now = store.now_text()
    item = {"id": str(store.next_id("comment")), "author": actor, "body": body, "created": now, "updated": now}
    if visibility:
        item["visibility"] = visibility
    rec["comments"].append(item)
    rec["f"]["updated"] = now
    store.touch(rec["id"])
    return item


def transitions_for(rec: Record) -> list[tuple[str, str, str]]:
    """(id, name, target status) of the transitions available from the issue's status."""
    status = rec["f"]["status"]
    return [(tid, name, to) for tid, (name, to, sources) in cat.TRANSITIONS.items() if status in sources]


def transition(store: Store, rec: Record, body: Any, actor: str) -> None:
    """`POST /issue/{key}/transitions`: move along the workflow, with optional fields and comment."""
    if not isinstance(body, dict) or not isinstance(body.get("transition"), dict):
        raise JiraError(400, "Missing 'transition' identifier")
    wanted = str(body["transition"].get("id", ""))
    match = next((t for t in transitions_for(rec) if t[0] == wanted), None)
    if match is None:
        raise JiraError(400, f"Transition id '{wanted}' is not valid for this issue.")
    fields = dict(body.get("fields") or {})
    errors: dict[str, str] = {}
    resolution = None
    if "resolution" in fields:
        raw = fields.pop("resolution")
        if cat.STATUSES[match[2]]["category"] != "done":
            errors["resolution"] = cannot_set("resolution")
        else:
            try:
                ident = (raw or {}).get("id") if isinstance(raw, dict) else None
                name = (raw or {}).get("name") if isinstance(raw, dict) else None
                resolution = ident if ident in cat.RESOLUTIONS else cat.find_by_name(cat.RESOLUTIONS, name or "")
                if resolution is None:
                    raise FieldError("The resolution selected is invalid.")
            except FieldError as err:
                errors["resolution"] = str(err)
    project = store.data["projects"][rec["projectId"]]
    values, parse_errors = _parse_fields(store, fields, project, rec, EDIT_SCREEN)
    errors.update(parse_errors)
    comments = _comment_ops((body.get("update") or {}).get("comment", []), errors)
    if errors:
        raise JiraError(400, errors=errors)
    changes: dict[str, Any] = {"status": match[2], **values}
    if resolution:
        changes["resolution"] = resolution
    apply(store, rec, changes, actor)
    for doc in comments:
        add_comment(store, rec, doc, actor)
