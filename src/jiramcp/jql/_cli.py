"""`jiramcp jql lint "QUERY"`: check JQL locally, as a person or a CI job would.

Prints each finding with a caret line under its span and the proposed fix; `--json` prints a
machine-readable list instead. Exit status 1 when there is an error, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any) -> None:
    """Add the `jql` command group with its `lint` subcommand."""
    jql = subparsers.add_parser("jql", help="work with JQL queries locally")
    actions = jql.add_subparsers(dest="jql_command", metavar="ACTION", required=True)
    lint = actions.add_parser("lint", help="check a JQL query for errors, deprecated fields and slow patterns")
    lint.add_argument("query", help='the JQL text, e.g. "project = PROJ AND status = Done"')
    lint.add_argument("--json", action="store_true", help="print the findings as JSON")
    lint.set_defaults(func=_run_lint)


def _run_lint(args: argparse.Namespace) -> int:
    from jiramcp.jql import fix, lint

    query: str = args.query
    diagnostics = lint(query)
    fixed = fix(query) if any(d.severity == "error" for d in diagnostics) else None
    out = sys.stdout
    if args.json:
        payload = {
            "query": query,
            "diagnostics": [
                {
                    "code": d.code,
                    "severity": d.severity,
                    "message": d.message,
                    "start": d.span.start,
                    "end": d.span.end,
                    "replacement": d.replacement,
                }
                for d in diagnostics
            ],
            "fixed": fixed,
        }
        out.write(json.dumps(payload, indent=2) + "\n")
    else:
        out.write(format_report(query, diagnostics, fixed))
    return 1 if any(d.severity == "error" for d in diagnostics) else 0


def format_report(query: str, diagnostics: list[Any], fixed: str | None) -> str:
    """Human-readable findings: the query line, a caret under each span, the suggested fix."""
    if not diagnostics:
        return "ok: no problems found\n"
    lines: list[str] = []
    for d in diagnostics:
        line_start = query.rfind("\n", 0, d.span.start) + 1
        line_end = query.find("\n", d.span.start)
        line_end = len(query) if line_end < 0 else line_end
        column = d.span.start - line_start
        width = max(1, min(d.span.end, line_end) - d.span.start)
        lines.append(f"{d.severity} {d.code}: {d.message}")
        lines.append(f"  {query[line_start:line_end]}")
        lines.append("  " + " " * column + "^" * width)
        if d.replacement is not None:
            lines.append(f"  fix: replace with {d.replacement!r}")
    if fixed is not None:
        lines.append(f"fixed query: {fixed}")
    return "\n".join(lines) + "\n"
