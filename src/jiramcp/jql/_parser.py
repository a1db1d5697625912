"""A recursive-descent parser from JQL text to the typed tree of `_ast`.

The grammar is Jira's:

    query      := or_clause? (ORDER BY sort ("," sort)*)? EOF
    or_clause  := and_clause ((OR | "||" | "|") and_clause)*
    and_clause := not_clause ((AND | "&&" | "&") not_clause)*
    not_clause := (NOT | "!") not_clause | "(" or_clause ")" | terminal
    terminal   := field operator operand? history_predicate*
    field      := number | (string | CF "[" number "]") ("[" argument "]" property_path*)*
    operand    := EMPTY | NULL | string | number | function | "(" operand ("," operand)* ")"
    function   := (string | number) "(" (argument ("," argument)*)? ")"
    argument   := string | number
    sort       := field (ASC | DESC)?

AND binds tighter than OR; `CHANGED` takes no operand, the other operators need one; history
predicates (`AFTER`, `BEFORE`, `ON`, `DURING`, `BY`, `FROM`, `TO`) may only follow `WAS*` and
`CHANGED`. Errors name what was expected and, when the repair is mechanical (quote a multi-word
value or a reserved word, close a parenthesis, add the missing AND), carry the fixed query.
"""

from __future__ import annotations

from jiramcp.jql import _fast as fast
from jiramcp.jql._ast import (
    And,
    Changed,
    Empty,
    Expr,
    Field,
    FunctionCall,
    HistoryPredicate,
    Not,
    Operand,
    Operator,
    Or,
    Query,
    SortDirection,
    SortKey,
    Span,
    Value,
    ValueList,
)
from jiramcp.jql._lexer import K_EOF, K_NUM, K_STR, RESERVED_WORDS, quote_text, tokenize
from jiramcp.jql._parse_errors import (
    EXPECT_CLAUSE_END,
    EXPECT_OPERAND,
    EXPECT_OPERATOR,
    HISTORY,
    HISTORY_OPERATORS,
    SYMBOL_OPERATORS,
    WORDISH,
    ParserBase,
    describe,
)


class _Parser(ParserBase):
    __slots__ = ()

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = tokenize(text)
        self.i = 0

    # -- errors ---------------------------------------------------------------------------------

    # -- query ----------------------------------------------------------------------------------

    def query(self) -> Query:
        toks = self.toks
        where: Expr | None = None
        if toks[0][0] not in (K_EOF, "order"):
            where = self.or_clause()
        order_by: tuple[SortKey, ...] = ()
        token = toks[self.i]
        if token[0] == "order":
            order_by = self.order_by()
            token = toks[self.i]
        if token[0] != K_EOF:
            if token[0] == ")":
                raise self._error("This ')' closes no open parenthesis.", self._at(token), EXPECT_CLAUSE_END, "")
            if order_by:
                raise self._error(
                    f"Expected ',' or the end of the query after the ORDER BY field, got {describe(token)}.",
                    self._at(token),
                    (",", "ASC", "DESC", "end of query"),
                )
            raise self._error(
                f"Expected AND, OR or ORDER BY, got {describe(token)}.", self._at(token), EXPECT_CLAUSE_END
            )
        return Query(where, order_by, Span(0, len(self.text)))

    def or_clause(self) -> Expr:
        toks = self.toks
        start = toks[self.i][2]
        first = self.and_clause()
        if toks[self.i][0] != "or":
            return first
        operands: list[Expr] = [*first.operands] if type(first) is Or else [first]
        while toks[self.i][0] == "or":
            self.i += 1
            operand = self.and_clause()
            if type(operand) is Or:
                operands.extend(operand.operands)
            else:
                operands.append(operand)
        return Or(tuple(operands), Span(start, toks[self.i - 1][3]))

    def and_clause(self) -> Expr:
        toks = self.toks
        start = toks[self.i][2]
        first = self.terminal() if toks[self.i][0] == K_STR else self.not_clause()
        if toks[self.i][0] != "and":
            return first
        operands: list[Expr] = [*first.operands] if type(first) is And else [first]
        while toks[self.i][0] == "and":
            self.i += 1
            # Most operands are plain clauses: skip the not_clause dispatch for them.
            operand = self.terminal() if toks[self.i][0] == K_STR else self.not_clause()
            if type(operand) is And:
                operands.extend(operand.operands)
            else:
                operands.append(operand)
        return And(tuple(operands), Span(start, toks[self.i - 1][3]))

    def not_clause(self) -> Expr:
        toks = self.toks
        token = toks[self.i]
        kind = token[0]
        if kind == "not" or kind == "!":
            self.i += 1
            operand = self.not_clause()
            return Not(operand, Span(token[2], toks[self.i - 1][3]))
        if kind == "(":
            self.i += 1
            inner = self.or_clause()
            closing = toks[self.i]
            if closing[0] != ")":
                self._raise_unclosed(closing, token, "group")
            self.i += 1
            return inner
        return self.terminal()

    # -- clauses --------------------------------------------------------------------------------

    def terminal(self) -> Expr:
        toks = self.toks
        i = self.i
        token = toks[i]
        # Fast path for the common `name OP value`: a plain word, a symbol operator, a plain word.
        if token[0] == K_STR and toks[i + 1][0] in SYMBOL_OPERATORS:
            value = toks[i + 2]
            if (
                (value[0] == K_STR or value[0] == K_NUM)
                and toks[i + 3][0] in _CLAUSE_END
                and (token[4] or token[1].lower() not in RESERVED_WORDS)
                and (value[4] or value[1].lower() not in RESERVED_WORDS)
            ):
                self.i = i + 3
                return fast.comparison(
                    fast.field(token[1], token[2], token[3], token[4]),
                    SYMBOL_OPERATORS[toks[i + 1][0]],
                    fast.value(value[1], value[2], value[3], value[4]),
                    token[2],
                    value[3],
                )
        field = self.field()
        operator = self.operator(field)
        if operator is None:  # CHANGED
            if toks[self.i][0] in (K_STR, K_NUM, "empty", "("):
                self._raise_changed_operand()
            predicates = self.predicates()
            return Changed(field, Span(field.span.start, toks[self.i - 1][3]), predicates)
        operand = self.operand(field, operator)
        self._check_after_operand(operand)
        predicates: tuple[HistoryPredicate, ...] = ()
        if toks[self.i][0] in HISTORY:
            if operator not in HISTORY_OPERATORS:
                self._raise_predicate_not_allowed(operator)
            predicates = self.predicates()
        return fast.comparison(field, operator, operand, field.span.start, toks[self.i - 1][3], predicates)

    def _check_after_operand(self, operand: Operand) -> None:
        """A word right after a single value: a multi-word value left unquoted, or a missing AND."""
        if self.toks[self.i][0] in (K_STR, K_NUM, "cf", "asc", "desc", "empty") and type(operand) is Value:
            self._raise_run(self.i - 1, operand)

    def field(self) -> Field:
        toks = self.toks
        token = toks[self.i]
        kind = token[0]
        start = token[2]
        quoted = token[4]
        if kind == K_STR:
            self._check_reserved(token, "a field name")
            name = token[1]
        elif kind == K_NUM:
            name = token[1]
        elif kind == "cf":
            self.i += 1
            self._expect("[", "after cf (custom fields are written cf[10014])")
            number = toks[self.i]
            if number[0] != K_NUM or number[1].startswith("-"):
                raise self._error(
                    f"Expected the custom field's number inside cf[...], got {describe(number)}.",
                    self._at(number),
                    ("number",),
                )
            self.i += 1
            self._expect("]", "to close cf[")
            name = f"cf[{int(number[1])}]"
            self.i -= 1
        else:
            raise self._error(
                f"Expected a field name, got {describe(token)}.",
                self._at(token),
                ("field", "NOT", "("),
            )
        self.i += 1
        while toks[self.i][0] == "[":
            self.i += 1
            argument = toks[self.i]
            if argument[0] not in (K_STR, K_NUM):
                raise self._error(
                    f"Expected a property key inside [...], got {describe(argument)}.",
                    self._at(argument),
                    ("string",),
                )
            self.i += 1
            self._expect("]", "to close the property key")
            name += f"[{argument[1]}]"
            # `.path` must touch the bracket: `issue.property[key].path`.
            path = toks[self.i]
            while path[0] == K_STR and not path[4] and path[1].startswith(".") and path[2] == toks[self.i - 1][3]:
                if len(path[1]) < 2 or path[1][1] == ".":
                    raise self._error(
                        f"Bad property path {path[1]!r}: expected '.name'.",
                        self._at(path),
                        ("property path",),
                    )
                name += path[1]
                self.i += 1
                path = toks[self.i]
        return fast.field(name, start, toks[self.i - 1][3], quoted)

    def _expect(self, kind: str, why: str) -> None:
        token = self.toks[self.i]
        if token[0] != kind:
            raise self._error(f"Expected '{kind}' {why}, got {describe(token)}.", self._at(token), (kind,))
        self.i += 1

    def operator(self, field: Field) -> Operator | None:
        toks = self.toks
        token = toks[self.i]
        kind = token[0]
        symbol = SYMBOL_OPERATORS.get(kind)
        if symbol is not None:
            self.i += 1
            return symbol
        if kind == "in":
            self.i += 1
            return Operator.IN
        if kind == "is":
            self.i += 1
            if toks[self.i][0] == "not":
                self.i += 1
                return Operator.IS_NOT
            return Operator.IS
        if kind == "not":
            if toks[self.i + 1][0] != "in":
                raise self._error(
                    f"Expected IN after NOT, got {describe(toks[self.i + 1])}.",
                    self._at(toks[self.i + 1]),
                    ("IN",),
                )
            self.i += 2
            return Operator.NOT_IN
        if kind == "was":
            self.i += 1
            negated = toks[self.i][0] == "not"
            if negated:
                self.i += 1
            if toks[self.i][0] == "in":
                self.i += 1
                return Operator.WAS_NOT_IN if negated else Operator.WAS_IN
            return Operator.WAS_NOT if negated else Operator.WAS
        if kind == "changed":
            self.i += 1
            return None
        self._raise_bad_operator(field, token)
        raise AssertionError("unreachable")

    # -- operands -------------------------------------------------------------------------------

    def operand(self, field: Field | None, operator: Operator | None) -> Operand:
        toks = self.toks
        token = toks[self.i]
        kind = token[0]
        if kind in (K_STR, K_NUM):
            if toks[self.i + 1][0] == "(":
                return self.function()
            self._check_reserved(token, "a value")
            self.i += 1
            return fast.value(token[1], token[2], token[3], token[4])
        if kind == "empty":
            self.i += 1
            return Empty(Span(token[2], token[3]))
        if kind == "(":
            return self.value_list()
        if kind == "=" and operator is Operator.EQ and token[2] == toks[self.i - 1][3]:
            raise self._error("JQL writes equality as a single '='.", self._at(token), EXPECT_OPERAND, "")
        if kind == ">" and toks[self.i - 1][0] == "<" and toks[self.i - 1][3] == token[2]:
            raise self._error("JQL writes 'not equal' as '!='.", Span(token[2] - 1, token[3]), EXPECT_OPERATOR, "!=")
        if kind in HISTORY or kind in ("cf", "asc", "desc", "in", "is", "not", "was", "changed"):
            if toks[self.i + 1][0] in WORDISH:
                # `status = In Progress`: the first word happens to be a keyword.
                self.i += 1
                self._raise_run(self.i - 1, Value(token[1], self._at(token)))
            replacement = quote_text(token[1])
            raise self._error(
                f"'{token[1]}' is a JQL keyword: put it in quotes to use it as a value ({replacement}).",
                self._at(token),
                EXPECT_OPERAND,
                replacement,
            )
        after = f" after '{operator.value.upper()}'" if operator is not None else ""
        raise self._error(
            f"Expected a value, a function or a list{after}, got {describe(token)}.",
            Span(token[2], token[3]),
            EXPECT_OPERAND,
        )

    def value_list(self) -> ValueList:
        toks = self.toks
        opening = toks[self.i]
        self.i += 1
        items: list[Value | Empty | FunctionCall] = []
        while True:
            if toks[self.i][0] == "(":
                raise self._error("Lists cannot be nested.", self._at(toks[self.i]), ("value", "function", "EMPTY"))
            if toks[self.i][0] == ")" and not items:
                raise self._error(
                    "A list needs at least one value.", self._at(toks[self.i]), ("value", "function", "EMPTY")
                )
            item = self.operand(None, None)
            items.append(item)  # type: ignore[arg-type]
            token = toks[self.i]
            if token[0] == ",":
                self.i += 1
                continue
            if token[0] == ")":
                self.i += 1
                return ValueList(tuple(items), Span(opening[2], token[3]))
            if token[0] in WORDISH and type(item) is Value:
                first = self.i - 1
                last, _ = self._scan_run(first, frozenset({"and", "or", "order"}))
                value = quote_text(self._run_text(first, last))
                raise self._error(
                    f"Expected ',' or ')' in the list, got {describe(token)}. A value with spaces must be "
                    f"quoted: {value}.",
                    Span(toks[first][2], toks[last][3]),
                    (",", ")"),
                    value,
                )
            self._raise_unclosed(token, opening, "list")

    def function(self) -> FunctionCall:
        toks = self.toks
        name = toks[self.i]
        self._check_reserved(name, "a function name")
        opening = toks[self.i + 1]
        self.i += 2
        args: list[str] = []
        if toks[self.i][0] != ")":
            while True:
                argument = toks[self.i]
                if argument[0] not in (K_STR, K_NUM):
                    if argument[0] == K_EOF:
                        self._raise_unclosed(argument, opening, "function")
                    raise self._error(
                        f"Function arguments are strings or numbers; got {describe(argument)}. "
                        "Quote an argument that holds spaces or JQL.",
                        self._at(argument),
                        ("string", "number", ")"),
                    )
                self._check_reserved(argument, "a function argument")
                args.append(argument[1])
                self.i += 1
                token = toks[self.i]
                if token[0] == ",":
                    self.i += 1
                    continue
                if token[0] == ")":
                    break
                if token[0] == "(":
                    raise self._error(
                        f"Function arguments are strings or numbers; '{argument[1]}(...)' cannot be "
                        "nested in a function call.",
                        self._at(token),
                        ("string", "number", ",", ")"),
                    )
                if token[0] in WORDISH and not argument[4]:
                    last, _ = self._scan_run(self.i - 1, frozenset({"and", "or", "order"}))
                    value = quote_text(self._run_text(self.i - 1, last))
                    raise self._error(
                        f"Expected ',' or ')' in the arguments of {name[1]}(), got {describe(token)}. "
                        f"An argument with spaces must be quoted: {value}.",
                        Span(argument[2], toks[last][3]),
                        (",", ")"),
                        value,
                    )
                self._raise_unclosed(token, opening, "function")
        closing = toks[self.i]
        self.i += 1
        return FunctionCall(name[1], tuple(args), Span(name[2], closing[3]))

    def predicates(self) -> tuple[HistoryPredicate, ...]:
        toks = self.toks
        predicates: list[HistoryPredicate] = []
        while True:
            token = toks[self.i]
            keyword = HISTORY.get(token[0])
            if keyword is None:
                return tuple(predicates)
            self.i += 1
            operand = self.operand(None, None)
            predicates.append(HistoryPredicate(keyword, operand, Span(token[2], toks[self.i - 1][3])))

    # -- ORDER BY -------------------------------------------------------------------------------

    def order_by(self) -> tuple[SortKey, ...]:
        toks = self.toks
        self.i += 1
        if toks[self.i][0] != "by":
            raise self._error(
                f"Expected BY after ORDER, got {describe(toks[self.i])}.", self._at(toks[self.i]), ("BY",)
            )
        self.i += 1
        keys: list[SortKey] = []
        while True:
            field = self.field()
            token = toks[self.i]
            direction = None
            if token[0] == "asc" or token[0] == "desc":
                direction = SortDirection(token[0])
                self.i += 1
            elif token[0] in (K_STR, K_NUM, "cf") and not field.quoted:
                j = self.i
                while toks[j][0] in (K_STR, K_NUM):
                    j += 1
                if toks[j][0] in (",", K_EOF, "asc", "desc"):
                    name = quote_text(self._run_text(self.i - 1, j - 1))
                    raise self._error(
                        f"Expected ASC, DESC or ',' after the ORDER BY field, got {describe(token)}. "
                        f"A field name with spaces must be quoted: {name}.",
                        Span(field.span.start, toks[j - 1][3]),
                        (",", "ASC", "DESC"),
                        name,
                    )
            keys.append(SortKey(field, Span(field.span.start, toks[self.i - 1][3]), direction))
            if toks[self.i][0] != ",":
                return tuple(keys)
            self.i += 1


_CLAUSE_END = frozenset({"and", "or", ")", "order", K_EOF})


def parse(query: str) -> Query:
    """Parse JQL text into a `Query`.

    Raises:
        JQLSyntaxError: the text is not JQL Jira would accept; the error carries the span, what
            was expected there and, when the repair is mechanical, the fixed query.
    """
    return _Parser(query).query()
