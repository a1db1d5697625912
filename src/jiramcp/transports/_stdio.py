"""stdio: the transport Claude Desktop and most local clients start.

stdout carries nothing but protocol: logging goes to stderr (configured by the CLI) and nothing
in jiramcp prints. With a `FastStart`, the handshake has been answered while the SDK loaded and
the server takes over the wire from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcp.server import MCPServer

    from jiramcp.transports._fast_start import FastStart

__all__ = ["run_stdio"]


async def run_stdio(server: MCPServer[Any], fast_start: FastStart | None = None) -> None:
    """Serve `server` over this process's stdin/stdout until the client closes stdin."""
    if fast_start is None:
        await server.run_stdio_async()
        return
    from jiramcp.transports._wire import serve_lines

    try:
        await serve_lines(server, fast_start.lines(), fast_start)
    finally:
        fast_start.close()
