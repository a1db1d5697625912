"""What the model reads costs tokens: these budgets fail the build when an answer grows.

Measured with the o200k tokenizer (bpe-openai ships its vocabulary, so no download). Raise a budget
only on purpose, with the new figure in the commit message.
"""

import json

import pytest
from tests.tools._support import text_of

pytestmark = pytest.mark.anyio

bpe_openai = pytest.importorskip("bpe_openai")
ENCODING = bpe_openai.get_encoding("o200k_base")

# Measured 1,742 (50 issues, ~35 a row) when set; compact JSON of the same page is ~2,450.
SEARCH_50_BUDGET = 1_900
# A typical issue with a short description: measured 160-245.
GET_ISSUE_BUDGET = 320
# Every tool's name, description and input schema as a client lists them.
TOOL_SCHEMA_BUDGET_EACH = 900


def tokens(text: str) -> int:
    return len(ENCODING.encode(text))


async def test_the_default_search_of_fifty_issues_stays_within_its_token_budget(connect):
    async with connect() as (client, _app):
        result = await client.call_tool("jira_search", {"jql": "project = PLAT ORDER BY key ASC"})
    assert len(result.structured_content["issues"]) == 50
    assert tokens(text_of(result)) <= SEARCH_50_BUDGET


async def test_a_typical_issue_read_stays_within_its_token_budget(connect):
    async with connect() as (client, _app):
        result = await client.call_tool("jira_get_issue", {"key": "PLAT-10"})
    assert tokens(text_of(result)) <= GET_ISSUE_BUDGET


async def test_the_text_is_cheaper_than_the_structured_json_it_stands_for(connect):
    async with connect() as (client, _app):
        result = await client.call_tool("jira_search", {"jql": "project = PLAT ORDER BY key ASC"})
    as_json = json.dumps(result.structured_content, separators=(",", ":"))
    assert tokens(text_of(result)) < 0.8 * tokens(as_json)


async def test_no_tool_schema_is_bloated(connect):
    async with connect() as (client, _app):
        listed = await client.list_tools()
    for tool in listed.tools:
        view = {"name": tool.name, "description": tool.description, "inputSchema": tool.input_schema}
        assert tokens(json.dumps(view, separators=(",", ":"))) <= TOOL_SCHEMA_BUDGET_EACH, tool.name
