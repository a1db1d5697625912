"""Contract tests: auth, reference data, projects, users, comments, worklogs, changelog, links."""

from __future__ import annotations

import httpx
import pytest
from tests.sandbox._sandbox_helpers import assert_jira_error

from jiramcp.sandbox import SANDBOX_TOKEN

pytestmark = pytest.mark.anyio

API = "/rest/api/3"
ADF = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Hi"}]}]}


async def test_wrong_or_missing_credentials_answer_401_in_jiras_shape(client: httpx.AsyncClient) -> None:
    assert_jira_error(await client.get(f"{API}/myself", auth=("a@b.c", "wrong")), 401)
    assert_jira_error(await client.get(f"{API}/myself", auth=None), 401)
    bearer = await client.get(f"{API}/myself", auth=None, headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"})
    assert bearer.json()["displayName"] == "Alex Morgan"
    priya = await client.get(f"{API}/myself", auth=("priya.sharma@example.com", SANDBOX_TOKEN))
    assert priya.json()["accountId"] == "5f8a1c2e9b0d4e0012a1b002"


async def test_reference_data_endpoints(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"{API}/serverInfo")).json()["deploymentType"] == "Cloud"
    fields = {f["id"]: f for f in (await client.get(f"{API}/field")).json()}
    assert fields["customfield_10016"]["name"] == "Story Points" and fields["customfield_10016"]["custom"] is True
    assert fields["customfield_10020"]["schema"]["custom"] == "com.pyxis.greenhopper.jira:gh-sprint"
    assert "cf[10014]" in fields["customfield_10014"]["clauseNames"]
    assert [p["name"] for p in (await client.get(f"{API}/priority")).json()] == [
        "Highest",
        "High",
        "Medium",
        "Low",
        "Lowest",
    ]
    assert {s["name"] for s in (await client.get(f"{API}/status")).json()} == {
        "To Do",
        "In Progress",
        "In Review",
        "Done",
    }
    assert len((await client.get(f"{API}/issuetype")).json()) == 5
    assert "Won't Do" in {r["name"] for r in (await client.get(f"{API}/resolution")).json()}
    link_types = (await client.get(f"{API}/issueLinkType")).json()["issueLinkTypes"]
    assert {"name": "Blocks", "inward": "is blocked by", "outward": "blocks"}.items() <= link_types[0].items()


async def test_projects_page_and_describe_themselves(client: httpx.AsyncClient) -> None:
    first = (await client.get(f"{API}/project/search", params={"maxResults": 2})).json()
    assert [p["key"] for p in first["values"]] == ["MOB", "OPS"] and first["isLast"] is False
    second = (await client.get(f"{API}/project/search", params={"maxResults": 2, "startAt": 2})).json()
    assert [p["key"] for p in second["values"]] == ["PLAT"] and second["isLast"] is True
    plat = (await client.get(f"{API}/project/PLAT")).json()
    assert {v["name"]: v["released"] for v in plat["versions"]} == {
        "1.0": True,
        "1.1": True,
        "2.0": False,
        "2.1": False,
    }
    assert {c["name"] for c in plat["components"]} == {"API", "Backend", "Auth", "Database"}
    assert len(plat["issueTypes"]) == 5
    assert_jira_error(await client.get(f"{API}/project/NOPE"), 404)


async def test_user_search_is_a_bare_array(client: httpx.AsyncClient) -> None:
    users = (await client.get(f"{API}/user/search", params={"query": "we"})).json()
    assert isinstance(users, list) and [u["displayName"] for u in users] == ["Jonas Weber"]
    assert_jira_error(await client.get(f"{API}/user/search"), 400)


async def test_comments_page_order_and_refuse_non_adf(client: httpx.AsyncClient) -> None:
    key = (
        await client.post(
            f"{API}/issue", json={"fields": {"project": {"key": "OPS"}, "issuetype": {"name": "Task"}, "summary": "c"}}
        )
    ).json()["key"]
    for _ in range(3):
        created = await client.post(f"{API}/issue/{key}/comment", json={"body": ADF})
        assert created.status_code == 201 and created.json()["body"] == ADF
    body = assert_jira_error(await client.post(f"{API}/issue/{key}/comment", json={"body": "plain"}), 400)
    assert body["errors"]["comment"].startswith("Operation value must be an Atlassian Document")
    page = (await client.get(f"{API}/issue/{key}/comment", params={"maxResults": 2, "orderBy": "-created"})).json()
    assert page["total"] == 3 and len(page["comments"]) == 2
    assert int(page["comments"][0]["id"]) > int(page["comments"][1]["id"])


async def test_worklog_changelog_and_links(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/issue/PLAT-4/worklog",
        json={"comment": ADF, "started": "2026-05-30T10:00:00.000+0000", "timeSpentSeconds": 5400},
    )
    assert response.status_code == 201 and response.json()["timeSpent"] == "1h 30m"
    assert_jira_error(await client.post(f"{API}/issue/PLAT-4/worklog", json={}), 400)
    changelog = (await client.get(f"{API}/issue/PLAT-4/changelog", params={"maxResults": 1})).json()
    assert changelog["maxResults"] == 1 and changelog["startAt"] == 0 and "values" in changelog
    linked = await client.post(
        f"{API}/issueLink",
        json={"type": {"name": "Blocks"}, "inwardIssue": {"key": "PLAT-4"}, "outwardIssue": {"key": "PLAT-5"}},
    )
    assert linked.status_code == 201 and linked.content == b""
    links = (await client.get(f"{API}/issue/PLAT-5", params={"fields": "issuelinks"})).json()["fields"]["issuelinks"]
    assert any(
        link.get("inwardIssue", {}).get("key") == "PLAT-4" and link["type"]["name"] == "Blocks" for link in links
    )
    assert_jira_error(
        await client.post(
            f"{API}/issueLink",
            json={"type": {"name": "Nope"}, "inwardIssue": {"key": "PLAT-4"}, "outwardIssue": {"key": "PLAT-5"}},
        ),
        404,
    )


async def test_server_info_answers_on_rest_v2_too_so_clients_can_detect_the_deployment(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/rest/api/2/serverInfo")
    assert answer.status_code == 200
    assert answer.json()["deploymentType"] == "Cloud"
