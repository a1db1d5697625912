"""MCP middleware scoping each HTTP request to its caller: narrowed policy, own Jira client.

Runs inside the server for `tools/list` and `tools/call` when the message came over HTTP (stdio
and the in-memory client carry no request headers and pass straight through):

- `tools/list` hides the tools the request's narrowed policy does not allow;
- `tools/call` refuses such a tool, and runs an allowed one with `app_state` resolving to a state
  holding the narrowed policy and, with per-request credentials, the caller's own pooled client.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from typing import Any

from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp.types import CallToolResult, TextContent

from jiramcp.tools._context import AppState, scoped_state
from jiramcp.tools._policy import Policy
from jiramcp.tools._spec import declared_tools
from jiramcp.transports._credentials import ClientPool, CredentialError, credentials_from_headers
from jiramcp.transports._headers import PolicyHeaderError, policy_headers

__all__ = ["RequestScope"]

logger = logging.getLogger(__name__)


def _refused(text: str) -> CallToolResult:
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


class RequestScope(ServerMiddleware[Any]):
    """Per-request policy and credentials for tools; see the module docstring."""

    def __init__(self, pool: ClientPool | None = None) -> None:
        self._pool = pool

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        headers: Mapping[str, str] | None = getattr(ctx.request, "headers", None)
        base = ctx.lifespan_context
        if ctx.method not in ("tools/list", "tools/call") or headers is None or not isinstance(base, AppState):
            return await call_next(ctx)
        try:
            policy = policy_headers(headers).apply(base.policy)
        except PolicyHeaderError as exc:  # the HTTP gate refuses these first; kept for other mounts
            return _refused(str(exc)) if ctx.method == "tools/call" else await call_next(ctx)
        if ctx.method == "tools/list":
            return _filter_listing(await call_next(ctx), policy)
        name = (ctx.params or {}).get("name")
        spec = next((s for s in declared_tools() if s.name == name), None)
        if spec is not None and not policy.allows_tool(spec):
            return _refused(
                f"{name} is not available on this connection: its headers narrowed the server's policy "
                "(X-Jiramcp-Read-Only / X-Jiramcp-Toolsets). Call tools/list for the tools you can use."
            )
        if self._pool is None:
            state = base if policy is base.policy else dataclasses.replace(base, policy=policy)
            with scoped_state(state):
                return await call_next(ctx)
        try:
            credentials = credentials_from_headers(headers)
        except CredentialError as exc:
            return _refused(str(exc))
        async with self._pool.lease(credentials) as (client, extras):
            state = AppState(client=client, settings=base.settings, policy=policy, extras=extras)
            with scoped_state(state):
                return await call_next(ctx)


def _filter_listing(result: HandlerResult, policy: Policy) -> HandlerResult:
    hidden = {spec.name for spec in declared_tools() if not policy.allows_tool(spec)}
    if not hidden:
        return result
    if isinstance(result, dict):
        tools = [tool for tool in result.get("tools", []) if tool.get("name") not in hidden]
        return {**result, "tools": tools}
    tools = getattr(result, "tools", None)
    if result is None or tools is None:
        return result
    return result.model_copy(update={"tools": [tool for tool in tools if tool.name not in hidden]})
