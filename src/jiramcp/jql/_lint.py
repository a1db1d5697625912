"""The JQL linter: catch what Jira would refuse (or run slowly) before spending a request on it.

Codes are stable; tools and CI may match on them.

| Code   | Severity | Meaning                                                                  |
|--------|----------|--------------------------------------------------------------------------|
| JQL001 | error    | Syntax error (fix given when mechanical: quote, close paren, add AND)    |
| JQL002 | error    | Unbounded query (no restriction, only ORDER BY): Jira Cloud refuses it   |
| JQL101 | error    | Unknown field (catalog); the closest real one is suggested               |
| JQL102 | error    | Unknown status/priority/issue type/project/resolution value (catalog)    |
| JQL103 | error    | Operator not supported by the field's type (`~` on status, `>` on labels) |
| JQL104 | error    | WAS/CHANGED on a field without history                                   |
| JQL105 | error    | Operand shape: IS without EMPTY, IN without a list, = with a list        |
| JQL106 | warning  | Function not built into Jira Cloud (an app may provide it)               |
| JQL107 | error    | Built-in function called with the wrong number of arguments             |
| JQL108 | error    | FROM/TO after WAS (only CHANGED takes them)                              |
| JQL109 | warning  | Custom field name shared by several fields: use cf[N]                    |
| JQL201 | warning  | Deprecated field: "Epic Link"/"Parent Link" → parent                     |
| JQL202 | warning  | issueFunction needs the ScriptRunner app                                 |
| JQL301 | hint     | No project (or key/parent/sprint/filter) scope: searches every project   |
| JQL302 | hint     | `text ~` scans every text field; a specific field is cheaper             |
| JQL303 | hint     | Only negative conditions: nothing narrows the search                     |
| JQL304 | warning  | Leading wildcard in a text search: Jira does not support it              |
| JQL305 | hint     | ORDER BY a text field is slow on large result sets                       |
"""

from __future__ import annotations

from jiramcp.jql._ast import And, Changed, Comparison, Expr, Not, Operator, Or, Query, Span, Value
from jiramcp.jql._catalog import Catalog
from jiramcp.jql._checks import ClauseChecker, Diagnostic
from jiramcp.jql._errors import JQLSyntaxError
from jiramcp.jql._knowledge import SCOPING_FIELDS, SYSTEM_FIELDS
from jiramcp.jql._parser import parse
from jiramcp.jql._render import render

_NEGATIVE = frozenset(
    {Operator.NE, Operator.NOT_IN, Operator.NOT_CONTAINS, Operator.IS_NOT, Operator.WAS_NOT, Operator.WAS_NOT_IN}
)
_POSITIVE_SCOPE = frozenset({Operator.EQ, Operator.IN})
_TEXT_SEARCH = frozenset({Operator.CONTAINS, Operator.NOT_CONTAINS})


def lint(query: str | Query, catalog: Catalog | None = None) -> list[Diagnostic]:
    """Check a query; return the findings, errors first, each in source order.

    Args:
        query: JQL text, or an already parsed `Query` (spans then refer to its source).
        catalog: The instance's fields and values; without it only built-in knowledge is used.
    """
    if isinstance(query, str):
        try:
            tree = parse(query)
        except JQLSyntaxError as error:
            return [Diagnostic("JQL001", "error", error.message, error.span, error.replacement)]
    else:
        tree = query
    out: list[Diagnostic] = []
    checker = ClauseChecker(catalog, out)
    where = tree.where
    if where is None:
        out.append(
            Diagnostic(
                "JQL002",
                "error",
                "Unbounded JQL queries are not allowed: Jira Cloud's search refuses a query with no "
                "restriction. Add one, e.g. `project = KEY`.",
                tree.span,
            )
        )
    else:
        positives = _walk(where, checker, False, out)
        if not positives:
            out.append(
                Diagnostic(
                    "JQL303",
                    "hint",
                    "Every condition is negative (!=, NOT IN, IS NOT, NOT ...), so Jira must consider "
                    "every issue; a positive condition such as `project = KEY` narrows it.",
                    where.span,
                )
            )
        if not _scoped(where):
            out.append(
                Diagnostic(
                    "JQL301",
                    "hint",
                    "No project scope: this searches every project you can see. Adding `project = KEY` "
                    "(or a key, parent, sprint or filter condition) is usually much faster.",
                    where.span,
                )
            )
    for key in tree.order_by:
        _, kind = checker.field(key.field)
        if kind == "text":
            out.append(
                Diagnostic(
                    "JQL305",
                    "hint",
                    f"Ordering by the text field '{key.field.name}' sorts on full text and is slow for large "
                    "result sets.",
                    key.span,
                )
            )
    rank = {"error": 0, "warning": 1, "hint": 2}
    out.sort(key=lambda d: (rank[d.severity], d.span.start))
    return out


def _walk(expr: Expr, checker: ClauseChecker, negated: bool, out: list[Diagnostic]) -> int:
    """Check every clause under `expr`; return how many are positive conditions."""
    kind = type(expr)
    if kind is And or kind is Or:
        return sum(_walk(operand, checker, negated, out) for operand in expr.operands)  # type: ignore[union-attr]
    if kind is Not:
        return _walk(expr.operand, checker, not negated, out)  # type: ignore[union-attr]
    clause: Comparison | Changed = expr  # type: ignore[assignment]
    canonical, field_kind = checker.field(clause.field)
    checker.clause(clause, canonical, field_kind)
    if kind is Changed:
        return 0 if negated else 1
    operator = clause.operator  # type: ignore[union-attr]
    operand = clause.operand  # type: ignore[union-attr]
    if operator in _TEXT_SEARCH:
        if canonical == "text":
            out.append(
                Diagnostic(
                    "JQL302",
                    "hint",
                    "`text ~` searches summary, description, environment, comments and every text custom "
                    "field; `summary ~` or `description ~` is several times faster when that is enough.",
                    clause.span,
                )
            )
        if type(operand) is Value and operand.text.lstrip()[:1] in ("*", "?"):
            out.append(
                Diagnostic(
                    "JQL304",
                    "warning",
                    f"The text query '{operand.text}' starts with a wildcard, which Jira's text search does "
                    "not support; search for the word itself (a trailing * is fine).",
                    operand.span,
                )
            )
    return 0 if (operator in _NEGATIVE) != negated else 1


def _scoped(expr: Expr) -> bool:
    kind = type(expr)
    if kind is And:
        return any(_scoped(operand) for operand in expr.operands)  # type: ignore[union-attr]
    if kind is Or:
        return all(_scoped(operand) for operand in expr.operands)  # type: ignore[union-attr]
    if kind is Comparison and expr.operator in _POSITIVE_SCOPE:  # type: ignore[union-attr]
        name = expr.field.name.lower()  # type: ignore[union-attr]
        system = SYSTEM_FIELDS.get(name)
        return (system.name.lower() if system else name) in SCOPING_FIELDS
    return False


def fix(text: str, catalog: Catalog | None = None, *, max_rounds: int = 8) -> str | None:
    """The query with every mechanical fix applied, normalised by `render`; None if some error
    has no mechanical fix. A query without errors comes back normalised."""
    current = text
    for _ in range(max_rounds):
        diagnostics = lint(current, catalog)
        errors = [d for d in diagnostics if d.severity == "error"]
        if any(d.replacement is None for d in errors):
            return None
        edits = [d for d in diagnostics if d.replacement is not None and d.severity != "hint"]
        if not edits:
            return render(parse(current))
        current = _apply(current, edits)
    return None


def _apply(text: str, edits: list[Diagnostic]) -> str:
    """Apply non-overlapping replacements, right to left."""
    taken: list[Span] = []
    for edit in sorted(edits, key=lambda d: d.span.start, reverse=True):
        span = edit.span
        if any(span.start < other.end and other.start < span.end for other in taken):
            continue
        if any(span.start == span.end == other.start for other in taken):
            continue
        text = text[: span.start] + (edit.replacement or "") + text[span.end :]
        taken.append(span)
    return text
