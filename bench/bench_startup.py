"""Start-up of `jiramcp` over stdio: process spawn → `tools/list` answered, first tool call, peak RSS.

Run: `python bench/bench_startup.py [--runs 15]`. Side by side, interleaved run by run:

- `jiramcp` (stdio, configured for a Jira it never needs to reach before `tools/list`);
- `jiramcp --sandbox` (also builds the in-process demo Jira), where the first tool call is timed too;
- both again with `JIRAMCP_FAST_START=false` (the SDK answers the handshake itself);
- `jiramcp --sandbox` opened the 2026-07-28 way (`server/discover`, each request carrying `_meta`);
- a bare MCP SDK server with one tool: the floor any Python MCP server on this SDK pays.

The session is what a client does: `initialize`, `notifications/initialized`, `tools/list`, then
(for the servers that can answer one without a network) a first `tools/call`, each sent once the
previous answer arrived.

Bytecode is cached in a temporary `PYTHONPYCACHEPREFIX` (warmed once), as after `pip install`.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_SERVER = """
from mcp.server import MCPServer
server = MCPServer("bare")
@server.tool()
def echo(text: str) -> str:
    \"\"\"Echo the text.\"\"\"
    return text
server.run()
"""

INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}},
}


MODERN_META = {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientInfo": {"name": "bench", "version": "1"},
    "io.modelcontextprotocol/clientCapabilities": {},
}


def once(
    command: list[str], env: dict[str, str], call: dict | None, *, modern: bool = False
) -> tuple[float, float, float, int]:
    """Seconds to the `tools/list` answer, to the first `call` answered (nan without one), peak RSS
    in MiB, tools listed. `modern`: a 2026-07-28 session (`server/discover`, no handshake)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdin is not None and proc.stdout is not None

    def send(message: dict) -> None:
        proc.stdin.write((json.dumps(message) + "\n").encode())
        proc.stdin.flush()

    meta = {"params": {"_meta": MODERN_META}} if modern else {}
    if modern:
        send({"jsonrpc": "2.0", "id": 1, "method": "server/discover", **meta})
        proc.stdout.readline()
    else:
        send(INIT)
        proc.stdout.readline()
        send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    send({"jsonrpc": "2.0", "id": 2, "method": "tools/list", **meta})
    answer = json.loads(proc.stdout.readline())
    elapsed = time.perf_counter() - start
    called = float("nan")
    if call is not None:
        send({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": call | meta.get("params", {})})
        reply = json.loads(proc.stdout.readline())
        assert reply.get("id") == 3 and not reply["result"].get("isError"), reply
        called = time.perf_counter() - start
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    return elapsed, called, usage.ru_maxrss / 1024, len(answer["result"]["tools"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    cache = tempfile.mkdtemp(prefix="jiramcp-bench-pyc-")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIRA", "JIRAMCP_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = cache
    jira_env = env | {
        "JIRA_URL": "http://127.0.0.1:9",
        "JIRA_USERNAME": "bench@example.com",
        "JIRA_API_TOKEN": "unused",
    }
    bare = Path(cache) / "bare_server.py"
    bare.write_text(BARE_SERVER)
    jiramcp = [sys.executable, "-m", "jiramcp"]
    search = {"name": "jira_search", "arguments": {"jql": "project = PLAT ORDER BY key", "limit": 1}}
    slow = {"JIRAMCP_FAST_START": "false"}
    cases = {
        "jiramcp (stdio)": (jiramcp, jira_env, None),
        "jiramcp, fast start off": (jiramcp, jira_env | slow, None),
        "jiramcp --sandbox": ([*jiramcp, "--sandbox"], env, search),
        "jiramcp --sandbox, 2026-07-28 session": ([*jiramcp, "--sandbox"], env, search, True),
        "jiramcp --sandbox, fast start off": ([*jiramcp, "--sandbox"], env | slow, search),
        "bare SDK server, 1 tool": ([sys.executable, str(bare)], env, {"name": "echo", "arguments": {"text": "hi"}}),
    }
    for command, case_env, call, *modern in cases.values():  # warm the bytecode cache
        once(command, case_env, call, modern=bool(modern))
    results: dict[str, list[tuple[float, float, float, int]]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, (command, case_env, call, *modern) in cases.items():
            results[name].append(once(command, case_env, call, modern=bool(modern)))
    floor = statistics.median(r[0] for r in results["bare SDK server, 1 tool"])
    print(f"spawn -> answers over stdio, median of {args.runs} runs (os.cpu_count()={os.cpu_count()})")
    print(f"{'server':<40}{'tools':>6}{'median s':>10}{'min s':>8}{'x floor':>9}{'peak RSS MiB':>14}{'1st call s':>12}")
    for name, rows in results.items():
        times = [r[0] for r in rows]
        median = statistics.median(times)
        rss = statistics.median(r[2] for r in rows)
        first_call = statistics.median(r[1] for r in rows)
        shown = "-" if math.isnan(first_call) else f"{first_call:.3f}"
        print(
            f"{name:<40}{rows[0][3]:>6}{median:>10.3f}{min(times):>8.3f}{median / floor:>9.2f}{rss:>14.1f}{shown:>12}"
        )
    print("median s / min s / x floor: spawn -> tools/list answered; 1st call s: spawn -> first tools/call answered")


if __name__ == "__main__":
    main()
