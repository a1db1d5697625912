"""The `jiramcp` command line.

`jiramcp` alone serves MCP over stdio (what Claude Desktop starts). Global flags come before the
command (`jiramcp --sandbox call ...`); `--sandbox`/`--sandbox-state` are also accepted after
`serve`, `tools` and `call`. Subcommands owned by other packages live in their modules, each
exposing `register(subparsers)` and listed in `_COMMAND_MODULES`.

Start-up is on the critical path of every stdio client, so nothing heavy is imported before the
command runs: handlers import the server, the SDK and the Jira client inside their bodies.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from jiramcp import __version__

# Each names a module with `register(subparsers) -> None`; the handler it sets as `func`
# receives the parsed namespace and returns an exit code.
_COMMAND_MODULES: tuple[str, ...] = ("jiramcp.jql._cli", "jiramcp.sandbox._cli", "jiramcp._check_cli")


def _sandbox_flags(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--sandbox",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="use an in-process demo Jira (no configuration, no network)",
    )
    parser.add_argument(
        "--sandbox-state",
        metavar="PATH",
        default=default,
        help="with --sandbox: load the demo data from PATH and save every change to it (implies --sandbox)",
    )


def _serve(args: argparse.Namespace) -> int:
    from jiramcp._serve import run_serve

    return run_serve(args)


def _tools(args: argparse.Namespace) -> int:
    from jiramcp._shell import run_tools

    return run_tools(args)


def _call(args: argparse.Namespace) -> int:
    from jiramcp._shell import run_call

    return run_call(args)


def _add_own_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from jiramcp._serve import add_serve_arguments
    from jiramcp._shell import add_call_arguments, add_tools_arguments

    serve = subparsers.add_parser(
        "serve", help="serve MCP over stdio (default) or Streamable HTTP (--http)", description=None
    )
    add_serve_arguments(serve)
    _sandbox_flags(serve, suppress=True)
    serve.set_defaults(func=_serve)

    tools = subparsers.add_parser("tools", help="list the tools, one line each with the token cost of its schema")
    add_tools_arguments(tools)
    _sandbox_flags(tools, suppress=True)
    tools.set_defaults(func=_tools)

    call = subparsers.add_parser(
        "call",
        help='run one tool and print its result, e.g. jiramcp --sandbox call jira_search \'{"jql": "project = PLAT"}\'',
    )
    add_call_arguments(call)
    _sandbox_flags(call, suppress=True)
    call.set_defaults(func=_call)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jiramcp",
        description="MCP server for Jira. With no command, serves MCP over stdio.",
    )
    parser.add_argument("--version", action="version", version=f"jiramcp {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more to stderr (-v info, -vv debug)")
    _sandbox_flags(parser, suppress=False)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_own_commands(subparsers)
    for module_name in _COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def configure_logging(verbosity: int) -> None:
    """Log to stderr only: stdout carries the stdio protocol."""
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    if args.sandbox_state:
        args.sandbox = True
    handler = getattr(args, "func", None)
    if handler is None:
        # No command: stdio, as an MCP client that launches `jiramcp` expects.
        args.http = False
        handler = _serve
    from jiramcp.settings import ConfigError

    try:
        return int(handler(args) or 0)
    except ConfigError as exc:
        sys.stderr.write(f"jiramcp: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
