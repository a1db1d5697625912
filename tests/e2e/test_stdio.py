"""`jiramcp` over stdio, spawned by the official MCP client, talking to the sandbox over HTTP."""

from __future__ import annotations

import anyio
import pytest
from mcp import Client, StdioServerParameters

from .conftest import JIRAMCP, jiramcp_env, sandbox_over_http

pytestmark = pytest.mark.anyio


def _text(result) -> str:
    return "\n".join(block.text for block in result.content if getattr(block, "type", None) == "text")


async def test_stdio_server_answers_tools_over_real_sockets_to_the_sandbox():
    with anyio.fail_after(90):
        async with sandbox_over_http() as jira_url:
            params = StdioServerParameters(
                command=JIRAMCP[0], args=JIRAMCP[1:], env=jiramcp_env(jira_url, JIRAMCP_RATE="0")
            )
            async with Client(params) as client:
                names = {tool.name for tool in (await client.list_tools()).tools}
                search = await client.call_tool(
                    "jira_search", {"jql": 'project = PLAT AND status = "In Progress" ORDER BY key', "limit": 5}
                )
                issue = await client.call_tool("jira_get_issue", {"key": "PLAT-1"})
                missing = await client.call_tool("jira_get_issue", {"key": "PLAT-99999"})
                bad_args = await client.call_tool("jira_search", {"jql": "project = PLAT", "limit": 100000})
    assert {"jira_search", "jira_get_issue"} <= names
    assert not search.is_error and "In Progress" in _text(search) and "PLAT-" in _text(search)
    assert not issue.is_error and "PLAT-1" in _text(issue)
    assert missing.is_error and "PLAT-99999" in _text(missing)
    assert bad_args.is_error and "limit" in _text(bad_args)


async def test_stdio_server_writes_nothing_but_protocol_to_stdout(tmp_path):
    """Every stdout line is one JSON-RPC message, even with verbose logging switched on."""
    import json
    import subprocess

    with anyio.fail_after(90):
        async with sandbox_over_http() as jira_url:
            requests = [
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {
                        "protocolVersion": "2025-11-25",
                        "capabilities": {},
                        "clientInfo": {"name": "t", "version": "1"},
                    },
                },
                {"jsonrpc": "2.0", "method": "notifications/initialized"},
                {
                    "jsonrpc": "2.0",
                    "id": 2,
                    "method": "tools/call",
                    "params": {"name": "jira_search", "arguments": {"jql": "project = MOB", "limit": 2}},
                },
            ]
            stdin = "".join(json.dumps(r) + "\n" for r in requests).encode()

            def run() -> subprocess.CompletedProcess[bytes]:
                # stdin stays open until the answer to id 2 is read, then closes: the server exits.
                # stderr to a file: a pipe nobody reads would fill up with -vv logs and block the server.
                with open(tmp_path / "stderr.txt", "wb") as errlog:
                    proc = subprocess.Popen(
                        [*JIRAMCP, "-vv"],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=errlog,
                        env=jiramcp_env(jira_url),
                    )
                assert proc.stdin is not None and proc.stdout is not None
                proc.stdin.write(stdin)
                proc.stdin.flush()
                lines = []
                while True:
                    line = proc.stdout.readline()
                    if not line:
                        break
                    lines.append(line)
                    if json.loads(line).get("id") == 2:
                        break
                proc.stdin.close()
                rest = proc.stdout.read()
                proc.stdout.close()
                proc.wait(timeout=30)
                err = (tmp_path / "stderr.txt").read_bytes()
                return subprocess.CompletedProcess(proc.args, proc.returncode, b"".join(lines) + rest, err)

            done = await anyio.to_thread.run_sync(run)
    lines = done.stdout.decode().splitlines()
    messages = [json.loads(line) for line in lines]
    assert all(message.get("jsonrpc") == "2.0" for message in messages)
    assert messages[-1]["id"] == 2 and "MOB-" in messages[-1]["result"]["content"][0]["text"]
    assert b"DEBUG" in done.stderr  # the logging went somewhere: stderr
    assert done.returncode == 0


def _raw_session(env: dict[str, str], requests: list[dict], stderr_path) -> dict:
    """Run `jiramcp` over stdio with `requests` written at once; its answers by request id."""
    import json
    import subprocess

    wanted = {r["id"] for r in requests if "id" in r}
    with open(stderr_path, "wb") as errlog:
        proc = subprocess.Popen([*JIRAMCP, "-v"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errlog, env=env)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("".join(json.dumps(r) + "\n" for r in requests).encode())
    proc.stdin.flush()
    answers = {}
    while not wanted <= set(answers):
        line = proc.stdout.readline()
        if not line:
            break
        message = json.loads(line)
        answers[message.get("id")] = message
    proc.stdin.close()
    proc.stdout.close()
    proc.wait(timeout=30)
    return answers


def _handshake_era_session() -> list[dict]:
    hello = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}
    lists = ["tools/list", "prompts/list", "resources/templates/list", "ping"]
    return [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": hello},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        *({"jsonrpc": "2.0", "id": k, "method": method} for k, method in enumerate(lists, start=2)),
        {"jsonrpc": "2.0", "id": 6, "method": "tools/call", "params": _SEARCH},
    ]


def _2026_era_session() -> list[dict]:
    envelope = "io.modelcontextprotocol/"
    meta = {
        f"{envelope}protocolVersion": "2026-07-28",
        f"{envelope}clientInfo": {"name": "t", "version": "1"},
        f"{envelope}clientCapabilities": {},
    }
    methods = ["server/discover", "tools/list", "prompts/list", "resources/list", "resources/templates/list"]
    return [
        *({"jsonrpc": "2.0", "id": k, "method": m, "params": {"_meta": meta}} for k, m in enumerate(methods, start=1)),
        {"jsonrpc": "2.0", "id": 6, "method": "tools/call", "params": {**_SEARCH, "_meta": meta}},
    ]


_SEARCH = {"name": "jira_search", "arguments": {"jql": "project = OPS ORDER BY key", "limit": 3}}


@pytest.mark.parametrize("session", [_handshake_era_session, _2026_era_session], ids=["handshake-era", "2026-era"])
async def test_fast_start_answers_exactly_what_the_server_answers_without_it(tmp_path, session):
    """The same session twice, with and without the fast start: the same answers, nothing stale."""
    requests = session()
    with anyio.fail_after(120):
        async with sandbox_over_http() as jira_url:
            runs = {}
            for fast in ("true", "false"):
                env = jiramcp_env(jira_url, JIRAMCP_FAST_START=fast, JIRAMCP_READ_ONLY="true")
                runs[fast] = await anyio.to_thread.run_sync(_raw_session, env, requests, tmp_path / f"{fast}.txt")
    assert set(runs["true"]) == {1, 2, 3, 4, 5, 6}
    assert runs["true"] == runs["false"]
    assert "OPS-" in runs["true"][6]["result"]["content"][0]["text"]
    assert not any(tool["annotations"].get("readOnlyHint") is False for tool in runs["true"][2]["result"]["tools"])
    fast_log, plain_log = (tmp_path / "true.txt").read_text(), (tmp_path / "false.txt").read_text()
    assert "answered tools/list from the packaged handshake" in fast_log and "stale" not in fast_log
    assert "fast start" not in plain_log


async def test_the_official_client_in_legacy_mode_works_through_the_fast_start():
    with anyio.fail_after(90):
        async with sandbox_over_http() as jira_url:
            params = StdioServerParameters(
                command=JIRAMCP[0], args=JIRAMCP[1:], env=jiramcp_env(jira_url, JIRAMCP_RATE="0")
            )
            async with Client(params, mode="legacy") as client:
                names = {tool.name for tool in (await client.list_tools()).tools}
                issue = await client.call_tool("jira_get_issue", {"key": "PLAT-1"})
    assert {"jira_search", "jira_get_issue"} <= names
    assert not issue.is_error and "PLAT-1" in _text(issue)
