"""Moving an issue through its workflow by status or transition name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from mcp.server.mcpserver import Resolve
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult
from pydantic import BaseModel, Field

from jiramcp.tools._catalog import field_index
from jiramcp.tools._context import AppState, app_state
from jiramcp.tools._errors import jira_errors
from jiramcp.tools._field_spec import FieldSpec
from jiramcp.tools._params import IssueKey, browse_url
from jiramcp.tools._people import text_writer
from jiramcp.tools._results import answer
from jiramcp.tools._spec import jira_tool
from jiramcp.tools._write_prep import ExtraFields, convert, refuse, requested_fields


class Transitioned(BaseModel):
    key: str
    url: str
    transition: str
    from_status: str | None = None
    to_status: str
    resolution: str | None = None


def _target(transition: Mapping[str, Any]) -> str:
    to = transition.get("to")
    return str(to.get("name")) if isinstance(to, Mapping) else str(transition.get("name"))


def choose_transition(transitions: Sequence[Mapping[str, Any]], wanted: str) -> Mapping[str, Any] | None:
    """The transition `wanted` names: a transition name first, else a target status (case-insensitive).

    Several transitions to one status: the one named like the status wins, then the first listed.
    """
    lowered = wanted.strip().lower()
    by_name = [t for t in transitions if str(t.get("name", "")).lower() == lowered]
    if by_name:
        return by_name[0]
    by_status = [t for t in transitions if _target(t).lower() == lowered]
    if not by_status:
        return None
    return next((t for t in by_status if str(t.get("name", "")).lower() == lowered), by_status[0])


def describe_transitions(transitions: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(f"{t.get('name')} → {_target(t)}" for t in transitions) or "none (no transition is open to you)"


@jira_tool(title="Move an issue to another status", toolset="issues", writes=True)
async def jira_transition_issue(
    key: IssueKey,
    to: Annotated[
        str,
        Field(
            min_length=1,
            max_length=100,
            description="Target status (e.g. 'In Progress', 'Done') or transition name (e.g. 'Start Progress')",
        ),
    ],
    state: Annotated[AppState, Resolve(app_state)],
    resolution: Annotated[
        str | None,
        Field(min_length=1, max_length=100, description="Resolution when closing, e.g. Done, Won't Do, Duplicate"),
    ] = None,
    comment: Annotated[
        str | None, Field(min_length=1, max_length=50_000, description="Comment to add, in Markdown")
    ] = None,
    fields: ExtraFields | None = None,
) -> Annotated[CallToolResult, Transitioned]:
    """Move an issue along its workflow: `to` is the target status or the transition's name
    (case-insensitive). If that move is not possible from the current status, the error lists the
    transitions that are. Optionally set the resolution, add a comment, and fill other fields the
    transition screen asks for.
    """
    async with jira_errors():
        state.policy.check_issue_key(key)
        before = await state.client.get_issue(key, fields=["status"])
        transitions = await state.client.get_transitions(key, with_fields=True)
        chosen = choose_transition(transitions, to)
        if chosen is None:
            status = (before.get("fields") or {}).get("status") or {}
            raise ToolError(
                f"to: {key} cannot move to {to!r} from {status.get('name', 'its current status')}. "
                f"Possible now (transition → status): {describe_transitions(transitions)}. "
                "Call again with one of those."
            )
        # With expand=transitions.fields Jira lists each transition's screen ({} for none); only
        # when it lists nothing at all is the screen unknown, and then Jira is left to judge.
        known = isinstance(chosen.get("fields"), Mapping)
        screen = chosen["fields"] if known else {}
        specs = {str(fid): FieldSpec.from_meta({**entry, "key": fid}) for fid, entry in screen.items()}
        wanted, problems = await requested_fields(state, {}, fields)
        if resolution is not None:
            if "resolution" in wanted:
                problems.append(f"{wanted['resolution'][0]}: resolution is already given as resolution")
            wanted["resolution"] = ("resolution", resolution)
        if "resolution" in wanted and "resolution" not in specs:
            if not known:
                specs["resolution"] = FieldSpec.from_meta(
                    {
                        "key": "resolution",
                        "name": "Resolution",
                        "schema": {"type": "resolution"},
                        "allowedValues": await state.client.resolutions(),
                    }
                )
            else:
                problems.append(
                    f"resolution: the {chosen.get('name')!r} transition (to {_target(chosen)}) does not set a "
                    "resolution; leave it out, or move to a done status"
                )
        if not known:
            index = await field_index(state)
            specs |= {f: FieldSpec.from_field(index.by_id[f]) for f in wanted if f not in specs and f in index.by_id}
        for field_id in [f for f in wanted if f not in specs]:
            names = ", ".join(s.name for s in specs.values()) or "none"
            problems.append(f"{wanted.pop(field_id)[0]}: not on the {chosen.get('name')!r} screen; it takes: {names}")
        missing = [s for s in specs.values() if s.required and not s.has_default and s.id not in wanted]
        problems += [f"fields.{s.name}: required by the {chosen.get('name')!r} transition" for s in missing]
        values, value_problems = await convert(state, specs, wanted)
        problems += value_problems
        if problems:
            raise refuse(problems, "Fix these and call again.")
        update = {"comment": [{"add": {"body": (await text_writer(state))(comment)}}]} if comment else None
    params = {fid: param for fid, (param, _) in wanted.items()} | {"comment": "comment"}
    async with jira_errors(parameters=params):
        await state.client.transition_issue(key, str(chosen["id"]), fields=values or None, update=update)
    old = ((before.get("fields") or {}).get("status") or {}).get("name")
    picked = specs["resolution"].allowed if "resolution" in values else None
    resolution_name = (
        next(
            (str(a.get("name")) for a in picked or () if str(a.get("id")) == values["resolution"].get("id")), resolution
        )
        if "resolution" in values
        else None
    )
    result = Transitioned(
        key=key,
        url=browse_url(state, key),
        transition=str(chosen.get("name")),
        from_status=old,
        to_status=_target(chosen),
        resolution=resolution_name,
    )
    extra = f", resolution {result.resolution}" if result.resolution else ""
    said = " (comment added)" if comment else ""
    return answer(result, f"{key}: {old} → {result.to_status} via {result.transition!r}{extra}{said}. {result.url}")
