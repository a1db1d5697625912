"""Many agents at once: 20 MCP sessions on one jiramcp server, one 10 req/s Jira budget.

    python -m bench --only agents            # 60 s
    python -m bench --only agents --quick    # 10 s

Three processes, so that no one's timing is another's: the sandbox (`jiramcp sandbox serve`,
enforcing Jira Cloud's limits: a 10 req/s burst bucket of 10, per-issue write windows), one
`jiramcp serve --http` (default budget: 10 req/s, burst 5, 4 in flight), and this benchmark
driving 20 concurrent Streamable HTTP sessions, each a loop of mixed reads (search, get issue,
list comments) and writes (comment, create issue), every write carrying a unique marker.
Checked: the most requests the sandbox received in any sliding 1 s window against the budget
(read from its `/_sandbox/traffic` report), 429s it had to send, failed calls, and, by searching
the sandbox's REST API for the markers, that every write that answered success landed exactly
once (and no failed write landed twice).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from typing import IO, Any

import anyio
import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from bench._harness import (
    Row,
    free_port,
    peak_in_window,
    percentile,
    sandbox_env,
    sandbox_process,
    stop_process,
)
from jiramcp.sandbox import SANDBOX_TOKEN

SESSIONS = 20
RATE = 10.0
HTTP_TOKEN = "bench-agents-http-token"
MARK = "agentmark"
MARKER = re.compile(rf"\b{MARK}-\d+-\d+\b")
# The check after the run signs in with another email: the sandbox keeps a bucket per credential,
# so the check never waits on what jiramcp's credential used up.
CHECKER_EMAIL = "checker@example.com"


async def landed_markers(url: str) -> Counter[str]:
    """How many times each write marker is in the sandbox (issue summaries, comment bodies).

    Found through the REST API as any client would: `text ~ "agentmark"` (summaries and
    comments), every page, with the comments of each match.
    """
    found: Counter[str] = Counter()
    body: dict[str, Any] = {"jql": f'text ~ "{MARK}" ORDER BY key', "fields": ["summary", "comment"], "maxResults": 100}
    async with httpx.AsyncClient(base_url=url, auth=(CHECKER_EMAIL, SANDBOX_TOKEN), timeout=60) as http:
        while True:
            page = await _post_json(http, "/rest/api/3/search/jql", body)
            for issue in page["issues"]:
                fields = issue["fields"]
                found.update(MARKER.findall(str(fields.get("summary", ""))))
                for comment in (fields.get("comment") or {}).get("comments", ()):
                    found.update(MARKER.findall(json.dumps(comment.get("body"))))
            if page.get("isLast", True) or not page.get("nextPageToken"):
                return found
            body["nextPageToken"] = page["nextPageToken"]


async def warm_up(url: str) -> None:
    """One request of each kind the sessions send, straight to the sandbox, before counting starts.

    The sandbox's first search builds its JQL machinery (about 0.1-0.3 s of CPU). Its event loop
    stamps a request when it gets to it, so during that stall the requests jiramcp sent at an even
    pace would be stamped together: a stall of the stand-in, not bunching by the client. Jira
    stamps arrivals at its edge while other machines work; a warm sandbox is the closer match.
    """
    key = "PLAT-1"
    async with httpx.AsyncClient(base_url=url, auth=(CHECKER_EMAIL, SANDBOX_TOKEN), timeout=60) as http:
        await _post_json(
            http, "/rest/api/3/search/jql", {"jql": f"project = PLAT AND key >= {key} ORDER BY key", "maxResults": 10}
        )
        await _post_json(http, "/rest/api/3/search/jql", {"jql": f'text ~ "{MARK}"', "maxResults": 1})
        (await http.get(f"/rest/api/3/issue/{key}")).raise_for_status()
        (await http.get(f"/rest/api/3/issue/{key}/comment", params={"maxResults": 5})).raise_for_status()


async def _post_json(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    for _ in range(10):
        response = await http.post(path, json=body)
        if response.status_code != 429:
            response.raise_for_status()
            return dict(response.json())
        await anyio.sleep(float(response.headers.get("retry-after", "1")))
    raise RuntimeError(f"the sandbox kept answering 429 to {path}")


def _spawn(env: dict[str, str], port: int, stderr: IO[bytes]) -> subprocess.Popen[bytes]:
    """`jiramcp serve --http` on 127.0.0.1:port, as a deployment runs it (Popen returns at once)."""
    return subprocess.Popen(
        [sys.executable, "-m", "jiramcp", "serve", "--http", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
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
                if write:
                    stats["failed_writes"].append(marker)
            elif write:
                stats["written"].append(marker)


async def measure(duration: float) -> list[Row]:
    stats: dict[str, Any] = {"calls": 0, "latency": [], "failed": [], "written": [], "failed_writes": []}
    async with sandbox_process(issues=600, seed=5) as sandbox:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JIRA_", "JIRAMCP_"))}
        env |= sandbox_env(sandbox.url, JIRAMCP_HTTP_TOKEN=HTTP_TOKEN)
        with tempfile.TemporaryFile() as stderr:
            proc = _spawn(env, port, stderr)
            url = f"http://127.0.0.1:{port}"
            try:
                await _wait_healthy(url, proc)
                await warm_up(sandbox.url)
                await anyio.sleep(1.0)  # a full bucket at the start, as for a fresh tenant
                await sandbox.reset()
                started = time.monotonic()
                deadline = started + duration
                with anyio.fail_after(duration + 120):
                    async with anyio.create_task_group() as tg:
                        for n in range(SESSIONS):
                            tg.start_soon(agent, n, url, deadline, stats)
                wall = time.monotonic() - started
            finally:
                stop_process(proc)
            stderr.seek(0)
            err = stderr.read().decode(errors="replace")[-2000:]
        report = await sandbox.traffic()
        landed = await landed_markers(sandbox.url)
    return rows(duration, wall, stats, report, landed, err)


def rows(
    duration: float, wall: float, stats: dict[str, Any], report: dict[str, Any], landed: Counter[str], err: str
) -> list[Row]:
    """The table rows from what the sessions saw, the sandbox's traffic report and the markers found."""
    written = Counter(stats["written"])
    missing = [m for m in written if landed[m] != 1]
    doubled = [m for m, c in landed.items() if c > 1]
    stray = [m for m in landed if m not in written and m not in stats["failed_writes"]]
    sent = report["total_requests"]
    peak = report["max_requests_per_second"]
    times = [record["time"] for record in report["records"]]
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
            extra={"failed": stats["failed"][:20], "stderr_tail": err},
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
            extra={"requests_by_endpoint": report["requests_by_endpoint"]},
        ),
        Row(
            "agents",
            "429s received",
            sum(report["throttled"].values()),
            "",
            ratio=str(report["throttled"] or ""),
            target="0",
            ok=not report["throttled"],
        ),
        Row(
            "agents",
            "writes answered success",
            len(written),
            "writes",
            ratio=f"landed exactly once: {len(written) - len(missing)}; duplicated: {len(doubled)}; "
            f"landed though the call failed: {len(stray)}",
            target="all exactly once",
            ok=not missing and not doubled,
            extra={
                "missing": missing[:20],
                "doubled": doubled[:20],
                "stray": stray[:20],
                "sandbox_writes": report["writes_applied"],
            },
        ),
    ]


def run(quick: bool = False) -> list[Row]:
    return anyio.run(measure, 10.0 if quick else 60.0)


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table(run("--quick" in sys.argv))
