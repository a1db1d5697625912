"""`jiramcp serve`: stdio (the default) or Streamable HTTP (`--http`)."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import socket
import sys
from typing import TYPE_CHECKING

from jiramcp.settings import ConfigError

if TYPE_CHECKING:
    from jiramcp.settings import Settings
    from jiramcp.transports._fast_start import FastStart

__all__ = ["add_serve_arguments", "run_serve"]

logger = logging.getLogger(__name__)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--http", action="store_true", help="serve Streamable HTTP instead of stdio")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind with --http (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to bind with --http (default 8000; 0 = any)")
    parser.add_argument(
        "--stateless",
        action="store_true",
        help="with --http: no server-side sessions, so replicas behind a load balancer need no stickiness",
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    # Listening now means a client that read the banner can connect at once; connections queue
    # until uvicorn starts accepting.
    sock.listen(2048)
    return sock


def _start_answering(settings: Settings) -> FastStart | None:
    """Over stdio, answer the handshake from the packaged snapshot while the SDK loads."""
    if not settings.fast_start:
        return None
    from jiramcp.tools._policy import policy_from_settings
    from jiramcp.transports._fast_start import FastStart
    from jiramcp.transports._handshake import load_answers

    return FastStart.on_process_stdio(load_answers(policy_from_settings(settings)))


def run_serve(args: argparse.Namespace) -> int:
    """Serve until the client disconnects (stdio) or a signal arrives (HTTP)."""
    import anyio

    from jiramcp._launch import build_cli_server, load_backend, load_cli_settings

    if not getattr(args, "http", False):
        settings = load_cli_settings(args)
        fast_start = _start_answering(settings)
        from jiramcp.transports import run_stdio

        server = build_cli_server(load_backend(args, settings=settings))
        anyio.run(run_stdio, server, fast_start)
        return 0

    from jiramcp.transports import build_http_app, load_http_config, run_http

    config = load_http_config()
    backend = load_backend(args, per_request_auth=config.per_request_auth)
    settings = backend.settings
    if not _is_loopback(args.host):
        if settings.http_token is None and not config.per_request_auth:
            logger.warning(
                "serving on %s without JIRAMCP_HTTP_TOKEN: anyone who can reach it acts with the "
                "server's Jira credentials",
                args.host,
            )
        if all(h.split(":")[0] in ("127.0.0.1", "localhost", "[::1]") for h in config.allowed_hosts):
            logger.warning(
                "JIRAMCP_HTTP_ALLOWED_HOSTS allows localhost names only: requests addressed to %s by "
                "another name are refused with 421; set it to the names clients use",
                args.host,
            )
    http = build_http_app(
        build_cli_server(backend), settings, config, transport=backend.transport, stateless=args.stateless
    )
    try:
        sock = _bind(args.host, args.port)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    port = sock.getsockname()[1]
    shown = f"[{args.host}]" if ":" in args.host else args.host
    sys.stderr.write(f"jiramcp: serving MCP on http://{shown}:{port}/mcp (health: /healthz)\n")
    sys.stderr.flush()
    level = "info" if args.verbose else "warning"
    anyio.run(lambda: run_http(http, grace=config.shutdown_grace, log_level=level, sock=sock))
    return 0
