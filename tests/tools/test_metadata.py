import pytest
from tests.tools._support import text_of

pytestmark = pytest.mark.anyio


async def test_projects_are_listed_and_filtered_by_the_allow_list(connect):
    async with connect() as (client, _app):
        everything = await client.call_tool("jira_list_projects", {})
        assert {p["key"] for p in everything.structured_content["projects"]} == {"PLAT", "MOB", "OPS"}
    async with connect(env={"JIRAMCP_PROJECTS": "MOB"}) as (client, _app):
        allowed = await client.call_tool("jira_list_projects", {})
        assert [p["key"] for p in allowed.structured_content["projects"]] == ["MOB"]


async def test_a_project_shows_its_issue_types_components_and_versions(connect):
    async with connect() as (client, _app):
        result = await client.call_tool("jira_get_project", {"key": "plat"})
        project = result.structured_content
        assert "Bug" in project["issue_types"] and project["components"] and project["versions"]
        assert "Issue types:" in text_of(result)


async def test_fields_are_found_by_name_with_their_ids_and_jql_names(connect):
    async with connect() as (client, _app):
        result = await client.call_tool("jira_find_fields", {"query": "story points"})
        best = result.structured_content["fields"][0]
        assert best["name"] == "Story Points" and best["id"].startswith("customfield_")


async def test_a_field_query_with_no_match_suggests_close_names(connect):
    async with connect() as (client, _app):
        result = await client.call_tool("jira_find_fields", {"query": "Story Pointz"})
        assert result.structured_content["fields"] == []
        assert "Story Points" in text_of(result)


async def test_users_are_found_by_name_with_their_account_ids(connect):
    async with connect() as (client, _app):
        result = await client.call_tool("jira_find_users", {"query": "alex"})
        users = result.structured_content["users"]
        assert users and users[0]["account_id"] and "Alex" in users[0]["display_name"]


async def test_create_fields_list_required_fields_and_allowed_values(connect):
    async with connect() as (client, _app):
        result = await client.call_tool("jira_get_create_fields", {"project": "PLAT", "issue_type": "bug"})
        fields = {f["name"]: f for f in result.structured_content["fields"]}
        assert fields["Summary"]["required"] is True
        assert "High" in fields["Priority"]["allowed_values"]
        assert "Project" not in fields


async def test_an_unknown_issue_type_lists_the_project_types(connect):
    async with connect() as (client, _app):
        result = await client.call_tool("jira_get_create_fields", {"project": "PLAT", "issue_type": "Feature"})
        assert result.is_error
        text = text_of(result)
        assert "issue_type" in text and "Bug" in text and "Story" in text
