"""The typed syntax tree of a JQL query.

Shared by the parser (which builds it), the linter and the builder (which read and rewrite it),
and the sandbox (which evaluates it against its store). Nodes are frozen dataclasses; every node
carries the `Span` of the source text it came from, so diagnostics can point at it. Parentheses
leave no node: the tree's shape is the grouping, and rendering adds parentheses where precedence
needs them.

    Query
      where: Expr | None          # None: no restriction (only ORDER BY, or an empty query)
      order_by: (SortKey, ...)

    Expr = Or | And | Not | Comparison | Changed
    Operand = Value | Empty | FunctionCall | ValueList
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range `[start, end)` in the query text."""

    start: int
    end: int


class Operator(StrEnum):
    """Clause operators, by their canonical lowercase spelling."""

    EQ = "="
    NE = "!="
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    CONTAINS = "~"
    NOT_CONTAINS = "!~"
    IN = "in"
    NOT_IN = "not in"
    IS = "is"
    IS_NOT = "is not"
    WAS = "was"
    WAS_NOT = "was not"
    WAS_IN = "was in"
    WAS_NOT_IN = "was not in"


class HistoryKeyword(StrEnum):
    """Predicates that may follow `WAS*` and `CHANGED` clauses."""

    AFTER = "after"
    BEFORE = "before"
    ON = "on"
    DURING = "during"
    BY = "by"
    FROM = "from"
    TO = "to"


class SortDirection(StrEnum):
    ASC = "asc"
    DESC = "desc"


@dataclass(frozen=True, slots=True)
class Field:
    """A field reference, unquoted: `status`, `Story Points`, `cf[10014]`, `issue.property[x].y`."""

    name: str
    span: Span
    quoted: bool = False

    @property
    def custom_field_id(self) -> int | None:
        """The number in `cf[10014]`, else None."""
        lowered = self.name.lower()
        if lowered.startswith("cf[") and lowered.endswith("]") and lowered[3:-1].isdigit():
            return int(lowered[3:-1])
        return None


@dataclass(frozen=True, slots=True)
class Value:
    """A literal operand: an unquoted word or number, or a quoted string (escapes resolved)."""

    text: str
    span: Span
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class Empty:
    """`EMPTY` or `NULL`."""

    span: Span


@dataclass(frozen=True, slots=True)
class FunctionCall:
    """`name(arg, ...)`; arguments are kept as their literal text, unquoted."""

    name: str
    args: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ValueList:
    """`(a, b, c)`, the right-hand side of `IN`, `NOT IN`, `WAS IN`, `WAS NOT IN`."""

    items: tuple[Value | Empty | FunctionCall, ...]
    span: Span


Operand = Value | Empty | FunctionCall | ValueList


@dataclass(frozen=True, slots=True)
class HistoryPredicate:
    """`AFTER x`, `DURING (a, b)`, `BY user`, ... after a `WAS*` or `CHANGED` clause."""

    keyword: HistoryKeyword
    operand: Operand
    span: Span


@dataclass(frozen=True, slots=True)
class Comparison:
    """`field OP operand [history predicates]`."""

    field: Field
    operator: Operator
    operand: Operand
    span: Span
    predicates: tuple[HistoryPredicate, ...] = ()


@dataclass(frozen=True, slots=True)
class Changed:
    """`field CHANGED [history predicates]`."""

    field: Field
    span: Span
    predicates: tuple[HistoryPredicate, ...] = ()


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class And:
    """Two or more operands joined by AND (flattened: no And directly inside an And)."""

    operands: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Or:
    """Two or more operands joined by OR (flattened: no Or directly inside an Or)."""

    operands: tuple[Expr, ...]
    span: Span


Clause = Comparison | Changed
Expr = Or | And | Not | Comparison | Changed


@dataclass(frozen=True, slots=True)
class SortKey:
    field: Field
    span: Span
    direction: SortDirection | None = None


@dataclass(frozen=True, slots=True)
class Query:
    """A whole query: an optional restriction and an optional ORDER BY."""

    where: Expr | None
    order_by: tuple[SortKey, ...]
    span: Span
