"""Contract tests: search/jql paging, caps and errors; approximate count; bulk fetch; JQL parse; 410."""

from __future__ import annotations

import httpx
import pytest
from tests.sandbox._sandbox_helpers import assert_jira_error

pytestmark = pytest.mark.anyio

API = "/rest/api/3"


async def test_search_pages_with_tokens_to_the_end_and_never_sends_a_total(client: httpx.AsyncClient) -> None:
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        params = {"jql": "project = PLAT ORDER BY created ASC", "maxResults": 7}
        if token:
            params["nextPageToken"] = token
        body = (await client.get(f"{API}/search/jql", params=params)).json()
        assert "total" not in body
        seen.extend(issue["id"] for issue in body["issues"])
        pages += 1
        if body["isLast"]:
            assert "nextPageToken" not in body
            break
        token = body["nextPageToken"]
    expected = (await client.post(f"{API}/search/approximate-count", json={"jql": "project = PLAT"})).json()
    assert len(seen) == len(set(seen)) == expected["count"] > 7
    assert pages == -(-expected["count"] // 7)


async def test_search_returns_only_ids_unless_fields_are_asked(client: httpx.AsyncClient) -> None:
    body = (await client.post(f"{API}/search/jql", json={"jql": "project = MOB", "maxResults": 2})).json()
    assert all("fields" not in issue and {"id", "key"} <= set(issue) for issue in body["issues"])
    body = (
        await client.post(
            f"{API}/search/jql",
            json={"jql": "project = MOB", "maxResults": 2, "fields": ["summary", "status"], "expand": "names"},
        )
    ).json()
    assert set(body["issues"][0]["fields"]) == {"summary", "status"}
    assert body["names"] == {"summary": "Summary", "status": "Status"}


async def test_search_caps_pages_with_fields_and_refuses_above_5000(client: httpx.AsyncClient) -> None:
    many = (
        await client.post(
            f"{API}/search/jql", json={"jql": "project in (PLAT, MOB, OPS)", "maxResults": 5000, "fields": ["*all"]}
        )
    ).json()
    assert len(many["issues"]) == 100 and many["isLast"] is False
    ids_only = (
        await client.post(f"{API}/search/jql", json={"jql": "project in (PLAT, MOB, OPS)", "maxResults": 5000})
    ).json()
    assert ids_only["isLast"] is True and len(ids_only["issues"]) > 100
    assert_jira_error(await client.post(f"{API}/search/jql", json={"jql": "project = PLAT", "maxResults": 5001}), 400)


async def test_search_refuses_unbounded_and_invalid_jql_with_jiras_messages(client: httpx.AsyncClient) -> None:
    body = assert_jira_error(await client.get(f"{API}/search/jql", params={"jql": "order by key"}), 400)
    assert body["errorMessages"] == [
        "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
    ]
    body = assert_jira_error(await client.get(f"{API}/search/jql", params={"jql": "project = "}), 400)
    assert body["errorMessages"][0].startswith("Error in the JQL Query: ")
    assert body["errorMessages"][0].endswith("(line 1, character 11)")
    body = assert_jira_error(await client.get(f"{API}/search/jql", params={"jql": "universe = 42"}), 400)
    assert "universe" in body["errorMessages"][0]


async def test_search_evaluates_sprints_users_and_order(client: httpx.AsyncClient, app) -> None:
    store = app.state.sandbox.store
    body = (
        await client.post(
            f"{API}/search/jql",
            json={
                "jql": "sprint in openSprints() AND assignee = currentUser() ORDER BY key ASC",
                "fields": ["customfield_10020", "assignee"],
                "maxResults": 100,
            },
        )
    ).json()
    for issue in body["issues"]:
        assert issue["fields"]["assignee"]["accountId"] == "5f8a1c2e9b0d4e0012a1b001"
        assert any(s["state"] == "active" for s in issue["fields"]["customfield_10020"])
    expected = [
        r["key"]
        for r in store.issues_in_order()
        if r["f"]["assignee"] == "5f8a1c2e9b0d4e0012a1b001"
        and any(store.data["sprints"][str(s)]["state"] == "active" for s in r["f"]["customfield_10020"])
    ]
    assert sorted(i["key"] for i in body["issues"]) == sorted(expected) and expected
    keys = [i["key"] for i in body["issues"]]
    assert keys == sorted(keys, key=lambda k: (k.split("-")[0], int(k.split("-")[1])))


async def test_search_sees_writes_at_once(client: httpx.AsyncClient) -> None:
    query = {"jql": 'project = OPS AND summary ~ "zebra"'}
    assert (await client.post(f"{API}/search/approximate-count", json=query)).json() == {"count": 0}
    await client.post(
        f"{API}/issue",
        json={"fields": {"project": {"key": "OPS"}, "issuetype": {"name": "Task"}, "summary": "Feed the zebra"}},
    )
    assert (await client.post(f"{API}/search/approximate-count", json=query)).json() == {"count": 1}


async def test_bulkfetch_orders_by_id_and_silently_skips_missing(client: httpx.AsyncClient) -> None:
    body = (
        await client.post(
            f"{API}/issue/bulkfetch",
            json={"issueIdsOrKeys": ["PLAT-3", "NOPE-1", "1", "PLAT-2"], "fields": ["summary"]},
        )
    ).json()
    ids = [int(i["id"]) for i in body["issues"]]
    assert ids == sorted(ids) and len(ids) == 3 and body["issueErrors"] == []
    assert set(body["issues"][0]["fields"]) == {"summary"}
    assert_jira_error(await client.post(f"{API}/issue/bulkfetch", json={"issueIdsOrKeys": ["1"] * 101}), 400)


async def test_jql_parse_answers_200_with_structure_or_errors(client: httpx.AsyncClient) -> None:
    body = (
        await client.post(
            f"{API}/jql/parse",
            json={
                "queries": [
                    "project = PLAT AND status WAS Done ORDER BY created DESC",
                    "project = ",
                    "project = INVALID",
                ]
            },
        )
    ).json()
    first, broken, unknown = body["queries"]
    assert first["structure"]["where"]["operator"] == "and"
    assert first["structure"]["orderBy"]["fields"] == [{"field": {"name": "created"}, "direction": "desc"}]
    assert broken["errors"][0].startswith("Error in the JQL Query")
    assert unknown["errors"] and "INVALID" in unknown["errors"][0]


@pytest.mark.parametrize("path", [f"{API}/search", "/rest/api/2/search"])
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_removed_search_answers_410_with_jiras_body(client: httpx.AsyncClient, path: str, method: str) -> None:
    body = assert_jira_error(await client.request(method, path, params={"jql": "project = PLAT"}), 410)
    assert body["errorMessages"][0].startswith(
        "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API."
    )
