"""A few hundred mixed tool calls against a sandbox that fails the way Jira Cloud does.

The sandbox, served over real sockets on 127.0.0.1, injects 5% 5xx (some with HTML bodies), 2%
held answers (past the client's timeout, while a write still applies), 1% dropped connections,
1% malformed JSON and 1% writes that apply but answer 500. Checked: every call ends within its
deadline; every read ends in data or a clear error; no write lands twice, and every write reported
done landed exactly once; no credential shows anywhere.
"""

from __future__ import annotations

import random
from typing import Any

import anyio
import pytest
from _reliability import (
    MARK,
    assert_no_secret,
    everything_in,
    marker_counts,
    over_http,
    sandbox,
    text_of,
)

from jiramcp.sandbox import FaultConfig

pytestmark = pytest.mark.anyio

FAULTS = FaultConfig(
    seed=2026,
    error_rate=0.05,
    timeout_rate=0.02,
    timeout_hold=0.8,
    drop_rate=0.01,
    malformed_rate=0.01,
    ambiguous_write_rate=0.01,
)
# Short client timeouts and waits, so a held answer costs under a second and the test stays fast.
FAST_FAILING = {
    "JIRA_TIMEOUT": "0.4",
    "JIRAMCP_MAX_RETRIES": "4",
    "JIRAMCP_MAX_RETRY_WAIT": "3",
    "JIRAMCP_CONCURRENCY": "8",
}
# The longest one call may take: every attempt timing out plus every backoff, with room to spare.
CALL_DEADLINE = 12.0
WORKERS = 8


def plan(count: int, seed: int) -> list[tuple[str, dict[str, Any], str | None]]:
    """`count` mixed calls: (tool, arguments, write marker or None)."""
    rng = random.Random(seed)
    calls: list[tuple[str, dict[str, Any], str | None]] = []
    for n in range(count):
        key = f"{rng.choice(['PLAT', 'MOB', 'OPS'])}-{rng.randint(1, 15)}"
        marker = f"{MARK}-{n}"
        roll = rng.random()
        if roll < 0.3:
            calls.append(("jira_search", {"jql": f"project = {key.split('-')[0]} ORDER BY key", "limit": 20}, None))
        elif roll < 0.55:
            calls.append(("jira_get_issue", {"key": key}, None))
        elif roll < 0.65:
            calls.append(("jira_list_comments", {"key": key}, None))
        elif roll < 0.9:
            calls.append(("jira_add_comment", {"key": key, "body": f"Note {marker} from the fault test"}, marker))
        else:
            calls.append(
                (
                    "jira_create_issue",
                    {"project": "OPS", "issue_type": "Task", "summary": f"Fault test {marker}"},
                    marker,
                )
            )
    return calls


def is_clear_error(text: str) -> bool:
    """A message a model can act on: says something beyond the SDK's bare wrapper, no traceback."""
    bare = text.strip().startswith("Error executing tool") and ":" not in text.strip()[len("Error executing tool") :]
    return bool(text.strip()) and not bare and "Traceback" not in text


async def run_plan(calls: list[tuple[str, dict[str, Any], str | None]]) -> tuple[Any, list[dict[str, Any]]]:
    app = sandbox(faults=FAULTS)
    outcomes: list[dict[str, Any]] = []
    queue = list(enumerate(calls))
    async with over_http(app, FAST_FAILING) as client:

        async def worker() -> None:
            while queue:
                n, (tool, args, marker) = queue.pop(0)
                with anyio.fail_after(CALL_DEADLINE):
                    result = await client.call_tool(tool, args)
                outcomes.append(
                    {
                        "n": n,
                        "tool": tool,
                        "marker": marker,
                        "error": result.is_error,
                        "text": text_of(result),
                        "all": everything_in(result),
                    }
                )

        async with anyio.create_task_group() as tg:
            for _ in range(WORKERS):
                tg.start_soon(worker)
    return app, outcomes


async def test_mixed_calls_under_injected_faults_end_cleanly_and_never_write_twice(capsys, caplog):
    calls = plan(240, seed=1)
    with anyio.fail_after(120):
        app, outcomes = await run_plan(calls)
    assert len(outcomes) == len(calls)
    log = app.state.sandbox.log
    # The faults really happened (else this test proves nothing).
    assert log.faults["error"] >= 5 and log.faults["timeout"] >= 2
    assert log.faults["drop"] + log.faults["malformed"] + log.faults["ambiguous"] >= 2

    unclear = [o for o in outcomes if o["error"] and not is_clear_error(o["text"])]
    assert not unclear, unclear[:3]
    reads = [o for o in outcomes if o["marker"] is None]
    # Retries absorb transient faults: most reads succeed despite ~10% of requests failing.
    assert sum(not o["error"] for o in reads) >= 0.9 * len(reads)

    landed = marker_counts(app.state.sandbox.store)
    assert all(count == 1 for count in landed.values()), {m: c for m, c in landed.items() if c > 1}
    reported_done = [o["marker"] for o in outcomes if o["marker"] and not o["error"]]
    assert all(landed[m] == 1 for m in reported_done), [m for m in reported_done if landed[m] != 1]

    out = capsys.readouterr()
    assert_no_secret(out.out, out.err, caplog.text, *(o["all"] for o in outcomes))


@pytest.mark.slow
async def test_a_long_soak_under_faults_keeps_every_guarantee(capsys, caplog):
    calls = plan(1500, seed=9)
    with anyio.fail_after(900):
        app, outcomes = await run_plan(calls)
    assert len(outcomes) == len(calls)
    assert not [o for o in outcomes if o["error"] and not is_clear_error(o["text"])]
    landed = marker_counts(app.state.sandbox.store)
    assert all(count == 1 for count in landed.values())
    assert all(landed[o["marker"]] == 1 for o in outcomes if o["marker"] and not o["error"])
    out = capsys.readouterr()
    assert_no_secret(out.out, out.err, caplog.text, *(o["all"] for o in outcomes))
