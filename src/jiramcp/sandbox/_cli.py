"""`jiramcp sandbox serve`: run the sandbox over HTTP on 127.0.0.1 (uvicorn)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add `sandbox serve` to the `jiramcp` command line."""
    sandbox = subparsers.add_parser("sandbox", help="a local Jira Cloud with demo data")
    commands = sandbox.add_subparsers(dest="sandbox_command", metavar="COMMAND", required=True)
    serve = commands.add_parser("serve", help="serve the sandbox over HTTP")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--issues", type=int, default=300, help="number of demo issues (default 300)")
    serve.add_argument("--seed", type=int, default=42, help="seed of the demo data (default 42)")
    serve.add_argument(
        "--state", type=Path, default=None, help="JSON file to load the state from and save it to after every write"
    )
    serve.add_argument("--no-rate-limits", action="store_true", help="turn off Jira's rate limits")
    serve.set_defaults(func=_serve)


def _serve(args: argparse.Namespace) -> int:
    from jiramcp.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, RateLimitConfig, SandboxConfig, serve

    config = SandboxConfig(
        seed=args.seed,
        issues=args.issues,
        state_path=args.state,
        limits=RateLimitConfig(enabled=False) if args.no_rate_limits else None,
    )
    sys.stderr.write(
        f"jiramcp sandbox: http://{args.host}:{args.port}  (JIRA_URL; basic auth "
        f"{SANDBOX_EMAIL} / {SANDBOX_TOKEN}, or Bearer {SANDBOX_TOKEN})\n"
    )
    try:
        serve(config, host=args.host, port=args.port)
    except KeyboardInterrupt:
        return 0
    return 0
