"""The sandbox's answers validate against Atlassian's OpenAPI operation schemas (../shared)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft7Validator

pytestmark = pytest.mark.anyio

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "jira-openapi"
ADF = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Hi"}]}]}


def _openapi_to_jsonschema(node: Any) -> Any:
    """OpenAPI 3.0 `nullable: true` → JSON Schema's `type: [t, "null"]`; the rest is JSON Schema already."""
    if isinstance(node, dict):
        out = {k: _openapi_to_jsonschema(v) for k, v in node.items()}
        if out.pop("nullable", False) and isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        return out
    if isinstance(node, list):
        return [_openapi_to_jsonschema(item) for item in node]
    return node


@cache
def _spec(name: str) -> dict[str, Any]:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"Atlassian's OpenAPI description is not at {path} (the ../shared folder is absent)")
    spec = _openapi_to_jsonschema(json.loads(path.read_text(encoding="utf-8")))
    # Jira sends `"from": null` in a changelog item when the field had no value (observed in every
    # real changelog); the description types these as plain strings.
    for key in ("from", "fromString", "to", "toString"):
        prop = spec["components"]["schemas"]["ChangeDetails"]["properties"][key]
        prop["type"] = ["string", "null"]
    return spec


def assert_matches(spec_name: str, path: str, method: str, status: str, payload: Any) -> None:
    spec = _spec(spec_name)
    content = spec["paths"][path][method]["responses"][status]["content"]
    schema = next(iter(content.values()))["schema"]
    validator = Draft7Validator({**schema, "components": spec["components"]})
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5]]


PLATFORM_GETS = [
    ("/rest/api/3/myself", "/rest/api/3/myself", {}),
    ("/rest/api/3/serverInfo", "/rest/api/3/serverInfo", {}),
    ("/rest/api/3/field", "/rest/api/3/field", {}),
    ("/rest/api/3/priority", "/rest/api/3/priority", {}),
    ("/rest/api/3/status", "/rest/api/3/status", {}),
    ("/rest/api/3/issuetype", "/rest/api/3/issuetype", {}),
    ("/rest/api/3/resolution", "/rest/api/3/resolution", {}),
    ("/rest/api/3/issueLinkType", "/rest/api/3/issueLinkType", {}),
    ("/rest/api/3/project/search", "/rest/api/3/project/search", {"maxResults": 2}),
    ("/rest/api/3/project/{projectIdOrKey}", "/rest/api/3/project/PLAT", {}),
    ("/rest/api/3/user/search", "/rest/api/3/user/search", {"query": "a"}),
    (
        "/rest/api/3/issue/{issueIdOrKey}",
        "/rest/api/3/issue/PLAT-1",
        {"expand": "names,renderedFields,transitions,changelog,schema,editmeta"},
    ),
    ("/rest/api/3/issue/{issueIdOrKey}", "/rest/api/3/issue/PLAT-20", {}),
    (
        "/rest/api/3/issue/{issueIdOrKey}/transitions",
        "/rest/api/3/issue/PLAT-1/transitions",
        {"expand": "transitions.fields"},
    ),
    ("/rest/api/3/issue/{issueIdOrKey}/comment", "/rest/api/3/issue/PLAT-2/comment", {"expand": "renderedBody"}),
    ("/rest/api/3/issue/{issueIdOrKey}/changelog", "/rest/api/3/issue/PLAT-3/changelog", {}),
    ("/rest/api/3/issue/{issueIdOrKey}/editmeta", "/rest/api/3/issue/PLAT-3/editmeta", {}),
    ("/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes", "/rest/api/3/issue/createmeta/PLAT/issuetypes", {}),
    (
        "/rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}",
        "/rest/api/3/issue/createmeta/PLAT/issuetypes/10001",
        {},
    ),
    (
        "/rest/api/3/search/jql",
        "/rest/api/3/search/jql",
        {
            "jql": "project = MOB ORDER BY rank",
            "fields": "*all",
            "expand": "names,schema,renderedFields",
            "maxResults": 5,
        },
    ),
]


@pytest.mark.parametrize(("operation", "url", "params"), PLATFORM_GETS, ids=[p[1] for p in PLATFORM_GETS])
async def test_platform_reads_match_the_openapi_response_schema(
    client: httpx.AsyncClient, operation: str, url: str, params: dict
) -> None:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    assert_matches("platform-v3.json", operation, "get", "200", response.json())


async def test_platform_writes_match_the_openapi_response_schema(client: httpx.AsyncClient) -> None:
    created = await client.post(
        "/rest/api/3/issue",
        json={"fields": {"project": {"key": "PLAT"}, "issuetype": {"id": "10002"}, "summary": "s", "description": ADF}},
    )
    assert_matches("platform-v3.json", "/rest/api/3/issue", "post", "201", created.json())
    bulk = await client.post(
        "/rest/api/3/issue/bulk",
        json={
            "issueUpdates": [
                {"fields": {}},
                {"fields": {"project": {"key": "PLAT"}, "issuetype": {"id": "10002"}, "summary": "s"}},
            ]
        },
    )
    assert_matches("platform-v3.json", "/rest/api/3/issue/bulk", "post", "201", bulk.json())
    comment = await client.post(f"/rest/api/3/issue/{created.json()['key']}/comment", json={"body": ADF})
    assert_matches("platform-v3.json", "/rest/api/3/issue/{issueIdOrKey}/comment", "post", "201", comment.json())
    worklog = await client.post(f"/rest/api/3/issue/{created.json()['key']}/worklog", json={"timeSpent": "1h"})
    assert_matches("platform-v3.json", "/rest/api/3/issue/{issueIdOrKey}/worklog", "post", "201", worklog.json())
    fetched = await client.post("/rest/api/3/issue/bulkfetch", json={"issueIdsOrKeys": ["PLAT-1", "PLAT-2"]})
    assert_matches("platform-v3.json", "/rest/api/3/issue/bulkfetch", "post", "200", fetched.json())
    count = await client.post("/rest/api/3/search/approximate-count", json={"jql": "project = PLAT"})
    assert_matches("platform-v3.json", "/rest/api/3/search/approximate-count", "post", "200", count.json())
    error = await client.post("/rest/api/3/issue", json={"fields": {"project": {"key": "PLAT"}}})
    assert_matches("platform-v3.json", "/rest/api/3/issue", "post", "400", error.json())


async def test_agile_answers_match_the_openapi_schemas(client: httpx.AsyncClient) -> None:
    boards = await client.get("/rest/agile/1.0/board")
    assert_matches("software.json", "/rest/agile/1.0/board", "get", "200", boards.json())
    board = await client.get("/rest/agile/1.0/board/1")
    assert_matches("software.json", "/rest/agile/1.0/board/{boardId}", "get", "200", board.json())
    config = await client.get("/rest/agile/1.0/board/1/configuration")
    assert_matches("software.json", "/rest/agile/1.0/board/{boardId}/configuration", "get", "200", config.json())
    spec = _spec("software.json")
    sprint_schema = {**spec["components"]["schemas"]["SprintBean"], "components": spec["components"]}
    sprints = (await client.get("/rest/agile/1.0/board/1/sprint")).json()["values"]
    for sprint in sprints:
        assert not list(Draft7Validator(sprint_schema).iter_errors(sprint))


async def test_bulk_changelogs_match_the_openapi_schema_and_page_oldest_first(client: httpx.AsyncClient) -> None:
    keys = [f"PLAT-{n}" for n in range(1, 21)]
    whole = (await client.post("/rest/api/3/changelog/bulkfetch", json={"issueIdsOrKeys": keys})).json()
    assert_matches("platform-v3.json", "/rest/api/3/changelog/bulkfetch", "post", "200", whole)
    assert whole["issueChangeLogs"] and "nextPageToken" not in whole
    total = sum(len(log["changeHistories"]) for log in whole["issueChangeLogs"])
    paged, token = 0, None
    while True:
        body = {"issueIdsOrKeys": keys, "maxResults": 3, **({"nextPageToken": token} if token else {})}
        page = (await client.post("/rest/api/3/changelog/bulkfetch", json=body)).json()
        created = [h["created"] for log in page["issueChangeLogs"] for h in log["changeHistories"]]
        assert len(created) <= 3
        paged += len(created)
        token = page.get("nextPageToken")
        if token is None:
            break
    assert paged == total


async def test_bulk_changelogs_filter_by_field_and_refuse_too_many_issues(client: httpx.AsyncClient) -> None:
    request = {"issueIdsOrKeys": ["PLAT-1"], "fieldIds": ["status"]}
    page = (await client.post("/rest/api/3/changelog/bulkfetch", json=request)).json()
    assert all(
        item["fieldId"] == "status"
        for log in page["issueChangeLogs"]
        for h in log["changeHistories"]
        for item in h["items"]
    )
    refused = await client.post("/rest/api/3/changelog/bulkfetch", json={"issueIdsOrKeys": ["PLAT-1"] * 1001})
    assert refused.status_code == 400 and refused.json()["errorMessages"]
