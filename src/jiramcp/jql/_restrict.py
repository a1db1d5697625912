"""Confine a query to allowed projects by rewriting its tree, never its text.

`restrict(q, ["A", "B"])` is `project IN ("A", "B") AND (q)` as a tree: the new clause is a
conjunct at the root, so nothing inside `q` (an OR, a NOT, a `project = C`) can widen the result
beyond A and B. String concatenation cannot promise that; the tree can. ORDER BY is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from jiramcp.jql._ast import And, Comparison, Field, Operator, Query, Span, Value, ValueList
from jiramcp.jql._parser import parse

_S = Span(0, 0)


def project_scope(projects: Sequence[str]) -> Comparison:
    """The clause `project IN ("A", "B")` (values quoted, so any key is safe)."""
    if isinstance(projects, str):
        projects = (projects,)
    if not projects:
        raise ValueError("restrict needs at least one allowed project")
    items = tuple(Value(str(project), _S, True) for project in projects)
    return Comparison(Field("project", _S), Operator.IN, ValueList(items, _S), _S)


def restrict(query: str | Query, projects: Sequence[str]) -> Query:
    """A query that matches only issues of `projects`, whatever `query` says.

    Args:
        query: JQL text (parsed first; a syntax error raises JQLSyntaxError) or a parsed query.
        projects: Allowed project keys or ids; at least one.

    Returns:
        `project IN (...) AND query`, keeping the ORDER BY; just the scope when `query` has no
        restriction (empty, or ORDER BY only).
    """
    tree = parse(query) if isinstance(query, str) else query
    scope = project_scope(projects)
    where = tree.where
    if where is None:
        restricted = scope
    elif type(where) is And:
        restricted = And((scope, *where.operands), where.span)
    else:
        restricted = And((scope, where), where.span)
    return Query(restricted, tree.order_by, tree.span)
