"""Grammar tables and the error-reporting half of the JQL parser.

Kept apart from `_parser` so the grammar reads on its own: these helpers turn "unexpected token"
into an error that says what was expected and, when the repair is mechanical (quote a multi-word
value or a reserved word, close a parenthesis, add a missing AND), carries the fixed query.
"""

from __future__ import annotations

from jiramcp.jql._ast import Field, HistoryKeyword, Operator, Span, Value
from jiramcp.jql._errors import JQLSyntaxError
from jiramcp.jql._lexer import K_EOF, K_NUM, K_STR, RESERVED_WORDS, Token, quote_text

SYMBOL_OPERATORS: dict[str, Operator] = {
    "=": Operator.EQ,
    "!=": Operator.NE,
    ">": Operator.GT,
    ">=": Operator.GE,
    "<": Operator.LT,
    "<=": Operator.LE,
    "~": Operator.CONTAINS,
    "!~": Operator.NOT_CONTAINS,
}
HISTORY: dict[str, HistoryKeyword] = {keyword.value: keyword for keyword in HistoryKeyword}
HISTORY_OPERATORS = frozenset({Operator.WAS, Operator.WAS_NOT, Operator.WAS_IN, Operator.WAS_NOT_IN})
OPERATOR_STARTS = frozenset({*SYMBOL_OPERATORS, "in", "not", "is", "was", "changed"})
OPERAND_STARTS = frozenset({"(", "empty", "not", "in", K_STR, K_NUM})
WORDISH = frozenset({K_STR, K_NUM, "cf", "asc", "desc", "empty", *HISTORY})
EXPECT_OPERATOR = ("=", "!=", "~", "!~", ">", ">=", "<", "<=", "IN", "NOT IN", "IS", "IS NOT", "WAS",
                    "WAS IN", "WAS NOT", "WAS NOT IN", "CHANGED")  # fmt: skip
EXPECT_OPERAND = ("value", "quoted string", "number", "function", "EMPTY", "(")
EXPECT_CLAUSE_END = ("AND", "OR", "ORDER BY", "end of query")


def describe(token: Token) -> str:
    return "the end of the query" if token[0] == K_EOF else f"'{token[1]}'"


class ParserBase:
    """State and error helpers shared by the parser's grammar methods."""

    __slots__ = ("i", "text", "toks")

    i: int
    text: str
    toks: list[Token]

    def _error(
        self,
        message: str,
        span: Span,
        expected: tuple[str, ...],
        replacement: str | None = None,
    ) -> JQLSyntaxError:
        fix = None
        if replacement is not None:
            fix = self.text[: span.start] + replacement + self.text[span.end :]
        return JQLSyntaxError(message, span, expected, fix, replacement)

    def _at(self, token: Token) -> Span:
        return Span(token[2], token[3])

    def _run_text(self, first: int, last: int) -> str:
        """The decoded text of tokens `first..last` with the source whitespace between them."""
        toks = self.toks
        parts = [toks[first][1]]
        for k in range(first + 1, last + 1):
            parts.append(self.text[toks[k - 1][3] : toks[k][2]])
            parts.append(toks[k][1])
        return "".join(parts)

    def _scan_run(self, first: int, stops: frozenset[str]) -> tuple[int, bool]:
        """Index of the last word of the run of words starting at `first`, and whether an operator
        follows it (meaning that last word is really the field of a new clause)."""
        toks = self.toks
        j = first
        while True:
            kind = toks[j + 1][0]
            if kind in stops or kind == K_EOF or kind in "(),":
                return j, False
            if kind in SYMBOL_OPERATORS or (
                kind in ("in", "is", "was", "changed", "not") and toks[j + 2][0] in OPERAND_STARTS
            ):
                return j, True
            j += 1

    def _check_reserved(self, token: Token, role: str) -> None:
        if not token[4] and token[0] == K_STR and token[1].lower() in RESERVED_WORDS:
            replacement = quote_text(token[1])
            raise self._error(
                f"'{token[1]}' is a reserved JQL word: put it in quotes to use it as {role} ({replacement}).",
                self._at(token),
                ("quoted string",),
                replacement,
            )

    def _raise_unclosed(self, token: Token, opening: Token, what: str) -> None:
        end = self.toks[self.i - 1][3]
        if token[0] == K_EOF:
            raise self._error(
                f"The parenthesis opened at character {opening[2]} is never closed.",
                Span(end, end),
                (")",),
                ")",
            )
        if token[0] == "order" and what == "group":
            raise self._error(
                f"The parenthesis opened at character {opening[2]} must be closed before ORDER BY.",
                Span(end, end),
                (")",),
                ")",
            )
        expected = (")", "AND", "OR") if what == "group" else (",", ")")
        raise self._error(
            f"Expected {' or '.join(repr(e) for e in expected)}, got {describe(token)}.",
            self._at(token),
            expected,
        )

    def _raise_run(self, first: int, operand: Value) -> None:
        toks = self.toks
        nxt = toks[first + 1]
        last, operator_follows = self._scan_run(first, frozenset({"and", "or", "order"}))
        if operator_follows:
            field_token = toks[last]
            if last == first:
                raise self._error(
                    f"Expected AND, OR or ORDER BY, got {describe(field_token)}.",
                    self._at(field_token),
                    EXPECT_CLAUSE_END,
                )
            if last - 1 == first:
                raise self._error(
                    f"Expected AND or OR before the clause starting at {describe(field_token)}.",
                    Span(field_token[2], field_token[2]),
                    EXPECT_CLAUSE_END,
                    "AND ",
                )
            value = quote_text(self._run_text(first, last - 1))
            raise self._error(
                f"Unexpected {describe(nxt)} after the value. A value with spaces must be "
                f"quoted ({value}), and clauses joined with AND or OR.",
                Span(toks[first][2], field_token[2]),
                EXPECT_CLAUSE_END,
                f"{value} AND ",
            )
        value = quote_text(self._run_text(first, last))
        raise self._error(
            f"Unexpected {describe(nxt)} after the value. A value with spaces must be quoted: {value}.",
            Span(toks[first][2], toks[last][3]),
            EXPECT_CLAUSE_END,
            value,
        )

    def _raise_bad_operator(self, field: Field, token: Token) -> None:
        toks = self.toks
        if token[0] in WORDISH and not field.quoted and "[" not in field.name:
            first = self.i - 1
            j = self.i
            while toks[j][0] in WORDISH:
                j += 1
            if toks[j][0] in OPERATOR_STARTS:
                name = quote_text(self._run_text(first, j - 1))
                raise self._error(
                    f"Expected an operator after the field '{field.name}', got {describe(token)}. "
                    f"A field name with spaces must be quoted: {name}.",
                    Span(field.span.start, toks[j - 1][3]),
                    EXPECT_OPERATOR,
                    name,
                )
        if token[0] == "<" and toks[self.i + 1][0] == ">" and toks[self.i + 1][2] == token[3]:
            raise self._error("JQL writes 'not equal' as '!='.", Span(token[2], token[3] + 1), EXPECT_OPERATOR, "!=")
        raise self._error(
            f"Expected an operator after the field '{field.name}', got {describe(token)}.",
            self._at(token),
            EXPECT_OPERATOR,
        )

    def _raise_changed_operand(self) -> None:
        raise self._error(
            "CHANGED takes no value; use history predicates: `field CHANGED FROM a TO b AFTER date`.",
            self._at(self.toks[self.i]),
            ("FROM", "TO", "BY", "BEFORE", "AFTER", "ON", "DURING", "AND", "OR"),
        )

    def _raise_predicate_not_allowed(self, operator: Operator) -> None:
        token = self.toks[self.i]
        raise self._error(
            f"History predicate {token[1].upper()} is only allowed after WAS, WAS NOT, WAS IN, "
            f"WAS NOT IN or CHANGED, not after '{operator.value.upper()}'. If "
            f"'{token[1]}' is part of a value, quote the whole value.",
            self._at(token),
            EXPECT_CLAUSE_END,
        )
