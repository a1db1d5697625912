"""JQL functions that stand for sets of values: users, sprints, versions, issues.

Each function returns the atoms (lowercased ids/names) the field kinds compare against. Date
functions live in `_jql_dates`. A function Jira has but the sandbox cannot compute raises
`JqlEvaluationError`; a name Jira does not know raises Jira's "Unable to find JQL function".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from jiramcp.jql import FunctionCall
from jiramcp.sandbox._jql_dates import DATE_FUNCTIONS, as_datetime, parse_date_operand, parse_jira_timestamp
from jiramcp.sandbox._jql_errors import JqlEvaluationError, JqlValueError

if TYPE_CHECKING:
    from jiramcp.sandbox._jql_fields import Env

__all__ = ["FUNCTION_KINDS", "check_known", "function_atoms"]

FUNCTION_KINDS: dict[str, str] = {
    "currentuser": "user",
    "membersof": "user",
    "opensprints": "sprint",
    "closedsprints": "sprint",
    "futuresprints": "sprint",
    "releasedversions": "version",
    "unreleasedversions": "version",
    "latestreleasedversion": "version",
    "earliestunreleasedversion": "version",
    "updatedby": "issue",
    "issuehistory": "issue",
    "linkedissues": "issue",
    "watchedissues": "issue",
    "votedissues": "issue",
    **{name: "date" for name in DATE_FUNCTIONS},
}

# Functions Jira Cloud has whose inputs the sandbox does not hold.
_KNOWN_UNSUPPORTED = frozenset(
    {
        "cascadeoption",
        "componentsleadbyuser",
        "currentlogin",
        "lastlogin",
        "projectsleadbyuser",
        "projectswhereuserhaspermission",
        "projectswhereuserhasrole",
        "standardissuetypes",
        "subtaskissuetypes",
        "approved",
        "approver",
        "breached",
        "completed",
        "elapsed",
        "everbreached",
        "paused",
        "remaining",
        "running",
        "withincalendarhours",
        "myapproval",
        "mypending",
        "pending",
        "pendingby",
        "linkedissuesof",
        "issuesWithRemoteLinksByGlobalId".lower(),
        "choiceoption",
        "attributevalue",
        "unreleasedversionsbyreleasedate",
    }
)


def _call_text(call: FunctionCall) -> str:
    return f"{call.name}({', '.join(call.args)})"


def check_known(call: FunctionCall) -> str:
    """The kind of values a function yields; raise for unknown or uncomputable functions."""
    lowered = call.name.lower()
    if lowered in FUNCTION_KINDS:
        return FUNCTION_KINDS[lowered]
    if lowered in _KNOWN_UNSUPPORTED:
        raise JqlEvaluationError(f"The sandbox cannot evaluate the JQL function '{_call_text(call)}'.")
    raise JqlValueError(f"Unable to find JQL function '{_call_text(call)}'.")


def _arity(call: FunctionCall, low: int, high: int) -> None:
    if not low <= len(call.args) <= high:
        expected = f"'{low}'" if low == high else f"between '{low}' and '{high}'"
        raise JqlValueError(f"Function '{call.name}' expected {expected} arguments but received '{len(call.args)}'.")


def function_atoms(call: FunctionCall, env: Env) -> frozenset[str]:
    """Atoms for a set-valued function (users, sprints, versions, issues)."""
    lowered = call.name.lower()
    kind = check_known(call)
    if kind == "user":
        return _users(lowered, call, env)
    if kind == "sprint":
        _arity(call, 0, 0)
        state = {"opensprints": "active", "closedsprints": "closed", "futuresprints": "future"}[lowered]
        return frozenset(str(s["id"]) for s in env.ctx.sprints if str(s.get("state", "")).lower() == state)
    if kind == "version":
        return _versions(lowered, call, env)
    if kind == "issue":
        return _issues(lowered, call, env)
    raise JqlValueError(f"Function '{call.name}' does not return a list of values for this field.")


def _users(lowered: str, call: FunctionCall, env: Env) -> frozenset[str]:
    if lowered == "currentuser":
        _arity(call, 0, 0)
        current = env.ctx.current_account_id
        # An anonymous search matches nobody through currentUser(), as in Jira.
        return frozenset({current.lower()}) if current else frozenset()
    _arity(call, 1, 1)
    group = call.args[0]
    for name, members in env.ctx.groups.items():
        if name.lower() == group.lower():
            return frozenset(str(member).lower() for member in members)
    raise JqlValueError(
        f"Function 'membersOf' can not generate a list of usernames for group '{group}'; the group does not exist."
    )


def _versions(lowered: str, call: FunctionCall, env: Env) -> frozenset[str]:
    projects: Sequence[Mapping[str, Any]] = env.ctx.projects
    if lowered in ("latestreleasedversion", "earliestunreleasedversion"):
        _arity(call, 1, 1)
    else:
        _arity(call, 0, 1)
    if call.args:
        wanted = call.args[0].lower()
        projects = [p for p in projects if wanted in (str(p.get("key", "")).lower(), str(p.get("id", "")))]
        if not projects:
            raise JqlValueError(f"Could not resolve the project '{call.args[0]}' provided to function '{call.name}'.")
    released = lowered.startswith(("released", "latest"))
    atoms: set[str] = set()
    for project in projects:
        # Archived versions are left out, as Jira's version functions do.
        chosen = [
            v for v in project.get("versions", ()) if bool(v.get("released")) == released and not v.get("archived")
        ]
        if lowered in ("latestreleasedversion", "earliestunreleasedversion") and chosen:
            # Jira orders versions by their position in the project; the store lists them in that order.
            chosen = [chosen[-1]] if released else [chosen[0]]
        atoms.update(str(v["id"]) for v in chosen)
    return frozenset(atoms)


def _issues(lowered: str, call: FunctionCall, env: Env) -> frozenset[str]:
    if lowered == "issuehistory":
        _arity(call, 0, 0)
        if env.ctx.viewed_issue_keys is None:
            raise JqlEvaluationError("The sandbox cannot evaluate the JQL function 'issueHistory()' (no view history).")
        return frozenset(k.lower() for k in env.ctx.viewed_issue_keys)
    if lowered in ("watchedissues", "votedissues"):
        _arity(call, 0, 0)
        flag, holder = ("isWatching", "watches") if lowered == "watchedissues" else ("hasVoted", "votes")
        return frozenset(
            str(i["key"]).lower() for i in env.issues if ((i.get("fields") or {}).get(holder) or {}).get(flag)
        )
    if lowered == "linkedissues":
        _arity(call, 1, 2)
        return _linked(call, env)
    _arity(call, 1, 3)
    return _updated_by(call, env)


def _linked(call: FunctionCall, env: Env) -> frozenset[str]:
    source = env.issue_by_ref(call.args[0], "issue")
    link_type = call.args[1].lower() if len(call.args) > 1 else None
    keys: set[str] = set()
    for link in (source.get("fields") or {}).get("issuelinks") or ():
        kind = link.get("type") or {}
        if "outwardIssue" in link:
            other, description = link["outwardIssue"], kind.get("outward", "")
        else:
            other, description = link.get("inwardIssue") or {}, kind.get("inward", "")
        if link_type is None or link_type in (str(description).lower(), str(kind.get("name", "")).lower()):
            keys.add(str(other.get("key", "")).lower())
    return frozenset(keys)


def _updated_by(call: FunctionCall, env: Env) -> frozenset[str]:
    users = env.user_atoms(call.args[0], "updatedBy")
    now = env.ctx.now
    start = parse_date_operand(call.args[1], now, "updatedBy") if len(call.args) > 1 else None
    end = parse_date_operand(call.args[2], now, "updatedBy") if len(call.args) > 2 else None

    def within(stamp: str) -> bool:
        moment: datetime = as_datetime(parse_jira_timestamp(stamp), now.tzinfo or now.astimezone().tzinfo)
        return (start is None or moment >= start) and (end is None or moment <= end)

    keys: set[str] = set()
    for issue in env.issues:
        fields = issue.get("fields") or {}
        authored = [
            (h.get("author") or {}, h.get("created", "")) for h in (issue.get("changelog") or {}).get("histories") or ()
        ]
        authored += [
            (c.get("author") or {}, c.get("created", "")) for c in (fields.get("comment") or {}).get("comments") or ()
        ]
        if fields.get("creator") and fields.get("created"):
            authored.append((fields["creator"], fields["created"]))
        if any(str(a.get("accountId", "")).lower() in users and stamp and within(stamp) for a, stamp in authored):
            keys.add(str(issue["key"]).lower())
    return frozenset(keys)
