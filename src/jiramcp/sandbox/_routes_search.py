"""Search: `search/jql` (token-paged, no total), approximate count, bulk fetch, JQL parse, the removed search.

Pages come from one ordered list of issue ids per (query, user, store generation), cached, so
paging through a big result evaluates the query once. The `nextPageToken` is opaque to clients
(base64 of the offset and a hash of the query); a token from another query is refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jiramcp.jql import JQLSyntaxError, Query, parse
from jiramcp.sandbox import _fields as fl
from jiramcp.sandbox import _render as rd
from jiramcp.sandbox._common import JiraError, error_body, json_response, read_json
from jiramcp.sandbox._http import actor, endpoint
from jiramcp.sandbox._jql_eval import JqlEvaluationError, JqlValueError, compile_query
from jiramcp.sandbox._jql_structure import structure

if TYPE_CHECKING:
    from jiramcp.sandbox._app import Sandbox

API = "/rest/api/3"
UNBOUNDED = "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
REMOVED = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
    "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
)
MAX_RESULTS = 5000
# Jira returns fewer issues per page when many fields are asked for.
MAX_WITH_FIELDS = 100


def syntax_message(jql: str, err: JQLSyntaxError) -> str:
    before = jql[: err.span.start]
    line = before.count("\n") + 1
    column = err.span.start - (before.rfind("\n") + 1) + 1
    return f"Error in the JQL Query: {err.message} (line {line}, character {column})"


def parse_jql(jql: str) -> Query:
    try:
        return parse(jql)
    except JQLSyntaxError as err:
        raise JiraError(400, syntax_message(jql, err)) from err


def matching_ids(sb: Sandbox, jql: str, account: str) -> list[str]:
    """Ids of the issues `jql` matches, in its order; unbounded and invalid queries are 400s."""
    key = (jql, account, sb.store.generation)
    cached = sb.search_cache.get(key)
    if cached is not None:
        return cached
    query = parse_jql(jql)
    if query.where is None:
        raise JiraError(400, UNBOUNDED)
    shapes = [rd.search_shape(sb.store, rec) for rec in sb.store.issues_in_order()]
    try:
        compiled = compile_query(query, shapes, sb.eval_context(account))
        found = compiled.sort([s for s in shapes if compiled.matches(s)])
    except JqlEvaluationError as err:
        raise JiraError(400, str(err)) from err
    ids = [str(issue["id"]) for issue in found]
    if len(sb.search_cache) > 32:
        sb.search_cache.clear()
    sb.search_cache[key] = ids
    return ids


def _token(jql: str, offset: int) -> str:
    digest = hashlib.sha256(jql.encode()).hexdigest()[:12]
    raw = json.dumps({"o": offset, "q": digest}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _offset(jql: str, token: str | None) -> int:
    if not token:
        return 0
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if raw["q"] == hashlib.sha256(jql.encode()).hexdigest()[:12]:
            return int(raw["o"])
    except (ValueError, KeyError, TypeError):
        pass
    raise JiraError(400, "The provided next page token is invalid or expired.")


def _list(value: Any) -> list[str]:
    try:
        return rd.split_param(value)
    except JiraError:
        raise JiraError(400, "Invalid request payload: expected a list of strings.") from None


async def _search(request: Request, sb: Sandbox, params: dict[str, Any]) -> Response:
    jql = str(params.get("jql") or "")
    raw_max = params.get("maxResults", 50)
    try:
        max_results = int(raw_max)
    except (TypeError, ValueError):
        raise JiraError(400, "The 'maxResults' parameter must be an integer.") from None
    if max_results > MAX_RESULTS or max_results < 0:
        raise JiraError(400, f"The 'maxResults' parameter must be between 0 and {MAX_RESULTS}.")
    field_spec = _list(params.get("fields"))
    field_ids = rd.select_fields(field_spec, default=()) if field_spec and field_spec != ["id"] else []
    if field_ids:
        max_results = min(max_results, MAX_WITH_FIELDS)
    expand = _list(params.get("expand"))
    ids = matching_ids(sb, jql, actor(request))
    offset = _offset(jql, params.get("nextPageToken"))
    chunk = ids[offset : offset + max_results]
    issues = [rd.issue_bean(sb.store, sb.store.data["issues"][i], field_ids, expand) for i in chunk]
    for issue in issues:
        issue.pop("names", None)
        issue.pop("schema", None)
    body: dict[str, Any] = {"issues": issues}
    if offset + max_results < len(ids):
        body["nextPageToken"] = _token(jql, offset + max_results)
    body["isLast"] = "nextPageToken" not in body
    if "names" in expand:
        body["names"] = {f: fl.BY_ID[f].name for f in field_ids}
    if "schema" in expand:
        body["schema"] = {f: fl.BY_ID[f].schema for f in field_ids if fl.BY_ID[f].schema}
    return json_response(body)


@endpoint()
async def search_get(request: Request, sb: Sandbox) -> Response:
    q = request.query_params
    params: dict[str, Any] = {k: q.get(k) for k in ("jql", "nextPageToken", "expand") if q.get(k) is not None}
    if q.get("maxResults") is not None:
        params["maxResults"] = q.get("maxResults")
    if q.getlist("fields"):
        params["fields"] = q.getlist("fields")
    return await _search(request, sb, params)


@endpoint()
async def search_post(request: Request, sb: Sandbox) -> Response:
    body = await read_json(request)
    if not isinstance(body, dict):
        raise JiraError(400, "The request body must be a JSON object.")
    return await _search(request, sb, body)


@endpoint()
async def approximate_count(request: Request, sb: Sandbox) -> Response:
    body = await read_json(request)
    jql = body.get("jql") if isinstance(body, dict) else None
    if not isinstance(jql, str):
        raise JiraError(400, "The 'jql' field is required.")
    return json_response({"count": len(matching_ids(sb, jql, actor(request)))})


@endpoint()
async def bulk_fetch(request: Request, sb: Sandbox) -> Response:
    body = await read_json(request)
    refs = body.get("issueIdsOrKeys") if isinstance(body, dict) else None
    if not isinstance(refs, list) or not refs:
        raise JiraError(400, "The 'issueIdsOrKeys' list is required and must not be empty.")
    if len(refs) > 100:
        raise JiraError(400, "The number of issues to fetch must not exceed 100.")
    field_ids = rd.select_fields(_list(body.get("fields")) or ["*navigable"])
    expand = _list(body.get("expand"))
    found = {rec["id"]: rec for ref in refs if (rec := sb.store.find_issue(str(ref))) is not None}
    issues = [rd.issue_bean(sb.store, found[i], field_ids, expand) for i in sorted(found, key=int)]
    return json_response({"issues": issues, "issueErrors": []})


@endpoint()
async def jql_parse(request: Request, sb: Sandbox) -> Response:
    body = await read_json(request)
    queries = body.get("queries") if isinstance(body, dict) else None
    if not isinstance(queries, list) or not all(isinstance(q, str) for q in queries):
        raise JiraError(400, "The 'queries' list of strings is required.")
    validation = request.query_params.get("validation", "strict")
    out = []
    shapes = [rd.search_shape(sb.store, rec) for rec in sb.store.issues_in_order()]
    for text in queries:
        entry: dict[str, Any] = {"query": text}
        try:
            query = parse(text)
        except JQLSyntaxError as err:
            entry["errors"] = [syntax_message(text, err)]
            out.append(entry)
            continue
        entry["structure"] = structure(query)
        if validation != "none":
            try:
                compile_query(query, shapes, sb.eval_context(actor(request)))
            except JqlValueError as err:
                entry["errors" if validation == "strict" else "warnings"] = [str(err)]
            except JqlEvaluationError:
                pass  # valid JQL the sandbox cannot run; parse only validates
        out.append(entry)
    return json_response({"queries": out})


async def removed(request: Request) -> Response:
    return json_response(error_body([REMOVED]), 410)


ROUTES = [
    Route(f"{API}/search/jql", search_get, methods=["GET"]),
    Route(f"{API}/search/jql", search_post, methods=["POST"]),
    Route(f"{API}/search/approximate-count", approximate_count, methods=["POST"]),
    Route(f"{API}/issue/bulkfetch", bulk_fetch, methods=["POST"]),
    Route(f"{API}/jql/parse", jql_parse, methods=["POST"]),
    Route(f"{API}/search", removed, methods=["GET", "POST"]),
    Route("/rest/api/2/search", removed, methods=["GET", "POST"]),
]
