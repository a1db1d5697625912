from typing import Annotated, Literal

import anyio
import pytest
from mcp import Client
from mcp.server import MCPServer
from pydantic import Field

from jiramcp.tools._guard import ArgumentGuard

pytestmark = pytest.mark.anyio


def guarded_server() -> MCPServer:
    server = MCPServer("guard-test")
    server._lowlevel_server.middleware.append(ArgumentGuard(server))

    @server.tool()
    async def jira_probe(
        jql: Annotated[str, Field(min_length=1)],
        limit: Annotated[int, Field(ge=1, le=100)] = 50,
        order: Literal["asc", "desc"] = "asc",
    ) -> str:
        return f"{jql}|{limit}|{order}"

    return server


async def call(arguments: dict) -> tuple[bool, str]:
    with anyio.fail_after(10):
        async with Client(guarded_server()) as client:
            result = await client.call_tool("jira_probe", arguments)
    return result.is_error, result.content[0].text


async def test_unknown_argument_is_refused_naming_it_and_listing_the_valid_ones():
    is_error, text = await call({"jql": "project = A", "limt": 5})
    assert is_error
    assert "`limt`: unknown parameter" in text
    assert "Valid parameters: jql, limit, order" in text


async def test_out_of_bounds_value_names_the_parameter_the_bound_and_what_was_sent():
    is_error, text = await call({"jql": "project = A", "limit": 500})
    assert is_error
    assert "`limit`" in text and "100" in text and "got 500" in text
    assert "pydantic" not in text and "http" not in text


async def test_missing_required_parameter_is_named():
    is_error, text = await call({"limit": 5})
    assert is_error and "`jql`: required parameter is missing" in text


async def test_a_huge_bad_value_is_not_echoed_back_in_full():
    is_error, text = await call({"jql": "x", "order": "z" * 10_000})
    assert is_error and "`order`" in text
    assert len(text) < 600


async def test_valid_arguments_pass_through_untouched():
    is_error, text = await call({"jql": "project = A", "limit": 7, "order": "desc"})
    assert not is_error and text == "project = A|7|desc"
