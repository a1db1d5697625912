"""Argument completion (`completion/complete`) for prompts and resource templates.

The SDK's `@server.completion()` decorator hands the handler only the reference and argument,
not the request context, so it cannot reach the lifespan's shared client. This module registers
the low-level handler itself, which receives `ServerRequestContext.lifespan_context` (our
`AppState`), and looks values up through the one shared `JiraClient` and its metadata cache.

Completed arguments: `project` / `key` (project keys, restricted to the allow-list), `board`
(board names, of the `project` already chosen when there is one), `sprint` (`current`, `next`
and the ids of active and future sprints) and `id` of `jira://sprint/{id}`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any

from mcp.server import MCPServer
from mcp.server.context import ServerRequestContext
from mcp.types import CompleteRequestParams, CompleteResult, Completion, ResourceTemplateReference

from jiramcp.jira import JiraError
from jiramcp.tools._context import AppState, app_state

logger = logging.getLogger(__name__)

_MAX_VALUES = 100  # the protocol's cap per answer
_SPRINT_BOARDS = 10  # boards asked for sprints when nothing narrows the search


def _matching(candidates: Iterable[str], typed: str) -> list[str]:
    """Prefix matches first, then substring matches, case-insensitive, without repeats."""
    typed = typed.lower()
    unique = list(dict.fromkeys(candidates))
    prefix = [c for c in unique if c.lower().startswith(typed)]
    inner = [c for c in unique if typed in c.lower() and c not in prefix]
    return prefix + inner


async def _projects(state: AppState) -> list[str]:
    keys = [str(p.get("key")) for p in await state.client.projects() if p.get("key")]
    return [k for k in keys if state.policy.allows_project(k)]


async def _boards(state: AppState, project: str | None) -> list[dict[str, Any]]:
    if project:
        if not state.policy.allows_project(project):
            return []
        return await state.client.boards(project=project)
    boards = await state.client.boards()
    if state.policy.restricts_projects:
        boards = [
            b for b in boards if state.policy.allows_project(str((b.get("location") or {}).get("projectKey") or ""))
        ]
    return boards


async def _sprints(state: AppState, project: str | None) -> list[str]:
    boards = [b for b in await _boards(state, project) if b.get("type", "scrum") == "scrum"]
    ids: list[str] = []
    for board in boards[:_SPRINT_BOARDS]:
        ids += [str(s["id"]) for s in await state.client.sprints(int(board["id"]), state="active,future")]
    return ids


async def complete(state: AppState, params: CompleteRequestParams) -> Completion:
    """The completion values for one argument (empty when the argument is not one we know)."""
    name = params.argument.name
    typed = params.argument.value or ""
    known = (params.context.arguments if params.context else None) or {}
    project = known.get("project") or known.get("key")
    is_sprint_resource = isinstance(params.ref, ResourceTemplateReference) and "sprint" in params.ref.uri
    if name in ("project", "key") and not is_sprint_resource:
        values = _matching(await _projects(state), typed)
    elif name == "board":
        boards = await _boards(state, project)
        values = _matching([str(b.get("name")) for b in boards if b.get("name")], typed)
    elif name == "sprint" or (name == "id" and is_sprint_resource):
        fixed = ["current", "next"] if name == "sprint" else []
        values = _matching([*fixed, *await _sprints(state, project)], typed)
    else:
        return Completion(values=[])
    return Completion(values=values[:_MAX_VALUES], total=len(values), has_more=len(values) > _MAX_VALUES)


def register_completion(server: MCPServer[Any]) -> None:
    """Install `complete` as the server's `completion/complete` handler."""

    async def handler(ctx: ServerRequestContext[Any], params: CompleteRequestParams) -> CompleteResult:
        try:
            # The tools' resolver, so a transport's per-request (narrowed) policy applies here too.
            state = await app_state(SimpleNamespace(request_context=ctx))  # type: ignore[arg-type]
        except RuntimeError:
            state = None
        if not isinstance(state, AppState):
            return CompleteResult(completion=Completion(values=[]))
        try:
            completion = await complete(state, params)
        except JiraError as error:
            # Completion is a convenience: a Jira hiccup yields no suggestions, not an error dialog.
            logger.info("completion for %r found nothing: %s", params.argument.name, type(error).__name__)
            completion = Completion(values=[])
        return CompleteResult(completion=completion)

    server._lowlevel_server.add_request_handler("completion/complete", CompleteRequestParams, handler)
