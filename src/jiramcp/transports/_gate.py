"""The ASGI gate in front of the MCP endpoint: bearer auth, header checks, draining, health.

Host/Origin validation (DNS-rebinding protection) is the SDK's own `TransportSecuritySettings`
check inside the endpoint; this gate runs before it and owns what the SDK does not do:

- `Authorization: Bearer <JIRAMCP_HTTP_TOKEN>` on every MCP request (constant-time compare;
  401 with `WWW-Authenticate`), never on `/healthz`, which load balancers call without secrets;
- per-request Jira credential and policy headers checked up front, so a malformed header is
  one clear 400 instead of a failure deep inside a tool call;
- graceful shutdown: once draining, new work (`initialize`, `tools/call`) gets 503 and
  `/healthz` says so, while the POSTs already running are counted to completion. Other messages
  still pass while draining: a client finishing a call may list tools again to validate the
  result, answer a server request, or cancel.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

import anyio
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiramcp.transports._credentials import CredentialError, credentials_from_headers
from jiramcp.transports._headers import PolicyHeaderError, policy_headers

__all__ = ["HttpGate"]

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"


class HttpGate:
    """Wraps the HTTP app; see the module docstring for what it checks."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None,
        per_request_auth: bool,
        mcp_path: str = "/mcp",
        health: Callable[[], Mapping[str, Any]] | None = None,
    ) -> None:
        self._app = app
        self._token = token.encode() if token else None
        self._per_request_auth = per_request_auth
        self._mcp_path = mcp_path.rstrip("/")
        self._health = health or dict
        self.in_flight = 0
        self.draining = False
        self._idle = anyio.Event()
        self._idle.set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        path = scope["path"].rstrip("/") or "/"
        if path == HEALTH_PATH:
            await self._answer_health(scope, send)
            return
        if path != self._mcp_path:
            await self._app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self._refusal(scope["method"], headers)
        if refusal is not None:
            status, message, extra = refusal
            await _send_json(send, status, {"error": message}, extra)
            return
        if scope["method"] != "POST":
            await self._app(scope, receive, send)
            return
        if self.draining:
            body, receive = await _buffered(receive)
            if _starts_work(body):
                await _send_json(
                    send, 503, {"error": "server is shutting down; retry on another replica"}, {"retry-after": "1"}
                )
                return
        self.in_flight += 1
        self._idle = anyio.Event() if self.in_flight == 1 else self._idle
        try:
            await self._app(scope, receive, send)
        finally:
            self.in_flight -= 1
            if self.in_flight == 0:
                self._idle.set()

    def _refusal(self, method: str, headers: Headers) -> tuple[int, str, dict[str, str]] | None:
        if self._token is not None:
            scheme, _, given = headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not given.strip():
                return 401, "authentication required: send Authorization: Bearer <token>", _challenge(None)
            if not hmac.compare_digest(given.strip().encode(), self._token):
                return 401, "invalid bearer token", _challenge("invalid_token")
        try:
            policy_headers(headers)
            if self._per_request_auth and method == "POST":
                credentials_from_headers(headers)
        except (PolicyHeaderError, CredentialError) as exc:
            # 400, not 401: a 401 would send MCP clients into OAuth discovery, which cannot help
            # with missing Jira headers.
            return 400, str(exc), {}
        return None

    async def _answer_health(self, scope: Scope, send: Send) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            await _send_json(send, 405, {"error": "use GET"}, {"allow": "GET, HEAD"})
            return
        body = {"status": "draining" if self.draining else "ok", "in_flight": self.in_flight, **self._health()}
        await _send_json(send, 503 if self.draining else 200, body, {"cache-control": "no-store"})

    def start_draining(self) -> None:
        """Refuse new MCP requests from now on; running ones continue."""
        if not self.draining:
            logger.info("draining: %d request(s) in flight", self.in_flight)
        self.draining = True

    async def wait_idle(self) -> None:
        """Return once no MCP POST is running."""
        while self.in_flight:
            await self._idle.wait()


_NEW_WORK = frozenset({"initialize", "tools/call"})


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole request body; returns it and a `receive` that replays it."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


def _starts_work(body: bytes) -> bool:
    try:
        parsed = json.loads(body)
    except ValueError:
        return False
    messages = parsed if isinstance(parsed, list) else [parsed]
    return any(isinstance(m, dict) and m.get("method") in _NEW_WORK for m in messages)


def _challenge(error: str | None) -> dict[str, str]:
    value = 'Bearer realm="jiramcp"' + (f', error="{error}"' if error else "")
    return {"www-authenticate": value}


async def _send_json(send: Send, status: int, body: Mapping[str, Any], extra: Mapping[str, str]) -> None:
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    headers += [(name.encode(), value.encode()) for name, value in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
