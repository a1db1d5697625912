"""The `jiramcp` command line.

`jiramcp` alone serves MCP over stdio (what Claude Desktop starts). Subcommands live in the
package that owns them; each such module exposes `register(subparsers)` and is listed in
`_COMMAND_MODULES`. Modules are imported only when their command runs or the parser is built,
so start-up stays fast: nothing heavy is imported before the protocol is up.
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
_COMMAND_MODULES: tuple[str, ...] = ()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jiramcp",
        description="MCP server for Jira. With no command, serves MCP over stdio.",
    )
    parser.add_argument("--version", action="version", version=f"jiramcp {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="log more to stderr (-v info, -vv debug)"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in _COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def configure_logging(verbosity: int) -> None:
    """Log to stderr only: stdout carries the stdio protocol."""
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    handler = getattr(args, "func", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    return int(handler(args) or 0)
