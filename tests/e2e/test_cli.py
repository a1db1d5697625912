"""The shell commands as a user runs them: `jiramcp --sandbox call ...`, `tools`, `serve --http`."""

from __future__ import annotations

import json
import re
import signal
import subprocess

import anyio
import httpx
import pytest

from .conftest import JIRAMCP, jiramcp_env, sandbox_over_http

README_JQL = 'project = PLAT AND status = "In Progress"'


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*JIRAMCP, *args], capture_output=True, text=True, timeout=timeout, env=env or jiramcp_env())


def test_the_readme_command_prints_real_results_from_the_sandbox():
    done = run("--sandbox", "call", "jira_search", json.dumps({"jql": README_JQL}))
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if re.match(r"^PLAT-\d+ \|", line)]
    assert len(rows) >= 3
    assert all("In Progress" in row for row in rows)
    assert done.stderr == ""


def test_call_exits_1_on_a_tool_error_and_2_on_bad_input():
    tool_error = run("--sandbox", "call", "jira_get_issue", '{"key": "PLAT-99999"}')
    not_json = run("--sandbox", "call", "jira_search", "{jql: nope}")
    unknown = run("--sandbox", "call", "jira_serch", "{}")
    assert tool_error.returncode == 1 and "PLAT-99999" in tool_error.stderr and tool_error.stdout == ""
    assert not_json.returncode == 2 and "not valid JSON" in not_json.stderr
    assert unknown.returncode == 2 and "jira_search" in unknown.stderr


def test_call_json_prints_the_structured_result():
    done = run("call", "--sandbox", "--json", "jira_search", '{"jql": "project = OPS ORDER BY key", "limit": 2}')
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert [issue["key"][:4] for issue in payload["issues"]] == ["OPS-", "OPS-"]


def test_tools_lists_each_tool_with_its_token_cost_and_respects_read_only():
    every = run("tools")
    read_only = run("tools", env=jiramcp_env(JIRAMCP_READ_ONLY="true"))
    assert every.returncode == 0, every.stderr
    lines = every.stdout.splitlines()
    search = next(line for line in lines if line.startswith("jira_search "))
    assert int(re.search(r"(\d+) tok", search).group(1)) > 50
    assert re.match(r"^\d+ tools, \d+ tokens", lines[-1])
    assert " write " in every.stdout and " write " not in read_only.stdout


def test_sandbox_state_survives_a_restart(tmp_path):
    state = str(tmp_path / "demo.json")
    created = run(
        "--sandbox-state",
        state,
        "call",
        "jira_create_issue",
        json.dumps({"project": "OPS", "issue_type": "Task", "summary": "Survives a restart"}),
    )
    assert created.returncode == 0, created.stderr + created.stdout
    key = re.search(r"\bOPS-\d+\b", created.stdout).group(0)
    again = run("--sandbox-state", state, "call", "jira_get_issue", json.dumps({"key": key}))
    fresh = run("--sandbox", "call", "jira_get_issue", json.dumps({"key": key}))
    assert again.returncode == 0 and "Survives a restart" in again.stdout
    assert "Survives a restart" not in fresh.stdout


def test_a_configuration_error_is_one_line_naming_the_variable():
    done = run("call", "jira_search", '{"jql": "project = PLAT"}')
    assert done.returncode == 2
    assert done.stderr.startswith("jiramcp: JIRA_URL") and done.stderr.count("\n") == 1


@pytest.mark.anyio
async def test_serve_http_subprocess_answers_and_stops_cleanly_on_sigterm():
    with anyio.fail_after(90):
        async with sandbox_over_http() as jira_url:
            env = jiramcp_env(jira_url, JIRAMCP_HTTP_TOKEN="tok")
            proc = await anyio.open_process([*JIRAMCP, "serve", "--http", "--port", "0"], env=env)
            try:
                assert proc.stderr is not None
                banner = b""
                while b"/healthz" not in banner:
                    banner += await proc.stderr.receive()
                url = re.search(rb"http://127\.0\.0\.1:\d+", banner).group(0).decode()
                async with httpx.AsyncClient(timeout=10) as http:
                    health = await http.get(f"{url}/healthz")
                    unauth = await http.post(f"{url}/mcp", json={})
                proc.send_signal(signal.SIGTERM)
                code = await proc.wait()
            finally:
                if proc.returncode is None:
                    proc.kill()
                    await proc.wait()
                await proc.aclose()
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert unauth.status_code == 401
    assert code == 0
