"""jiramcp's own cost per tool call, and the server's peak memory.

    python -m bench --only overhead

1. Latency: the official MCP client in memory → jiramcp → the in-process sandbox with no limits
   and no faults. Side by side in the same rounds, the same Jira REST request sent straight to
   the sandbox with httpx; jiramcp's overhead is the difference (MCP framing, argument checks,
   the budgeted client, shaping the answer). p50 and p99 over all calls.
2. Memory: `jiramcp` as a stdio subprocess (as Claude Desktop runs it) pointed at the sandbox
   served over HTTP on 127.0.0.1, driven through a few hundred mixed calls; its peak RSS
   (`VmHWM`) read from /proc just before it exits.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import httpx
from mcp import Client, StdioServerParameters

from bench._harness import Row, percentile, sandbox_env, sandbox_over_http
from jiramcp.sandbox import (
    SANDBOX_EMAIL,
    SANDBOX_TOKEN,
    RateLimitConfig,
    SandboxConfig,
    create_app,
    in_process_transport,
)
from jiramcp.server import build_server
from jiramcp.settings import load_settings

SEED = 7
ISSUES = 300

# (tool, arguments, the REST request it makes once metadata is cached)
CASES: list[tuple[str, dict[str, Any], tuple[str, str, dict[str, Any] | None]]] = [
    ("jira_get_issue", {"key": "PLAT-10"}, ("GET", "/rest/api/3/issue/PLAT-10", None)),
    (
        "jira_search",
        {"jql": "project = PLAT ORDER BY key ASC", "limit": 50},
        (
            "POST",
            "/rest/api/3/search/jql",
            {"jql": "project = PLAT ORDER BY key ASC", "maxResults": 50, "fields": ["*navigable"]},
        ),
    ),
]


async def _timed(call: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await call()
    return time.perf_counter() - started


async def latency(rounds: int, per_round: int) -> list[Row]:
    app = create_app(SandboxConfig(seed=SEED, issues=ISSUES, limits=RateLimitConfig(enabled=False)))
    settings = load_settings(sandbox_env(JIRAMCP_RATE="0"), sandbox=True)
    server = build_server(settings, transport=in_process_transport(app))
    rows: list[Row] = []
    async with (
        Client(server) as client,
        httpx.AsyncClient(
            transport=in_process_transport(app), base_url="http://sandbox", auth=(SANDBOX_EMAIL, SANDBOX_TOKEN)
        ) as raw,
    ):
        for tool, args, (method, path, body) in CASES:

            async def through_mcp(tool: str = tool, args: dict[str, Any] = args) -> None:
                result = await client.call_tool(tool, args)
                if result.is_error:
                    raise RuntimeError(f"{tool} failed during the benchmark")

            async def direct(method: str = method, path: str = path, body: Any = body) -> None:
                (await raw.request(method, path, json=body)).raise_for_status()

            for _ in range(5):  # warm caches (field list, catalog) and code paths
                await through_mcp()
                await direct()
            ours: list[float] = []
            theirs: list[float] = []
            for _ in range(rounds):  # interleaved rounds share the machine's conditions
                ours += [await _timed(through_mcp) for _ in range(per_round)]
                theirs += [await _timed(direct) for _ in range(per_round)]
            p50, p99 = percentile(ours, 50), percentile(ours, 99)
            raw50, raw99 = percentile(theirs, 50), percentile(theirs, 99)
            label = f"{tool} {next(iter(args.values()))!s}"[:48]
            rows.append(
                Row(
                    "overhead",
                    f"{label}: call p50",
                    p50 * 1e6,
                    "us",
                    ratio=f"sandbox alone {raw50 * 1e6:,.0f} us; jiramcp adds {(p50 - raw50) * 1e6:,.0f} us",
                    extra={"samples": len(ours)},
                )
            )
            rows.append(
                Row(
                    "overhead",
                    f"{label}: call p99",
                    p99 * 1e6,
                    "us",
                    ratio=f"sandbox alone {raw99 * 1e6:,.0f} us; jiramcp adds {(p99 - raw99) * 1e6:,.0f} us",
                )
            )
    return rows


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found + [grand for child in found for grand in _children(child)]


def _peak_rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


async def memory(calls: int) -> list[Row]:
    async with sandbox_over_http(SandboxConfig(seed=SEED, issues=ISSUES, limits=RateLimitConfig(enabled=False))) as (
        url,
        _app,
    ):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JIRA", "JIRAMCP_"))}
        env |= sandbox_env(url, JIRAMCP_RATE="0")
        params = StdioServerParameters(command=sys.executable, args=["-m", "jiramcp"], env=env)
        before = set(_children(os.getpid()))
        async with Client(params) as client:
            spawned = [pid for pid in _children(os.getpid()) if pid not in before]
            await client.list_tools()
            idle = max(filter(None, (_peak_rss_mib(pid) for pid in spawned)), default=None)
            failed = 0
            for n in range(calls):
                key = f"PLAT-{n % 150 + 1}"
                tool, args = [
                    ("jira_search", {"jql": f"project = PLAT AND key >= {key} ORDER BY key", "limit": 50}),
                    ("jira_get_issue", {"key": key, "include": ["comments", "links"]}),
                    ("jira_add_comment", {"key": key, "body": f"bench note {n} with **Markdown**"}),
                    ("jira_list_comments", {"key": key}),
                ][n % 4]
                failed += (await client.call_tool(tool, args)).is_error
            peak = max(filter(None, (_peak_rss_mib(pid) for pid in spawned)), default=None)
    if peak is None:
        return [Row("overhead", "server peak RSS", None, note="n/a: could not read /proc/<pid>/status")]
    return [
        Row(
            "overhead",
            f"server peak RSS (stdio, after {calls} mixed calls)",
            peak,
            "MiB",
            ratio=f"after tools/list {idle:.0f} MiB" if idle else "",
            target="0 failed calls",
            ok=failed == 0,
            note=f"{failed} failed" if failed else "",
        )
    ]


def run(quick: bool = False) -> list[Row]:
    rounds, per_round, calls = (3, 30, 80) if quick else (7, 100, 400)

    async def both() -> list[Row]:
        return [*await latency(rounds, per_round), *await memory(calls)]

    return anyio.run(both)


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table(run("--quick" in sys.argv))
