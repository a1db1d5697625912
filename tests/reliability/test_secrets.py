"""The API token and the Authorization header never show: not in results, logs, stdout or stderr.

Logs are captured at DEBUG for every logger (httpx's request lines, the client's per-request lines,
the SDK's tool failures); stdout and stderr at the file-descriptor level, so output written by any
library or subprocess is seen too.
"""

from __future__ import annotations

import logging
from typing import Any

import anyio
import pytest
from _reliability import SECRET, assert_no_secret, everything_in, in_memory, over_http, sandbox, text_of

from jiramcp.jira import JiraClient
from jiramcp.sandbox import FaultConfig
from jiramcp.settings import load_settings

pytestmark = pytest.mark.anyio

CALLS: list[tuple[str, dict[str, Any]]] = [
    ("jira_search", {"jql": "project = PLAT ORDER BY key", "limit": 5}),
    ("jira_search", {"jql": "project = = PLAT"}),
    ("jira_search", {"jql": "project = PLAT", "limit": 10_000}),
    ("jira_get_issue", {"key": "PLAT-1", "include": ["comments", "links", "changelog"]}),
    ("jira_get_issue", {"key": "PLAT-99999"}),
    ("jira_add_comment", {"key": "PLAT-2", "body": f"not a secret, but near one: {SECRET[:6]}"}),
    ("jira_update_issue", {"key": "PLAT-3", "add_labels": ["checked"]}),
    ("jira_transition_issue", {"key": "PLAT-4", "to": "No Such Status"}),
    ("jira_create_issue", {"project": "OPS", "issue_type": "Task", "summary": "secret check"}),
    ("jira_find_users", {"query": "a"}),
    ("jira_list_projects", {}),
    ("jira_sprint_report", {"sprint": "current", "project": "PLAT"}),
    ("jira_get_issue", {"key": 12, "extra": "x"}),
]


async def test_no_credential_shows_in_results_logs_or_output_over_http_with_faults(capfd, caplog):
    caplog.set_level(logging.DEBUG)
    app = sandbox(
        faults=FaultConfig(
            seed=4,
            error_rate=0.2,
            timeout_rate=0.05,
            timeout_hold=0.6,
            drop_rate=0.05,
            malformed_rate=0.05,
            ambiguous_write_rate=0.1,
        )
    )
    texts: list[str] = []
    with anyio.fail_after(90):
        async with over_http(app, {"JIRA_TIMEOUT": "0.3", "JIRAMCP_MAX_RETRY_WAIT": "2"}) as client:
            for _ in range(3):
                for tool, args in CALLS:
                    texts.append(everything_in(await client.call_tool(tool, args)))
    assert caplog.records, "nothing was logged: the log check would prove nothing"
    out = capfd.readouterr()
    assert_no_secret(out.out, out.err, caplog.text, *texts, *(repr(r.__dict__) for r in caplog.records))


async def test_a_rejected_token_is_reported_without_the_token(capfd, caplog):
    caplog.set_level(logging.DEBUG)
    app = sandbox(token="the-sandbox-wants-another-token")
    async with in_memory(app) as client:
        result = await client.call_tool("jira_get_issue", {"key": "PLAT-1"})
    assert result.is_error
    assert "401" in text_of(result) or "auth" in text_of(result).lower() or "credential" in text_of(result).lower()
    out = capfd.readouterr()
    assert_no_secret(everything_in(result), caplog.text, out.out, out.err)


async def test_settings_and_the_client_keep_the_token_out_of_their_repr():
    settings = load_settings(
        {"JIRA_URL": "http://127.0.0.1:9", "JIRA_USERNAME": "u@example.com", "JIRA_API_TOKEN": SECRET}
    )
    async with JiraClient.from_settings(settings) as client:
        shown = [
            repr(settings),
            str(settings),
            repr(client),
            str(settings.model_dump()),
            repr(getattr(client, "_http", "")),
        ]
    assert_no_secret(*shown)
