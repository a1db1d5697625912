"""Agile 1.0: boards, sprints (with Jira's state rules), moves to sprint and backlog, rank.

Sprint membership lives in each issue's Sprint field (`customfield_10020`), so the field, JQL
(`sprint = 5`, `openSprints()`) and these endpoints can never disagree. Moves write the Sprint
change into the issue's changelog, as Jira does; rank changes write "Ranked higher/lower".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jiramcp.sandbox import _catalog as cat
from jiramcp.sandbox import _fields as fl
from jiramcp.sandbox import _mutate as mu
from jiramcp.sandbox import _render as rd
from jiramcp.sandbox._common import ISSUE_NOT_FOUND, JiraError, json_response, query_int, read_json
from jiramcp.sandbox._http import actor, endpoint, no_content, page
from jiramcp.sandbox._sprints import create_sprint, update_sprint

if TYPE_CHECKING:
    from jiramcp.sandbox._app import Sandbox
    from jiramcp.sandbox._store import Record, Store

AGILE = "/rest/agile/1.0"
MOVE_LIMIT = 50
_STATE_ORDER = {"closed": 0, "active": 1, "future": 2}


def board_bean(store: Store, board: Record) -> dict[str, Any]:
    project = store.data["projects"][board["projectId"]]
    return {
        "id": board["id"],
        "self": f"{store.base_url}{AGILE}/board/{board['id']}",
        "name": board["name"],
        "type": board["type"],
        "location": {
            "projectId": int(project["id"]),
            "displayName": f"{project['name']} ({project['key']})",
            "projectName": project["name"],
            "projectKey": project["key"],
            "projectTypeKey": "software",
            "name": f"{project['name']} ({project['key']})",
            "avatarURI": f"{store.base_url}/secure/projectavatar?size=small&pid={project['id']}",
        },
    }


@endpoint()
async def boards(request: Request, sb: Sandbox) -> Response:
    store = sb.store
    start_at = query_int(request, "startAt", 0)
    max_results = min(query_int(request, "maxResults", 50, minimum=1), 50)
    q = request.query_params
    found = sorted(store.data["boards"].values(), key=lambda b: b["id"])
    if q.get("type"):
        found = [b for b in found if b["type"] in q["type"].split(",")]
    if q.get("name"):
        found = [b for b in found if q["name"].lower() in b["name"].lower()]
    if q.get("projectKeyOrId"):
        project = store.find_project(q["projectKeyOrId"])
        found = [b for b in found if project and b["projectId"] == project["id"]]
    chunk, is_last = page(found, start_at, max_results)
    return json_response(
        {
            "maxResults": max_results,
            "startAt": start_at,
            "total": len(found),
            "isLast": is_last,
            "values": [board_bean(store, b) for b in chunk],
        }
    )


@endpoint()
async def board_get(request: Request, sb: Sandbox) -> Response:
    return json_response(board_bean(sb.store, sb.store.board(request.path_params["board_id"])))


@endpoint()
async def board_configuration(request: Request, sb: Sandbox) -> Response:
    store = sb.store
    board = store.board(request.path_params["board_id"])
    project = store.data["projects"][board["projectId"]]
    columns = [
        {"name": cat.STATUSES[s]["name"], "statuses": [{"id": s, "self": f"{store.base_url}/rest/api/3/status/{s}"}]}
        for s in cat.STATUSES
    ]
    config: dict[str, Any] = {
        "id": board["id"],
        "name": board["name"],
        "type": board["type"],
        "self": f"{store.base_url}{AGILE}/board/{board['id']}/configuration",
        # The getConfiguration schema allows only these two (its example shows more).
        "location": {"type": "project", "projectKeyOrId": project["key"]},
        "filter": {"id": str(10000 + board["id"]), "self": f"{store.base_url}/rest/api/3/filter/{10000 + board['id']}"},
        "columnConfig": {"columns": columns, "constraintType": "none"},
        "ranking": {"rankCustomFieldId": 10019},
    }
    if board["type"] == "scrum":
        config["estimation"] = {"type": "field", "field": {"fieldId": fl.STORY_POINTS, "displayName": "Story Points"}}
    else:
        config["subQuery"] = {"query": "fixVersion in unreleasedVersions() OR fixVersion is EMPTY"}
    return json_response(config)


@endpoint()
async def board_sprints(request: Request, sb: Sandbox) -> Response:
    store = sb.store
    board = store.board(request.path_params["board_id"])
    if board["type"] != "scrum":
        raise JiraError(400, "The board does not support sprints")
    states = [s.strip() for s in request.query_params.get("state", "").split(",") if s.strip()]
    found = [
        s
        for s in store.data["sprints"].values()
        if s["originBoardId"] == board["id"] and (not states or s["state"] in states)
    ]
    found.sort(key=lambda s: (_STATE_ORDER[s["state"]], s["id"]))
    start_at = query_int(request, "startAt", 0)
    max_results = min(query_int(request, "maxResults", 50, minimum=1), 50)
    chunk, is_last = page(found, start_at, max_results)
    return json_response(
        {
            "maxResults": max_results,
            "startAt": start_at,
            "isLast": is_last,
            "values": [rd.sprint_bean(store, s) for s in chunk],
        }
    )


@endpoint(write=True)
async def sprint_create(request: Request, sb: Sandbox) -> Response:
    sprint = create_sprint(sb.store, await read_json(request))
    return json_response(rd.sprint_bean(sb.store, sprint), 201)


@endpoint()
async def sprint_get(request: Request, sb: Sandbox) -> Response:
    return json_response(rd.sprint_bean(sb.store, sb.store.sprint(request.path_params["sprint_id"])))


@endpoint(write=True)
async def sprint_partial(request: Request, sb: Sandbox) -> Response:
    sprint = sb.store.sprint(request.path_params["sprint_id"])
    update_sprint(sb.store, sprint, await read_json(request), full=False)
    return json_response(rd.sprint_bean(sb.store, sprint))


@endpoint(write=True)
async def sprint_full(request: Request, sb: Sandbox) -> Response:
    sprint = sb.store.sprint(request.path_params["sprint_id"])
    update_sprint(sb.store, sprint, await read_json(request), full=True)
    return json_response(rd.sprint_bean(sb.store, sprint))


@endpoint(write=True)
async def sprint_delete(request: Request, sb: Sandbox) -> Response:
    store = sb.store
    sprint = store.sprint(request.path_params["sprint_id"])
    for rec in store.data["issues"].values():
        members = rec["f"].get(fl.SPRINT) or []
        if sprint["id"] in members:  # open issues go back to the backlog
            rec["f"][fl.SPRINT] = [s for s in members if s != sprint["id"]]
    del store.data["sprints"][str(sprint["id"])]
    store.touch()
    return no_content()


def _issues_to_move(store: Store, body: Any) -> list[Record]:
    refs = body.get("issues") if isinstance(body, dict) else None
    if not isinstance(refs, list) or not refs:
        raise JiraError(400, "The 'issues' list is required and must not be empty.")
    if len(refs) > MOVE_LIMIT:
        raise JiraError(
            400, f"The number of issues to move ({len(refs)}) exceeds the limit of {MOVE_LIMIT}. Split the request."
        )
    recs = []
    for ref in refs:
        rec = store.find_issue(str(ref))
        if rec is None:
            raise JiraError(400, f"{ISSUE_NOT_FOUND} ({ref})")
        if rec["f"]["issuetype"] == cat.SUBTASK:
            raise JiraError(400, f"Sub-task {rec['key']} cannot be moved independently of its parent.")
        recs.append(rec)
    return recs


def _move(store: Store, recs: list[Record], sprint_id: int | None, account: str) -> None:
    for rec in recs:
        kids = [
            store.data["issues"][i]
            for i in store.children.get(rec["id"], [])
            if store.data["issues"][i]["f"]["issuetype"] == cat.SUBTASK
        ]
        for target in (rec, *kids):
            mu.apply(store, target, {fl.SPRINT: mu.sprint_membership(store, target, sprint_id)}, account)


@endpoint(write=True)
async def sprint_move(request: Request, sb: Sandbox) -> Response:
    store = sb.store
    sprint = store.sprint(request.path_params["sprint_id"])
    body = await read_json(request)
    recs = _issues_to_move(store, body)
    if sprint["state"] == "closed":
        raise JiraError(400, "Issues can only be moved to an active or future sprint.")
    _move(store, recs, sprint["id"], actor(request))
    if isinstance(body, dict) and (body.get("rankBeforeIssue") or body.get("rankAfterIssue")):
        _rank(store, recs, body, actor(request))
    return no_content()


@endpoint(write=True)
async def backlog_move(request: Request, sb: Sandbox) -> Response:
    recs = _issues_to_move(sb.store, await read_json(request))
    _move(sb.store, recs, None, actor(request))
    return no_content()


def _rank(store: Store, recs: list[Record], body: dict[str, Any], account: str) -> None:
    before, after = body.get("rankBeforeIssue"), body.get("rankAfterIssue")
    anchor = store.find_issue(str(before or after))
    if anchor is None:
        raise JiraError(400, f"{ISSUE_NOT_FOUND} ({before or after})")
    order = store.data["rank"]
    old_positions = {rec["id"]: store.rank_position(rec["id"]) for rec in recs}
    moving = {rec["id"] for rec in recs} - {anchor["id"]}
    rest = [i for i in order if i not in moving]
    at = rest.index(anchor["id"]) + (0 if before else 1)
    rest[at:at] = [rec["id"] for rec in recs if rec["id"] in moving]
    store.data["rank"] = rest
    store.touch()
    now = store.now_text()
    for rec in recs:
        if rec["id"] not in moving:
            continue
        higher = store.rank_position(rec["id"]) < old_positions[rec["id"]]
        rec["histories"].append(
            {
                "id": str(store.next_id("history")),
                "author": account,
                "created": now,
                "items": [
                    {
                        "field": "Rank",
                        "fieldtype": "custom",
                        "fieldId": fl.RANK,
                        "from": "",
                        "fromString": "",
                        "to": "",
                        "toString": "Ranked higher" if higher else "Ranked lower",
                    }
                ],
            }
        )
    store.touch()


@endpoint(write=True)
async def rank(request: Request, sb: Sandbox) -> Response:
    store = sb.store
    body = await read_json(request)
    refs = body.get("issues") if isinstance(body, dict) else None
    if not isinstance(refs, list) or not refs:
        raise JiraError(400, "The 'issues' list is required and must not be empty.")
    if len(refs) > MOVE_LIMIT:
        raise JiraError(400, f"The number of issues to rank ({len(refs)}) exceeds the limit of {MOVE_LIMIT}.")
    if not (body.get("rankBeforeIssue") or body.get("rankAfterIssue")):
        raise JiraError(400, "One of 'rankBeforeIssue' or 'rankAfterIssue' is required.")
    found = [(ref, store.find_issue(str(ref))) for ref in refs]
    recs = [rec for _, rec in found if rec is not None]
    if recs:
        _rank(store, recs, body, actor(request))
    if len(recs) == len(refs):
        return no_content()
    entries = [
        {"issueId": int(rec["id"]), "issueKey": rec["key"], "status": 200}
        if rec
        else {"issueKey": str(ref), "status": 404, "errors": [ISSUE_NOT_FOUND]}
        for ref, rec in found
    ]
    return json_response({"entries": entries}, 207)


ROUTES = [
    Route(f"{AGILE}/board", boards),
    Route(f"{AGILE}/board/{{board_id:int}}", board_get),
    Route(f"{AGILE}/board/{{board_id:int}}/configuration", board_configuration),
    Route(f"{AGILE}/board/{{board_id:int}}/sprint", board_sprints),
    Route(f"{AGILE}/sprint", sprint_create, methods=["POST"]),
    Route(f"{AGILE}/sprint/{{sprint_id:int}}", sprint_get, methods=["GET"]),
    Route(f"{AGILE}/sprint/{{sprint_id:int}}", sprint_partial, methods=["POST"]),
    Route(f"{AGILE}/sprint/{{sprint_id:int}}", sprint_full, methods=["PUT"]),
    Route(f"{AGILE}/sprint/{{sprint_id:int}}", sprint_delete, methods=["DELETE"]),
    Route(f"{AGILE}/sprint/{{sprint_id:int}}/issue", sprint_move, methods=["POST"]),
    Route(f"{AGILE}/backlog/issue", backlog_move, methods=["POST"]),
    Route(f"{AGILE}/issue/rank", rank, methods=["PUT"]),
]
