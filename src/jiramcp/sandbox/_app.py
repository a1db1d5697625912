"""The sandbox app: `create_app`, its state object, auth, and the two ways to run it.

Request path, outermost first:

    TrafficReport (`/_sandbox/traffic` only)  →  TrafficControl (rate limits, faults, request log)
    →  _Auth (401 in Jira's shape)  →  routes
"""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from jiramcp.sandbox import _catalog as cat
from jiramcp.sandbox import _fields as fl
from jiramcp.sandbox import _render as rd
from jiramcp.sandbox import (
    _routes_activity,
    _routes_agile,
    _routes_issues,
    _routes_meta,
    _routes_search,
    _routes_sprint_issues,
)
from jiramcp.sandbox._common import error_body, json_response
from jiramcp.sandbox._config import SandboxConfig
from jiramcp.sandbox._jql_context import EvalContext
from jiramcp.sandbox._persist import load_state, save_state
from jiramcp.sandbox._seed import generate
from jiramcp.sandbox._store import Store
from jiramcp.sandbox._traffic import RateLimitConfig, RequestLog, TrafficControl
from jiramcp.sandbox._traffic_report import TrafficReport

__all__ = ["Sandbox", "create_app", "in_process_transport", "serve"]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://sandbox.jiramcp.localhost"
UNAUTHENTICATED = "Client must be authenticated to access this resource."


class Sandbox:
    """What `app.state.sandbox` holds: the store, the config and the traffic log.

    Attributes:
        store: The state (issues, sprints, ...) and its lookups.
        config: The configuration the app was built with.
        log: The traffic middleware's request log and counters (`log.snapshot()`).
        writes: Writes applied since start-up.
    """

    def __init__(self, config: SandboxConfig, store: Store, log: RequestLog) -> None:
        self.config = config
        self.store = store
        self.log = log
        self.writes = 0
        self.search_cache: dict[tuple[str, str, int], list[str]] = {}

    def wrote(self) -> None:
        self.writes += 1
        if self.config.state_path is not None:
            save_state(self.store.data, self.config.state_path)

    def save(self) -> None:
        """Persist the state now (no-op without a state path)."""
        if self.config.state_path is not None:
            save_state(self.store.data, self.config.state_path)

    def eval_context(self, account_id: str) -> EvalContext:
        """What a JQL query's meaning depends on, for the user `account_id`."""
        store, base = self.store, self.store.base_url
        zone_name = (store.users.get(account_id) or {}).get("timeZone", "UTC")
        try:
            zone: Any = ZoneInfo(zone_name)
        except ZoneInfoNotFoundError:
            zone = UTC
        projects = [
            {
                "key": p["key"],
                "id": p["id"],
                "name": p["name"],
                "versions": [rd.version(store, v, p["id"]) for v in p["versions"]],
                "components": [rd.component(store, c) for c in p["components"]],
            }
            for p in store.data["projects"].values()
        ]
        return EvalContext(
            fields=fl.field_list(),
            current_account_id=account_id or None,
            now=store.now().astimezone(zone),
            users=[store.user_details(u) for u in store.users],
            groups={name: list(members) for name, members in cat.GROUPS.items()},
            sprints=[rd.sprint_bean(store, s) for s in store.data["sprints"].values()],
            projects=projects,
            statuses=[cat.status(base, s) for s in cat.STATUSES],
            priorities=[cat.priority(base, p) for p in cat.PRIORITIES],
            issue_types=[cat.issue_type(base, t) for t in cat.ISSUE_TYPES],
            resolutions=[cat.resolution(base, r) for r in cat.RESOLUTIONS],
        )


class _Auth:
    """Basic auth (any email + the token) or Bearer; a seeded user's email signs in as that user."""

    def __init__(self, app: Any, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            account = self._account(scope)
            if account is None:
                response = json_response(error_body([UNAUTHENTICATED]), 401)
                response.headers["WWW-Authenticate"] = 'Basic realm="jiramcp sandbox"'
                await response(scope, receive, send)
                return
            scope["sandbox.account_id"] = account
        await self.app(scope, receive, send)

    def _account(self, scope: dict[str, Any]) -> str | None:
        config, store = self.sandbox.config, self.sandbox.store
        default = cat.USERS[0][0]
        header = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"authorization"), "")
        scheme, _, credential = header.partition(" ")
        if scheme.lower() == "bearer":
            return default if credential.strip() == config.token else None
        if scheme.lower() == "basic":
            try:
                email, _, token = base64.b64decode(credential.strip()).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return None
            if token != config.token:
                return None
            user = store.user_by_email(email)
            return user["accountId"] if user else default
        return None if config.require_auth else default


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    message = "Null or unknown resource." if status == 404 else str(getattr(exc, "detail", exc))
    return json_response(error_body([message]), status)


def create_app(config: SandboxConfig | None = None) -> Starlette:
    """Build the sandbox: seeded (or loaded from `config.state_path`), with traffic control and auth."""
    config = config or SandboxConfig()
    data = load_state(config.state_path) if config.state_path is not None else None
    if data is None:
        anchor = config.anchor or (config.clock() if config.clock else datetime.now(UTC))
        data = generate(config.seed, config.issues, anchor)
    store = Store(data, config.base_url or DEFAULT_BASE_URL, clock=config.clock)
    log = RequestLog()
    sandbox = Sandbox(config, store, log)

    def canonical(ref: str) -> str:
        rec = store.find_issue(ref)
        return rec["id"] if rec else ref

    routes = [
        *_routes_meta.ROUTES,
        *_routes_search.ROUTES,
        *_routes_issues.ROUTES,
        *_routes_activity.ROUTES,
        *_routes_agile.ROUTES,
        *_routes_sprint_issues.ROUTES,
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(TrafficReport, log=log),  # outside TrafficControl: never limited or counted
            Middleware(
                TrafficControl,
                limits=config.limits or RateLimitConfig(),
                faults=config.faults,
                log=log,
                issue_canonical=canonical,
            ),
            Middleware(_Auth, sandbox=sandbox),
        ],
        exception_handlers={404: _http_error, 405: _http_error},
    )
    app.state.sandbox = sandbox
    if config.state_path is not None and not config.state_path.exists():
        sandbox.save()
    return app


def in_process_transport(app: Starlette) -> httpx.ASGITransport:
    """An httpx transport that calls the app directly (no sockets)."""
    return httpx.ASGITransport(app=app)


def serve(config: SandboxConfig | None = None, host: str = "127.0.0.1", port: int = 8080) -> None:
    """Serve the sandbox over HTTP with uvicorn until interrupted."""
    import uvicorn

    config = config or SandboxConfig()
    if config.base_url is None:
        config.base_url = f"http://{host}:{port}"
    app = create_app(config)
    logger.info("jiramcp sandbox on %s (%d issues)", config.base_url, len(app.state.sandbox.store.data["issues"]))
    uvicorn.run(app, host=host, port=port, log_level="warning")
