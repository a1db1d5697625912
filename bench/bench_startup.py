"""Start-up of `jiramcp` over stdio: process spawn → `tools/list` answered, and peak RSS.

Run: `python bench/bench_startup.py [--runs 15]`. Side by side, interleaved run by run:

- `jiramcp` (stdio, configured for a Jira it never needs to reach before `tools/list`);
- `jiramcp --sandbox` (also builds the in-process demo Jira);
- a bare MCP SDK server with one tool: the floor any Python MCP server on this SDK pays.

Bytecode is cached in a temporary `PYTHONPYCACHEPREFIX` (warmed once), as after `pip install`.
"""

from __future__ import annotations

import argparse
import json
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


def once(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Seconds to the `tools/list` answer, peak RSS in MiB, tools listed."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdin is not None and proc.stdout is not None

    def send(message: dict) -> None:
        proc.stdin.write((json.dumps(message) + "\n").encode())
        proc.stdin.flush()

    send(INIT)
    proc.stdout.readline()
    send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    send({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
    answer = json.loads(proc.stdout.readline())
    elapsed = time.perf_counter() - start
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    return elapsed, usage.ru_maxrss / 1024, len(answer["result"]["tools"])


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
    cases = {
        "jiramcp (stdio)": ([sys.executable, "-m", "jiramcp"], jira_env),
        "jiramcp --sandbox": ([sys.executable, "-m", "jiramcp", "--sandbox"], env),
        "bare SDK server, 1 tool": ([sys.executable, str(bare)], env),
    }
    for command, case_env in cases.values():  # warm the bytecode cache
        once(command, case_env)
    results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, (command, case_env) in cases.items():
            results[name].append(once(command, case_env))
    floor = statistics.median(r[0] for r in results["bare SDK server, 1 tool"])
    print(f"spawn -> tools/list answered over stdio, median of {args.runs} runs (os.cpu_count()={os.cpu_count()})")
    print(f"{'server':<26}{'tools':>6}{'median s':>10}{'min s':>8}{'x floor':>9}{'peak RSS MiB':>14}")
    for name, rows in results.items():
        times = [r[0] for r in rows]
        median = statistics.median(times)
        rss = statistics.median(r[1] for r in rows)
        print(f"{name:<26}{rows[0][2]:>6}{median:>10.3f}{min(times):>8.3f}{median / floor:>9.2f}{rss:>14.1f}")


if __name__ == "__main__":
    main()
