"""`jiramcp tools` and `jiramcp call`: the MCP surface from a shell, for people and scripts.

`call` goes through the in-memory MCP client, so a tool runs exactly as a model would run it
(argument guard, policy, result shaping); only the transport is skipped.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import time
from typing import Any

from jiramcp.settings import ConfigError

__all__ = ["add_call_arguments", "add_tools_arguments", "run_call", "run_tools", "schema_tokens"]


def add_tools_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the full tool list as JSON instead")


def add_call_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tool", help="tool name, e.g. jira_search (see `jiramcp tools`)")
    parser.add_argument(
        "arguments",
        nargs="?",
        default="{}",
        help="the arguments as one JSON object (default {}); `-` reads it from stdin",
    )
    parser.add_argument("--json", action="store_true", help="print the structured result as JSON")


def _encoder() -> Any | None:
    """The o200k tokenizer, or None when the optional `tokens` extra is not installed."""
    try:
        import bpe_openai
    except ImportError:
        return None
    return bpe_openai.get_encoding("o200k_base")


def _model_view(tool: Any) -> dict[str, Any]:
    """What a client puts in the model's context for a tool: name, description, input schema."""
    view = {"name": tool.name, "description": tool.description or "", "inputSchema": tool.input_schema}
    return view


def schema_tokens(tool: Any, encoder: Any) -> int:
    """o200k tokens of the tool as the model sees it (compact JSON)."""
    return len(encoder.encode(json.dumps(_model_view(tool), separators=(",", ":"), ensure_ascii=False)))


def _summary(description: str | None, width: int) -> str:
    first = (description or "").strip().split("\n", 1)[0].strip()
    return first if len(first) <= width else first[: width - 1] + "…"


def run_tools(args: argparse.Namespace) -> int:
    """List the tools this configuration registers, one line each with their schema's token cost."""
    import anyio

    from jiramcp.server import build_server
    from jiramcp.settings import load_settings

    # Listing needs the policy switches only: no Jira URL or credentials, no request.
    server = build_server(load_settings(sandbox=True))
    tools = anyio.run(server.list_tools)
    if args.json:
        payload = [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in tools]
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return 0
    encoder = _encoder()
    costs = [schema_tokens(tool, encoder) if encoder is not None else None for tool in tools]
    name_width = max((len(tool.name) for tool in tools), default=4)
    lines = []
    for tool, cost in zip(tools, costs, strict=True):
        hints = tool.annotations
        kind = "read" if hints is None or hints.read_only_hint else "write"
        shown = f"{cost:>5}" if cost is not None else "    ?"
        lines.append(f"{tool.name:<{name_width}}  {shown} tok  {kind:<5}  {_summary(tool.description, 72)}")
    if encoder is None:
        lines.append(f"{len(tools)} tools; token counts need the tokenizer: pip install 'jiramcp[tokens]'")
    else:
        lines.append(f"{len(tools)} tools, {sum(c or 0 for c in costs)} tokens of schema in all (o200k_base)")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _read_arguments(raw: str) -> dict[str, Any]:
    text = sys.stdin.read() if raw == "-" else raw
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f'arguments are not valid JSON ({exc.msg} at {exc.pos}); example: \'{{"jql": "project = PLAT"}}\''
        ) from None
    if not isinstance(value, dict):
        raise ConfigError('arguments must be one JSON object, e.g. \'{"jql": "project = PLAT"}\'')
    return value


class _Progress:
    """Progress notifications to stderr, on one rewritten line when stderr is a terminal."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._started = time.monotonic()
        self._shown = False

    async def __call__(self, progress: float, total: float | None, message: str | None) -> None:
        done = f"{progress:g}/{total:g}" if total else f"{progress:g}"
        text = f"[{time.monotonic() - self._started:5.1f}s] {done} {message or ''}".rstrip()
        sys.stderr.write(("\r\x1b[2K" + text) if self._tty else text + "\n")
        sys.stderr.flush()
        self._shown = True

    def finish(self) -> None:
        if self._shown and self._tty:
            sys.stderr.write("\n")


def _text_of(result: Any) -> str:
    parts = [block.text for block in result.content if getattr(block, "type", None) == "text"]
    return "\n".join(parts)


async def _call(server: Any, name: str, arguments: dict[str, Any]) -> tuple[Any, list[str]]:
    from mcp import Client

    progress = _Progress()
    async with Client(server) as client:
        names = [tool.name for tool in (await client.list_tools()).tools]
        if name not in names:
            return None, names
        try:
            result = await client.call_tool(name, arguments, progress_callback=progress)
        finally:
            progress.finish()
    return result, names


def run_call(args: argparse.Namespace) -> int:
    """Run one tool; print its text (or `--json` structured) result; exit 1 on a tool error."""
    import anyio

    from jiramcp._launch import build_cli_server, load_backend

    arguments = _read_arguments(args.arguments)
    server = build_cli_server(load_backend(args))
    result, names = anyio.run(_call, server, args.tool, arguments)
    if result is None:
        close = difflib.get_close_matches(args.tool, names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `jiramcp tools`"
        raise ConfigError(f"no tool named {args.tool!r} in this configuration{hint}")
    if result.is_error:
        sys.stderr.write(_text_of(result) + "\n")
        return 1
    if args.json:
        payload = result.structured_content if result.structured_content is not None else _text_of(result)
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_text_of(result) + "\n")
    return 0
