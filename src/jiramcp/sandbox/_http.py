"""The glue between starlette and the sandbox: the endpoint decorator and request helpers."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from jiramcp.sandbox._common import JiraError, error_body, json_response

if TYPE_CHECKING:
    from jiramcp.sandbox._app import Sandbox

logger = logging.getLogger(__name__)

Handler = Callable[[Request, "Sandbox"], Awaitable[Response]]


def endpoint(*, write: bool = False) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wrap a handler: give it the sandbox, answer `JiraError` in Jira's shape, persist writes.

    Args:
        write: The handler changes state; after a successful answer the sandbox saves it (when
            a state file is configured) and counts the write.
    """

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(handler)
        async def run(request: Request) -> Response:
            sandbox: Sandbox = request.app.state.sandbox
            try:
                response = await handler(request, sandbox)
            except JiraError as err:
                return json_response(error_body(err.messages, err.errors), err.status)
            if write and response.status_code < 400:
                sandbox.wrote()
            return response

        return run

    return wrap


def actor(request: Request) -> str:
    """The accountId the request acts as (set by the auth middleware)."""
    return str(request.scope.get("sandbox.account_id") or "")


def expand_param(request: Request) -> list[str]:
    return [p.strip() for p in request.query_params.get("expand", "").split(",") if p.strip()]


def fields_param(request: Request) -> list[str]:
    """Every `fields=` value (repeatable, comma-separated)."""
    out: list[str] = []
    for value in request.query_params.getlist("fields"):
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


def no_content() -> Response:
    return Response(status_code=204)


def page(values: list[Any], start_at: int, max_results: int) -> tuple[list[Any], bool]:
    """(this page, isLast) of a startAt-paged list."""
    chunk = values[start_at : start_at + max_results]
    return chunk, start_at + len(chunk) >= len(values)
