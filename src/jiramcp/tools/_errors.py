"""One place where the client's typed errors become messages a model can act on.

Only `ToolError` text reaches the model (any other exception becomes a generic failure), so every
tool body runs inside `jira_errors()`. Jira's per-field errors are keyed by field id
(`customfield_10016`); a tool passes `parameters` to name them as the model wrote them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from mcp.server.mcpserver.exceptions import ToolError

from jiramcp.jira import (
    BadRequest,
    InvalidPageToken,
    JiraAmbiguousWriteError,
    JiraError,
)
from jiramcp.tools._policy import PolicyViolation


def describe(error: JiraError, parameters: Mapping[str, str] | None = None) -> str:
    """The model-facing text for a client error."""
    if isinstance(error, BadRequest) and error.field_errors:
        names = parameters or {}
        problems = [f"{names.get(field, field)}: {message}" for field, message in error.field_errors.items()]
        lines = ["Jira refused the request:", *(f"- {p}" for p in problems)]
        lines += [f"- {m}" for m in error.error_messages]
        lines.append(
            "Fix those values (jira_get_create_fields and jira_find_fields list what is allowed) and call again."
        )
        return "\n".join(lines)
    if isinstance(error, InvalidPageToken):
        return f"next_page_token: {error} Start again without a token."
    if isinstance(error, JiraAmbiguousWriteError):
        return (
            f"{error} Jira did not confirm the write. Read the issue before repeating it, so it is not applied twice."
        )
    return str(error)


@asynccontextmanager
async def jira_errors(parameters: Mapping[str, str] | None = None) -> AsyncIterator[None]:
    """Translate client errors and policy refusals raised inside the block into `ToolError`."""
    try:
        yield
    except PolicyViolation as error:
        raise ToolError(str(error)) from None
    except JiraError as error:
        raise ToolError(describe(error, parameters)) from None
