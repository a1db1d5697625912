"""Reference data and people: myself, serverInfo, field, priority, status, issue types, projects, users."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jiramcp import __version__
from jiramcp.sandbox import _catalog as cat
from jiramcp.sandbox import _fields as fl
from jiramcp.sandbox import _render as rd
from jiramcp.sandbox._common import JiraError, json_response, query_int
from jiramcp.sandbox._http import actor, endpoint, page

if TYPE_CHECKING:
    from jiramcp.sandbox._app import Sandbox
    from jiramcp.sandbox._store import Store

API = "/rest/api/3"


def full_user(store: Store, account_id: str) -> dict[str, Any]:
    user = store.user_details(account_id) or {}
    groups = store.groups_of(account_id)
    return {
        **user,
        "locale": "en_US",
        "groups": {"size": len(groups), "items": [{"name": g} for g in groups]},
        "applicationRoles": {"size": 1, "items": [{"key": "jira-software", "name": "Jira Software"}]},
        "expand": "groups,applicationRoles",
    }


@endpoint()
async def myself(request: Request, sb: Sandbox) -> Response:
    return json_response(full_user(sb.store, actor(request)))


@endpoint()
async def user_get(request: Request, sb: Sandbox) -> Response:
    account = request.query_params.get("accountId", "")
    if account not in sb.store.users:
        raise JiraError(404, f"Specified user does not exist or you do not have required permissions: {account}")
    return json_response(full_user(sb.store, account))


@endpoint()
async def server_info(request: Request, sb: Sandbox) -> Response:
    return json_response(
        {
            "baseUrl": sb.store.base_url,
            "displayUrl": sb.store.base_url,
            "version": "1001.0.0-SNAPSHOT",
            "versionNumbers": [1001, 0, 0],
            "deploymentType": "Cloud",
            "buildNumber": 100283,
            "buildDate": "2026-06-01T00:00:00.000+0000",
            "serverTime": sb.store.now_text(),
            "scmInfo": f"jiramcp-sandbox-{__version__}",
            "serverTitle": "jiramcp sandbox",
        }
    )


@endpoint()
async def fields(request: Request, sb: Sandbox) -> Response:
    return json_response(fl.field_list())


@endpoint()
async def priorities(request: Request, sb: Sandbox) -> Response:
    return json_response([cat.priority_details(sb.store.base_url, p) for p in cat.PRIORITIES])


@endpoint()
async def statuses(request: Request, sb: Sandbox) -> Response:
    return json_response([cat.status(sb.store.base_url, s) for s in cat.STATUSES])


@endpoint()
async def issue_types(request: Request, sb: Sandbox) -> Response:
    return json_response([cat.issue_type(sb.store.base_url, t) for t in cat.ISSUE_TYPES])


@endpoint()
async def resolutions(request: Request, sb: Sandbox) -> Response:
    return json_response([cat.resolution(sb.store.base_url, r) for r in cat.RESOLUTIONS])


@endpoint()
async def link_types(request: Request, sb: Sandbox) -> Response:
    return json_response({"issueLinkTypes": [cat.link_type(sb.store.base_url, t) for t in cat.LINK_TYPES]})


def project_full(store: Store, project: dict[str, Any]) -> dict[str, Any]:
    """A project as `GET /project/{key}` returns it."""
    return {
        "expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
        **rd.project_ref(store, project),
        "description": project.get("description", ""),
        "lead": store.user_details(project["lead"]),
        "components": [rd.component(store, c) for c in project["components"]],
        "issueTypes": [cat.issue_type(store.base_url, t) for t in cat.ISSUE_TYPES],
        "assigneeType": "UNASSIGNED",
        "versions": [rd.version(store, v, project["id"]) for v in project["versions"]],
        "roles": {},
        "style": "classic",
        "isPrivate": False,
        "properties": {},
    }


@endpoint()
async def project_search(request: Request, sb: Sandbox) -> Response:
    store = sb.store
    start_at = query_int(request, "startAt", 0)
    max_results = min(query_int(request, "maxResults", 50, minimum=1), 100)
    query = request.query_params.get("query", "").lower()
    keys = {k.upper() for k in request.query_params.getlist("keys")}
    projects = sorted(store.data["projects"].values(), key=lambda p: p["key"])
    if query:
        projects = [p for p in projects if query in p["key"].lower() or query in p["name"].lower()]
    if keys:
        projects = [p for p in projects if p["key"] in keys]
    if request.query_params.get("orderBy", "key").lstrip("+") == "name":
        projects.sort(key=lambda p: p["name"])
    chunk, is_last = page(projects, start_at, max_results)
    expand = request.query_params.get("expand", "")
    values = [
        project_full(store, p)
        if expand
        else {"expand": "description,lead,issueTypes,url,projectKeys", **rd.project_ref(store, p)}
        for p in chunk
    ]
    body: dict[str, Any] = {
        "self": str(request.url),
        "maxResults": max_results,
        "startAt": start_at,
        "total": len(projects),
        "isLast": is_last,
        "values": values,
    }
    if not is_last:
        body["nextPage"] = str(request.url.include_query_params(startAt=start_at + max_results))
    return json_response(body)


@endpoint()
async def project_get(request: Request, sb: Sandbox) -> Response:
    project = sb.store.project(request.path_params["key"])
    return json_response(project_full(sb.store, project))


@endpoint()
async def user_search(request: Request, sb: Sandbox) -> Response:
    query = request.query_params.get("query", "").strip().lower()
    account = request.query_params.get("accountId")
    if not query and not account:
        raise JiraError(400, "One of 'query', 'accountId' or 'property' query parameters must be provided.")
    start_at = query_int(request, "startAt", 0)
    max_results = min(query_int(request, "maxResults", 50, minimum=1), 1000)
    users = list(sb.store.users.values())
    if account:
        users = [u for u in users if u["accountId"] == account]
    if query:
        # Jira matches the start of any word of the display name, or the email address.
        users = [
            u
            for u in users
            if u["emailAddress"].startswith(query)
            or any(w.lower().startswith(query) for w in u["displayName"].split())
            or u["displayName"].lower().startswith(query)
        ]
    chunk, _ = page(users, start_at, max_results)
    return json_response([sb.store.user_details(u["accountId"]) for u in chunk])


ROUTES = [
    Route(f"{API}/myself", myself),
    Route(f"{API}/user", user_get),
    Route(f"{API}/serverInfo", server_info),
    # Jira Cloud still serves REST v2 beside v3; clients probe the deployment through v2's
    # serverInfo because Server/Data Center answers only there.
    Route("/rest/api/2/serverInfo", server_info),
    Route(f"{API}/field", fields),
    Route(f"{API}/priority", priorities),
    Route(f"{API}/status", statuses),
    Route(f"{API}/issuetype", issue_types),
    Route(f"{API}/resolution", resolutions),
    Route(f"{API}/issueLinkType", link_types),
    Route(f"{API}/project/search", project_search),
    Route(f"{API}/project/{{key}}", project_get),
    Route(f"{API}/user/search", user_search),
]
