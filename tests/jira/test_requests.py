"""The request loop: retries, per-issue backoff, error mapping, secret redaction."""

from __future__ import annotations

import email.utils
import itertools
import logging

import anyio
import httpx
import pytest
import respx

from jiramcp.jira import (
    BadRequest,
    Conflict,
    Forbidden,
    Gone,
    JiraAmbiguousWriteError,
    JiraAPIError,
    JiraError,
    JiraTransportError,
    NotFound,
    RateLimited,
    RetryPolicy,
    ServerError,
    Unauthorized,
)

from ._fakes import BASE, TOKEN, FakeClock, json_response, make_client

pytestmark = pytest.mark.anyio


async def test_a_per_issue_429_pauses_only_writes_to_that_issue() -> None:
    clock = FakeClock()
    done: dict[str, float] = {}
    sent_proj1: list[float] = []
    first_429 = anyio.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and request.url.path.endswith("/PROJ-1"):
            sent_proj1.append(clock.now())
            if len(sent_proj1) == 1:
                first_429.set()
                return httpx.Response(429, headers={"Retry-After": "5", "RateLimit-Reason": "jira-per-issue-on-write"})
            return httpx.Response(204)
        if request.method == "GET":
            return json_response(200, {"key": "PROJ-1"})
        return httpx.Response(204)

    client = make_client(handler, clock, rate=50.0, burst=10, concurrency=4)

    async def run(name: str, call: object) -> None:
        await call  # type: ignore[misc]
        done[name] = clock.now()

    with anyio.fail_after(10):
        async with clock.running(), client, anyio.create_task_group() as tg:
            tg.start_soon(run, "first PROJ-1 write", client.edit_issue("PROJ-1", fields={"summary": "a"}))
            await first_429.wait()
            start = clock.now()
            tg.start_soon(run, "second PROJ-1 write", client.edit_issue("PROJ-1", fields={"summary": "b"}))
            tg.start_soon(run, "PROJ-2 write", client.edit_issue("PROJ-2", fields={"summary": "c"}))
            tg.start_soon(run, "PROJ-1 read", client.get_issue("PROJ-1"))
            for i in range(5):
                tg.start_soon(run, f"PROJ-3 write {i}", client.add_comment("PROJ-3", {"type": "doc"}))
    assert done["PROJ-2 write"] - start < 0.5
    assert done["PROJ-1 read"] - start < 0.5
    assert all(done[f"PROJ-3 write {i}"] - start < 0.5 for i in range(5))
    assert sent_proj1[0] == start and all(t >= start + 5 for t in sent_proj1[1:])
    assert len(sent_proj1) == 3 and client.budget.pauses == 0


async def test_idempotent_calls_retry_a_bounded_number_of_times() -> None:
    clock = FakeClock()
    calls: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(clock.now())
        return httpx.Response(503, text="<html><body>Service Unavailable</body></html>")

    client = make_client(handler, clock, retry=RetryPolicy(max_retries=3, max_total_wait=60))
    async with clock.running(), client:
        with pytest.raises(ServerError) as info:
            await client.get_issue("PROJ-1")
    assert len(calls) == 4
    assert "not JSON" in str(info.value) and "<html>" not in str(info.value)


async def test_the_total_wait_bound_stops_retries_early() -> None:
    clock = FakeClock()
    calls: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(clock.now())
        return httpx.Response(502)

    policy = RetryPolicy(max_retries=10, max_total_wait=3.0, base_delay=1.0)
    client = make_client(handler, clock, retry=policy)
    async with clock.running(), client:
        with pytest.raises(ServerError):
            await client.get_issue("PROJ-1")
    assert calls[-1] - calls[0] <= 3.0
    assert len(calls) < 11


async def test_retry_after_zero_backs_off_instead_of_hot_looping() -> None:
    clock = FakeClock()
    calls: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(clock.now())
        return httpx.Response(429, headers={"Retry-After": "0"})

    client = make_client(handler, clock, retry=RetryPolicy(max_retries=4, max_total_wait=60))
    async with clock.running(), client:
        with pytest.raises(RateLimited):
            await client.get_issue("PROJ-1")
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    assert len(calls) == 5
    assert all(gap >= 0.25 for gap in gaps)
    assert gaps == sorted(gaps)  # growing


async def test_an_http_date_retry_after_is_honoured() -> None:
    clock = FakeClock(wall=1_800_000_000.0)
    calls: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(clock.now())
        if len(calls) == 1:
            when = email.utils.formatdate(clock.wall() + 7, usegmt=True)
            return httpx.Response(429, headers={"Retry-After": when})
        return json_response(200, {"key": "PROJ-1"})

    client = make_client(handler, clock)
    async with clock.running(), client:
        assert (await client.get_issue("PROJ-1"))["key"] == "PROJ-1"
    assert 7.0 <= calls[1] - calls[0] <= 7.0 * 1.3 + 0.01


async def test_a_create_that_timed_out_after_reaching_jira_is_not_duplicated() -> None:
    clock = FakeClock()
    created: list[dict[str, object]] = []
    posts = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal posts
        if request.url.path == "/rest/api/3/issue":
            posts += 1
            created.append({"id": "10007", "key": "PROJ-7", "self": f"{BASE}/rest/api/3/issue/10007"})
            raise httpx.ReadTimeout("timed out", request=request)  # Jira made it; the answer is lost
        if request.url.path == "/rest/api/3/search/jql":
            issues = [
                {"id": c["id"], "key": c["key"], "fields": {"summary": "Fix login", "created": _iso(clock)}}
                for c in created
            ]
            return json_response(200, {"issues": issues, "isLast": True})
        return httpx.Response(404)

    client = make_client(handler, clock)
    fields = {"project": {"key": "PROJ"}, "summary": "Fix login", "issuetype": {"name": "Bug"}}
    async with clock.running(), client:
        result = await client.create_issue(fields)
    assert result["key"] == "PROJ-7"
    assert posts == 1


async def test_a_create_that_never_reached_jira_is_sent_again_once_the_check_finds_nothing() -> None:
    clock = FakeClock()
    posts = searches = 0
    jql_seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal posts, searches
        if request.url.path == "/rest/api/3/issue":
            posts += 1
            if posts == 1:
                raise httpx.ReadTimeout("timed out", request=request)  # lost before Jira acted
            return json_response(201, {"id": "10008", "key": "PROJ-8", "self": "x"})
        if request.url.path == "/rest/api/3/search/jql":
            searches += 1
            jql_seen.append(httpx.Request("POST", "/", content=request.content).read().decode())
            # An older issue with the same summary by someone else's hand is not ours.
            old = {"key": "PROJ-1", "fields": {"summary": "Other", "created": _iso(clock)}}
            return json_response(200, {"issues": [old], "isLast": True})
        return httpx.Response(404)

    client = make_client(handler, clock)
    fields = {"project": {"key": "PROJ"}, "summary": "Fix login", "issuetype": {"name": "Bug"}}
    async with clock.running(), client:
        result = await client.create_issue(fields)
    assert result["key"] == "PROJ-8"
    assert posts == 2 and searches == 2
    assert "reporter = currentUser()" in jql_seen[0] and 'project = \\"PROJ\\"' in jql_seen[0]


async def test_other_writes_report_an_ambiguous_outcome_instead_of_repeating() -> None:
    clock = FakeClock()
    posts = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal posts
        posts += 1
        raise httpx.ReadTimeout("timed out", request=request)

    client = make_client(handler, clock)
    async with clock.running(), client:
        with pytest.raises(JiraAmbiguousWriteError) as info:
            await client.add_comment("PROJ-1", {"type": "doc", "version": 1, "content": []})
    assert posts == 1
    assert "may or may not" in str(info.value)


@pytest.mark.parametrize("status", [500, 502, 504])
async def test_a_write_answered_by_a_gateway_error_is_ambiguous_not_retried(status: int) -> None:
    clock = FakeClock()
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(status, text="<html>Bad gateway</html>", headers={"content-type": "text/html"})

    client = make_client(handler, clock)
    async with clock.running(), client:
        with pytest.raises(JiraAmbiguousWriteError):
            await client.add_worklog("PROJ-1", time_spent_seconds=60)
    assert calls == 1


@pytest.mark.parametrize(
    "failure",
    [
        lambda r: httpx.Response(429, headers={"Retry-After": "1"}),
        lambda r: httpx.Response(503),
        lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused", request=r)),
    ],
    ids=["429", "503", "connect-refused"],
)
async def test_a_write_that_provably_never_reached_jira_is_retried(failure: object) -> None:
    clock = FakeClock()
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            return failure(request)  # type: ignore[operator]
        return json_response(201, {"id": "1"})

    client = make_client(handler, clock)
    async with clock.running(), client:
        assert await client.add_comment("PROJ-1", {"type": "doc"}) == {"id": "1"}
    assert calls == 2


async def test_transport_failures_of_reads_become_typed_errors_after_retries() -> None:
    clock = FakeClock()

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = make_client(handler, clock, retry=RetryPolicy(max_retries=2))
    async with clock.running(), client:
        with pytest.raises(JiraTransportError) as info:
            await client.get_issue("PROJ-1")
    assert info.value.sent is False and "after 3 attempts" in str(info.value)


@pytest.mark.parametrize(
    ("status", "body", "error", "words"),
    [
        (400, {"errorMessages": [], "errors": {"priority": "Priority is required"}}, BadRequest, "priority"),
        (401, "", Unauthorized, "JIRA_API_TOKEN"),
        (403, {"errorMessages": ["No permission"]}, Forbidden, "No permission"),
        (404, {"errorMessages": ["Issue does not exist"], "errors": {}}, NotFound, "check the key"),
        (409, {"errorMessages": ["conflict"]}, Conflict, "conflict"),
        (410, {"errorMessages": ["The requested API has been removed."], "errors": {}}, Gone, "removed"),
        (413, {"errorMessages": ["too many"]}, JiraAPIError, "too many"),
        (422, {"errorMessages": ["bad config"]}, BadRequest, "bad config"),
        (500, "<html><h1>Oops</h1></html>", ServerError, "not JSON"),
    ],
)
async def test_error_answers_map_to_typed_errors(status: int, body: object, error: type, words: str) -> None:
    router = respx.Router(base_url=BASE)
    if isinstance(body, dict):
        router.get("/rest/api/3/issue/PROJ-1").respond(status, json=body)
    else:
        router.get("/rest/api/3/issue/PROJ-1").respond(status, text=str(body), content_type="text/html")
    async with make_client(router, retry=RetryPolicy(max_retries=0)) as client:
        with pytest.raises(error) as info:
            await client.get_issue("PROJ-1")
    assert type(info.value) is error
    assert info.value.status == status and words in str(info.value)
    assert "<h1>" not in str(info.value)
    if status == 400:
        assert info.value.field_errors == {"priority": "Priority is required"}


async def test_an_html_429_is_rate_limited_with_its_reason() -> None:
    router = respx.Router(base_url=BASE)
    router.get("/rest/api/3/field").respond(
        429,
        text="<html>Too many</html>",
        headers={"Retry-After": "12", "RateLimit-Reason": "jira-burst-based"},
        content_type="text/html",
    )
    async with make_client(router, retry=RetryPolicy(max_retries=0)) as client:
        with pytest.raises(RateLimited) as info:
            await client.fields()
    assert info.value.retry_after == pytest.approx(12) and info.value.reason == "jira-burst-based"


async def test_a_200_that_is_not_json_says_the_url_may_be_wrong() -> None:
    router = respx.Router(base_url=BASE)
    router.get("/rest/api/3/myself").respond(200, text="<html>Login</html>", content_type="text/html")
    async with make_client(router) as client:
        with pytest.raises(JiraError, match="JIRA_URL"):
            await client.myself()


async def test_the_token_never_appears_in_repr_logs_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    seen_auth: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen_auth.append(request.headers["Authorization"])
        return json_response(401, {"errorMessages": [f"Bad credentials {TOKEN}"]})

    caplog.set_level(logging.DEBUG)
    client = make_client(handler)
    async with client:
        with pytest.raises(Unauthorized) as info:
            await client.myself()
        texts = [repr(client), repr(client._http.auth), str(info.value), repr(info.value), caplog.text]
    assert seen_auth and seen_auth[0].startswith("Basic ")
    basic = seen_auth[0].split()[1]
    for text in texts:
        assert TOKEN not in text and basic not in text
    assert "***" in str(info.value)
    assert any("/rest/api/3/myself -> 401" in r.getMessage() for r in caplog.records)


async def test_a_bearer_token_is_sent_and_hidden() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        return json_response(200, {"name": "me"})

    client = make_client(handler, username=None, api_token=None, bearer_token="pat-SECRET", deployment="server")
    async with client:
        await client.myself()
        assert "pat-SECRET" not in repr(client)
    assert seen == ["Bearer pat-SECRET"]


def _iso(clock: FakeClock) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(clock.wall(), dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


async def test_a_503_with_retry_after_pauses_the_bucket_and_is_retried() -> None:
    clock = FakeClock()
    calls: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(clock.now())
        if len(calls) == 1:
            return httpx.Response(503, headers={"Retry-After": "4"})
        return json_response(200, [])

    client = make_client(handler, clock)
    async with clock.running(), client:
        assert await client.statuses() == []
    assert client.budget.pauses == 1 and calls[1] - calls[0] >= 4.0


async def test_a_json_answer_cut_short_is_asked_for_once_more_on_a_read() -> None:
    answers = iter(
        [
            httpx.Response(200, content=b'{"issues": [{"key": "A-', headers={"content-type": "application/json"}),
            httpx.Response(200, json={"issues": []}),
        ]
    )
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return next(answers)

    async with make_client(handler) as client:
        assert await client.request_json("GET", "/rest/api/3/issue/A-1") == {"issues": []}
    assert calls == 2


async def test_a_cut_short_answer_to_a_create_is_not_sent_again() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(201, content=b'{"key": "A-', headers={"content-type": "application/json"})

    async with make_client(handler) as client:
        with pytest.raises(JiraError, match="not JSON"):
            await client.request_json("POST", "/rest/api/3/issue", json={"fields": {}})
    assert calls == 1
