"""A sprint's issue lists: the token-paged Software API and the deprecated startAt-paged Agile one."""

from __future__ import annotations

import httpx
import pytest
from tests.sandbox.test_sandbox_openapi import assert_matches

pytestmark = pytest.mark.anyio


async def sprint_keys(client: httpx.AsyncClient, sprint: int) -> set[str]:
    page = (
        await client.post(
            "/rest/api/3/search/jql", json={"jql": f"sprint = {sprint}", "maxResults": 500, "fields": ["summary"]}
        )
    ).json()
    return {issue["key"] for issue in page["issues"]}


async def test_software_sprint_issues_page_with_tokens_to_the_whole_sprint(client: httpx.AsyncClient) -> None:
    expected = await sprint_keys(client, 5)
    seen: list[str] = []
    token = None
    while True:
        params = {"maxResults": 4, "fields": "summary,status", **({"nextPageToken": token} if token else {})}
        answer = await client.get("/rest/software/1.0/sprint/5/issue", params=params)
        assert answer.status_code == 200
        page = answer.json()
        assert_matches("software.json", "/rest/software/1.0/sprint/{sprintId}/issue", "get", "200", page)
        assert "total" not in page
        seen += [issue["key"] for issue in page["issues"]]
        token = page.get("nextPageToken")
        if page["isLast"]:
            assert token is None
            break
    assert len(seen) == len(set(seen)) and set(seen) == expected


async def test_the_callers_jql_narrows_the_sprint_and_may_reorder_it(client: httpx.AsyncClient) -> None:
    page = (
        await client.get(
            "/rest/software/1.0/sprint/5/issue",
            params={"jql": "issuetype = Bug ORDER BY key DESC", "fields": "issuetype"},
        )
    ).json()
    keys = [issue["key"] for issue in page["issues"]]
    assert all(issue["fields"]["issuetype"]["name"] == "Bug" for issue in page["issues"])
    assert keys == sorted(keys, key=lambda k: int(k.split("-")[1]), reverse=True)
    assert set(keys) <= await sprint_keys(client, 5)


async def test_deprecated_agile_list_pages_by_start_at_with_a_total(client: httpx.AsyncClient) -> None:
    expected = await sprint_keys(client, 5)
    first = (await client.get("/rest/agile/1.0/sprint/5/issue", params={"maxResults": 3})).json()
    assert first["total"] == len(expected) and first["startAt"] == 0 and len(first["issues"]) == min(3, len(expected))
    rest = (await client.get("/rest/agile/1.0/sprint/5/issue", params={"startAt": 3, "maxResults": 100})).json()
    assert {i["key"] for i in first["issues"] + rest["issues"]} == expected


async def test_unknown_sprints_and_boards_answer_404_in_jiras_shape(client: httpx.AsyncClient) -> None:
    missing = await client.get("/rest/software/1.0/sprint/999/issue")
    assert missing.status_code == 404 and missing.json()["errorMessages"]
    elsewhere = await client.get("/rest/software/1.0/board/2/sprint/5/issue")
    assert elsewhere.status_code == 404
    bad_jql = await client.get("/rest/software/1.0/sprint/5/issue", params={"jql": "status = = Done"})
    assert bad_jql.status_code == 400 and "Error in the JQL Query" in bad_jql.json()["errorMessages"][0]
