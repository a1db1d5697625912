"""Links between issues and work logged on them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Resolve
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from jiramcp.tools._context import AppState, app_state
from jiramcp.tools._duration import DurationError, format_seconds, parse_duration
from jiramcp.tools._errors import jira_errors
from jiramcp.tools._field_values import FieldValueError, jira_datetime
from jiramcp.tools._params import IssueKey, browse_url
from jiramcp.tools._people import text_writer
from jiramcp.tools._results import answer
from jiramcp.tools._spec import jira_tool


class Linked(BaseModel):
    from_issue: str
    relation: str = Field(description="How from_issue relates to to_issue, in the link type's words")
    to_issue: str
    link_type: str


class WorkLogged(BaseModel):
    key: str
    id: str | None = None
    time_spent: str
    seconds: int
    started: str | None = None


def choose_link_type(
    types: Sequence[Mapping[str, Any]], wanted: str
) -> tuple[Mapping[str, Any], Literal["outward", "inward"]] | None:
    """The link type `wanted` names, and which of its phrases reads from_issue → to_issue.

    The outward phrase ("blocks") or the type's name reads from_issue → to_issue; the inward phrase
    ("is blocked by") reads the other way. Case-insensitive; outward wins when both phrases match.
    """
    lowered = " ".join(wanted.lower().split())
    for key, direction in (("outward", "outward"), ("name", "outward"), ("inward", "inward")):
        for link_type in types:
            if " ".join(str(link_type.get(key, "")).lower().split()) == lowered:
                return link_type, direction  # type: ignore[return-value]
    return None


def describe_link_types(types: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(f"{t.get('name')} ('{t.get('outward')}' / '{t.get('inward')}')" for t in types)


@jira_tool(title="Link two issues", toolset="issues", writes=True, idempotent=True)
async def jira_link_issues(
    from_issue: Annotated[IssueKey, Field(description="The issue the relation reads from, e.g. the blocker")],
    to_issue: Annotated[IssueKey, Field(description="The other issue")],
    link_type: Annotated[
        str,
        Field(
            min_length=1,
            max_length=100,
            description="Link type name or phrase read from_issue → to_issue: 'blocks', "
            "'is blocked by', 'relates to', 'duplicates', 'Cloners' ...",
        ),
    ],
    state: Annotated[AppState, Resolve(app_state)],
) -> Annotated[CallToolResult, Linked]:
    """Link two issues so that "from_issue <link_type> to_issue" reads true: from_issue=A,
    to_issue=B, link_type='blocks' records that A blocks B; 'is blocked by' records that B blocks A.
    Unknown types come back with the list of this Jira's link types."""
    if from_issue == to_issue:
        raise ToolError("to_issue: an issue cannot be linked to itself; give two different issues.")
    async with jira_errors():
        state.policy.check_issue_key(from_issue, parameter="from_issue")
        state.policy.check_issue_key(to_issue, parameter="to_issue")
        types = await state.client.issue_link_types()
        found = choose_link_type(types, link_type)
        if found is None:
            raise ToolError(
                f"link_type: {link_type!r} is not a link type here. Types (name: 'outward' / 'inward' "
                f"phrase): {describe_link_types(types)}. Use a name or a phrase that reads from_issue → to_issue."
            )
        chosen, direction = found
        inward_key, outward_key = (from_issue, to_issue) if direction == "outward" else (to_issue, from_issue)
    # Jira's POST /issueLink: the link shows "<inwardIssue> <outward phrase> <outwardIssue>" in the
    # issue views (the reverse of what the field names suggest; observed, and relied on by other
    # clients), so the issue the outward phrase starts from goes in `inwardIssue`.
    async with jira_errors(
        parameters={
            "inwardIssue": "from_issue" if direction == "outward" else "to_issue",
            "outwardIssue": "to_issue" if direction == "outward" else "from_issue",
        }
    ):
        await state.client.link_issues(str(chosen.get("name")), inward_key, outward_key)
    relation = str(chosen.get(direction))
    result = Linked(from_issue=from_issue, relation=relation, to_issue=to_issue, link_type=str(chosen.get("name")))
    return answer(result, f"Linked: {from_issue} {relation} {to_issue}. {browse_url(state, from_issue)}")


@jira_tool(title="Log work on an issue", toolset="issues", writes=True)
async def jira_add_worklog(
    key: IssueKey,
    time_spent: Annotated[
        str,
        Field(
            min_length=1,
            max_length=50,
            description="Jira notation: '1h 30m', '2d', '1w 2d', '45m' (days and weeks as the site defines them)",
        ),
    ],
    state: Annotated[AppState, Resolve(app_state)],
    started: Annotated[
        str | None,
        Field(
            max_length=40,
            description="When the work started, ISO 8601, e.g. 2026-11-20T09:00 (UTC unless an offset "
            "is given); default now",
        ),
    ] = None,
    comment: Annotated[
        str | None, Field(min_length=1, max_length=20_000, description="What was done, in Markdown")
    ] = None,
) -> Annotated[CallToolResult, WorkLogged]:
    """Log time spent on an issue, with an optional start time and comment."""
    try:
        duration = parse_duration(time_spent)
        started_at = jira_datetime(started, "started", "started takes a date-time") if started else None
    except DurationError as error:
        raise ToolError(f"time_spent: {error}.") from None
    except FieldValueError as error:
        raise ToolError(f"{error}.") from None
    async with jira_errors(
        parameters={
            "timeLogged": "time_spent",
            "timeSpentSeconds": "time_spent",
            "started": "started",
            "comment": "comment",
        }
    ):
        state.policy.check_issue_key(key)
        body = (await text_writer(state))(comment) if comment else None
        # Sent in Jira's notation so the site's own working day and week apply to `d` and `w`.
        logged = await state.client.add_worklog(key, time_spent=duration.text, started=started_at, comment=body)
    seconds = logged.get("timeSpentSeconds")
    seconds = int(seconds) if isinstance(seconds, int | float) else duration.seconds
    result = WorkLogged(
        key=key,
        id=str(logged["id"]) if logged.get("id") is not None else None,
        time_spent=logged.get("timeSpent") or format_seconds(seconds),
        seconds=seconds,
        started=logged.get("started") or started_at,
    )
    when = f", started {result.started[:16].replace('T', ' ')}" if result.started else ""
    return answer(result, f"Logged {result.time_spent} on {key}{when}.")
