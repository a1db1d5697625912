"""Endpoint methods: paths, bodies, paging in both styles, chunking, deployment detection."""

from __future__ import annotations

import json

import httpx
import pytest
import respx

from jiramcp.jira import InvalidPageToken, JiraAmbiguousWriteError, RetryPolicy

from ._fakes import BASE, make_client

pytestmark = pytest.mark.anyio


def body(call: respx.models.Call) -> dict:
    return json.loads(call.request.content)


@pytest.mark.parametrize(("deployment_type", "version"), [("Cloud", "3"), ("Server", "2"), ("DataCenter", "2")])
async def test_the_deployment_is_learned_from_server_info_once(deployment_type: str, version: str) -> None:
    router = respx.Router(base_url=BASE)
    info = router.get("/rest/api/2/serverInfo").respond(
        200, json={"deploymentType": deployment_type, "version": "9.12.0"}
    )
    me = router.get(f"/rest/api/{version}/myself").respond(200, json={"displayName": "Me"})
    async with make_client(router, deployment="auto") as client:
        first = await client.connect()
        assert (await client.myself())["displayName"] == "Me"
        await client.deployment()
    assert info.call_count == 1 and me.call_count == 1
    assert first.api_version == version
    assert first.text_format == ("adf" if version == "3" else "wiki")
    assert first.user_field == ("accountId" if version == "3" else "name")


async def test_a_forced_deployment_never_asks_server_info() -> None:
    router = respx.Router(base_url=BASE, assert_all_called=False)
    info = router.get("/rest/api/2/serverInfo").respond(200, json={"deploymentType": "Cloud"})
    router.get("/rest/api/2/myself").respond(200, json={"name": "me"})
    async with make_client(router, deployment="server") as client:
        await client.myself()
    assert info.call_count == 0


async def test_cloud_search_pages_with_next_page_token() -> None:
    router = respx.Router(base_url=BASE)
    route = router.post("/rest/api/3/search/jql")
    route.side_effect = [
        httpx.Response(200, json={"issues": [{"key": "A-1"}, {"key": "A-2"}], "nextPageToken": "t2", "isLast": False}),
        httpx.Response(200, json={"issues": [{"key": "A-3"}], "isLast": True, "names": {"summary": "Summary"}}),
    ]
    async with make_client(router) as client:
        first = await client.search("project = A", fields=["summary"], max_results=2, expand=["names"])
        second = await client.search("project = A", fields=["summary"], max_results=2, next_page_token="t2")
    assert [i["key"] for i in first.issues] == ["A-1", "A-2"]
    assert (first.next_page_token, first.is_last, first.total) == ("t2", False, None)
    assert second.is_last and second.next_page_token is None and second.names == {"summary": "Summary"}
    sent = [body(c) for c in route.calls]
    assert sent[0] == {"jql": "project = A", "maxResults": 2, "fields": ["summary"], "expand": "names"}
    assert sent[1]["nextPageToken"] == "t2"


async def test_server_search_pages_by_start_at_behind_the_same_token_interface() -> None:
    router = respx.Router(base_url=BASE)

    def answer(request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)
        start, size = sent["startAt"], sent["maxResults"]
        keys = [f"A-{n}" for n in range(start + 1, min(start + size, 5) + 1)]
        return httpx.Response(
            200, json={"startAt": start, "maxResults": size, "total": 5, "issues": [{"key": k} for k in keys]}
        )

    route = router.post("/rest/api/2/search").mock(side_effect=answer)
    async with make_client(router, deployment="server") as client:
        page = await client.search("project = A", max_results=2)
        keys = [i["key"] for i in page.issues]
        while page.next_page_token:
            page = await client.search("project = A", max_results=2, next_page_token=page.next_page_token)
            keys += [i["key"] for i in page.issues]
        assert keys == ["A-1", "A-2", "A-3", "A-4", "A-5"]
        assert page.is_last and page.total == 5
        assert [body(c)["startAt"] for c in route.calls] == [0, 2, 4]
        everything = [i["key"] async for i in client.search_all("project = A", page_size=2)]
        assert everything == keys
        with pytest.raises(InvalidPageToken):
            await client.search(
                "project = B", next_page_token=(await client.search("project = A", max_results=2)).next_page_token
            )
        with pytest.raises(InvalidPageToken):
            await client.search("project = A", next_page_token="garbage")


async def test_approximate_count_on_both_flavours() -> None:
    router = respx.Router(base_url=BASE)
    cloud = router.post("/rest/api/3/search/approximate-count").respond(200, json={"count": 42})
    server = router.post("/rest/api/2/search").respond(200, json={"total": 7, "issues": []})
    async with make_client(router) as client:
        assert await client.approximate_count("project = A") == 42
    async with make_client(router, deployment="server") as client:
        assert await client.approximate_count("project = A") == 7
    assert body(cloud.calls[0]) == {"jql": "project = A"}
    assert body(server.calls[0])["maxResults"] == 0


async def test_bulk_fetch_sends_at_most_a_hundred_keys_per_request() -> None:
    router = respx.Router(base_url=BASE)

    def answer(request: httpx.Request) -> httpx.Response:
        keys = json.loads(request.content)["issueIdsOrKeys"]
        return httpx.Response(200, json={"issues": [{"key": k} for k in keys if k != "A-13"], "issueErrors": []})

    route = router.post("/rest/api/3/issue/bulkfetch").mock(side_effect=answer)
    keys = [f"A-{n}" for n in range(1, 251)]
    async with make_client(router) as client:
        got = await client.bulk_fetch(keys, ["summary"])
    assert [len(body(c)["issueIdsOrKeys"]) for c in route.calls] == [100, 100, 50]
    assert len(got["issues"]) == 249


async def test_bulk_create_chunks_by_fifty_and_numbers_failures_over_the_whole_input() -> None:
    router = respx.Router(base_url=BASE)
    calls = 0

    def answer(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        items = json.loads(request.content)["issueUpdates"]
        if calls == 2:  # every item of this chunk fails: Jira answers 400 with per-item errors
            errors = [
                {"status": 400, "failedElementNumber": n, "elementErrors": {"errors": {"summary": "x"}}}
                for n in range(len(items))
            ]
            return httpx.Response(400, json={"issues": [], "errors": errors})
        return httpx.Response(201, json={"issues": [{"key": f"A-{n}"} for n in range(len(items))], "errors": []})

    route = router.post("/rest/api/3/issue/bulk").mock(side_effect=answer)
    updates = [{"fields": {"summary": f"s{n}"}} for n in range(120)]
    async with make_client(router) as client:
        result = await client.create_issues(updates)
    assert [len(body(c)["issueUpdates"]) for c in route.calls] == [50, 50, 20]
    assert len(result["issues"]) == 70
    assert [e["failedElementNumber"] for e in result["errors"]] == list(range(50, 100))


async def test_agile_moves_chunk_and_ranking_after_keeps_the_order() -> None:
    router = respx.Router(base_url=BASE)
    move = router.post("/rest/agile/1.0/sprint/7/issue").respond(204)
    backlog = router.post("/rest/agile/1.0/backlog/issue").respond(204)
    rank = router.put("/rest/agile/1.0/issue/rank").respond(204)
    keys = [f"A-{n}" for n in range(1, 121)]
    async with make_client(router) as client:
        await client.move_to_sprint(7, keys)
        await client.move_to_backlog(keys[:10])
        assert await client.rank(keys, after="A-500") == []
        with pytest.raises(ValueError):
            await client.rank(keys, before="A-1", after="A-2")
    assert [len(body(c)["issues"]) for c in move.calls] == [50, 50, 20]
    assert backlog.call_count == 1
    anchors = [body(c)["rankAfterIssue"] for c in rank.calls]
    assert anchors == ["A-500", "A-50", "A-100"]


async def test_rank_reports_per_issue_failures_of_a_207() -> None:
    router = respx.Router(base_url=BASE)
    router.put("/rest/agile/1.0/issue/rank").respond(
        207,
        json={"entries": [{"issueKey": "A-1", "status": 204}, {"issueKey": "A-2", "status": 403, "errors": ["no"]}]},
    )
    async with make_client(router) as client:
        failures = await client.rank(["A-1", "A-2"], before="A-9")
    assert failures == [{"issueKey": "A-2", "status": 403, "errors": ["no"]}]


async def test_boards_and_sprints_walk_every_page() -> None:
    router = respx.Router(base_url=BASE)
    route = router.get("/rest/agile/1.0/board/3/sprint")
    route.side_effect = [
        httpx.Response(
            200, json={"startAt": 0, "maxResults": 50, "isLast": False, "values": [{"id": n} for n in range(50)]}
        ),
        httpx.Response(200, json={"startAt": 50, "maxResults": 50, "isLast": True, "values": [{"id": 50}]}),
    ]
    boards = router.get("/rest/agile/1.0/board").respond(200, json={"isLast": True, "values": [{"id": 3}]})
    async with make_client(router) as client:
        sprints = await client.sprints(3, state=["active", "future"])
        assert await client.boards(project="A", type="scrum") == [{"id": 3}]
    assert len(sprints) == 51
    assert route.calls[0].request.url.params["state"] == "active,future"
    assert route.calls[1].request.url.params["startAt"] == "50"
    assert boards.calls[0].request.url.params["projectKeyOrId"] == "A"
    assert "name" not in boards.calls[0].request.url.params


async def test_sprint_create_and_partial_update_use_jiras_names() -> None:
    router = respx.Router(base_url=BASE)
    create = router.post("/rest/agile/1.0/sprint").respond(201, json={"id": 9, "state": "future"})
    update = router.post("/rest/agile/1.0/sprint/9").respond(200, json={"id": 9, "state": "active"})
    async with make_client(router) as client:
        await client.create_sprint("S1", 3, goal="ship")
        await client.update_sprint(9, state="active", start_date="2026-01-01T00:00:00Z", end_date="2026-01-14")
    assert body(create.calls[0]) == {"name": "S1", "originBoardId": 3, "goal": "ship"}
    assert body(update.calls[0]) == {"state": "active", "startDate": "2026-01-01T00:00:00Z", "endDate": "2026-01-14"}


async def test_projects_are_paged_and_cached() -> None:
    router = respx.Router(base_url=BASE)
    route = router.get("/rest/api/3/project/search")
    route.side_effect = [
        httpx.Response(200, json={"isLast": False, "values": [{"key": "A"}], "maxResults": 1, "total": 2}),
        httpx.Response(200, json={"isLast": True, "values": [{"key": "B"}], "maxResults": 1, "total": 2}),
    ]
    async with make_client(router) as client:
        assert [p["key"] for p in await client.projects()] == ["A", "B"]
        assert [p["key"] for p in await client.projects()] == ["A", "B"]
    assert route.call_count == 2


async def test_createmeta_fields_walk_pages_on_both_flavours() -> None:
    router = respx.Router(base_url=BASE)
    cloud = router.get("/rest/api/3/issue/createmeta/A/issuetypes/10001")
    cloud.side_effect = [
        httpx.Response(200, json={"startAt": 0, "maxResults": 1, "total": 2, "fields": [{"fieldId": "summary"}]}),
        httpx.Response(200, json={"startAt": 1, "maxResults": 1, "total": 2, "fields": [{"fieldId": "labels"}]}),
    ]
    router.get("/rest/api/2/issue/createmeta/A/issuetypes").respond(
        200, json={"startAt": 0, "total": 1, "isLast": True, "values": [{"id": "1", "name": "Bug"}]}
    )
    async with make_client(router) as client:
        fields = await client.createmeta_fields("A", "10001")
    async with make_client(router, deployment="server") as client:
        types = await client.createmeta_issue_types("A")
    assert [f["fieldId"] for f in fields] == ["summary", "labels"]
    assert types == [{"id": "1", "name": "Bug"}]


async def test_server_changelog_is_paged_from_the_expanded_issue() -> None:
    router = respx.Router(base_url=BASE)
    histories = [{"id": str(n)} for n in range(5)]
    router.get("/rest/api/2/issue/A-1").respond(200, json={"key": "A-1", "changelog": {"histories": histories}})
    async with make_client(router, deployment="server") as client:
        page = await client.get_changelog("A-1", start_at=2, max_results=2)
    assert page == {"startAt": 2, "maxResults": 2, "total": 5, "isLast": False, "values": histories[2:4]}


async def test_user_search_uses_each_flavours_parameter() -> None:
    router = respx.Router(base_url=BASE)
    cloud = router.get("/rest/api/3/user/search").respond(200, json=[{"accountId": "x"}])
    server = router.get("/rest/api/2/user/search").respond(200, json=[{"name": "x"}])
    async with make_client(router) as client:
        await client.search_users("ann", 5)
    async with make_client(router, deployment="server") as client:
        await client.search_users("ann", 5)
    assert cloud.calls[0].request.url.params["query"] == "ann"
    assert server.calls[0].request.url.params["username"] == "ann"


async def test_issue_keys_cannot_change_the_path() -> None:
    router = respx.Router(base_url=BASE)
    route = router.route(method="GET").respond(200, json={})
    async with make_client(router) as client:
        await client.get_issue("A-1/../../myself?x=")
    assert route.calls[0].request.url.raw_path.startswith(b"/rest/api/3/issue/A-1%2F..%2F..%2Fmyself%3Fx%3D")


async def test_an_edit_that_adds_a_comment_is_not_repeated_after_a_gateway_error() -> None:
    router = respx.Router(base_url=BASE)
    route = router.put("/rest/api/3/issue/A-1").respond(504)
    async with make_client(router, retry=RetryPolicy(max_retries=3, base_delay=0.001)) as client:
        with pytest.raises(JiraAmbiguousWriteError):
            await client.edit_issue("A-1", update={"comment": [{"add": {"body": "x"}}]})
        route.side_effect = [httpx.Response(504), httpx.Response(204)]
        await client.edit_issue("A-1", fields={"summary": "y"})  # plain field edits are idempotent
    assert route.call_count == 3


async def test_transitions_worklogs_links_and_deletes_send_jiras_shapes() -> None:
    router = respx.Router(base_url=BASE)
    trans = router.get("/rest/api/3/issue/A-1/transitions").respond(200, json={"transitions": [{"id": "31"}]})
    do = router.post("/rest/api/3/issue/A-1/transitions").respond(204)
    work = router.post("/rest/api/3/issue/A-1/worklog").respond(201, json={"id": "5"})
    link = router.post("/rest/api/3/issueLink").respond(201)
    delete = router.delete("/rest/api/3/issue/A-1").respond(204)
    comments = router.get("/rest/api/3/issue/A-1/comment").respond(200, json={"comments": [], "total": 0})
    async with make_client(router) as client:
        assert await client.get_transitions("A-1") == [{"id": "31"}]
        await client.transition_issue("A-1", "31", fields={"resolution": {"name": "Done"}})
        await client.add_worklog("A-1", time_spent_seconds=3600, started="2021-01-17T12:34:00.000+0000")
        await client.link_issues("Blocks", "A-1", "A-2")
        await client.delete_issue("A-1", delete_subtasks=True)
        await client.get_comments("A-1", start_at=5, max_results=10, order_by="created")
    assert trans.calls[0].request.url.params["expand"] == "transitions.fields"
    assert body(do.calls[0]) == {"transition": {"id": "31"}, "fields": {"resolution": {"name": "Done"}}}
    assert body(work.calls[0]) == {"timeSpentSeconds": 3600, "started": "2021-01-17T12:34:00.000+0000"}
    assert body(link.calls[0]) == {
        "type": {"name": "Blocks"},
        "inwardIssue": {"key": "A-1"},
        "outwardIssue": {"key": "A-2"},
    }
    assert delete.calls[0].request.url.params["deleteSubtasks"] == "true"
    assert dict(comments.calls[0].request.url.params) == {"startAt": "5", "maxResults": "10", "orderBy": "created"}


@pytest.mark.parametrize(("base", "version"), [(BASE, "3"), ("https://jira.corp.example", "2")])
async def test_a_hidden_server_info_falls_back_to_the_host_name(base: str, version: str) -> None:
    router = respx.Router(base_url=base)
    router.get("/rest/api/2/serverInfo").respond(404)
    async with make_client(router, base_url=base, deployment="auto") as client:
        info = await client.deployment()
    assert info.api_version == version


async def test_worklog_in_jira_notation_is_sent_as_time_spent_for_the_site_to_convert() -> None:
    router = respx.Router(base_url=BASE)
    route = router.post("/rest/api/3/issue/A-1/worklog").respond(201, json={"id": "1"})
    async with make_client(router) as client:
        await client.add_worklog("A-1", time_spent="1d 2h", started="2021-01-17T12:34:00.000+0000")
        with pytest.raises(ValueError, match="exactly one"):
            await client.add_worklog("A-1", time_spent="1h", time_spent_seconds=60)
    body = json.loads(route.calls.last.request.content)
    assert body["timeSpent"] == "1d 2h" and "timeSpentSeconds" not in body


async def test_bulk_changelogs_page_with_the_token_and_key_histories_by_issue_id() -> None:
    router = respx.Router(base_url=BASE)
    first = {"issueChangeLogs": [{"issueId": "10", "changeHistories": [{"id": "1"}]}], "nextPageToken": "p2"}
    second = {
        "issueChangeLogs": [
            {"issueId": "10", "changeHistories": [{"id": "2"}]},
            {"issueId": "11", "changeHistories": [{"id": "3"}]},
        ]
    }
    route = router.post("/rest/api/3/changelog/bulkfetch").mock(
        side_effect=[httpx.Response(200, json=first), httpx.Response(200, json=second)]
    )
    async with make_client(router) as client:
        histories = await client.bulk_changelogs(["10", "11", "12"], field_ids=["customfield_10020"])
    assert histories == {"10": [{"id": "1"}, {"id": "2"}], "11": [{"id": "3"}], "12": []}
    assert json.loads(route.calls[1].request.content)["nextPageToken"] == "p2"
    assert json.loads(route.calls[0].request.content)["fieldIds"] == ["customfield_10020"]
