"""Canonical JQL text from a syntax tree, and structural comparison that ignores spans.

`render` writes keywords in upper case, single spaces, parentheses only where precedence needs
them, and keeps each value's quotedness (a quoted `"42"` is a string to Jira, a bare `42` a
number or id). A value the tree marks unquoted but that cannot be written bare is quoted, so the
output is always valid JQL: `parse(render(q))` equals `q` up to spans.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

from jiramcp.jql._ast import (
    And,
    Changed,
    Comparison,
    Empty,
    Expr,
    Field,
    FunctionCall,
    Not,
    Operand,
    Or,
    Query,
    Span,
    Value,
)
from jiramcp.jql._lexer import _CTRL, _WS, KEYWORDS, RESERVED_CHARS, RESERVED_WORDS, quote_text

_BARE_RE = re.compile(rf"""[^{_WS}"'=!<>()~,\[\]|&\\{re.escape(RESERVED_CHARS)}{_CTRL}]+""")
_NUMBER_RE = re.compile(r"-?[0-9]+")
_FIELD_PART_RE = re.compile(r"\[([^\[\]]*)\]((?:\.[^\[\]]+)?)")
_NO_SPAN = Span(0, 0)


def quote(value: str) -> str:
    """Quote `value` as a JQL string literal that Jira reads back as exactly `value`.

    Whatever `value` holds (quotes, backslashes, JQL keywords, newlines), the result is one
    string token: it cannot end the string early or add clauses.
    """
    return quote_text(value)


def is_bare_word(text: str) -> bool:
    """Whether `text` can be written unquoted and read back as the same plain string."""
    return (
        bool(text)
        and _BARE_RE.fullmatch(text) is not None
        and text.lower() not in RESERVED_WORDS
        and text.lower() not in KEYWORDS
    )


def _word(text: str, quoted: bool) -> str:
    if quoted:
        return quote_text(text)
    if is_bare_word(text) or _NUMBER_RE.fullmatch(text):
        return text
    if text and text.lower() not in RESERVED_WORDS:
        # An unquoted value that needed escapes (`b\ c`) stays unquoted, so quotedness survives.
        escaped = "".join(_escape_bare(char) for char in text)
        if text.lower() in KEYWORDS:
            escaped = f"\\u{ord(text[0]):04x}" + escaped[len(_escape_bare(text[0])) :]
        return escaped
    return quote_text(text)


_BARE_ESCAPES = {" ": "\\ ", "\t": "\\t", "\n": "\\n", "\r": "\\r", '"': '\\"', "'": "\\'", "\\": "\\\\"}


def _escape_bare(char: str) -> str:
    if _BARE_RE.fullmatch(char):
        return char
    return _BARE_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def _argument(text: str) -> str:
    return text if is_bare_word(text) or _NUMBER_RE.fullmatch(text) else quote_text(text)


def render_field(field: Field) -> str:
    """A field reference as JQL: bare when possible, `cf[10014]`, `issue.property[key].path`."""
    name = field.name
    if field.quoted:
        return quote_text(name)
    if field.custom_field_id is not None:
        return f"cf[{field.custom_field_id}]"
    bracket = name.find("[")
    if bracket > 0:
        base, rest = name[:bracket], name[bracket:]
        parts = _FIELD_PART_RE.findall(rest)
        if (
            is_bare_word(base)
            and "".join(f"[{key}]{path}" for key, path in parts) == rest
            and all(not path or is_bare_word(path) for _, path in parts)
        ):
            return base + "".join(f"[{_argument(key)}]{path}" for key, path in parts)
    return _word(name, False)


def render_operand(operand: Operand) -> str:
    kind = type(operand)
    if kind is Value:
        return _word(operand.text, operand.quoted)  # type: ignore[union-attr]
    if kind is Empty:
        return "EMPTY"
    if kind is FunctionCall:
        args = ", ".join(_argument(arg) for arg in operand.args)  # type: ignore[union-attr]
        return f"{_argument(operand.name)}({args})"  # type: ignore[union-attr]
    return "(" + ", ".join(render_operand(item) for item in operand.items) + ")"  # type: ignore[union-attr]


def render_expr(expr: Expr) -> str:
    """An expression as JQL, parenthesised only where AND/OR/NOT precedence needs it."""
    kind = type(expr)
    if kind is Comparison:
        text = f"{render_field(expr.field)} {expr.operator.value.upper()} {render_operand(expr.operand)}"  # type: ignore[union-attr]
        return text + _predicates(expr)
    if kind is Changed:
        return f"{render_field(expr.field)} CHANGED" + _predicates(expr)
    if kind is Not:
        inner = expr.operand  # type: ignore[union-attr]
        text = render_expr(inner)
        return f"NOT ({text})" if type(inner) in (And, Or) else f"NOT {text}"
    if kind is And:
        return " AND ".join(
            f"({render_expr(op)})" if type(op) in (Or, And) else render_expr(op)
            for op in expr.operands  # type: ignore[union-attr]
        )
    return " OR ".join(
        f"({render_expr(op)})" if type(op) is Or else render_expr(op)
        for op in expr.operands  # type: ignore[union-attr]
    )


def _predicates(clause: Comparison | Changed) -> str:
    return "".join(
        f" {predicate.keyword.value.upper()} {render_operand(predicate.operand)}" for predicate in clause.predicates
    )


def render(query: Query | Expr) -> str:
    """Canonical JQL text for a query (or a bare expression)."""
    if not isinstance(query, Query):
        return render_expr(query)
    text = render_expr(query.where) if query.where is not None else ""
    if query.order_by:
        keys = ", ".join(
            render_field(key.field) + (f" {key.direction.value.upper()}" if key.direction else "")
            for key in query.order_by
        )
        text = f"{text} ORDER BY {keys}" if text else f"ORDER BY {keys}"
    return text


_Node = TypeVar("_Node")


def strip_spans(node: _Node) -> _Node:
    """A copy of a tree (or any node) with every span set to `Span(0, 0)`, for comparisons."""
    return _strip(node)  # type: ignore[no-any-return]


def _strip(node: Any) -> Any:
    if isinstance(node, tuple):
        return tuple(_strip(item) for item in node)
    if isinstance(node, Span):
        return _NO_SPAN
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {f.name: _strip(getattr(node, f.name)) for f in dataclasses.fields(node)}
        return dataclasses.replace(node, **changes)
    return node


def same_query(left: Query | Expr | None, right: Query | Expr | None) -> bool:
    """Whether two trees are equal apart from spans."""
    return strip_spans(left) == strip_spans(right)
