"""Bulk read at the rate limit: 2,000 matching issues through `jira_search` pages.

    python -m bench --only rate

The sandbox is served over real HTTP on 127.0.0.1 with Jira Cloud's burst limiter set to 10 req/s
(bucket 10); jiramcp runs with its default budget (10 req/s, burst 5) and is driven through the
official MCP client, one page after the other as a model would, passing `next_page_token` on.
Measured: requests the sandbox received (search pages and anything else) against the minimum
Jira's page size allows (ceil(2,000 / 100)), wall time against the ideal (requests ÷ rate), and
the 429s the sandbox sent. Targets: the minimum, within 10 % of the ideal, zero 429s.
Side by side: the same read with the default page size (50).
"""

from __future__ import annotations

import itertools
import math
import statistics
import sys
import time
from typing import Any

import anyio
import httpx
from mcp import Client

from bench._harness import Row, peak_in_window, sandbox_env, sandbox_over_http
from jiramcp.sandbox import SANDBOX_TOKEN, RateLimitConfig, SandboxConfig
from jiramcp.server import build_server
from jiramcp.settings import load_settings
from jiramcp.tools.search import BRIEF_FIELDS

RATE = 10.0
ISSUES = 4_000  # PLAT gets half: exactly 2,000
JQL = "project = PLAT ORDER BY key ASC"
SEARCH_ENDPOINT = "POST /rest/api/3/search/jql"
MAX_PAGE = 100  # jira_search's `limit` bound, and what Jira serves per page with fields


async def read_all(url: str, app: Any, limit: int) -> dict[str, Any]:
    """Page through every match with `limit` per page; what it cost the sandbox and how long it took."""
    log = app.state.sandbox.log
    expected = sum(
        1 for issue in app.state.sandbox.store.data["issues"].values() if str(issue.get("key", "")).startswith("PLAT-")
    )
    settings = load_settings(sandbox_env(url), sandbox=True)  # default budget: 10 req/s, burst 5
    server = build_server(settings)  # no transport: real HTTP to 127.0.0.1
    keys: list[str] = []
    errors = 0
    async with Client(server) as client:
        await anyio.sleep(1.0)  # let the sandbox's bucket refill after any previous scenario
        log.reset()
        started = time.perf_counter()
        token: str | None = None
        while True:
            args: dict[str, Any] = {"jql": JQL, "limit": limit}
            if token:
                args["next_page_token"] = token
            result = await client.call_tool("jira_search", args)
            if result.is_error:
                errors += 1
                break
            page = result.structured_content
            keys += [issue["key"] for issue in page["issues"]]
            token = page.get("next_page_token")
            if page.get("is_last") or not token:
                break
        wall = time.perf_counter() - started
    snap = log.snapshot()
    steady = peak_in_window([record.time for record in log.records], skip=1.0)
    return {
        "max_rps_after_1s": steady,
        "wall": wall,
        "keys": len(keys),
        "distinct": len(set(keys)),
        "expected": expected,
        "errors": errors,
        "total": snap["total_requests"],
        "search": snap["requests_by_endpoint"].get(SEARCH_ENDPOINT, 0),
        "other": {k: v for k, v in snap["requests_by_endpoint"].items() if k != SEARCH_ENDPOINT},
        "throttled": sum(snap["throttled"].values()),
        "max_rps": snap["max_requests_per_second"],
    }


async def serving_floor(url: str, limit: int) -> float:
    """Seconds the sandbox itself takes to serve the same pages one after another, unpaced.

    The sandbox keeps one burst bucket per credential, so each page signs in with an email of its
    own and never waits for tokens: the figure is the floor a sequential reader cannot go below on
    this machine, whatever its budget.
    """
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        started = time.perf_counter()
        token: str | None = None
        for n in itertools.count():
            http.auth = httpx.BasicAuth(f"floor-{n}@example.com", SANDBOX_TOKEN)
            body: dict[str, Any] = {"jql": JQL, "maxResults": limit, "fields": list(BRIEF_FIELDS)}
            if token:
                body["nextPageToken"] = token
            answer = await http.post("/rest/api/3/search/jql", json=body)
            answer.raise_for_status()
            page = answer.json()
            token = page.get("nextPageToken")
            if page.get("isLast", True) or not token:
                break
        return time.perf_counter() - started


def _rows(result: dict[str, Any], limit: int, main: bool) -> list[Row]:
    minimum = math.ceil(result["expected"] / limit)
    ideal = result["total"] / RATE
    ratio = result["wall"] / ideal if ideal else float("inf")
    complete = result["distinct"] == result["expected"] == result["keys"] and not result["errors"]
    tag = f"limit={limit}"
    rows = [
        Row(
            "rate",
            f"{tag}: search requests for {result['distinct']:,} issues",
            result["search"],
            "req",
            ratio=f"minimum {minimum}; +{result['total'] - result['search']} other "
            f"{'/'.join(sorted(result['other'])) or ''}".rstrip(),
            target=f"== {minimum}, all {result['expected']:,} read once" if main else "",
            ok=(result["search"] == minimum and complete) if main else None,
            note=""
            if complete
            else f"read {result['keys']} ({result['distinct']} distinct), errors {result['errors']}",
            extra=result,
        ),
        Row(
            "rate",
            f"{tag}: wall time",
            result["wall"],
            "s",
            ratio=f"ideal {ideal:.2f} s ({result['total']} req / {RATE:g}/s): {ratio:.3f}x; "
            f"sandbox alone serves the pages in {result['floor']:.2f} s",
            target="<= 1.10x ideal" if main else "",
            ok=ratio <= 1.10 if main else None,
        ),
        Row(
            "rate",
            f"{tag}: 429s received",
            result["throttled"],
            "",
            ratio=f"peak {result['max_rps']} req in 1 s ({result['max_rps_after_1s']} after the first second)",
            target="0" if main else "",
            ok=result["throttled"] == 0 if main else None,
        ),
    ]
    return rows


async def measure(quick: bool) -> list[Row]:
    limits = RateLimitConfig(rate=RATE, burst=int(RATE))
    rows: list[Row] = []
    async with sandbox_over_http(SandboxConfig(seed=11, issues=ISSUES, limits=limits)) as (url, app):
        for limit in (MAX_PAGE,) if quick else (MAX_PAGE, 50):
            # The sandbox evaluates a query once and caches its order: warm it first, so neither
            # side pays the evaluation and the two figures compare the same serving cost.
            await serving_floor(url, limit)
            floor = statistics.median([await serving_floor(url, limit) for _ in range(1 if quick else 3)])
            result = await read_all(url, app, limit)
            result["floor"] = floor
            rows += _rows(result, limit, main=limit == MAX_PAGE)
    return rows


def run(quick: bool = False) -> list[Row]:
    return anyio.run(measure, quick)


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table(run("--quick" in sys.argv))
