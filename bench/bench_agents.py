"""Many agents at once: 20 MCP sessions on one jiramcp server, one 10 req/s Jira budget.

    python -m bench --only agents            # 60 s
    python -m bench --only agents --quick    # 10 s

The sandbox is served over HTTP on 127.0.0.1 enforcing Jira Cloud's limits (10 req/s burst bucket,
per-issue write windows). One `jiramcp serve --http` process (its own process, default budget:
10 req/s, burst 5, 4 in flight) serves 20 concurrent Streamable HTTP sessions, each a loop of mixed
reads (search, get issue, list comments) and writes (comment, create issue), every write carrying
a unique marker. Checked: the sandbox's most requests in any sliding 1 s window against the budget,
429s it had to send, failed calls, and, from the sandbox's store, that every write that answered
success landed exactly once (and no failed write landed twice).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from typing import Any

import anyio
import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from bench._harness import Row, free_socket, peak_in_window, percentile, sandbox_env, sandbox_over_http
from jiramcp.sandbox import RateLimitConfig, SandboxConfig

SESSIONS = 20
RATE = 10.0
HTTP_TOKEN = "bench-agents-http-token"
MARK = "agentmark"


def marker_counts(store: Any) -> Counter[str]:
    """How many times each write marker occurs in the store (comment bodies, issue summaries)."""
    found: Counter[str] = Counter()
    for issue in store.data["issues"].values():
        words = str(issue["f"].get("summary", "")).split()
        found.update(w for w in words if w.startswith(MARK))
        for comment in issue.get("comments", ()):
            text = json.dumps(comment.get("body"))
            found.update(w.strip('".,\\') for w in text.split() if w.strip('".,\\').startswith(MARK))
    return found


def _spawn(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """`jiramcp serve --http` on 127.0.0.1:port, as a deployment runs it (Popen returns at once)."""
    return subprocess.Popen(
        [sys.executable, "-m", "jiramcp", "serve", "--http", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def _wait_healthy(url: str, proc: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        with anyio.fail_after(30):
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"jiramcp serve --http exited with {proc.returncode}")
                try:
                    if (await http.get(f"{url}/healthz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await anyio.sleep(0.1)


async def agent(n: int, url: str, deadline: float, stats: dict[str, Any]) -> None:
    rng = random.Random(n)
    headers = {"Authorization": f"Bearer {HTTP_TOKEN}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=120) as http,
        Client(streamable_http_client(f"{url}/mcp", http_client=http)) as client,
    ):
        count = 0
        while time.monotonic() < deadline:
            count += 1
            marker = f"{MARK}-{n}-{count}"
            key = f"{rng.choice(['PLAT', 'MOB', 'OPS'])}-{rng.randint(1, 60)}"
            roll = rng.random()
            write = roll >= 0.7
            if roll < 0.35:
                tool, args = (
                    "jira_search",
                    {"jql": f"project = {key.split('-')[0]} AND key >= {key} ORDER BY key", "limit": 10},
                )
            elif roll < 0.55:
                tool, args = "jira_get_issue", {"key": key}
            elif roll < 0.7:
                tool, args = "jira_list_comments", {"key": key, "limit": 5}
            elif roll < 0.9:
                tool, args = "jira_add_comment", {"key": key, "body": f"Agent {n} note {marker} on *{key}*"}
            else:
                tool, args = (
                    "jira_create_issue",
                    {"project": "OPS", "issue_type": "Task", "summary": f"Agent {n} task {marker}"},
                )
            started = time.perf_counter()
            result = await client.call_tool(tool, args)
            stats["latency"].append(time.perf_counter() - started)
            stats["calls"] += 1
            if result.is_error:
                stats["failed"].append((tool, args, str(result.content[0])[:200]))
            elif write:
                stats["written"].append(marker)
            elif write is False and result.is_error:
                pass
            if write and result.is_error:
                stats["failed_writes"].append(marker)


async def measure(duration: float) -> list[Row]:
    limits = RateLimitConfig(rate=RATE, burst=int(RATE))
    stats: dict[str, Any] = {"calls": 0, "latency": [], "failed": [], "written": [], "failed_writes": []}
    async with sandbox_over_http(SandboxConfig(seed=5, issues=600, limits=limits)) as (jira_url, app):
        sock = free_socket()
        port = sock.getsockname()[1]
        sock.close()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JIRA", "JIRAMCP_"))}
        env |= sandbox_env(jira_url, JIRAMCP_HTTP_TOKEN=HTTP_TOKEN)
        proc = _spawn(env, port)
        url = f"http://127.0.0.1:{port}"
        try:
            await _wait_healthy(url, proc)
            await anyio.sleep(1.0)  # a full bucket at the start, as for a fresh tenant
            app.state.sandbox.log.reset()
            started = time.monotonic()
            deadline = started + duration
            with anyio.fail_after(duration + 120):
                async with anyio.create_task_group() as tg:
                    for n in range(SESSIONS):
                        tg.start_soon(agent, n, url, deadline, stats)
            wall = time.monotonic() - started
        finally:
            proc.terminate()
            try:
                _out, err = proc.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                _out, err = proc.communicate()
        snap = app.state.sandbox.log.snapshot()
        times = [record.time for record in app.state.sandbox.log.records]
        landed = marker_counts(app.state.sandbox.store)
    written = Counter(stats["written"])
    missing = [m for m in written if landed[m] != 1]
    doubled = [m for m, c in landed.items() if c > 1]
    sent = snap["total_requests"]
    peak = snap["max_requests_per_second"]
    lat = stats["latency"]
    note = f"first failure: {stats['failed'][0]}"[:160] if stats["failed"] else ""
    return [
        Row(
            "agents",
            f"{SESSIONS} sessions x {duration:.0f} s: tool calls",
            stats["calls"],
            "calls",
            ratio=f"p50 {percentile(lat, 50):.2f} s, p99 {percentile(lat, 99):.2f} s per call" if lat else "",
            target="0 failed",
            ok=not stats["failed"],
            note=note,
            extra={"failed": stats["failed"][:20], "stderr_tail": err.decode(errors="replace")[-2000:]},
        ),
        Row(
            "agents",
            "peak requests to Jira in any 1 s window",
            peak,
            "req",
            ratio=f"budget {RATE:g}/s; after the first second {peak_in_window(times, skip=1.0)}; "
            f"mean {sent / wall:.2f} req/s over {sent} requests",
            target=f"<= {RATE:g}",
            ok=peak <= RATE,
        ),
        Row(
            "agents",
            "429s received",
            sum(snap["throttled"].values()),
            "",
            ratio=str(snap["throttled"] or ""),
            target="0",
            ok=not snap["throttled"],
        ),
        Row(
            "agents",
            "writes answered success",
            len(written),
            "writes",
            ratio=f"landed exactly once: {len(written) - len(missing)}; duplicated in store: {len(doubled)}",
            target="all exactly once",
            ok=not missing and not doubled,
            extra={"missing": missing[:20], "doubled": doubled[:20], "sandbox_writes": snap["writes_applied"]},
        ),
    ]


def run(quick: bool = False) -> list[Row]:
    return anyio.run(measure, 10.0 if quick else 60.0)


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table(run("--quick" in sys.argv))
