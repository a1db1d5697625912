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
