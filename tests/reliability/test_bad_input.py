"""Generated hostile arguments for every registered tool, through the MCP client.

Wrong types, huge strings, control characters, hostile JQL, unknown keys: whatever a confused or
malicious model sends, the server answers a tool result (never a protocol error or a crash), and a
refusal names the bad parameter or says what was wrong in the domain's terms.
"""

from __future__ import annotations

import math
from typing import Any

import anyio
from _reliability import ENV, assert_no_secret, everything_in, sandbox, text_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from jiramcp.sandbox import in_process_transport
from jiramcp.server import build_server
from jiramcp.settings import load_settings

HOSTILE_JQL = [
    "",
    "   ",
    "ORDER BY key",
    "project = PLAT OR project != PLAT",
    "' OR 1=1 --",
    'key = "PLAT-1\\" OR project = OPS"',
    "project in (PLAT, MOB, OPS, SECRET) AND issue in linkedIssues(PLAT-1)",
    "project = PLAT AND (((((((((((((((((((((summary ~ x)))))))))))))))))))))",
    'summary ~ "\x00\x1b[31m\u202e"',
    "cf[99999] = 1 ORDER BY cf[99999]",
    "project = " + "A" * 5_000,
    "status WAS IN (Done) DURING (startOfDay(-99999d), endOfDay(99999d))",
]
CONTROL = "".join(chr(c) for c in range(32)) + "\x7f\u2028\u2029\ufeff\ud7ff"

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.sampled_from(CONTROL + "aZ-9 \"'\\{}[]"), max_size=40),
    st.sampled_from(["A" * 100_000, "PLAT-1" * 20_000, "\x00" * 1_000, "-1", "0", "PLAT-0", "plat-1", "PLAT-1"]),
    st.sampled_from(HOSTILE_JQL),
    st.lists(st.one_of(st.integers(), st.text(max_size=10), st.none()), max_size=5),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
)


def tools_and_properties() -> dict[str, list[str]]:
    async def listing() -> dict[str, list[str]]:
        async with Client(SERVER) as client:
            return {t.name: sorted(t.input_schema.get("properties", {})) for t in (await client.list_tools()).tools}

    return anyio.run(listing)


APP = sandbox()
SERVER = build_server(
    load_settings({**ENV, "JIRAMCP_ENABLE_DELETE": "true"}, sandbox=True), transport=in_process_transport(APP)
)
TOOLS = tools_and_properties()


@st.composite
def calls(draw: st.DrawFn) -> list[tuple[str, dict[str, Any]]]:
    """One hostile call for every tool."""
    plan = []
    for tool, properties in TOOLS.items():
        args: dict[str, Any] = {}
        for name in properties:
            if draw(st.booleans()):
                args[name] = draw(junk)
        if draw(st.integers(0, 4)) == 0:
            args[draw(st.sampled_from(["__proto__", "jql ", "Key", "x" * 300, "\x00"]))] = draw(junk)
        plan.append((tool, args))
    return plan


def named_parameters(text: str) -> set[str]:
    return {part.split("`")[0].split(".")[0] for part in text.split("`")[1::2]} | {
        part.split("`")[0] for part in text.split("- `")[1:]
    }


def check(tool: str, args: dict[str, Any], result: Any) -> None:
    text = text_of(result)
    assert_no_secret(everything_in(result))
    if not result.is_error:
        return
    assert text.strip(), f"{tool}: an empty error"
    assert text.strip() != f"Error executing tool {tool}", f"{tool} crashed on {args!r:.200}"
    assert "Traceback" not in text
    if text.startswith("Invalid arguments for"):
        named = named_parameters(text)
        assert named & ({*args} | set(TOOLS[tool])), f"{tool}: no parameter named in {text!r:.300}"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plan=calls())
def test_every_tool_answers_hostile_arguments_with_a_clear_tool_error(plan: list[tuple[str, dict[str, Any]]]) -> None:
    async def go() -> None:
        with anyio.fail_after(60):
            async with Client(SERVER) as client:
                for tool, args in plan:
                    check(tool, args, await client.call_tool(tool, args))

    anyio.run(go)


def test_known_bad_arguments_name_their_parameter() -> None:
    async def go() -> None:
        async with Client(SERVER) as client:
            for tool, args, param in [
                ("jira_search", {"jql": "project = PLAT", "limit": 10_000}, "limit"),
                ("jira_search", {"jql": 42}, "jql"),
                ("jira_get_issue", {"key": "not a key\n"}, "key"),
                ("jira_add_comment", {"key": "PLAT-1", "body": "x", "colour": "red"}, "colour"),
                ("jira_transition_issue", {"key": "PLAT-1"}, "to"),
                ("jira_search", {"jql": "A" * 100_000}, "jql"),
            ]:
                result = await client.call_tool(tool, args)
                assert result.is_error, (tool, args)
                assert f"`{param}`" in text_of(result) or param in text_of(result), text_of(result)

    anyio.run(go)


def test_hostile_jql_is_refused_or_answered_never_crashes() -> None:
    async def go() -> None:
        async with Client(SERVER) as client:
            for jql in HOSTILE_JQL:
                result = await client.call_tool("jira_search", {"jql": jql, "limit": 5})
                check("jira_search", {"jql": jql}, result)
                lint = await client.call_tool("jira_lint_jql", {"jql": jql})
                check("jira_lint_jql", {"jql": jql}, lint)

    anyio.run(go)


def test_non_finite_numbers_are_refused_by_name() -> None:
    async def go() -> None:
        async with Client(SERVER) as client:
            result = await client.call_tool("jira_search", {"jql": "project = PLAT", "limit": math.nan})
            assert result.is_error and "limit" in text_of(result)

    anyio.run(go)
