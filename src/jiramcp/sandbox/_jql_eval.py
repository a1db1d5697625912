"""Evaluate a parsed JQL query over issues in Jira's wire shape.

`search(query, issues, ctx)` compiles the query once (resolving fields, functions and dates, so
a query the sandbox cannot evaluate fails before any issue is read), filters, then sorts.

Semantics kept from Jira: `!=`, `NOT IN` and `!~` never match an empty field (`NOT` does);
`resolution = Unresolved` means no resolution; unknown fields, values, users, groups and issue
keys are refused with Jira's messages (`JqlValueError`); what the sandbox cannot compute raises
`JqlEvaluationError` naming it. Never a silently wrong answer.

Order: `ORDER BY` keys in turn, each in its direction or the field's default (descending for
created, updated, resolved, priority, votes and watchers; ascending otherwise). Empty values sort
as the largest (last ascending, first descending). Ties, and queries without ORDER BY, fall back
to Jira Cloud's observed default, newest first: created descending, then id descending.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from jiramcp.jql import (
    And,
    Changed,
    Comparison,
    Empty,
    Expr,
    FunctionCall,
    Not,
    Operator,
    Or,
    Query,
    SortDirection,
    Value,
    ValueList,
)
from jiramcp.sandbox._jql_context import EvalContext
from jiramcp.sandbox._jql_errors import JqlEvaluationError, JqlValueError
from jiramcp.sandbox._jql_fields import Env
from jiramcp.sandbox._jql_history import compile_changed, compile_was
from jiramcp.sandbox._jql_specs import HISTORY_OPS, AtomSpec, ScalarSpec, TextSpec
from jiramcp.sandbox._jql_text import compile_text_query

__all__ = ["CompiledQuery", "EvalContext", "JqlEvaluationError", "JqlValueError", "compile_query", "search"]

Issue = Mapping[str, Any]
Predicate = Callable[[Issue], bool]
_LIST_OPS = frozenset({Operator.IN, Operator.NOT_IN, Operator.WAS_IN, Operator.WAS_NOT_IN})


class CompiledQuery:
    """A query bound to a context and an issue set: `matches(issue)` and `sort(issues)`."""

    def __init__(self, query: Query, env: Env) -> None:
        self._env = env
        self._where: Predicate = _compile(query.where, env) if query.where is not None else (lambda _: True)
        self._order: list[tuple[Callable[[Issue], Any], bool]] = []
        for key in query.order_by:
            spec = env.spec(key.field)
            if spec.sort_key is None:
                raise JqlValueError(f"Field '{key.field.name}' does not support sorting.")
            descending = (key.direction or (SortDirection.DESC if spec.default_desc else SortDirection.ASC)) is (
                SortDirection.DESC
            )
            self._order.append((spec.sort_key, descending))

    def matches(self, issue: Issue) -> bool:
        return self._where(issue)

    def sort(self, issues: list[Issue]) -> list[Issue]:
        """Sort in place (stable, one pass per key from the last) and return the list."""
        created = self._env.spec_by_name("created").sort_key
        assert created is not None
        issues.sort(key=lambda i: int(i.get("id", 0)) if str(i.get("id", "")).isdigit() else 0, reverse=True)
        issues.sort(key=_nulls_largest(created), reverse=True)
        for sort_key, descending in reversed(self._order):
            issues.sort(key=_nulls_largest(sort_key), reverse=descending)
        return issues


def _nulls_largest(sort_key: Callable[[Issue], Any]) -> Callable[[Issue], tuple[bool, Any]]:
    def wrapped(issue: Issue) -> tuple[bool, Any]:
        value = sort_key(issue)
        return (True, 0) if value is None else (False, value)

    return wrapped


def compile_query(query: Query, issues: Sequence[Issue], ctx: EvalContext) -> CompiledQuery:
    """Resolve everything in `query` against `ctx` and `issues` (the whole store: keys are checked in it)."""
    return CompiledQuery(query, Env(ctx, issues))


def search(query: Query, issues: Sequence[Issue], ctx: EvalContext) -> list[Issue]:
    """The issues matching `query.where`, in `query.order_by` order (see the module docstring).

    Raises:
        JqlValueError: Jira itself would refuse the query (unknown field/value, bad operator or date).
        JqlEvaluationError: the sandbox cannot evaluate a construct; the message names it.
    """
    compiled = compile_query(query, issues, ctx)
    return compiled.sort([issue for issue in issues if compiled.matches(issue)])


def _compile(expr: Expr, env: Env) -> Predicate:
    if isinstance(expr, And):
        parts = [_compile(e, env) for e in expr.operands]
        return lambda issue: all(p(issue) for p in parts)
    if isinstance(expr, Or):
        parts = [_compile(e, env) for e in expr.operands]
        return lambda issue: any(p(issue) for p in parts)
    if isinstance(expr, Not):
        inner = _compile(expr.operand, env)
        return lambda issue: not inner(issue)
    if isinstance(expr, Changed):
        spec = env.spec(expr.field)
        if not spec.history or not isinstance(spec, AtomSpec):
            raise JqlValueError(f"The operator 'changed' is not supported by the '{expr.field.name}' field.")
        return compile_changed(spec, expr.predicates, env)
    if isinstance(expr, Comparison):
        return _comparison(expr, env)
    raise JqlEvaluationError(f"The sandbox cannot evaluate the JQL node {type(expr).__name__}.")


def _items(expr: Comparison) -> tuple[Value | Empty | FunctionCall, ...]:
    operand = expr.operand
    if isinstance(operand, ValueList):
        if expr.operator not in _LIST_OPS:
            raise JqlValueError(f"The operator '{expr.operator}' does not take a list of values.")
        return operand.items
    return (operand,)


def _comparison(expr: Comparison, env: Env) -> Predicate:
    spec = env.spec(expr.field)
    op = expr.operator
    if op not in spec.operators:
        raise JqlValueError(f"The operator '{op}' is not supported by the '{expr.field.name}' field.")
    if expr.predicates and op not in HISTORY_OPS:
        raise JqlValueError(f"History predicates are only supported after WAS or CHANGED, not '{op}'.")
    items = _items(expr)
    if op in (Operator.IS, Operator.IS_NOT):
        if not all(spec.is_empty_word(i) for i in items):
            raise JqlValueError(f"The operator '{op}' only supports EMPTY or NULL for the field '{expr.field.name}'.")
        return (lambda i: spec.is_empty(i)) if op is Operator.IS else (lambda i: not spec.is_empty(i))
    if op in HISTORY_OPS:
        assert isinstance(spec, AtomSpec)
        was = compile_was(spec, expr.operand, expr.predicates, env)
        return was if op in (Operator.WAS, Operator.WAS_IN) else (lambda i: not was(i))
    if isinstance(spec, TextSpec):
        return _text(spec, expr, items)
    if isinstance(spec, ScalarSpec):
        return _scalar(spec, op, items, env)
    assert isinstance(spec, AtomSpec)
    return _atoms(spec, op, items, env)


def _text(spec: TextSpec, expr: Comparison, items: tuple[Any, ...]) -> Predicate:
    (item,) = items
    if not isinstance(item, Value):
        raise JqlValueError(f"The operator '{expr.operator}' needs a text value for the field '{expr.field.name}'.")
    query = compile_text_query(item.text)
    if expr.operator is Operator.CONTAINS:
        return lambda i: query.matches(spec.texts(i))

    def lacks(issue: Issue) -> bool:
        texts = spec.texts(issue)
        return bool(texts) and not query.matches(texts)

    return lacks


_COMPARE: dict[Operator, Callable[[Any, Any], bool]] = {
    Operator.GT: lambda a, b: a > b,
    Operator.GE: lambda a, b: a >= b,
    Operator.LT: lambda a, b: a < b,
    Operator.LE: lambda a, b: a <= b,
}


def _scalar(spec: ScalarSpec, op: Operator, items: tuple[Any, ...], env: Env) -> Predicate:
    empty = any(spec.is_empty_word(i) for i in items)
    values = [spec.operand(i, env) for i in items if not spec.is_empty_word(i)]
    if op in _COMPARE:
        if empty or len(values) != 1:
            raise JqlValueError(f"The operator '{op}' needs one value for the field '{spec.name}'.")
        bound, compare = values[0], _COMPARE[op]

        def ordered(issue: Issue) -> bool:
            value = spec.value(issue)
            return value is not None and compare(value, bound)

        return ordered
    if op in (Operator.EQ, Operator.IN):

        def equal(issue: Issue) -> bool:
            value = spec.value(issue)
            return (empty and value is None) or (value is not None and value in values)

        return equal

    def unequal(issue: Issue) -> bool:
        value = spec.value(issue)
        return value is not None and value not in values

    return unequal


def _atoms(spec: AtomSpec, op: Operator, items: tuple[Any, ...], env: Env) -> Predicate:
    if op in _COMPARE:
        return _ranked(spec, op, items)
    empty = any(spec.is_empty_word(i) for i in items)
    wanted: frozenset[str] = frozenset().union(*(spec.item_atoms(i, env) for i in items if not spec.is_empty_word(i)))
    if op in (Operator.EQ, Operator.IN):

        def member(issue: Issue) -> bool:
            atoms = spec.extract(issue)
            return bool(atoms & wanted) or (empty and not atoms)

        return member

    def non_member(issue: Issue) -> bool:
        atoms = spec.extract(issue)
        return bool(atoms) and not atoms & wanted

    return non_member


def _ranked(spec: AtomSpec, op: Operator, items: tuple[Any, ...]) -> Predicate:
    (item,) = items
    if not isinstance(item, Value) or spec.order_value is None or spec.order_operand is None:
        raise JqlValueError(f"The operator '{op}' needs one value for the field '{spec.name}'.")
    bound = spec.order_operand(item.text)
    compare, value_of, relative = _COMPARE[op], spec.order_value, spec.relative

    def ordered(issue: Issue) -> bool:
        value = relative(issue, bound) if relative is not None else value_of(issue)
        if value is None:
            return False
        if isinstance(value, tuple) and isinstance(bound, tuple) and value[0] != bound[0]:
            return False  # keys compare only within one project
        return compare(value, bound)

    return ordered
