"""Issues: get, create (single and bulk), edit, delete, transitions, createmeta, editmeta."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jiramcp.sandbox import _catalog as cat
from jiramcp.sandbox import _fieldmeta as meta
from jiramcp.sandbox import _mutate as mu
from jiramcp.sandbox import _render as rd
from jiramcp.sandbox._common import JiraError, error_body, json_response, query_int, read_json
from jiramcp.sandbox._http import actor, endpoint, expand_param, fields_param, no_content, page

if TYPE_CHECKING:
    from jiramcp.sandbox._app import Sandbox
    from jiramcp.sandbox._store import Record, Store

API = "/rest/api/3"
BULK_LIMIT = 50


def transitions_body(store: Store, rec: Record, with_fields: bool, only: str | None = None) -> dict[str, Any]:
    out = []
    for tid, name, target in mu.transitions_for(rec):
        if only and tid != only:
            continue
        entry: dict[str, Any] = {
            "id": tid,
            "name": name,
            "to": cat.status(store.base_url, target),
            "hasScreen": cat.STATUSES[target]["category"] == "done",
            "isGlobal": False,
            "isInitial": False,
            "isAvailable": True,
            "isConditional": False,
            "isLooped": False,
        }
        if with_fields:
            entry["fields"] = meta.transition_fields(store, rec, target)
        out.append(entry)
    return {"expand": "transitions", "transitions": out}


def bean(store: Store, rec: Record, fields: list[str], expand: list[str]) -> dict[str, Any]:
    out = rd.issue_bean(store, rec, rd.select_fields(fields), expand)
    if "transitions" in expand:
        out["transitions"] = transitions_body(store, rec, False)["transitions"]
    if "editmeta" in expand:
        out["editmeta"] = {"fields": meta.edit_fields(store, rec)}
    return out


@endpoint()
async def get_issue(request: Request, sb: Sandbox) -> Response:
    rec = sb.store.issue(request.path_params["key"])
    return json_response(bean(sb.store, rec, fields_param(request), expand_param(request)))


def created_ref(store: Store, rec: Record) -> dict[str, Any]:
    return {"id": rec["id"], "key": rec["key"], "self": rd.issue_link(store, rec)}


@endpoint(write=True)
async def create_issue(request: Request, sb: Sandbox) -> Response:
    rec = mu.create(sb.store, await read_json(request), actor(request))
    return json_response(created_ref(sb.store, rec), 201)


@endpoint(write=True)
async def create_bulk(request: Request, sb: Sandbox) -> Response:
    body = await read_json(request)
    updates = body.get("issueUpdates") if isinstance(body, dict) else None
    if not isinstance(updates, list):
        raise JiraError(400, "The request must contain 'issueUpdates', a list of issues to create.")
    if len(updates) > BULK_LIMIT:
        raise JiraError(400, f"The number of issues to create ({len(updates)}) exceeds the limit of {BULK_LIMIT}.")
    created, errors = [], []
    for number, update in enumerate(updates):
        try:
            created.append(created_ref(sb.store, mu.create(sb.store, update, actor(request))))
        except JiraError as err:
            errors.append(
                {
                    "status": err.status,
                    "failedElementNumber": number,
                    "elementErrors": error_body(err.messages, err.errors),
                }
            )
    return json_response({"issues": created, "errors": errors}, 201 if created else 400)


@endpoint(write=True)
async def edit_issue(request: Request, sb: Sandbox) -> Response:
    rec = sb.store.issue(request.path_params["key"])
    mu.edit(sb.store, rec, await read_json(request), actor(request))
    if request.query_params.get("returnIssue", "").lower() == "true":
        return json_response(bean(sb.store, rec, fields_param(request), expand_param(request)))
    return no_content()


@endpoint(write=True)
async def delete_issue(request: Request, sb: Sandbox) -> Response:
    store = sb.store
    rec = store.issue(request.path_params["key"])
    kids = [store.data["issues"][i] for i in store.children.get(rec["id"], [])]
    subtasks = [k for k in kids if k["f"]["issuetype"] == cat.SUBTASK]
    if subtasks and request.query_params.get("deleteSubtasks", "").lower() != "true":
        raise JiraError(
            400, f"The issue '{rec['key']}' has subtasks. Set deleteSubtasks=true to delete the issue and its subtasks."
        )
    for kid in kids:
        if kid in subtasks:
            store.remove_issue(kid)
        else:  # an epic's children stay, without a parent
            store.set_parent(kid, None)
    store.remove_issue(rec)
    return no_content()


@endpoint()
async def get_transitions(request: Request, sb: Sandbox) -> Response:
    rec = sb.store.issue(request.path_params["key"])
    with_fields = "transitions.fields" in expand_param(request)
    return json_response(transitions_body(sb.store, rec, with_fields, request.query_params.get("transitionId")))


@endpoint(write=True)
async def do_transition(request: Request, sb: Sandbox) -> Response:
    rec = sb.store.issue(request.path_params["key"])
    mu.transition(sb.store, rec, await read_json(request), actor(request))
    return no_content()


@endpoint()
async def edit_meta(request: Request, sb: Sandbox) -> Response:
    rec = sb.store.issue(request.path_params["key"])
    return json_response({"fields": meta.edit_fields(sb.store, rec)})


def _paging(request: Request) -> tuple[int, int]:
    return query_int(request, "startAt", 0), min(query_int(request, "maxResults", 50, minimum=1), 200)


@endpoint()
async def createmeta_types(request: Request, sb: Sandbox) -> Response:
    sb.store.project(request.path_params["project"])
    start_at, max_results = _paging(request)
    types = [cat.issue_type(sb.store.base_url, t) for t in cat.ISSUE_TYPES]
    chunk, _ = page(types, start_at, max_results)
    return json_response({"maxResults": max_results, "startAt": start_at, "total": len(types), "issueTypes": chunk})


@endpoint()
async def createmeta_fields(request: Request, sb: Sandbox) -> Response:
    project = sb.store.project(request.path_params["project"])
    type_id = request.path_params["type_id"]
    if type_id not in cat.ISSUE_TYPES:
        raise JiraError(400, "The issue type ID is invalid or not found in the project.")
    start_at, max_results = _paging(request)
    fields = meta.create_fields(sb.store, project, type_id)
    chunk, _ = page(fields, start_at, max_results)
    return json_response({"maxResults": max_results, "startAt": start_at, "total": len(fields), "fields": chunk})


ROUTES = [
    Route(f"{API}/issue", create_issue, methods=["POST"]),
    Route(f"{API}/issue/bulk", create_bulk, methods=["POST"]),
    Route(f"{API}/issue/createmeta/{{project}}/issuetypes", createmeta_types),
    Route(f"{API}/issue/createmeta/{{project}}/issuetypes/{{type_id}}", createmeta_fields),
    Route(f"{API}/issue/{{key}}", get_issue, methods=["GET"]),
    Route(f"{API}/issue/{{key}}", edit_issue, methods=["PUT"]),
    Route(f"{API}/issue/{{key}}", delete_issue, methods=["DELETE"]),
    Route(f"{API}/issue/{{key}}/transitions", get_transitions, methods=["GET"]),
    Route(f"{API}/issue/{{key}}/transitions", do_transition, methods=["POST"]),
    Route(f"{API}/issue/{{key}}/editmeta", edit_meta),
]
