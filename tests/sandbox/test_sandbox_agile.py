"""Contract tests: boards, sprints and their state rules, moves (≤ 50), backlog, rank."""

from __future__ import annotations

import httpx
import pytest
from tests.sandbox._sandbox_helpers import assert_jira_error

pytestmark = pytest.mark.anyio

AGILE = "/rest/agile/1.0"
API = "/rest/api/3"


async def new_issues(client: httpx.AsyncClient, count: int) -> list[str]:
    updates = [
        {"fields": {"project": {"key": "PLAT"}, "issuetype": {"name": "Task"}, "summary": f"t{i}"}}
        for i in range(count)
    ]
    keys: list[str] = []
    for start in range(0, count, 50):
        body = (await client.post(f"{API}/issue/bulk", json={"issueUpdates": updates[start : start + 50]})).json()
        keys.extend(i["key"] for i in body["issues"])
    return keys


async def test_boards_filter_by_type_and_project(client: httpx.AsyncClient) -> None:
    everything = (await client.get(f"{AGILE}/board")).json()
    assert [(b["id"], b["type"]) for b in everything["values"]] == [(1, "scrum"), (2, "scrum"), (3, "kanban")]
    assert everything["isLast"] is True
    kanban = (await client.get(f"{AGILE}/board", params={"type": "kanban"})).json()["values"]
    assert [b["location"]["projectKey"] for b in kanban] == ["OPS"]
    mob = (await client.get(f"{AGILE}/board", params={"projectKeyOrId": "MOB"})).json()["values"]
    assert [b["id"] for b in mob] == [2]
    config = (await client.get(f"{AGILE}/board/1/configuration")).json()
    assert config["estimation"]["field"] == {"fieldId": "customfield_10016", "displayName": "Story Points"}
    assert_jira_error(await client.get(f"{AGILE}/board/99"), 404)


async def test_board_sprints_by_state_in_jiras_order(client: httpx.AsyncClient) -> None:
    values = (await client.get(f"{AGILE}/board/1/sprint")).json()["values"]
    assert [(s["id"], s["state"]) for s in values] == [
        (1, "closed"),
        (2, "closed"),
        (3, "closed"),
        (4, "closed"),
        (5, "active"),
        (6, "future"),
        (7, "future"),
    ]
    active = (await client.get(f"{AGILE}/board/1/sprint", params={"state": "active"})).json()["values"]
    assert [s["id"] for s in active] == [5] and active[0]["startDate"].endswith("Z")
    assert_jira_error(await client.get(f"{AGILE}/board/3/sprint"), 400)


async def test_sprint_lifecycle_follows_jiras_state_rules(client: httpx.AsyncClient) -> None:
    created = await client.post(f"{AGILE}/sprint", json={"name": "Hardening", "originBoardId": 1})
    assert created.status_code == 201
    sprint = created.json()
    assert sprint["state"] == "future" and "startDate" not in sprint
    url = f"{AGILE}/sprint/{sprint['id']}"
    assert_jira_error(await client.post(url, json={"state": "active"}), 400)  # no dates
    assert_jira_error(await client.post(url, json={"state": "closed"}), 400)  # future → closed
    started = await client.post(
        url, json={"state": "active", "startDate": "2026-06-01T09:00:00.000Z", "endDate": "2026-06-15T09:00:00.000Z"}
    )
    assert started.status_code == 200 and started.json()["state"] == "active"
    closed = (await client.post(url, json={"state": "closed", "completeDate": "2000-01-01T00:00:00.000Z"})).json()
    assert closed["state"] == "closed" and closed["completeDate"].startswith("2026-06-01T13:00")
    renamed = (
        await client.post(url, json={"name": "Hardening done", "goal": "g", "endDate": "2030-01-01T00:00:00Z"})
    ).json()
    assert renamed["name"] == "Hardening done" and renamed["goal"] == "g"
    assert renamed["endDate"] == "2026-06-15T09:00:00.000Z"  # a closed sprint takes only name and goal
    assert (await client.delete(url)).status_code == 204
    assert_jira_error(await client.get(url), 404)


async def test_move_to_sprint_updates_the_sprint_field_and_changelog(client: httpx.AsyncClient) -> None:
    keys = await new_issues(client, 3)
    assert (await client.post(f"{AGILE}/sprint/6/issue", json={"issues": keys})).status_code == 204
    issue = (await client.get(f"{API}/issue/{keys[0]}", params={"expand": "changelog"})).json()
    assert [s["id"] for s in issue["fields"]["customfield_10020"]] == [6]
    item = issue["changelog"]["histories"][-1]["items"][0]
    assert item["fieldId"] == "customfield_10020" and item["toString"] == "PLAT Sprint 6"
    found = (await client.post(f"{API}/search/jql", json={"jql": f"sprint = 6 AND key in ({', '.join(keys)})"})).json()
    assert len(found["issues"]) == 3
    assert (await client.post(f"{AGILE}/backlog/issue", json={"issues": keys[:1]})).status_code == 204
    assert (await client.get(f"{API}/issue/{keys[0]}")).json()["fields"]["customfield_10020"] is None


async def test_moves_take_at_most_50_issues_and_only_open_sprints(client: httpx.AsyncClient) -> None:
    keys = await new_issues(client, 51)
    body = assert_jira_error(await client.post(f"{AGILE}/sprint/5/issue", json={"issues": keys}), 400)
    assert "50" in body["errorMessages"][0]
    assert_jira_error(await client.post(f"{AGILE}/backlog/issue", json={"issues": keys}), 400)
    assert_jira_error(await client.post(f"{AGILE}/sprint/1/issue", json={"issues": keys[:2]}), 400)
    assert (await client.post(f"{AGILE}/sprint/5/issue", json={"issues": keys[:50]})).status_code == 204


async def test_rank_reorders_and_reports_partial_failures(client: httpx.AsyncClient, app) -> None:
    a, b, c = await new_issues(client, 3)
    assert (await client.put(f"{AGILE}/issue/rank", json={"issues": [c], "rankBeforeIssue": a})).status_code == 204
    ranks = {}
    for key in (a, b, c):
        ranks[key] = (await client.get(f"{API}/issue/{key}", params={"fields": "customfield_10019"})).json()["fields"][
            "customfield_10019"
        ]
    assert ranks[c] < ranks[a] < ranks[b]
    ordered = (await client.post(f"{API}/search/jql", json={"jql": f"key in ({a}, {b}, {c}) ORDER BY Rank ASC"})).json()
    assert [i["key"] for i in ordered["issues"]] == [c, a, b]
    partial = await client.put(f"{AGILE}/issue/rank", json={"issues": [b, "PLAT-99999"], "rankAfterIssue": c})
    assert partial.status_code == 207
    assert [e["status"] for e in partial.json()["entries"]] == [200, 404]
    assert_jira_error(await client.put(f"{AGILE}/issue/rank", json={"issues": [a]}), 400)
