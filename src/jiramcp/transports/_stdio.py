"""stdio: the transport Claude Desktop and most local clients start.

stdout carries nothing but protocol: logging goes to stderr (configured by the CLI) and nothing
in jiramcp prints.
"""

from __future__ import annotations

from typing import Any

from mcp.server import MCPServer

__all__ = ["run_stdio"]


async def run_stdio(server: MCPServer[Any]) -> None:
    """Serve `server` over this process's stdin/stdout until the client closes stdin."""
    await server.run_stdio_async()
