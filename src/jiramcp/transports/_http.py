"""Streamable HTTP: the app (`build_http_app`) and the server that drains before it stops.

Layers, outermost first: `HttpGate` (bearer token, header checks, draining, `/healthz`) → the
SDK's Streamable HTTP endpoint (Host/Origin validation from `HttpConfig`) → the MCP server, with
`RequestScope` scoping each tool call to its caller's policy and credentials.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

import httpx
import uvicorn
from mcp.server import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette

from jiramcp.jira import JiraClient
from jiramcp.settings import Settings
from jiramcp.transports._config import HttpConfig
from jiramcp.transports._credentials import ClientPool, Credentials
from jiramcp.transports._gate import HttpGate
from jiramcp.transports._scope import RequestScope

__all__ = ["DrainingServer", "HttpApp", "build_http_app", "run_http"]

logger = logging.getLogger(__name__)

MCP_PATH = "/mcp"


@dataclass(frozen=True, slots=True)
class HttpApp:
    """The ASGI app to serve, with handles on its gate (draining) and client pool (tests, health)."""

    app: HttpGate
    gate: HttpGate
    pool: ClientPool | None
    server: MCPServer[Any]


def build_http_app(
    server: MCPServer[Any],
    settings: Settings,
    config: HttpConfig,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    stateless: bool = False,
) -> HttpApp:
    """Wrap `server` (from `build_server`) for Streamable HTTP at `/mcp`.

    Args:
        server: The MCP server; a `RequestScope` middleware is appended to it.
        settings: The deployment's settings (`http_token`; the base of per-request clients).
        config: Host/Origin allow-lists, per-request credentials, pool size.
        transport: The test seam for per-request clients (e.g. ASGI over the sandbox).
        stateless: Answer each POST without a server-side session, so any replica can take any
            request (no server-to-client requests mid-call then).
    """

    def open_client(credentials: Credentials) -> JiraClient:
        return JiraClient.from_settings(credentials.settings_for(settings), transport=transport)

    pool = ClientPool(config.client_pool_size, open_client) if config.per_request_auth else None
    server.middleware.append(RequestScope(pool))
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=list(config.allowed_hosts),
        allowed_origins=list(config.allowed_origins),
    )
    sdk_app = server.streamable_http_app(
        streamable_http_path=MCP_PATH, transport_security=security, stateless_http=stateless
    )

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with server.session_manager.run():
            try:
                yield
            finally:
                if pool is not None:
                    await pool.aclose()

    app = Starlette(routes=sdk_app.routes, middleware=sdk_app.user_middleware, lifespan=lifespan)
    tool_count = len(server._tool_manager.list_tools())

    def health() -> dict[str, Any]:
        info: dict[str, Any] = {"tools": tool_count}
        if pool is not None:
            info["pooled_clients"] = len(pool)
        return info

    token = settings.http_token.get_secret_value() if settings.http_token is not None else None
    gate = HttpGate(app, token=token, per_request_auth=config.per_request_auth, mcp_path=MCP_PATH, health=health)
    return HttpApp(app=gate, gate=gate, pool=pool, server=server)


class DrainingServer(uvicorn.Server):
    """uvicorn that, on SIGTERM/SIGINT, first drains: refuses new MCP calls, finishes running ones.

    A second signal stops at once (running calls are cancelled); a third forces the exit.
    """

    def __init__(self, config: uvicorn.Config, gate: HttpGate, grace: float) -> None:
        super().__init__(config)
        self._gate = gate
        self._grace = grace
        self._deadline: float | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self._deadline is None and self._grace > 0:
            self.begin_drain()
        elif not self.should_exit:
            self.should_exit = True
        else:
            self.force_exit = True

    def begin_drain(self) -> None:
        """Start a graceful stop (also what the signal handler does)."""
        if self._deadline is None:
            self._deadline = time.monotonic() + self._grace
            self._gate.start_draining()

    async def on_tick(self, counter: int) -> bool:
        if self._deadline is not None and not self.should_exit:
            if self._gate.in_flight == 0:
                logger.info("drained: stopping")
                self.should_exit = True
            elif time.monotonic() >= self._deadline:
                logger.warning("shutdown grace over with %d call(s) still running", self._gate.in_flight)
                self.should_exit = True
        return await super().on_tick(counter)


def make_server(http: HttpApp, *, host: str, port: int, grace: float, log_level: str = "warning") -> DrainingServer:
    """A `DrainingServer` for `http`; call `serve(sockets=...)` on it."""
    config = uvicorn.Config(
        http.app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=log_level in ("info", "debug"),
        lifespan="on",
        # In-flight calls were drained already; what remains are idle event streams.
        timeout_graceful_shutdown=2,
    )
    return DrainingServer(config, http.gate, grace)


async def run_http(
    http: HttpApp,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    grace: float = 30.0,
    log_level: str = "warning",
    sock: socket.socket | None = None,
) -> None:
    """Serve `http` with uvicorn until a signal, draining in-flight calls first."""
    server = make_server(http, host=host, port=port, grace=grace, log_level=log_level)
    await server.serve(sockets=[sock] if sock is not None else None)
