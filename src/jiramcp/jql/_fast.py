"""Fast constructors for the syntax-tree nodes the parser builds most.

A frozen dataclass's `__init__` sets each field through `object.__setattr__`, which costs about
as much as the rest of parsing put together for a short query. These build the same objects
(equal, hashable, same type) by writing the slots directly through their descriptors, which is
allowed: freezing guards `__setattr__`, not the slot descriptors. Only the parser uses them.
"""

from __future__ import annotations

from jiramcp.jql._ast import Comparison, Field, Span, Value

_new = object.__new__
_span_start = Span.start.__set__  # type: ignore[attr-defined]
_span_end = Span.end.__set__  # type: ignore[attr-defined]
_field_name = Field.name.__set__  # type: ignore[attr-defined]
_field_span = Field.span.__set__  # type: ignore[attr-defined]
_field_quoted = Field.quoted.__set__  # type: ignore[attr-defined]
_value_text = Value.text.__set__  # type: ignore[attr-defined]
_value_span = Value.span.__set__  # type: ignore[attr-defined]
_value_quoted = Value.quoted.__set__  # type: ignore[attr-defined]
_cmp_field = Comparison.field.__set__  # type: ignore[attr-defined]
_cmp_operator = Comparison.operator.__set__  # type: ignore[attr-defined]
_cmp_operand = Comparison.operand.__set__  # type: ignore[attr-defined]
_cmp_span = Comparison.span.__set__  # type: ignore[attr-defined]
_cmp_predicates = Comparison.predicates.__set__  # type: ignore[attr-defined]


def span(start: int, end: int) -> Span:
    node = _new(Span)
    _span_start(node, start)
    _span_end(node, end)
    return node


def field(name: str, start: int, end: int, quoted: bool) -> Field:
    node = _new(Field)
    _field_name(node, name)
    _field_span(node, span(start, end))
    _field_quoted(node, quoted)
    return node


def value(text: str, start: int, end: int, quoted: bool) -> Value:
    node = _new(Value)
    _value_text(node, text)
    _value_span(node, span(start, end))
    _value_quoted(node, quoted)
    return node


def comparison(
    field: Field, operator: object, operand: object, start: int, end: int, predicates: tuple = ()
) -> Comparison:  # type: ignore[type-arg]
    node = _new(Comparison)
    _cmp_field(node, field)
    _cmp_operator(node, operator)
    _cmp_operand(node, operand)
    _cmp_span(node, span(start, end))
    _cmp_predicates(node, predicates)
    return node
