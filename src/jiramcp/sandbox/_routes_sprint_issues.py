"""A sprint's issues: the current token-paged lists and the deprecated startAt-paged ones.

`GET /rest/software/1.0/sprint/{id}/issue` (and `.../board/{b}/sprint/{id}/issue`) page with
`nextPageToken`/`isLast` like `search/jql`; the deprecated `/rest/agile/1.0/...` twins page with
`startAt`/`maxResults`/`total`. Both answer the sprint's issues in rank order unless the caller's
`jql` (ANDed with the sprint, through the syntax tree) orders them otherwise, with every navigable
field unless `fields` narrows them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jiramcp.jql import And, Comparison, Field, Operator, Query, SortDirection, SortKey, Span, Value, render
from jiramcp.sandbox import _render as rd
from jiramcp.sandbox._common import JiraError, json_response, query_int
from jiramcp.sandbox._http import actor, endpoint
from jiramcp.sandbox._routes_search import MAX_RESULTS, MAX_WITH_FIELDS, _offset, _token, matching_ids, parse_jql

if TYPE_CHECKING:
    from jiramcp.sandbox._app import Sandbox

_NO_SPAN = Span(0, 0)
_BY_RANK = (SortKey(Field("Rank", _NO_SPAN), _NO_SPAN, SortDirection.ASC),)


def sprint_jql(sprint_id: int, jql: str | None) -> str:
    """`sprint = N AND (<caller's restriction>)`, ordered by the caller or else by rank."""
    scope = Comparison(Field("sprint", _NO_SPAN), Operator.EQ, Value(str(sprint_id), _NO_SPAN), _NO_SPAN)
    caller = parse_jql(jql) if jql and jql.strip() else Query(None, (), _NO_SPAN)
    where = scope if caller.where is None else And((scope, caller.where), _NO_SPAN)
    return render(Query(where, caller.order_by or _BY_RANK, _NO_SPAN))


def _sprint_id(request: Request, sb: Sandbox) -> int:
    raw = request.path_params["sprint_id"]
    if not raw.isdigit():
        raise JiraError(400, f"The sprint id '{raw}' is not a number.")
    sprint = sb.store.sprint(raw)
    board = request.path_params.get("board_id")
    if board is not None and str(sprint.get("originBoardId")) != board:
        sb.store.board(board)  # 404 for a board that does not exist
        raise JiraError(404, f"Sprint with id {raw} does not exist on board {board}.")
    return int(raw)


def _page(request: Request, sb: Sandbox, jql: str, offset: int, wanted: int) -> tuple[list[dict[str, Any]], int]:
    fields = request.query_params.getlist("fields")
    field_ids = rd.select_fields(rd.split_param(fields) if fields else ["*navigable"], default=())
    limit = min(wanted, MAX_WITH_FIELDS) if field_ids else wanted
    expand = rd.split_param(request.query_params.getlist("expand"))
    ids = matching_ids(sb, jql, actor(request))
    chunk = ids[offset : offset + limit]
    issues = [rd.issue_bean(sb.store, sb.store.data["issues"][i], field_ids, expand) for i in chunk]
    for issue in issues:
        issue.pop("names", None)
        issue.pop("schema", None)
    return issues, len(ids) if offset + limit >= len(ids) else offset + limit


@endpoint()
async def software_sprint_issues(request: Request, sb: Sandbox) -> Response:
    jql = sprint_jql(_sprint_id(request, sb), request.query_params.get("jql"))
    wanted = query_int(request, "maxResults", 50, minimum=0)
    if wanted > MAX_RESULTS:
        raise JiraError(400, f"The 'maxResults' parameter must be between 0 and {MAX_RESULTS}.")
    offset = _offset(jql, request.query_params.get("nextPageToken"))
    issues, end = _page(request, sb, jql, offset, wanted)
    body: dict[str, Any] = {"issues": issues}
    if end < len(matching_ids(sb, jql, actor(request))):
        body["nextPageToken"] = _token(jql, end)
    body["isLast"] = "nextPageToken" not in body
    return json_response(body)


@endpoint()
async def agile_sprint_issues(request: Request, sb: Sandbox) -> Response:
    jql = sprint_jql(_sprint_id(request, sb), request.query_params.get("jql"))
    start_at = query_int(request, "startAt", 0)
    wanted = min(query_int(request, "maxResults", 50, minimum=0), MAX_WITH_FIELDS)
    issues, _ = _page(request, sb, jql, start_at, wanted)
    total = len(matching_ids(sb, jql, actor(request)))
    return json_response(
        {"expand": "schema,names", "startAt": start_at, "maxResults": wanted, "total": total, "issues": issues}
    )


ROUTES = [
    Route("/rest/software/1.0/sprint/{sprint_id}/issue", software_sprint_issues),
    Route("/rest/software/1.0/board/{board_id}/sprint/{sprint_id}/issue", software_sprint_issues),
    Route("/rest/agile/1.0/sprint/{sprint_id}/issue", agile_sprint_issues, methods=["GET"]),
    Route("/rest/agile/1.0/board/{board_id}/sprint/{sprint_id}/issue", agile_sprint_issues),
]
