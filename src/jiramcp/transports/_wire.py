"""Line-by-line stdio plumbing for the SDK's `stdio_server(stdin=..., stdout=...)`.

The SDK reads with `async for line in stdin` and writes one JSON line per `await stdout.write()`.
`QueueLines` feeds it from a thread-safe queue (filled by a reader thread, or by a test), and
`converse` runs one in-memory stdio session against a server, the way `record_handshake` and the
tests talk to it without a subprocess.
"""

from __future__ import annotations

import contextlib
import json
import queue
from typing import TYPE_CHECKING, Any, Final

import anyio
import anyio.to_thread

if TYPE_CHECKING:
    from mcp.server import MCPServer

__all__ = ["END", "QueueLines", "converse", "serve_lines"]

END: Final = b""  # the queue item that means "stdin closed"


class QueueLines:
    """An async iterator of text lines taken from a `queue.Queue[bytes]` until `END`."""

    def __init__(self, lines: queue.Queue[bytes]) -> None:
        self._lines = lines
        self._ended = False

    def __aiter__(self) -> QueueLines:
        return self

    async def __anext__(self) -> str:
        if self._ended:
            raise StopAsyncIteration
        try:
            item = self._lines.get_nowait()
        except queue.Empty:
            item = await anyio.to_thread.run_sync(self._lines.get, abandon_on_cancel=True)
        if item == END:
            self._ended = True
            raise StopAsyncIteration
        return item.decode("utf-8", errors="replace")


class _Collect:
    """A stdout for the SDK that hands each written line to a memory stream."""

    def __init__(self, send: anyio.abc.ObjectSendStream[dict[str, Any]]) -> None:
        self._send = send

    async def write(self, text: str) -> None:
        # Once every answer is in, the reader stops listening; later lines have nowhere to go.
        with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
            await self._send.send(json.loads(text))

    async def flush(self) -> None:
        return None


async def serve_lines(server: MCPServer[Any], stdin: Any, stdout: Any) -> None:
    """Run `server` over stdio framing with the given line source and sink."""
    from mcp.server.stdio import stdio_server

    lowlevel = server._lowlevel_server
    async with stdio_server(stdin=stdin, stdout=stdout) as (read_stream, write_stream):
        await lowlevel.run(read_stream, write_stream, lowlevel.create_initialization_options())


async def converse(server: MCPServer[Any], messages: list[dict[str, Any]]) -> list[Any]:
    """Send `messages` in one stdio session; the responses to its requests, in request order.

    Callers bound the wait (`anyio.fail_after`): a server that never answers would hang here.
    """
    lines: queue.Queue[bytes] = queue.Queue()
    for message in messages:
        lines.put(json.dumps(message).encode() + b"\n")
    wanted = [m["id"] for m in messages if "id" in m and "method" in m]
    send, receive = anyio.create_memory_object_stream[dict[str, Any]](100)
    answers: dict[Any, Any] = {}
    async with send, anyio.create_task_group() as tg:
        tg.start_soon(serve_lines, server, QueueLines(lines), _Collect(send))
        async with receive:
            async for message in receive:
                if "id" in message and "method" not in message:
                    answers[message["id"]] = message
                if all(k in answers for k in wanted):
                    break
        lines.put(END)
    return [answers[k] for k in wanted]
