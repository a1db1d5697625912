"""With a project allow-list, no sequence of tool calls reads or writes outside it.

`JIRAMCP_PROJECTS=PLAT`; MOB and OPS exist in the sandbox and must stay out of reach. Hypothesis
draws sequences of searches (hostile JQL included), reads and writes on keys, sprints, boards and
projects inside and outside the list. Checked against the sandbox itself: nothing outside changed
(issues, links, sprints, rank order), no request touched an outside issue or sprint, and no result
shows an outside issue key the caller did not type.
"""

from __future__ import annotations

import json
import re
from typing import Any

import anyio
import httpx
from _reliability import ENV, assert_no_secret, everything_in, sandbox, text_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from jiramcp.server import build_server
from jiramcp.settings import load_settings

ALLOWED = "PLAT"
OUTSIDE = ("MOB", "OPS")
OUTSIDE_KEY = re.compile(r"\b(?:MOB|OPS)-\d+\b")
# Seeded sandbox (seed 3, 90 issues): boards 1 PLAT (scrum), 2 MOB (scrum), 3 OPS (kanban);
# sprints 1-7 on board 1 (5 active, 6-7 future), 8-10 on board 2 (9 active, 10 future).
OUTSIDE_SPRINTS = {8, 9, 10}
OUTSIDE_BOARDS = {2, 3}


class CurrentApp(httpx.AsyncBaseTransport):
    """Sends to the sandbox of the current example: one server, a fresh sandbox per example."""

    app: Any = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await httpx.ASGITransport(app=self.app).handle_async_request(request)


TRANSPORT = CurrentApp()
SERVER = build_server(load_settings({**ENV, "JIRAMCP_PROJECTS": ALLOWED}, sandbox=True), transport=TRANSPORT)

inside_key = st.integers(1, 45).map(lambda n: f"PLAT-{n}")
outside_key = st.tuples(st.sampled_from(OUTSIDE), st.integers(1, 27)).map(lambda t: f"{t[0]}-{t[1]}")
any_key = st.one_of(inside_key, outside_key)
project = st.sampled_from([ALLOWED, *OUTSIDE])
sprint = st.sampled_from([5, 6, 9, 10, "current", "next"])
jql = st.one_of(
    st.sampled_from(
        [
            "project = MOB",
            "project != PLAT",
            "project = PLAT OR project = MOB",
            "project in (MOB, OPS) ORDER BY key",
            "key = MOB-1 OR key = PLAT-1",
            "issue in linkedIssues(PLAT-1) OR project = OPS",
            "NOT project = PLAT",
            "project = PLAT OR NOT (project = PLAT)",
            "text ~ bug",
            "sprint in openSprints()",
            "parent = OPS-3",
            'project = "PLAT" OR project = "MOB"',
            "assignee = currentUser() OR reporter = currentUser()",
        ]
    ),
    any_key.map(lambda k: f"key = {k}"),
)

call = st.one_of(
    st.builds(lambda q: ("jira_search", {"jql": q, "limit": 50}), jql),
    st.builds(lambda q: ("jira_search", {"jql": q, "count": True, "limit": 5}), jql),
    st.builds(lambda k: ("jira_get_issue", {"key": k, "include": ["comments", "links"]}), any_key),
    st.builds(lambda k: ("jira_list_comments", {"key": k}), any_key),
    st.builds(
        lambda k: ("jira_update_issue", {"key": k, "summary": "isolation probe", "add_labels": ["iso"]}), any_key
    ),
    st.builds(lambda k: ("jira_add_comment", {"key": k, "body": "isolation probe"}), any_key),
    st.builds(lambda k: ("jira_add_worklog", {"key": k, "time_spent": "1h"}), any_key),
    st.builds(
        lambda k, s: ("jira_transition_issue", {"key": k, "to": s}), any_key, st.sampled_from(["Done", "In Progress"])
    ),
    st.builds(
        lambda a, b: ("jira_link_issues", {"from_issue": a, "to_issue": b, "link_type": "Blocks"}), any_key, any_key
    ),
    st.builds(
        lambda ks, s: ("jira_move_to_sprint", {"issues": ks, "sprint": s, "project": ALLOWED}),
        st.lists(any_key, min_size=1, max_size=3),
        st.sampled_from([5, 6]),
    ),
    st.builds(
        lambda ks, s: ("jira_move_to_sprint", {"issues": ks, "sprint": s}),
        st.lists(any_key, min_size=1, max_size=3),
        st.sampled_from([9, 10]),
    ),
    st.builds(lambda ks: ("jira_move_to_backlog", {"issues": ks}), st.lists(any_key, min_size=1, max_size=3)),
    st.builds(
        lambda ks, b: ("jira_rank_issues", {"issues": ks, "before": b}),
        st.lists(any_key, min_size=1, max_size=2),
        any_key,
    ),
    st.builds(
        lambda p: ("jira_create_issue", {"project": p, "issue_type": "Task", "summary": "isolation probe"}), project
    ),
    st.builds(lambda p: ("jira_get_project", {"key": p}), project),
    st.builds(lambda p: ("jira_list_sprints", {"project": p}), project),
    st.builds(lambda b: ("jira_list_sprints", {"board": b}), st.sampled_from([1, 2, 3])),
    st.builds(lambda s, p: ("jira_get_sprint", {"sprint": s, "project": p}), sprint, project),
    st.builds(lambda s, p: ("jira_sprint_issues", {"sprint": s, "project": p}), sprint, project),
    st.builds(lambda s, p: ("jira_sprint_report", {"sprint": s, "project": p}), sprint, project),
    st.builds(lambda s: ("jira_update_sprint", {"sprint": s, "goal": "isolation probe"}), st.sampled_from([6, 9, 10])),
    st.builds(lambda s: ("jira_complete_sprint", {"sprint": s}), st.sampled_from([9])),
    st.builds(lambda s: ("jira_start_sprint", {"sprint": s, "duration_days": 14}), st.sampled_from([10])),
    st.builds(lambda p: ("jira_create_sprint", {"name": "isolation probe", "project": p}), project),
    st.builds(lambda b: ("jira_create_sprint", {"name": "isolation probe", "board": b}), st.sampled_from([2, 3])),
)


def outside_state(app: Any) -> str:
    """Everything of MOB and OPS in the store, as one comparable string."""
    data = app.state.sandbox.store.data
    outside_ids = {i["id"] for i in data["issues"].values() if i["key"].split("-")[0] in OUTSIDE}
    return json.dumps(
        {
            "issues": sorted(
                (i["key"], json.dumps(i, sort_keys=True, default=str))
                for i in data["issues"].values()
                if i["id"] in outside_ids
            ),
            "links": sorted(
                json.dumps(link, sort_keys=True)
                for link in data["links"]
                if link["inward"] in outside_ids or link["outward"] in outside_ids
            ),
            "sprints": [data["sprints"][str(s)] for s in sorted(OUTSIDE_SPRINTS)],
            "sprint_count": {
                b: sum(1 for s in data["sprints"].values() if s["originBoardId"] == b) for b in OUTSIDE_BOARDS
            },
            "rank": [r for r in data["rank"] if r in outside_ids] if isinstance(data["rank"], list) else None,
        },
        sort_keys=True,
        default=str,
    )


def touched_outside(app: Any) -> list[str]:
    """Requests whose path names an outside issue (key or id), sprint or board.

    `GET /rest/agile/1.0/sprint/{id}` of an outside sprint is allowed: a sprint id says nothing of
    its project, so refusing it takes that one read (its answer never reaches the model).
    """
    data = app.state.sandbox.store.data
    outside_ids = {i["id"] for i in data["issues"].values() if i["key"].split("-")[0] in OUTSIDE}
    bad = []
    for record in app.state.sandbox.log.records:
        parts = record.path.split("/")
        for n, part in enumerate(parts):
            previous = parts[n - 1] if n else ""
            if (
                (previous == "issue" and (OUTSIDE_KEY.fullmatch(part.upper()) or part in outside_ids))
                # Resolving a sprint id to its board is a lookup the refusal needs (only Jira knows
                # where sprint 9 lives); anything beyond `GET /sprint/{id}` itself is not.
                or (
                    previous == "sprint"
                    and part.isdigit()
                    and int(part) in OUTSIDE_SPRINTS
                    and (record.method != "GET" or n + 1 < len(parts))
                )
                or (previous == "board" and part.isdigit() and int(part) in OUTSIDE_BOARDS)
            ):
                bad.append(f"{record.method} {record.path}")
    return bad


def leaked_keys(args: dict[str, Any], result: Any) -> set[str]:
    typed = set(OUTSIDE_KEY.findall(json.dumps(args)))
    return set(OUTSIDE_KEY.findall(everything_in(result))) - typed


async def play(plan: list[tuple[str, dict[str, Any]]]) -> None:
    app = sandbox()
    TRANSPORT.app = app
    before = outside_state(app)
    with anyio.fail_after(60):
        async with Client(SERVER) as client:
            for tool, args in plan:
                result = await client.call_tool(tool, args)
                assert not leaked_keys(args, result), (tool, args, text_of(result)[:300])
                assert_no_secret(everything_in(result))
    assert touched_outside(app) == [], plan
    assert outside_state(app) == before, plan


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=st.lists(call, min_size=4, max_size=14))
def test_no_sequence_of_calls_reads_or_writes_outside_the_allowed_projects(plan: list[tuple[str, dict[str, Any]]]):
    anyio.run(play, plan)


def test_every_kind_of_call_on_an_outside_project_is_refused_without_touching_it():
    plan: list[tuple[str, dict[str, Any]]] = [
        ("jira_get_issue", {"key": "MOB-1"}),
        ("jira_update_issue", {"key": "MOB-1", "summary": "probe"}),
        ("jira_add_comment", {"key": "OPS-2", "body": "probe"}),
        ("jira_transition_issue", {"key": "MOB-3", "to": "Done"}),
        ("jira_link_issues", {"from_issue": "PLAT-1", "to_issue": "MOB-1", "link_type": "Blocks"}),
        ("jira_move_to_sprint", {"issues": ["MOB-2"], "sprint": 5}),
        ("jira_move_to_sprint", {"issues": ["PLAT-2"], "sprint": 9}),
        ("jira_create_issue", {"project": "OPS", "issue_type": "Task", "summary": "probe"}),
        ("jira_sprint_report", {"sprint": 9}),
        ("jira_search", {"jql": "project = MOB"}),
    ]

    async def go() -> None:
        app = sandbox()
        TRANSPORT.app = app
        before = outside_state(app)
        async with Client(SERVER) as client:
            for tool, args in plan:
                result = await client.call_tool(tool, args)
                if tool == "jira_search":
                    assert not result.is_error and not OUTSIDE_KEY.search(everything_in(result))
                else:
                    assert result.is_error, (tool, args, text_of(result)[:200])
        assert touched_outside(app) == []
        assert outside_state(app) == before

    anyio.run(go)
