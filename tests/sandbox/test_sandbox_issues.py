"""Contract tests: issue get, create, bulk create, edit, delete, transitions, metadata."""

from __future__ import annotations

import httpx
import pytest
from tests.sandbox._sandbox_helpers import assert_jira_error

pytestmark = pytest.mark.anyio

API = "/rest/api/3"
ADF = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Hi"}]}]}


def story(summary: str = "A new story", **fields: object) -> dict:
    return {"fields": {"project": {"key": "PLAT"}, "issuetype": {"name": "Story"}, "summary": summary, **fields}}


async def test_get_issue_returns_jira_shape_with_all_fields_by_default(client: httpx.AsyncClient) -> None:
    body = (await client.get(f"{API}/issue/PLAT-1")).json()
    assert body["key"] == "PLAT-1" and body["id"].isdigit() and body["self"].endswith(f"/issue/{body['id']}")
    fields = body["fields"]
    for name in (
        "summary",
        "status",
        "issuetype",
        "project",
        "customfield_10016",
        "customfield_10020",
        "created",
        "updated",
        "comment",
        "issuelinks",
        "subtasks",
    ):
        assert name in fields
    assert fields["status"]["statusCategory"]["key"] in {"new", "indeterminate", "done"}
    assert fields["created"].endswith("+0000") and len(fields["created"]) == 28


async def test_get_issue_honours_fields_and_expand(client: httpx.AsyncClient) -> None:
    body = (
        await client.get(
            f"{API}/issue/PLAT-3",
            params={
                "fields": "summary,-summary,status,Story Points",
                "expand": "names,renderedFields,transitions,changelog",
            },
        )
    ).json()
    assert set(body["fields"]) == {"status", "customfield_10016"}
    assert body["names"] == {"status": "Status", "customfield_10016": "Story Points"}
    assert all("to" in t and "name" in t for t in body["transitions"])
    assert "histories" in body["changelog"]
    navigable = (await client.get(f"{API}/issue/PLAT-3", params={"fields": "*navigable,-description"})).json()
    assert "comment" not in navigable["fields"] and "description" not in navigable["fields"]
    assert "summary" in navigable["fields"]


async def test_missing_issue_is_404_with_jiras_wording(client: httpx.AsyncClient) -> None:
    body = assert_jira_error(await client.get(f"{API}/issue/PLAT-99999"), 404)
    assert body["errorMessages"] == ["Issue does not exist or you do not have permission to see it."]


async def test_create_issue_answers_201_and_the_issue_reads_back(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/issue",
        json=story(
            "Ship quotas",
            description=ADF,
            labels=["api"],
            priority={"name": "High"},
            customfield_10016=5,
            customfield_10050={"value": "Atlas"},
            components=[{"name": "API"}],
            customfield_10020=5,
        ),
    )
    assert response.status_code == 201
    created = response.json()
    assert set(created) == {"id", "key", "self"} and created["key"].startswith("PLAT-")
    fields = (await client.get(f"{API}/issue/{created['key']}")).json()["fields"]
    assert fields["summary"] == "Ship quotas" and fields["description"] == ADF
    assert fields["priority"]["name"] == "High" and fields["customfield_10016"] == 5
    assert fields["customfield_10050"]["value"] == "Atlas"
    assert fields["status"]["name"] == "To Do" and fields["reporter"]["emailAddress"] == "alex.morgan@example.com"
    assert [s["id"] for s in fields["customfield_10020"]] == [5]
    assert fields["created"] == fields["updated"]


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        ({"summary": None}, "summary", "You must specify a summary of the issue."),
        ({"priority": {"name": "Urgent"}}, "priority", "The priority selected is invalid."),
        (
            {"description": "plain text"},
            "description",
            "Operation value must be an Atlassian Document (see the Atlassian Document Format)",
        ),
        (
            {"description": {"type": "doc", "version": 1, "content": [{"type": "bogus"}]}},
            "description",
            "Operation value must be an Atlassian Document (see the Atlassian Document Format)",
        ),
        ({"foo": 1}, "foo", "Field 'foo' cannot be set. It is not on the appropriate screen, or unknown."),
        (
            {"status": {"name": "Done"}},
            "status",
            "Field 'status' cannot be set. It is not on the appropriate screen, or unknown.",
        ),
        ({"customfield_10050": {"value": "Zeta"}}, "customfield_10050", "Option value 'Zeta' is not valid"),
        ({"labels": ["two words"]}, "labels", "The label 'two words' contains spaces which is invalid."),
        ({"customfield_10016": "five"}, "customfield_10016", "Operation value must be a number"),
    ],
)
async def test_create_refuses_bad_values_keyed_by_field(
    client: httpx.AsyncClient, fields: dict, field_id: str, message: str
) -> None:
    payload = story()
    payload["fields"].update(fields)
    if fields.get("summary", "") is None:
        del payload["fields"]["summary"]
    body = assert_jira_error(await client.post(f"{API}/issue", json=payload), 400)
    assert body["errors"][field_id] == message


async def test_create_sub_task_needs_a_parent_and_then_shows_under_it(client: httpx.AsyncClient) -> None:
    payload = {"fields": {"project": {"key": "PLAT"}, "issuetype": {"name": "Sub-task"}, "summary": "x"}}
    body = assert_jira_error(await client.post(f"{API}/issue", json=payload), 400)
    assert "parent" in body["errors"]
    parent = (await client.post(f"{API}/issue", json=story())).json()
    payload["fields"]["parent"] = {"key": parent["key"]}
    child = (await client.post(f"{API}/issue", json=payload)).json()
    subtasks = (await client.get(f"{API}/issue/{parent['key']}")).json()["fields"]["subtasks"]
    assert [s["key"] for s in subtasks] == [child["key"]]


async def test_bulk_create_reports_each_failure_with_its_element_number(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/issue/bulk", json={"issueUpdates": [story("one"), story(None), story("three")]}
    )
    assert response.status_code == 201
    body = response.json()
    assert len(body["issues"]) == 2
    assert body["errors"][0]["failedElementNumber"] == 1 and body["errors"][0]["status"] == 400
    assert "summary" in body["errors"][0]["elementErrors"]["errors"]
    too_many = await client.post(f"{API}/issue/bulk", json={"issueUpdates": [story()] * 51})
    assert_jira_error(too_many, 400)


async def test_edit_sets_fields_and_runs_update_operations_with_changelog(client: httpx.AsyncClient) -> None:
    key = (await client.post(f"{API}/issue", json=story(labels=["a", "b"]))).json()["key"]
    response = await client.put(
        f"{API}/issue/{key}",
        json={
            "fields": {"summary": "Renamed"},
            "update": {"labels": [{"add": "c"}, {"remove": "a"}], "comment": [{"add": {"body": ADF}}]},
        },
    )
    assert response.status_code == 204
    issue = (await client.get(f"{API}/issue/{key}", params={"expand": "changelog"})).json()
    assert issue["fields"]["summary"] == "Renamed" and issue["fields"]["labels"] == ["b", "c"]
    assert issue["fields"]["comment"]["total"] == 1
    items = issue["changelog"]["histories"][-1]["items"]
    assert {i["field"] for i in items} == {"summary", "labels"}
    summary_item = next(i for i in items if i["field"] == "summary")
    assert summary_item["fromString"] == "A new story" and summary_item["toString"] == "Renamed"


async def test_edit_refuses_a_field_in_both_fields_and_update(client: httpx.AsyncClient) -> None:
    body = assert_jira_error(
        await client.put(
            f"{API}/issue/PLAT-1", json={"fields": {"labels": ["x"]}, "update": {"labels": [{"add": "y"}]}}
        ),
        400,
    )
    assert "labels" in body["errors"]


async def test_edit_with_return_issue_answers_the_issue(client: httpx.AsyncClient) -> None:
    response = await client.put(
        f"{API}/issue/PLAT-2", params={"returnIssue": "true", "fields": "summary"}, json={"fields": {"summary": "Back"}}
    )
    assert response.status_code == 200 and response.json()["fields"] == {"summary": "Back"}


async def test_transitions_follow_the_workflow_and_resolve_on_done(client: httpx.AsyncClient) -> None:
    key = (await client.post(f"{API}/issue", json=story())).json()["key"]
    names = {t["name"]: t["id"] for t in (await client.get(f"{API}/issue/{key}/transitions")).json()["transitions"]}
    assert names == {"Start Progress": "21", "Done": "31"}
    assert_jira_error(await client.post(f"{API}/issue/{key}/transitions", json={"transition": {"id": "41"}}), 400)
    for transition_id in ("21", "41", "31"):
        response = await client.post(f"{API}/issue/{key}/transitions", json={"transition": {"id": transition_id}})
        assert response.status_code == 204
    issue = (await client.get(f"{API}/issue/{key}", params={"expand": "changelog"})).json()
    assert issue["fields"]["status"]["name"] == "Done"
    assert issue["fields"]["resolution"]["name"] == "Done" and issue["fields"]["resolutiondate"]
    status_items = [i for h in issue["changelog"]["histories"] for i in h["items"] if i["field"] == "status"]
    assert [i["toString"] for i in status_items] == ["In Progress", "In Review", "Done"]
    await client.post(f"{API}/issue/{key}/transitions", json={"transition": {"id": "71"}})
    fields = (await client.get(f"{API}/issue/{key}")).json()["fields"]
    assert fields["resolution"] is None and fields["resolutiondate"] is None
    assert fields["status"]["statusCategory"]["key"] == "new"


async def test_transition_with_resolution_and_comment(client: httpx.AsyncClient) -> None:
    key = (await client.post(f"{API}/issue", json=story())).json()["key"]
    transitions = (await client.get(f"{API}/issue/{key}/transitions", params={"expand": "transitions.fields"})).json()
    done = next(t for t in transitions["transitions"] if t["id"] == "31")
    assert "resolution" in done["fields"]
    response = await client.post(
        f"{API}/issue/{key}/transitions",
        json={
            "transition": {"id": "31"},
            "fields": {"resolution": {"name": "Won't Do"}},
            "update": {"comment": [{"add": {"body": ADF}}]},
        },
    )
    assert response.status_code == 204
    fields = (await client.get(f"{API}/issue/{key}")).json()["fields"]
    assert fields["resolution"]["name"] == "Won't Do" and fields["comment"]["total"] == 1


async def test_delete_needs_delete_subtasks_when_the_issue_has_them(client: httpx.AsyncClient) -> None:
    parent = (await client.post(f"{API}/issue", json=story())).json()["key"]
    child = (
        await client.post(
            f"{API}/issue",
            json={
                "fields": {
                    "project": {"key": "PLAT"},
                    "issuetype": {"name": "Sub-task"},
                    "summary": "c",
                    "parent": {"key": parent},
                }
            },
        )
    ).json()
    assert_jira_error(await client.delete(f"{API}/issue/{parent}"), 400)
    assert (await client.delete(f"{API}/issue/{parent}", params={"deleteSubtasks": "true"})).status_code == 204
    assert_jira_error(await client.get(f"{API}/issue/{child['key']}"), 404)


async def test_createmeta_and_editmeta_describe_fields_and_allowed_values(client: httpx.AsyncClient) -> None:
    types = (await client.get(f"{API}/issue/createmeta/PLAT/issuetypes")).json()
    assert {t["name"] for t in types["issueTypes"]} == {"Epic", "Story", "Task", "Bug", "Sub-task"}
    fields = (await client.get(f"{API}/issue/createmeta/PLAT/issuetypes/10004", params={"maxResults": 200})).json()
    by_id = {f["fieldId"]: f for f in fields["fields"]}
    assert by_id["summary"]["required"] and by_id["parent"]["required"]
    assert {v["value"] for v in by_id["customfield_10050"]["allowedValues"]} == {"Phoenix", "Atlas", "Nebula"}
    paged = (await client.get(f"{API}/issue/createmeta/PLAT/issuetypes/10004", params={"maxResults": 3})).json()
    assert len(paged["fields"]) == 3 and paged["total"] == len(fields["fields"])
    edit = (await client.get(f"{API}/issue/PLAT-1/editmeta")).json()["fields"]
    assert edit["labels"]["operations"] == ["add", "set", "remove"] and "project" not in edit
