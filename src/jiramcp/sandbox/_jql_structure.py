"""A parsed query as `POST /jql/parse` describes it (JqlQuery: `where` clauses and `orderBy`)."""

from __future__ import annotations

from typing import Any

from jiramcp.jql import (
    And,
    Changed,
    Comparison,
    Empty,
    Expr,
    FunctionCall,
    HistoryPredicate,
    Not,
    Operand,
    Or,
    Query,
    Value,
    ValueList,
)


def structure(query: Query) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if query.where is not None:
        out["where"] = _clause(query.where)
    if query.order_by:
        out["orderBy"] = {
            "fields": [
                {"field": {"name": key.field.name}, **({"direction": key.direction.value} if key.direction else {})}
                for key in query.order_by
            ]
        }
    return out


def _clause(expr: Expr) -> dict[str, Any]:
    if isinstance(expr, And | Or):
        return {"operator": "and" if isinstance(expr, And) else "or", "clauses": [_clause(e) for e in expr.operands]}
    if isinstance(expr, Not):
        return {"operator": "not", "clauses": [_clause(expr.operand)]}
    if isinstance(expr, Changed):
        return {
            "field": {"name": expr.field.name},
            "operator": "changed",
            "predicates": [_predicate(p) for p in expr.predicates],
        }
    assert isinstance(expr, Comparison)
    clause: dict[str, Any] = {
        "field": {"name": expr.field.name},
        "operator": expr.operator.value,
        "operand": _operand(expr.operand),
    }
    if expr.operator.value.startswith("was"):
        clause["predicates"] = [_predicate(p) for p in expr.predicates]
    return clause


def _predicate(pred: HistoryPredicate) -> dict[str, Any]:
    return {"operator": pred.keyword.value, "operand": _operand(pred.operand)}


def _operand(operand: Operand) -> dict[str, Any]:
    if isinstance(operand, Value):
        return {"value": operand.text}
    if isinstance(operand, Empty):
        return {"keyword": "empty"}
    if isinstance(operand, FunctionCall):
        return {"function": operand.name, "arguments": list(operand.args)}
    assert isinstance(operand, ValueList)
    return {"values": [_operand(item) for item in operand.items]}
