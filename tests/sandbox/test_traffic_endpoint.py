"""Contract of `/_sandbox/traffic`: the request log over HTTP, itself never limited, faulted or counted."""

from __future__ import annotations

import httpx
import pytest
from tests.sandbox._sandbox_helpers import assert_jira_error, make_config

from jiramcp.sandbox import (
    SANDBOX_EMAIL,
    SANDBOX_TOKEN,
    TRAFFIC_REPORT_PATH,
    FaultConfig,
    RateLimitConfig,
    create_app,
    in_process_transport,
)

pytestmark = pytest.mark.anyio

SNAPSHOT_KEYS = {"total_requests", "requests_by_endpoint", "throttled", "faults", "writes_applied"}
RECORD_KEYS = {"time", "method", "path", "endpoint", "status", "outcome"}


def _client(**config: object) -> httpx.AsyncClient:
    app = create_app(make_config(**config))
    return httpx.AsyncClient(transport=in_process_transport(app), base_url="http://jira.test")


async def test_the_report_lists_jira_requests_with_the_log_counters_and_needs_no_credentials() -> None:
    async with _client() as http:
        auth = (SANDBOX_EMAIL, SANDBOX_TOKEN)
        assert (await http.get("/rest/api/3/issue/PLAT-1", auth=auth)).status_code == 200
        # v3 wants ADF: a plain-text body is refused with 400, and still logged.
        refused = await http.post("/rest/api/3/issue/PLAT-1/comment", json={"body": "plain text"}, auth=auth)
        assert (await http.get("/rest/api/3/myself")).status_code == 401

        response = await http.get(TRAFFIC_REPORT_PATH)

    assert refused.status_code == 400
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    report = response.json()
    assert SNAPSHOT_KEYS | {"max_requests_per_second", "records"} <= set(report)
    assert report["total_requests"] == 3
    assert report["requests_by_endpoint"] == {
        "GET /rest/api/3/issue/{id}": 1,
        "POST /rest/api/3/issue/{id}/comment": 1,
        "GET /rest/api/3/myself": 1,
    }
    records = report["records"]
    assert [set(r) for r in records] == [RECORD_KEYS] * 3
    assert [(r["method"], r["path"], r["status"], r["outcome"]) for r in records] == [
        ("GET", "/rest/api/3/issue/PLAT-1", 200, "ok"),
        ("POST", "/rest/api/3/issue/PLAT-1/comment", 400, "ok"),
        ("GET", "/rest/api/3/myself", 401, "ok"),
    ]
    times = [r["time"] for r in records]
    assert times == sorted(times) and all(isinstance(t, float) for t in times)


async def test_asking_for_the_report_is_not_counted_and_not_rate_limited() -> None:
    async with _client(limits=RateLimitConfig(rate=1.0, burst=2)) as http:
        auth = (SANDBOX_EMAIL, SANDBOX_TOKEN)
        statuses = [(await http.get("/rest/api/3/myself", auth=auth)).status_code for _ in range(3)]
        reports = [await http.get(TRAFFIC_REPORT_PATH) for _ in range(25)]

    assert statuses == [200, 200, 429]
    assert {r.status_code for r in reports} == {200}
    last = reports[-1].json()
    assert last["total_requests"] == 3
    assert last["throttled"] == {"jira-burst-based": 1}
    assert last["max_requests_per_second"] == 3
    assert all(r["path"] != TRAFFIC_REPORT_PATH for r in last["records"])
    assert reports[0].json() == last


async def test_the_report_never_gets_injected_faults() -> None:
    every_time = FaultConfig(seed=1, error_rate=1.0, path_prefix="/")
    async with _client(faults=every_time) as http:
        jira = await http.get("/rest/api/3/myself", auth=(SANDBOX_EMAIL, SANDBOX_TOKEN))
        report = await http.get(TRAFFIC_REPORT_PATH)

    assert jira.status_code in (500, 502, 504)
    assert report.status_code == 200
    assert report.json()["faults"] == {"error": 1}


async def test_since_keeps_only_the_records_received_at_or_after_it() -> None:
    async with _client() as http:
        auth = (SANDBOX_EMAIL, SANDBOX_TOKEN)
        for key in ("PLAT-1", "PLAT-2", "PLAT-3"):
            await http.get(f"/rest/api/3/issue/{key}", auth=auth)
        everything = (await http.get(TRAFFIC_REPORT_PATH)).json()
        cut = everything["records"][1]["time"]
        later = (await http.get(TRAFFIC_REPORT_PATH, params={"since": repr(cut)})).json()

    expected = [r for r in everything["records"] if r["time"] >= cut]
    assert later["records"] == expected
    assert [r["path"] for r in expected][-2:] == ["/rest/api/3/issue/PLAT-2", "/rest/api/3/issue/PLAT-3"]
    assert later["total_requests"] == 3  # the counters are the whole log's


@pytest.mark.parametrize("since", ["yesterday", "nan", "inf", ""])
async def test_a_since_that_is_not_a_finite_number_is_a_400_in_jiras_shape(since: str) -> None:
    async with _client() as http:
        response = await http.get(f"{TRAFFIC_REPORT_PATH}?since={since}")

    if since == "":
        assert response.status_code == 200  # an empty value is no filter
    else:
        body = assert_jira_error(response, 400)
        assert "since" in body["errorMessages"][0]


async def test_delete_empties_the_log_and_counting_starts_again() -> None:
    async with _client() as http:
        auth = (SANDBOX_EMAIL, SANDBOX_TOKEN)
        await http.post("/rest/api/3/issue/PLAT-1/comment", json={"body": _adf("first")}, auth=auth)
        reset = await http.delete(TRAFFIC_REPORT_PATH)
        await http.get("/rest/api/3/issue/PLAT-1", auth=auth)
        report = (await http.get(TRAFFIC_REPORT_PATH)).json()

    assert reset.status_code == 204 and reset.content == b""
    assert report["total_requests"] == 1
    assert report["writes_applied"] == 0
    assert [r["path"] for r in report["records"]] == ["/rest/api/3/issue/PLAT-1"]


async def test_writes_applied_counts_the_comment_a_client_added() -> None:
    async with _client() as http:
        added = await http.post(
            "/rest/api/3/issue/PLAT-1/comment", json={"body": _adf("hello")}, auth=(SANDBOX_EMAIL, SANDBOX_TOKEN)
        )
        report = (await http.get(TRAFFIC_REPORT_PATH)).json()

    assert added.status_code == 201
    assert report["writes_applied"] == 1
    assert report["records"][-1]["status"] == 201


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
async def test_other_methods_are_405_with_the_allowed_ones_named(method: str) -> None:
    async with _client() as http:
        response = await http.request(method, TRAFFIC_REPORT_PATH)
        report = (await http.get(TRAFFIC_REPORT_PATH)).json()

    assert_jira_error(response, 405)
    assert response.headers["allow"] == "GET, HEAD, DELETE"
    assert report["total_requests"] == 0


async def test_head_answers_the_headers_without_a_body() -> None:
    async with _client() as http:
        response = await http.head(TRAFFIC_REPORT_PATH)

    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


async def test_the_report_is_not_under_rest_and_a_lookalike_there_is_an_ordinary_counted_404() -> None:
    async with _client() as http:
        lookalike = await http.get(f"/rest{TRAFFIC_REPORT_PATH}", auth=(SANDBOX_EMAIL, SANDBOX_TOKEN))
        report = (await http.get(TRAFFIC_REPORT_PATH)).json()

    assert not TRAFFIC_REPORT_PATH.startswith("/rest/")
    assert_jira_error(lookalike, 404)
    assert report["requests_by_endpoint"] == {f"GET /rest{TRAFFIC_REPORT_PATH}": 1}


def _adf(text: str) -> dict[str, object]:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }
