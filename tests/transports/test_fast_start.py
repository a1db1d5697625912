"""The stdio fast start: early answers equal the server's own, and the server takes over cleanly."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import anyio
import pytest

from jiramcp.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, SandboxConfig, create_app, in_process_transport
from jiramcp.server import build_server
from jiramcp.settings import load_settings
from jiramcp.tools._policy import policy_from_settings
from jiramcp.transports._fast_start import FastStart
from jiramcp.transports._handshake import (
    HANDSHAKE_FILE,
    LISTS,
    MODERN_REQUESTS,
    Answers,
    load_answers,
    modern_meta,
    record_handshake,
)
from jiramcp.transports._wire import converse, serve_lines

pytestmark = pytest.mark.anyio

ENV = {"JIRA_USERNAME": SANDBOX_EMAIL, "JIRA_API_TOKEN": SANDBOX_TOKEN, "JIRA_DEPLOYMENT": "cloud", "JIRAMCP_RATE": "0"}
_SANDBOX = create_app(SandboxConfig(seed=7, issues=40))


def _server(env: Mapping[str, str] | None = None) -> Any:
    settings = load_settings({**ENV, **(env or {})}, sandbox=True)
    return build_server(settings, transport=in_process_transport(_SANDBOX))


def _answers(env: Mapping[str, str] | None = None) -> Answers:
    answers = load_answers(policy_from_settings(load_settings({**ENV, **(env or {})}, sandbox=True)))
    assert answers is not None, "the packaged handshake does not load: regenerate it (see the first test)"
    return answers


def _hello(protocol: str = "2025-11-25", request_id: Any = 1) -> dict[str, Any]:
    params = {"protocolVersion": protocol, "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}
    return {"jsonrpc": "2.0", "id": request_id, "method": "initialize", "params": params}


INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


def _session(protocol: str = "2025-11-25") -> list[dict[str, Any]]:
    lists = [{"jsonrpc": "2.0", "id": k, "method": method} for k, method in enumerate(LISTS, start=2)]
    return [_hello(protocol), INITIALIZED, *lists]


def _modern(method: str, request_id: Any, capabilities: dict[str, Any] | None = None) -> dict[str, Any]:
    params = {"_meta": modern_meta("2026-07-28", capabilities)}
    return {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params}


def _modern_session(capabilities: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return [_modern(method, k, capabilities) for k, method in enumerate(MODERN_REQUESTS)]


async def test_the_packaged_handshake_is_what_the_server_answers_today() -> None:
    """Regenerate with `JIRAMCP_UPDATE_SNAPSHOTS=1 python -m pytest tests/transports/test_fast_start.py`."""
    with anyio.fail_after(120):
        fresh = await record_handshake(_server({"JIRAMCP_ENABLE_DELETE": "true"}))
    if os.environ.get("JIRAMCP_UPDATE_SNAPSHOTS"):
        HANDSHAKE_FILE.write_text(json.dumps(fresh, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    packaged = json.loads(HANDSHAKE_FILE.read_text(encoding="utf-8"))
    assert packaged == fresh, "tool surface changed: regenerate src/jiramcp/transports/handshake.json (see docstring)"


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"JIRAMCP_READ_ONLY": "true"},
        {"JIRAMCP_TOOLSETS": "search,agile"},
        {"JIRAMCP_ENABLED_TOOLS": "jira_search,jira_get_issue"},
        {"JIRAMCP_TOOLSETS": "issues", "JIRAMCP_ENABLED_TOOLS": "jira_search"},
        {"JIRAMCP_DISABLED_TOOLS": "jira_add_comment", "JIRAMCP_ENABLE_DELETE": "true"},
        {"JIRAMCP_PROJECTS": "PLAT"},
    ],
    ids=["default", "read-only", "toolsets", "only-enabled", "toolset-plus-enabled", "disabled+delete", "projects"],
)
async def test_early_answers_under_a_policy_equal_the_server_registered_under_it(env: dict[str, str]) -> None:
    answers = _answers(env)
    with anyio.fail_after(60):
        real = await converse(_server(env), _session())
    assert answers.initialize(_session()[0]["params"]) == real[0]["result"]
    for method, response in zip(LISTS, real[1:], strict=True):
        assert answers.result(method, None) == response["result"], method
    with anyio.fail_after(60):
        real_modern = await converse(_server(env), _modern_session())
    for request, response in zip(_modern_session(), real_modern, strict=True):
        assert answers.modern(request["method"], request["params"]) == response["result"], request["method"]


@pytest.mark.parametrize(
    "capabilities",
    [{}, {"sampling": {}, "roots": {"listChanged": True}, "elicitation": {"form": {}}}],
    ids=["none", "sampling+roots+elicitation"],
)
async def test_2026_era_requests_are_answered_as_the_sdk_answers_them(capabilities: dict[str, Any]) -> None:
    answers = _answers()
    with anyio.fail_after(60):
        real = await converse(_server(), _modern_session(capabilities))
    for request, response in zip(_modern_session(capabilities), real, strict=True):
        assert answers.modern(request["method"], request["params"]) == response["result"], request["method"]


@pytest.mark.parametrize("protocol", ["2024-11-05", "2025-03-26", "2025-06-18", "2026-07-28", "1999-01-01"])
async def test_initialize_is_answered_for_every_version_as_the_sdk_negotiates_it(protocol: str) -> None:
    with anyio.fail_after(60):
        real = await converse(_server(), [_hello(protocol)])
    assert _answers().initialize(_hello(protocol)["params"]) == real[0]["result"]


def test_unusual_requests_are_left_to_the_server() -> None:
    answers = _answers()
    hello = _hello()["params"]
    assert answers.initialize({**hello, "extra": 1}) is None
    assert answers.initialize({**hello, "clientInfo": {"name": "no version"}}) is None
    assert answers.initialize({**hello, "protocolVersion": 20251125}) is None
    assert answers.initialize(None) is None
    assert answers.result("tools/list", {"cursor": "abc"}) is None
    assert answers.result("tools/call", None) is None
    assert answers.result("tools/list", {"_meta": {"progressToken": 1}}) is not None
    assert answers.result("tools/list", _modern("tools/list", 1)["params"]) is None
    modern = _modern("tools/list", 1)["params"]
    assert answers.modern("tools/list", modern) is not None
    assert answers.modern("ping", modern) is None
    assert answers.modern("tools/list", {**modern, "cursor": "abc"}) is None
    assert answers.modern("tools/list", {"_meta": {**modern["_meta"], "progressToken": 1}}) is None
    assert answers.modern("tools/list", {"_meta": modern_meta("2027-01-01")}) is None
    without_capabilities = {k: v for k, v in modern["_meta"].items() if not k.endswith("clientCapabilities")}
    assert answers.modern("tools/list", {"_meta": without_capabilities}) is None


def test_a_snapshot_from_another_sdk_version_or_a_policy_naming_unknown_tools_answers_nothing(tmp_path: Path) -> None:
    policy = policy_from_settings(load_settings(ENV, sandbox=True))
    data = json.loads(HANDSHAKE_FILE.read_text(encoding="utf-8"))
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**data, "sdk": "1.0.0"}), encoding="utf-8")
    assert load_answers(policy, other) is None
    assert load_answers(policy, tmp_path / "missing.json") is None
    assert load_answers(replace(policy, enabled_tools=frozenset({"jira_no_such_tool"}))) is None
    assert load_answers(policy) is not None


async def test_the_handshake_is_answered_before_the_server_runs_and_the_server_takes_over() -> None:
    server = _server()
    with _rewired() as (client, front_in, front_out):
        front = FastStart(_answers(), front_in, front_out)
        front.start()
        with anyio.fail_after(30):
            client.send(_hello(request_id="a"), INITIALIZED, {"jsonrpc": "2.0", "id": 7, "method": "tools/list"})
            hello, listing = await client.receive(), await client.receive()
            # Sent before the server runs: answered once it does, under the client's own id.
            call = {"name": "jira_lint_jql", "arguments": {"jql": "project = PLAT"}}
            client.send({"jsonrpc": "2.0", "id": 8, "method": "tools/call", "params": call})
            async with anyio.create_task_group() as tg:
                tg.start_soon(serve_lines, server, front.lines(), front)
                client.send({"jsonrpc": "2.0", "id": 9, "method": "tools/list"})
                answered = [await client.receive(), await client.receive()]
                client.close_stdin()
    assert hello["id"] == "a" and hello["result"]["serverInfo"]["name"] == "jiramcp"
    assert listing["id"] == 7 and {t["name"] for t in listing["result"]["tools"]} >= {"jira_search", "jira_lint_jql"}
    by_id = {message["id"]: message for message in answered}
    assert set(by_id) == {8, 9}, "each request is answered once, replayed ones are not answered twice"
    assert "result" in by_id[8] and not by_id[8]["result"].get("isError")
    assert by_id[9]["result"] == listing["result"]
    assert front.answered == ["initialize", "tools/list"] and front.mismatches == []


async def test_a_stale_snapshot_is_reported_when_the_server_answers_differently(
    caplog: pytest.LogCaptureFixture,
) -> None:
    real = _answers()
    listing = real.results["tools/list"]
    stale = replace(real, results={**real.results, "tools/list": {**listing, "tools": listing["tools"][1:]}})
    with _rewired() as (client, front_in, front_out), caplog.at_level(logging.WARNING):
        front = FastStart(stale, front_in, front_out)
        front.start()
        with anyio.fail_after(30):
            client.send(_hello(), INITIALIZED, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
            await client.receive()
            await client.receive()
            async with anyio.create_task_group() as tg:
                tg.start_soon(serve_lines, _server(), front.lines(), front)
                client.send({"jsonrpc": "2.0", "id": 3, "method": "ping"})
                assert (await client.receive())["id"] == 3
                client.close_stdin()
    assert front.mismatches == ["tools/list"]
    assert "handshake.json is stale" in caplog.text


async def test_a_2026_era_session_is_answered_early_and_handed_over() -> None:
    with _rewired() as (client, front_in, front_out):
        front = FastStart(_answers(), front_in, front_out)
        front.start()
        with anyio.fail_after(30):
            client.send(_modern("server/discover", 1), _modern("tools/list", 2))
            discovered, listing = await client.receive(), await client.receive()
            call = _modern("tools/call", 3)
            call["params"] |= {"name": "jira_lint_jql", "arguments": {"jql": "project = PLAT"}}
            client.send(call)
            async with anyio.create_task_group() as tg:
                tg.start_soon(serve_lines, _server(), front.lines(), front)
                answered = await client.receive()
                client.close_stdin()
    assert discovered["id"] == 1 and "2026-07-28" in discovered["result"]["supportedVersions"]
    assert listing["id"] == 2 and len(listing["result"]["tools"]) == 28
    assert answered["id"] == 3 and answered["result"]["structuredContent"]["valid"] is True
    assert front.answered == ["server/discover", "tools/list"] and front.mismatches == []


async def test_a_first_message_other_than_initialize_leaves_everything_to_the_server() -> None:
    with _rewired() as (client, front_in, front_out):
        front = FastStart(_answers(), front_in, front_out)
        front.start()
        with anyio.fail_after(30):
            client.send({"jsonrpc": "2.0", "id": 1, "method": "ping"}, _hello(request_id=2))
            async with anyio.create_task_group() as tg:
                tg.start_soon(serve_lines, _server(), front.lines(), front)
                answers = {m["id"]: m for m in [await client.receive(), await client.receive()]}
                client.close_stdin()
    assert front.answered == []
    assert answers[1]["result"] == {} and answers[2]["result"]["serverInfo"]["name"] == "jiramcp"


async def test_stdin_closing_before_the_server_runs_ends_the_session() -> None:
    with _rewired() as (client, front_in, front_out):
        front = FastStart(_answers(), front_in, front_out)
        front.start()
        client.send(_hello(), INITIALIZED)
        client.close_stdin()
        with anyio.fail_after(30):
            await client.receive()
            await serve_lines(_server(), front.lines(), front)
    assert front.answered == ["initialize"] and front.mismatches == []


class _Client:
    def __init__(self, to_server: IO[bytes], from_server: IO[bytes]) -> None:
        self._to_server = to_server
        self._from_server = from_server

    def send(self, *messages: dict[str, Any]) -> None:
        for message in messages:
            self._to_server.write(json.dumps(message).encode() + b"\n")
        self._to_server.flush()

    def close_stdin(self) -> None:
        self._to_server.close()

    async def receive(self) -> dict[str, Any]:
        line = await anyio.to_thread.run_sync(self._from_server.readline)
        assert line, "the server closed stdout"
        return json.loads(line)


@contextmanager
def _rewired() -> Iterator[tuple[_Client, IO[bytes], IO[bytes]]]:
    """Two pipes: the client's ends (as a `_Client`) and the front end's stdin and stdout."""
    stdin_read, stdin_write = os.pipe()
    stdout_read, stdout_write = os.pipe()
    files = [
        os.fdopen(stdin_write, "wb"),
        os.fdopen(stdout_read, "rb"),
        os.fdopen(stdin_read, "rb"),
        os.fdopen(stdout_write, "wb"),
    ]
    try:
        yield _Client(files[0], files[1]), files[2], files[3]
    finally:
        for f in files:
            if not f.closed:
                f.close()


async def test_a_fault_in_the_fast_start_leaves_the_session_to_the_server(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(method: str, params: Any) -> Any:
        raise RuntimeError("boom")

    answers = _answers()
    monkeypatch.setattr(Answers, "result", lambda self, method, params: broken(method, params))
    with _rewired() as (client, front_in, front_out), caplog.at_level(logging.ERROR):
        front = FastStart(answers, front_in, front_out)
        front.start()
        with anyio.fail_after(30):
            client.send(_hello(), INITIALIZED, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
            hello = await client.receive()
            async with anyio.create_task_group() as tg:
                tg.start_soon(serve_lines, _server(), front.lines(), front)
                listing = await client.receive()
                client.close_stdin()
    assert hello["id"] == 1 and listing["id"] == 2 and len(listing["result"]["tools"]) == 28
    assert front.answered == ["initialize"] and "unexpected error" in caplog.text
