import anyio
import pytest
from tests.tools._support import sandbox_search, text_of

pytestmark = pytest.mark.anyio


def search_requests(app) -> int:
    return sum(n for endpoint, n in app.state.sandbox.log.requests_by_endpoint.items() if "search/jql" in endpoint)


async def test_search_returns_compact_rows_and_pages_with_the_token(connect):
    async with connect() as (client, _app):
        first = await client.call_tool("jira_search", {"jql": "project = PLAT ORDER BY key ASC", "limit": 10})
        assert not first.is_error
        page = first.structured_content
        assert len(page["issues"]) == 10 and page["is_last"] is False
        assert page["issues"][0]["key"] == "PLAT-1"
        assert set(page["issues"][0]) >= {"key", "summary", "type", "status", "priority", "updated"}
        second = await client.call_tool(
            "jira_search",
            {"jql": "project = PLAT ORDER BY key ASC", "limit": 10, "next_page_token": page["next_page_token"]},
        )
        assert second.structured_content["issues"][0]["key"] == "PLAT-11"
        assert f'next_page_token="{page["next_page_token"]}"' in text_of(first)


async def test_paging_reaches_the_end_of_a_result_of_more_than_a_thousand_issues(connect):
    async with connect(issues=1_100) as (client, app):
        jql = "project in (PLAT, MOB, OPS) ORDER BY created DESC"
        keys: list[str] = []
        token = None
        with anyio.fail_after(60):
            while True:
                args = {"jql": jql, "limit": 100, **({"next_page_token": token} if token else {})}
                result = (await client.call_tool("jira_search", args)).structured_content
                keys += [issue["key"] for issue in result["issues"]]
                if result["is_last"]:
                    assert "next_page_token" not in result
                    break
                token = result["next_page_token"]
        expected = len(app.state.sandbox.store.data["issues"])
        assert expected >= 1_000
        assert len(keys) == len(set(keys)) == expected
        assert search_requests(app) == -(-expected // 100)


async def test_a_syntax_error_comes_back_with_the_fix_without_any_request(connect):
    async with connect() as (client, app):
        before = app.state.sandbox.log.total_requests
        result = await client.call_tool("jira_search", {"jql": "project = PLAT AND summary ~ login page"})
        assert result.is_error
        text = text_of(result)
        assert 'Fixed query: project = PLAT AND summary ~ "login page"' in text
        assert app.state.sandbox.log.total_requests == before


async def test_an_unknown_status_is_refused_before_the_search_request_with_the_closest_status(connect):
    async with connect() as (client, app):
        result = await client.call_tool("jira_search", {"jql": 'project = PLAT AND status = "In Progres"'})
        assert result.is_error and "In Progress" in text_of(result)
        assert search_requests(app) == 0


async def test_an_unbounded_query_is_refused_locally(connect):
    async with connect() as (client, app):
        result = await client.call_tool("jira_search", {"jql": "ORDER BY created DESC"})
        assert result.is_error
        assert search_requests(app) == 0


async def test_warnings_ride_along_with_the_results(connect):
    async with connect() as (client, _app):
        result = await client.call_tool("jira_search", {"jql": "project = PLAT AND text ~ export"})
        assert not result.is_error
        assert result.structured_content["warnings"]
        assert "JQL notes:" in text_of(result)


async def test_extra_fields_come_back_under_their_names(connect):
    async with connect() as (client, _app):
        result = await client.call_tool(
            "jira_search", {"jql": "project = PLAT AND type = Story", "limit": 5, "fields": ["Story Points", "labels"]}
        )
        issues = result.structured_content["issues"]
        assert any("Story Points" in (issue.get("fields") or {}) for issue in issues)
        assert all("customfield_10016" not in (issue.get("fields") or {}) for issue in issues)


async def test_an_unknown_extra_field_is_named_with_a_suggestion(connect):
    async with connect() as (client, _app):
        result = await client.call_tool("jira_search", {"jql": "project = PLAT", "fields": ["Story Point"]})
        assert result.is_error
        text = text_of(result)
        assert "fields:" in text and "Story Points" in text


async def test_count_reports_the_approximate_total(connect):
    async with connect() as (client, app):
        result = await client.call_tool("jira_search", {"jql": "project = OPS", "limit": 1, "count": True})
        total = result.structured_content["approximate_total"]
        assert total == len(await sandbox_search(app, "project = OPS", fields=("id",)))


@pytest.mark.parametrize(
    "jql",
    [
        "project = PLAT OR project = MOB",
        "NOT project = OPS",
        "project != OPS ORDER BY key",
        "key in (PLAT-1, MOB-1) OR assignee is EMPTY",
        "project = OPS) OR (project = PLAT",
    ],
)
async def test_the_project_allow_list_cannot_be_escaped_by_any_query(connect, jql):
    async with connect(env={"JIRAMCP_PROJECTS": "OPS"}) as (client, _app):
        result = await client.call_tool("jira_search", {"jql": jql, "limit": 100})
        if result.is_error:
            assert "refused" in text_of(result).lower() or "JQL" in text_of(result)
            return
        keys = [issue["key"] for issue in result.structured_content["issues"]]
        assert all(key.startswith("OPS-") for key in keys), keys
        assert "OPS" in result.structured_content["jql"]


async def test_lint_tool_reports_findings_and_the_fixed_query(connect):
    async with connect() as (client, _app):
        result = await client.call_tool("jira_lint_jql", {"jql": 'project = PLAT AND "Story point" > 3'})
        assert not result.is_error
        lint = result.structured_content
        assert lint["valid"] is False
        assert lint["fixed_jql"] == 'project = PLAT AND "Story Points" > 3'
        assert any(f["severity"] == "error" for f in lint["findings"])
