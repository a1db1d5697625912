"""Argument guard: turns a model's malformed tool arguments into one actionable error.

The SDK ignores unknown argument keys and reports type errors as raw pydantic text (with a
documentation URL and the whole input echoed back). A model acts better on "`limit`: must be at
most 100 (got 500)" plus the list of valid parameters, so this middleware validates `tools/call`
arguments against the tool's own argument model first and answers with such a message.
"""

from __future__ import annotations

import logging
from typing import Any

from mcp.server import MCPServer
from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp.types import CallToolResult, TextContent
from pydantic import ValidationError

logger = logging.getLogger(__name__)

_MAX_ECHO = 60


def _echo(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_ECHO else text[: _MAX_ECHO - 3] + "..."


def describe_validation_error(error: ValidationError) -> list[str]:
    """One line per problem, naming the parameter path and what it must be."""
    lines = []
    for detail in error.errors(include_url=False):
        location = ".".join(str(part) for part in detail["loc"]) or "arguments"
        message = detail["msg"]
        if detail["type"] == "missing":
            lines.append(f"`{location}`: required parameter is missing.")
            continue
        got = f" (got {_echo(detail['input'])})" if "input" in detail else ""
        lines.append(f"`{location}`: {message[0].lower()}{message[1:]}{got}.")
    return lines


def _error_result(tool: str, problems: list[str], valid: list[str]) -> CallToolResult:
    text = (
        f"Invalid arguments for {tool}:\n- "
        + "\n- ".join(problems)
        + f"\nValid parameters: {', '.join(valid) if valid else '(none)'}."
    )
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


class ArgumentGuard(ServerMiddleware[Any]):
    """Checks `tools/call` arguments before the SDK does, answering clear tool errors."""

    def __init__(self, server: MCPServer[Any]) -> None:
        self._server = server

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        if ctx.method != "tools/call" or not isinstance(ctx.params, dict):
            return await call_next(ctx)
        name = ctx.params.get("name")
        arguments = ctx.params.get("arguments") or {}
        # The argument model is the SDK's own, built from the signature: one source of truth.
        tool = self._server._tool_manager.get_tool(name) if isinstance(name, str) else None
        if tool is None or not isinstance(arguments, dict):
            return await call_next(ctx)
        schema_properties = tool.parameters.get("properties", {})
        valid = sorted(schema_properties)
        problems = [f"`{key}`: unknown parameter." for key in arguments if key not in schema_properties]
        if not problems:
            try:
                tool.fn_metadata.arg_model.model_validate(tool.fn_metadata.pre_parse_json(arguments))
            except ValidationError as error:
                problems = describe_validation_error(error)
        if problems:
            logger.info("rejected arguments for %s: %d problem(s)", name, len(problems))
            return _error_result(name, problems, valid)
        return await call_next(ctx)
