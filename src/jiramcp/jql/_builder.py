"""Build JQL from structured filters, so no value can change the query's structure.

Tools that take structured arguments (project, statuses, assignee, ...) compile them here: every
value becomes a quoted string literal in a tree the builder shapes itself, and the text comes from
`render`. A value such as `x" OR project = SECRET` stays one string; it cannot add a clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from jiramcp.jql._ast import (
    And,
    Comparison,
    Empty,
    Expr,
    Field,
    FunctionCall,
    Operator,
    Query,
    SortDirection,
    SortKey,
    Span,
    Value,
    ValueList,
)
from jiramcp.jql._render import render

_S = Span(0, 0)
# `-7d`, `-2w 3d`, `2025-01-31`, `2025-01-31 14:05`, `-1h`.
_DATE_RE = re.compile(r"^(?:[-+]?\d+[ywdhm](?:\s*[-+]?\d+[ywdhm])*|\d{4}[-/]\d{2}[-/]\d{2}(?: \d{2}:\d{2})?)$")
_SORT_RE = re.compile(r"^\s*(-)?\s*([^\s].*?)(?:\s+(asc|desc))?\s*$", re.IGNORECASE)

SprintState = Literal["open", "future", "closed"]


@dataclass(frozen=True, slots=True)
class Filter:
    """A structured search. Empty/None members add no condition; members combine with AND.

    Attributes:
        projects: Project keys (or ids).
        statuses, issue_types, priorities, labels, components, fix_versions: Any of these.
        assignee, reporter: An accountId, "currentUser" (the caller) or "unassigned" (empty).
        text: Full-text search over all text fields (`text ~`).
        summary: Words the summary contains (`summary ~`).
        updated_since, created_since: A relative date (`-7d`, `-2w`) or a date (`2025-01-31`).
        sprint: A sprint id (int) or name (str).
        sprint_state: Issues in any open, future or closed sprint.
        parent: The parent issue key (epics: their children).
        unresolved: Only issues without a resolution.
        order_by: Sort keys: `"updated"`, `"-updated"` or `"priority DESC"`.
    """

    projects: Sequence[str] = ()
    statuses: Sequence[str] = ()
    assignee: str | None = None
    reporter: str | None = None
    issue_types: Sequence[str] = ()
    priorities: Sequence[str] = ()
    labels: Sequence[str] = ()
    components: Sequence[str] = ()
    fix_versions: Sequence[str] = ()
    text: str | None = None
    summary: str | None = None
    updated_since: str | None = None
    created_since: str | None = None
    sprint: int | str | None = None
    sprint_state: SprintState | None = None
    parent: str | None = None
    unresolved: bool = False
    order_by: Sequence[str] = ()


def _field(name: str) -> Field:
    return Field(name, _S)


def _any_of(field: str, values: Sequence[str]) -> Comparison:
    if isinstance(values, str):
        values = (values,)
    if len(values) == 1:
        return Comparison(_field(field), Operator.EQ, Value(str(values[0]), _S, True), _S)
    items = tuple(Value(str(value), _S, True) for value in values)
    return Comparison(_field(field), Operator.IN, ValueList(items, _S), _S)


def _user(field: str, who: str) -> Comparison:
    lowered = who.strip().lower()
    if lowered in ("currentuser", "currentuser()", "me"):
        return Comparison(_field(field), Operator.EQ, FunctionCall("currentUser", (), _S), _S)
    if lowered in ("unassigned", "empty", "none") and field == "assignee":
        return Comparison(_field(field), Operator.IS, Empty(_S), _S)
    return Comparison(_field(field), Operator.EQ, Value(who, _S, True), _S)


def _since(field: str, when: str) -> Comparison:
    if not _DATE_RE.match(when.strip()):
        raise ValueError(
            f"{field} since {when!r}: expected a relative date like '-7d' or '-2w', or a date like '2025-01-31'"
        )
    return Comparison(_field(field), Operator.GE, Value(when.strip(), _S, True), _S)


def compile_filter(spec: Filter) -> Query:
    """The query tree for a structured filter (raises ValueError on a malformed date/sort)."""
    clauses: list[Expr] = []
    if spec.projects:
        clauses.append(_any_of("project", spec.projects))
    if spec.statuses:
        clauses.append(_any_of("status", spec.statuses))
    if spec.assignee:
        clauses.append(_user("assignee", spec.assignee))
    if spec.reporter:
        clauses.append(_user("reporter", spec.reporter))
    for field, values in (
        ("issuetype", spec.issue_types),
        ("priority", spec.priorities),
        ("labels", spec.labels),
        ("component", spec.components),
        ("fixVersion", spec.fix_versions),
    ):
        if values:
            clauses.append(_any_of(field, values))
    if spec.text:
        clauses.append(Comparison(_field("text"), Operator.CONTAINS, Value(spec.text, _S, True), _S))
    if spec.summary:
        clauses.append(Comparison(_field("summary"), Operator.CONTAINS, Value(spec.summary, _S, True), _S))
    if spec.updated_since:
        clauses.append(_since("updated", spec.updated_since))
    if spec.created_since:
        clauses.append(_since("created", spec.created_since))
    if spec.sprint is not None:
        if isinstance(spec.sprint, int) and not isinstance(spec.sprint, bool):
            # An id is a bare number; a name is a quoted string (Jira reads them differently).
            clauses.append(Comparison(_field("sprint"), Operator.EQ, Value(str(spec.sprint), _S, False), _S))
        else:
            clauses.append(_any_of("sprint", (str(spec.sprint),)))
    if spec.sprint_state is not None:
        function = {"open": "openSprints", "future": "futureSprints", "closed": "closedSprints"}[spec.sprint_state]
        clauses.append(Comparison(_field("sprint"), Operator.IN, FunctionCall(function, (), _S), _S))
    if spec.parent:
        clauses.append(_any_of("parent", (spec.parent,)))
    if spec.unresolved:
        clauses.append(Comparison(_field("resolution"), Operator.IS, Empty(_S), _S))
    where: Expr | None = None
    if len(clauses) == 1:
        where = clauses[0]
    elif clauses:
        where = And(tuple(clauses), _S)
    return Query(where, tuple(_sort_key(key) for key in spec.order_by), _S)


def _sort_key(spec: str) -> SortKey:
    match = _SORT_RE.match(spec)
    if match is None:
        raise ValueError(f"order_by {spec!r}: expected 'field', '-field' or 'field ASC|DESC'")
    minus, name, word = match.groups()
    direction = SortDirection.DESC if minus else SortDirection(word.lower()) if word else None
    return SortKey(Field(name, _S), _S, direction)


def build_jql(spec: Filter) -> str:
    """JQL text for a structured filter; every value is quoted, so none can alter the query."""
    return render(compile_filter(spec))
