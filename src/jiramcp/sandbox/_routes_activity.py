"""Comments, worklogs, changelog and issue links."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jiramcp.adf import validate_adf
from jiramcp.sandbox import _catalog as cat
from jiramcp.sandbox import _mutate as mu
from jiramcp.sandbox import _render as rd
from jiramcp.sandbox._common import (
    ISSUE_NOT_FOUND,
    JiraError,
    jira_time,
    json_response,
    parse_jira_time,
    query_int,
    read_json,
)
from jiramcp.sandbox._http import actor, endpoint, expand_param, page
from jiramcp.sandbox._values import NOT_ADF

if TYPE_CHECKING:
    from jiramcp.sandbox._app import Sandbox

API = "/rest/api/3"
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhm])", re.IGNORECASE)
_UNIT_SECONDS = {"w": 5 * 8 * 3600, "d": 8 * 3600, "h": 3600, "m": 60}


@endpoint()
async def list_comments(request: Request, sb: Sandbox) -> Response:
    rec = sb.store.issue(request.path_params["key"])
    start_at = query_int(request, "startAt", 0)
    max_results = min(query_int(request, "maxResults", 100, minimum=0), 5000)
    order = request.query_params.get("orderBy", "created")
    comments = list(rec["comments"])
    if order.startswith("-"):
        comments.reverse()
    chunk, _ = page(comments, start_at, max_results)
    rendered = "renderedBody" in expand_param(request)
    return json_response(
        {
            "startAt": start_at,
            "maxResults": max_results,
            "total": len(comments),
            "comments": [rd.comment(sb.store, rec, c, rendered) for c in chunk],
        }
    )


@endpoint(write=True)
async def add_comment(request: Request, sb: Sandbox) -> Response:
    rec = sb.store.issue(request.path_params["key"])
    body = await read_json(request)
    doc = body.get("body") if isinstance(body, dict) else None
    if doc is None:
        raise JiraError(400, errors={"comment": "Comment body can not be empty!"})
    if not isinstance(doc, dict) or validate_adf(doc):
        raise JiraError(400, errors={"comment": NOT_ADF})
    visibility = body.get("visibility")
    item = mu.add_comment(sb.store, rec, doc, actor(request), visibility if isinstance(visibility, dict) else None)
    return json_response(rd.comment(sb.store, rec, item), 201)


def _seconds(body: dict[str, Any]) -> int:
    if body.get("timeSpentSeconds") is not None:
        value = body["timeSpentSeconds"]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise JiraError(400, errors={"timeLogged": "Time Spent must be a positive number."})
        return value
    text = body.get("timeSpent")
    if not isinstance(text, str) or not text.strip():
        raise JiraError(400, errors={"timeLogged": "You must indicate the time spent working."})
    parts = _DURATION.findall(text)
    if not parts or _DURATION.sub("", text).strip():
        raise JiraError(400, errors={"timeLogged": "Invalid time duration entered."})
    return int(sum(float(n) * _UNIT_SECONDS[u.lower()] for n, u in parts))


@endpoint(write=True)
async def add_worklog(request: Request, sb: Sandbox) -> Response:
    store = sb.store
    rec = store.issue(request.path_params["key"])
    body = await read_json(request)
    if not isinstance(body, dict):
        raise JiraError(400, "The worklog must be a JSON object.")
    seconds = _seconds(body)
    started = body.get("started")
    if started is None:
        started_text = store.now_text()
    else:
        try:
            started_text = jira_time(parse_jira_time(str(started)))
        except ValueError as exc:
            raise JiraError(400, errors={"started": "Invalid start date/time."}) from exc
    comment = body.get("comment")
    if comment is not None and (not isinstance(comment, dict) or validate_adf(comment)):
        raise JiraError(400, errors={"comment": NOT_ADF})
    item = {
        "id": str(store.next_id("worklog") + 10000),
        "author": actor(request),
        "started": started_text,
        "timeSpentSeconds": seconds,
        "created": store.now_text(),
    }
    if comment:
        item["comment"] = comment
    rec["worklogs"].append(item)
    rec["f"]["updated"] = item["created"]
    store.touch(rec["id"])
    return json_response(rd.worklog(store, rec, item), 201)


@endpoint()
async def list_worklogs(request: Request, sb: Sandbox) -> Response:
    rec = sb.store.issue(request.path_params["key"])
    start_at = query_int(request, "startAt", 0)
    max_results = min(query_int(request, "maxResults", 5000, minimum=1), 5000)
    chunk, _ = page(rec["worklogs"], start_at, max_results)
    return json_response(
        {
            "startAt": start_at,
            "maxResults": max_results,
            "total": len(rec["worklogs"]),
            "worklogs": [rd.worklog(sb.store, rec, w) for w in chunk],
        }
    )


@endpoint()
async def changelog(request: Request, sb: Sandbox) -> Response:
    rec = sb.store.issue(request.path_params["key"])
    start_at = query_int(request, "startAt", 0)
    max_results = min(query_int(request, "maxResults", 100, minimum=1), 100)
    chunk, is_last = page(rec["histories"], start_at, max_results)
    body: dict[str, Any] = {
        "self": str(request.url),
        "maxResults": max_results,
        "startAt": start_at,
        "total": len(rec["histories"]),
        "isLast": is_last,
        "values": [rd.history(sb.store, h) for h in chunk],
    }
    if not is_last:
        body["nextPage"] = str(request.url.include_query_params(startAt=start_at + max_results))
    return json_response(body)


@endpoint()
async def changelog_bulkfetch(request: Request, sb: Sandbox) -> Response:
    """`POST /changelog/bulkfetch`: histories of up to 1000 issues, oldest first, then by issue id."""
    body = await read_json(request)
    refs = body.get("issueIdsOrKeys") if isinstance(body, dict) else None
    if not isinstance(refs, list) or not 1 <= len(refs) <= 1000:
        raise JiraError(400, "issueIdsOrKeys must list between 1 and 1000 issue ids or keys.")
    field_ids = body.get("fieldIds") or []
    if not isinstance(field_ids, list) or len(field_ids) > 10:
        raise JiraError(400, "fieldIds may list at most 10 field ids.")
    max_results = body.get("maxResults", 1000)
    if not isinstance(max_results, int) or not 1 <= max_results <= 10_000:
        raise JiraError(400, "maxResults must be between 1 and 10000.")
    token = body.get("nextPageToken")
    try:
        offset = int(token) if token is not None else 0
    except (TypeError, ValueError):
        raise JiraError(400, "The nextPageToken is invalid.") from None
    # Missing or invisible issues are left out silently, as Jira does.
    records = {rec["id"]: rec for ref in refs if (rec := sb.store.find_issue(str(ref))) is not None}
    entries = []
    for issue_id, rec in records.items():
        for history in rec["histories"]:
            shown = rd.history(sb.store, history)
            if field_ids:
                shown = {**shown, "items": [i for i in shown["items"] if i.get("fieldId") in field_ids]}
                if not shown["items"]:
                    continue
            entries.append((shown["created"], int(issue_id), issue_id, shown))
    entries.sort(key=lambda entry: (parse_jira_time(entry[0]), entry[1]))
    chunk = entries[offset : offset + max_results]
    grouped: dict[str, list[dict[str, Any]]] = {}
    for _, _, issue_id, shown in chunk:
        grouped.setdefault(issue_id, []).append(shown)
    answer: dict[str, Any] = {
        "issueChangeLogs": [{"issueId": issue_id, "changeHistories": items} for issue_id, items in grouped.items()]
    }
    if offset + max_results < len(entries):
        answer["nextPageToken"] = str(offset + max_results)
    return json_response(answer)


@endpoint(write=True)
async def link_issues(request: Request, sb: Sandbox) -> Response:
    store = sb.store
    body = await read_json(request)
    if not isinstance(body, dict):
        raise JiraError(400, "The link must be a JSON object.")
    link_type = body.get("type") or {}
    type_id = str(link_type.get("id", "")) if isinstance(link_type, dict) else ""
    if type_id not in cat.LINK_TYPES:
        name = link_type.get("name", "") if isinstance(link_type, dict) else ""
        type_id = cat.find_by_name(cat.LINK_TYPES, str(name)) or ""
        if not type_id:
            raise JiraError(404, f"No issue link type with name '{name}' found.")
    ends = []
    for side in ("inwardIssue", "outwardIssue"):
        ref = body.get(side) or {}
        rec = store.find_issue(str(ref.get("key") or ref.get("id") or "")) if isinstance(ref, dict) else None
        if rec is None:
            raise JiraError(404, ISSUE_NOT_FOUND)
        ends.append(rec)
    store.data["links"].append(
        {"id": str(store.next_id("link") + 10000), "type": type_id, "inward": ends[0]["id"], "outward": ends[1]["id"]}
    )
    comment = body.get("comment")
    if isinstance(comment, dict) and isinstance(comment.get("body"), dict):
        mu.add_comment(store, ends[1], comment["body"], actor(request))
    store.touch()
    return Response(status_code=201)


ROUTES = [
    Route(f"{API}/issue/{{key}}/comment", list_comments, methods=["GET"]),
    Route(f"{API}/issue/{{key}}/comment", add_comment, methods=["POST"]),
    Route(f"{API}/issue/{{key}}/worklog", list_worklogs, methods=["GET"]),
    Route(f"{API}/issue/{{key}}/worklog", add_worklog, methods=["POST"]),
    Route(f"{API}/issue/{{key}}/changelog", changelog),
    Route(f"{API}/changelog/bulkfetch", changelog_bulkfetch, methods=["POST"]),
    Route(f"{API}/issueLink", link_issues, methods=["POST"]),
]
