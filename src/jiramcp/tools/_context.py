"""What every tool call can reach: the one shared Jira client, the policy, and the caches.

`AppState` is built once in the server's lifespan. Tools receive it through
`Annotated[AppState, Resolve(app_state)]`, which keeps it out of the tool's schema.

A transport may scope one call to another state (the HTTP transport does, for per-request Jira
credentials and a policy narrowed by request headers) with `scoped_state(state)` around the call;
`app_state` then resolves to that state instead of the lifespan's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from mcp.server.mcpserver import Context

from jiramcp.jira import JiraClient
from jiramcp.settings import Settings
from jiramcp.tools._policy import Policy


@dataclass(slots=True)
class AppState:
    client: JiraClient
    settings: Settings
    policy: Policy
    extras: dict[str, Any] = field(default_factory=dict)


_SCOPED: ContextVar[AppState | None] = ContextVar("jiramcp_scoped_state", default=None)


@contextmanager
def scoped_state(state: AppState) -> Iterator[None]:
    """Make `app_state` resolve to `state` for the calls run inside this block."""
    token = _SCOPED.set(state)
    try:
        yield
    finally:
        _SCOPED.reset(token)


async def app_state(ctx: Context) -> AppState:
    """Resolver: the `AppState` for this request (a transport's scoped one, else the lifespan's).

    Async so the SDK runs it on the event loop rather than in a worker thread.
    """
    scoped = _SCOPED.get()
    if scoped is not None:
        return scoped
    state = ctx.request_context.lifespan_context
    if not isinstance(state, AppState):
        raise RuntimeError("jiramcp tools need the server built by jiramcp.server.build_server")
    return state
