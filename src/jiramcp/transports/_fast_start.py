"""Fast start over stdio: answer the handshake while the SDK is still loading.

Importing the MCP SDK costs about a second before a server can say anything, yet all a client
asks at first (`initialize`, then `tools/list`, `prompts/list`, ...) has answers fixed by the
deployment's policy. A reader thread owns stdin from the first moment: it answers those requests
from the packaged snapshot (`_handshake`), and queues every line, answered or not, for the SDK
server, which takes over as soon as it runs. Nothing is skipped on the SDK's side: the requests
answered early are replayed to it under private ids, so its session state is exactly what the
client built; their second answers are compared with the first and dropped (a difference is
logged: it means the packaged snapshot is stale).

Both eras are covered: the handshake (`initialize`, then `notifications/initialized`) and the
2026-07-28 protocol, where each request carries its version in `_meta` (`server/discover`, then
the lists). The fast start steps aside for good if the first message is neither, and leaves
any request with unusual parameters to the SDK. Those, and every tool call, wait for the SDK.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
from typing import IO, Any

import anyio
import anyio.to_thread

from jiramcp.transports._handshake import Answers
from jiramcp.transports._wire import END, QueueLines

__all__ = ["FastStart"]

logger = logging.getLogger(__name__)

_REPLAY_PREFIX = "jiramcp-fast-start-"


class FastStart:
    """Owns the stdio wire: early answers from `answers`, then a relay for the SDK server.

    Args:
        answers: What may be answered early; None answers nothing (a plain relay).
        wire_in: The client's side of stdin (binary, line-buffered by us).
        wire_out: The client's side of stdout (binary).
    """

    def __init__(self, answers: Answers | None, wire_in: IO[bytes], wire_out: IO[bytes]) -> None:
        self._answers = answers
        self._wire_in = wire_in
        self._wire_out = wire_out
        self._write_lock = threading.Lock()
        self._inbound: queue.Queue[bytes] = queue.Queue()
        self._state = "initialize" if answers is not None else "off"
        self._sdk_reading = False
        # private id -> (the client's id, method, the result we sent)
        self._pending: dict[str, tuple[Any, str, Any]] = {}
        self._replays = 0
        self.answered: list[str] = []
        self.mismatches: list[str] = []
        self._restore: list[tuple[int, int]] = []
        self._reader = threading.Thread(target=self._read, name="jiramcp-stdin", daemon=True)

    @classmethod
    def on_process_stdio(cls, answers: Answers | None) -> FastStart:
        """Take over this process's stdin/stdout and start answering.

        fd 0 then reads the null device and fd 1 goes to stderr, so a stray read or print
        anywhere in the process cannot touch the protocol (as the SDK's own stdio does).
        """
        wire_in = os.fdopen(os.dup(0), "rb")
        wire_out = os.fdopen(os.dup(1), "wb")
        front = cls(answers, wire_in, wire_out)
        saved = [(0, os.dup(0)), (1, os.dup(1))]
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.dup2(2, 1)
        front._restore = saved
        front.start()
        return front

    def start(self) -> None:
        self._reader.start()

    def close(self) -> None:
        """Give fds 0 and 1 back (only after `on_process_stdio`)."""
        for fd, saved in self._restore:
            os.dup2(saved, fd)
            os.close(saved)
        self._restore = []

    # The SDK's side: `stdio_server(stdin=front.lines(), stdout=front)`.

    def lines(self) -> QueueLines:
        """Every line the client sent, in order (answered requests under private ids)."""
        self._sdk_reading = True
        return QueueLines(self._inbound)

    async def write(self, text: str) -> None:
        """A line from the SDK: passed to the client unless it answers a replayed request."""
        if self._pending and self._swallowed(text):
            return
        await anyio.to_thread.run_sync(self._send, text.encode("utf-8"))

    async def flush(self) -> None:
        return None

    # The reader thread.

    def _read(self) -> None:
        try:
            for raw in iter(self._wire_in.readline, b""):
                self._inbound.put(self._considered(raw) if self._state != "off" else raw)
        except (OSError, ValueError):
            logger.debug("stdin closed under the reader", exc_info=True)
        finally:
            self._inbound.put(END)

    def _considered(self, raw: bytes) -> bytes:
        try:
            return self._consider(raw)
        except Exception:
            # A fault here must not cost the session: the SDK gets the line and everything after.
            logger.exception("fast start: leaving everything to the server after an unexpected error")
            self._state = "off"
            return raw

    def _consider(self, raw: bytes) -> bytes:
        """Answer `raw` if it may be answered early; the line to queue for the SDK either way."""
        if self._sdk_reading:
            # The server is up: from here on it answers everything itself.
            self._state = "off"
            return raw
        try:
            message = json.loads(raw)
        except ValueError:
            message = None
        if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
            self._state = "off"
            return raw
        method = message.get("method")
        is_request = "id" in message and isinstance(method, str)
        assert self._answers is not None
        if self._state == "initialize":
            return self._first(message, method, is_request, raw)
        if self._state == "initialized":
            if method == "notifications/initialized" and not is_request:
                self._state = "ready"
            return raw
        if is_request:
            params = message.get("params")
            modern = self._state == "modern"
            result = self._answers.modern(method, params) if modern else self._answers.result(method, params)
            if result is not None:
                return self._answer(message, result)
        return raw

    def _first(self, message: dict[str, Any], method: Any, is_request: bool, raw: bytes) -> bytes:
        """The first message decides the era: a handshake (`initialize`) or 2026-07-28 requests."""
        assert self._answers is not None
        if is_request and method == "initialize":
            result = self._answers.initialize(message.get("params"))
            next_state = "initialized"
        elif is_request:
            result = self._answers.modern(method, message.get("params"))
            next_state = "modern"
        else:
            result = None
        if result is None:
            self._state = "off"
            return raw
        self._state = next_state
        return self._answer(message, result)

    def _answer(self, message: dict[str, Any], result: Any) -> bytes:
        self._replays += 1
        private = f"{_REPLAY_PREFIX}{self._replays}"
        self._pending[private] = (message["id"], message["method"], result)
        self._send(_encode({"jsonrpc": "2.0", "id": message["id"], "result": result}))
        self.answered.append(message["method"])
        logger.info("fast start: answered %s from the packaged handshake", message["method"])
        return _encode({**message, "id": private})

    def _swallowed(self, text: str) -> bool:
        try:
            message = json.loads(text)
        except ValueError:
            return False
        private = message.get("id") if isinstance(message, dict) else None
        if not isinstance(private, str) or not private.startswith(_REPLAY_PREFIX):
            return False
        entry = self._pending.pop(private, None)
        if entry is None:
            return False
        _, method, sent = entry
        if message.get("result") != sent:
            self.mismatches.append(method)
            logger.warning(
                "fast start answered %s from the packaged snapshot, and the server's own answer differs: "
                "src/jiramcp/transports/handshake.json is stale (regenerate it), or set JIRAMCP_FAST_START=false",
                method,
            )
        return True

    def _send(self, data: bytes) -> None:
        with self._write_lock:
            self._wire_out.write(data)
            self._wire_out.flush()


def _encode(message: dict[str, Any]) -> bytes:
    # The SDK's framing: compact JSON, UTF-8 as is, one message per line.
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
