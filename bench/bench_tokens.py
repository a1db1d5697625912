"""What the model reads, in o200k tokens: the tool list, each tool's schema, and typical answers.

    python -m bench --only tokens      # or: python -m bench.bench_tokens

Measured through the official MCP client in memory against a seeded in-process sandbox (no
limits). Side by side with each answer's text, the compact JSON of the same answer's structured
content and of the raw Jira REST JSON it was made from, so the ratios say how much jiramcp saves.
"""

from __future__ import annotations

import json
from typing import Any

import anyio
import httpx
from mcp import Client

from bench._harness import Row, sandbox_env
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
SEARCH_JQL = "project = PLAT ORDER BY key ASC"
ISSUE_KEY = "PLAT-10"
# Budgets the tool tests also hold (tests/tools/test_token_budget.py): the figures must stay under.
SEARCH_BUDGET = 1_900
ISSUE_BUDGET = 320
SCHEMA_BUDGET_EACH = 900


def _encoding() -> Any:
    import bpe_openai

    return bpe_openai.get_encoding("o200k_base")


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _text(result: Any) -> str:
    return "\n".join(block.text for block in result.content if getattr(block, "type", None) == "text")


async def _raw_jira(app: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """What Jira itself answers (compact JSON), as a naive server would pass it on."""
    async with httpx.AsyncClient(
        transport=in_process_transport(app), base_url="http://sandbox", auth=(SANDBOX_EMAIL, SANDBOX_TOKEN)
    ) as http:
        answer = await http.request(method, path, json=body)
        answer.raise_for_status()
        return answer.json()


async def measure() -> list[Row]:
    enc = _encoding()

    def tokens(text: str) -> int:
        return len(enc.encode(text))

    app = create_app(SandboxConfig(seed=SEED, issues=ISSUES, limits=RateLimitConfig(enabled=False)))
    settings = load_settings(sandbox_env(JIRAMCP_RATE="0"), sandbox=True)
    server = build_server(settings, transport=in_process_transport(app))
    rows: list[Row] = []
    async with Client(server) as client:
        listed = await client.list_tools()
        per_tool: dict[str, int] = {}
        wire_total = 0
        for tool in listed.tools:
            # What a client puts in front of the model: name, description, input schema.
            view = {"name": tool.name, "description": tool.description, "input_schema": tool.input_schema}
            per_tool[tool.name] = tokens(_compact(view))
            wire_total += tokens(_compact(tool.model_dump(by_alias=True, exclude_none=True, mode="json")))
        model_total = sum(per_tool.values())
        biggest = max(per_tool, key=per_tool.__getitem__)
        rows.append(
            Row(
                "tokens",
                f"tools/list, {len(per_tool)} tools (name+description+inputSchema)",
                model_total,
                "tokens",
                ratio=f"wire incl. outputSchema {wire_total:,}",
                extra={"per_tool": per_tool, "wire_total": wire_total},
            )
        )
        rows.append(
            Row(
                "tokens",
                "per-tool schema, median",
                sorted(per_tool.values())[len(per_tool) // 2],
                "tokens",
                ratio=f"max {per_tool[biggest]} ({biggest})",
                target=f"each <= {SCHEMA_BUDGET_EACH}",
                ok=max(per_tool.values()) <= SCHEMA_BUDGET_EACH,
            )
        )

        search = await client.call_tool("jira_search", {"jql": SEARCH_JQL})
        shown = len(search.structured_content["issues"])
        raw = await _raw_jira(
            app, "POST", "/rest/api/3/search/jql", {"jql": SEARCH_JQL, "maxResults": 50, "fields": ["*navigable"]}
        )
        rows.append(_answer_row(f"default jira_search ({shown} issues)", search, raw, tokens, SEARCH_BUDGET))

        issue = await client.call_tool("jira_get_issue", {"key": ISSUE_KEY})
        raw = await _raw_jira(app, "GET", f"/rest/api/3/issue/{ISSUE_KEY}")
        rows.append(_answer_row(f"jira_get_issue {ISSUE_KEY}", issue, raw, tokens, ISSUE_BUDGET))

        report = await client.call_tool("jira_sprint_report", {"sprint": "current", "project": "PLAT"})
        if report.is_error:
            rows.append(Row("tokens", "jira_sprint_report (active PLAT sprint)", None, note=_text(report)[:80]))
        else:
            rows.append(_answer_row("jira_sprint_report (active PLAT sprint)", report, None, tokens, None))
    return rows


def _answer_row(metric: str, result: Any, raw: Any, tokens: Any, budget: int | None) -> Row:
    text = tokens(_text(result))
    structured = tokens(_compact(result.structured_content or {}))
    ratio = f"structured JSON {structured / text:.2f}x"
    extra = {"text": text, "structured_json": structured}
    if raw is not None:
        raw_tokens = tokens(_compact(raw))
        ratio += f", raw Jira JSON {raw_tokens / text:.1f}x"
        extra["raw_jira_json"] = raw_tokens
    if result.is_error:
        return Row("tokens", metric, None, note="tool error: " + _text(result)[:80])
    return Row(
        "tokens",
        metric,
        text,
        "tokens",
        ratio=ratio,
        target="" if budget is None else f"<= {budget:,}",
        ok=None if budget is None else text <= budget,
        extra=extra,
    )


def run(quick: bool = False) -> list[Row]:
    """All token figures (the same in quick mode: they cost under a second)."""
    del quick
    return anyio.run(measure)


if __name__ == "__main__":
    from bench.__main__ import print_table

    print_table(run())
