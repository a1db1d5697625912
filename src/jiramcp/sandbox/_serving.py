"""Serving an ASGI app over real HTTP inside the current event loop, for tests and benchmarks.

`jiramcp sandbox serve` runs until interrupted; tests and benchmarks need the opposite: a server on
a free loopback port that is up when the block starts and gone when it ends.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio

__all__ = ["serving"]


@asynccontextmanager
async def serving(
    app_for: Callable[[str], Any], *, startup_timeout: float = 15.0, **options: Any
) -> AsyncIterator[str]:
    """Serve `app_for(base_url)` with uvicorn on 127.0.0.1:<free port>; yields the base URL.

    Args:
        app_for: Builds the ASGI app once the URL is known (the sandbox writes it into every `self`
            link); `lambda _url: app` for an app that does not care.
        startup_timeout: Seconds to wait for uvicorn to start listening.
        **options: More `uvicorn.Config` options (defaults: log level warning, lifespan off).
    """
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        config = uvicorn.Config(app_for(url), **{"log_level": "warning", "lifespan": "off", **options})
        server = uvicorn.Server(config)
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(lambda: server.serve(sockets=[sock]))
            with anyio.fail_after(startup_timeout):
                # `started` is a plain flag: uvicorn offers no event to await.
                while not server.started:  # noqa: ASYNC110
                    await anyio.sleep(0.01)
            try:
                yield url
            finally:
                server.should_exit = True
    finally:
        sock.close()
