"""The parser against Jira's grammar: what Jira accepts parses to the right tree, what it refuses
raises JQLSyntaxError with the place, what was expected, and the mechanical fix when there is one."""

import pytest

from jiramcp.jql import (
    And,
    Changed,
    Comparison,
    Empty,
    FunctionCall,
    HistoryKeyword,
    JQLSyntaxError,
    Not,
    Operator,
    Or,
    SortDirection,
    Span,
    Value,
    ValueList,
    parse,
)


@pytest.mark.parametrize(
    ("text", "operator"),
    [
        ("a = b", Operator.EQ),
        ("a != b", Operator.NE),
        ("a > 5", Operator.GT),
        ("a >= 5", Operator.GE),
        ("a < 5", Operator.LT),
        ("a <= 5", Operator.LE),
        ("a ~ b", Operator.CONTAINS),
        ("a !~ b", Operator.NOT_CONTAINS),
        ("a in (b)", Operator.IN),
        ("a not in (b)", Operator.NOT_IN),
        ("a NOT   IN (b)", Operator.NOT_IN),
        ("a is EMPTY", Operator.IS),
        ("a is not null", Operator.IS_NOT),
        ("a was b", Operator.WAS),
        ("a was not b", Operator.WAS_NOT),
        ("a was in (b)", Operator.WAS_IN),
        ("a was not in (b)", Operator.WAS_NOT_IN),
        ("a=b", Operator.EQ),
        ("a!=b", Operator.NE),
    ],
)
def test_every_operator_parses_to_its_enum(text, operator):
    clause = parse(text).where
    assert isinstance(clause, Comparison)
    assert clause.operator is operator


@pytest.mark.parametrize(
    ("text", "operand"),
    [
        ("a = word", Value("word", Span(4, 8))),
        ('a = "two words"', Value("two words", Span(4, 15), True)),
        ("a = 'single'", Value("single", Span(4, 12), True)),
        ("a = 42", Value("42", Span(4, 6))),
        ("a = -7d", Value("-7d", Span(4, 7))),
        ('a >= "-4w 2d"', Value("-4w 2d", Span(5, 13), True)),
        ("a = PROJ-123", Value("PROJ-123", Span(4, 12))),
        ("a = v2.0", Value("v2.0", Span(4, 8))),
        ("a = EMPTY", Empty(Span(4, 9))),
        ("a = Null", Empty(Span(4, 8))),
        ("a = now()", FunctionCall("now", (), Span(4, 9))),
        ('a in membersOf("x y")', FunctionCall("membersOf", ("x y",), Span(5, 21))),
        ("a = startOfDay(-7d)", FunctionCall("startOfDay", ("-7d",), Span(4, 19))),
        ("a = f(1, b, 'c')", FunctionCall("f", ("1", "b", "c"), Span(4, 16))),
    ],
)
def test_operands_parse_with_their_spans(text, operand):
    assert parse(text).where.operand == operand


def test_lists_hold_values_functions_and_empty():
    operand = parse('a in (x, "y z", EMPTY, now(), 3)').where.operand
    assert isinstance(operand, ValueList)
    assert [type(item) for item in operand.items] == [Value, Value, Empty, FunctionCall, Value]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (r'a = "say \"hi\""', 'say "hi"'),
        (r"a = 'it\'s'", "it's"),
        (r'a = "back\\slash"', "back\\slash"),
        (r'a = "tab\there"', "tab\there"),
        (r'a = "line\nbreak"', "line\nbreak"),
        (r'a = "\u0041BC"', "ABC"),
        (r"a = two\ words", "two words"),
        ('a = "multi\nline"', "multi\nline"),
        ("a = 'has \"double\"'", 'has "double"'),
    ],
)
def test_escapes_resolve_in_quoted_and_unquoted_strings(text, value):
    assert parse(text).where.operand.text == value


@pytest.mark.parametrize(
    ("text", "name", "quoted"),
    [
        ("status = x", "status", False),
        ('"Story Points" = 1', "Story Points", True),
        ("'Story Points' = 1", "Story Points", True),
        ("cf[10014] = x", "cf[10014]", False),
        ("CF[10014] = x", "cf[10014]", False),
        ("issue.property[foo].bar = 1", "issue.property[foo].bar", False),
        ("issue.property[foo].bar.baz = 1", "issue.property[foo].bar.baz", False),
        ('issue.property["my key"].x = 1', "issue.property[my key].x", False),
        ('"Story point estimate[Number]" > 1', "Story point estimate[Number]", True),
        ("Team[Team] = x", "Team[Team]", False),
    ],
)
def test_field_references_in_every_form(text, name, quoted):
    field = parse(text).where.field
    assert (field.name, field.quoted) == (name, quoted)


def test_custom_field_ids_are_exposed():
    assert parse("cf[10014] = x").where.field.custom_field_id == 10014


def test_keywords_are_case_insensitive_and_whitespace_is_free():
    tree = parse("Project\n=\tPROJ\r\n  and   STATUS   In (A,B)   Order   By   key   Desc")
    assert isinstance(tree.where, And)
    assert tree.order_by[0].direction is SortDirection.DESC


def test_and_binds_tighter_than_or_and_symbols_work_like_words():
    tree = parse("a = 1 || b = 2 && !c = 3")
    assert isinstance(tree.where, Or)
    left, right = tree.where.operands
    assert isinstance(left, Comparison)
    assert isinstance(right, And)
    assert isinstance(right.operands[1], Not)


def test_single_ampersand_and_pipe_are_and_and_or():
    assert isinstance(parse("a = 1 & b = 2").where, And)
    assert isinstance(parse("a = 1 | b = 2").where, Or)


def test_parentheses_group_and_nested_and_or_are_flattened():
    tree = parse("(a = 1 OR b = 2) AND (c = 3 AND d = 4)")
    assert isinstance(tree.where, And)
    assert len(tree.where.operands) == 3
    assert isinstance(tree.where.operands[0], Or)


def test_not_applies_to_a_group():
    tree = parse("NOT (a = 1 OR b = 2)")
    assert isinstance(tree.where, Not)
    assert isinstance(tree.where.operand, Or)


def test_changed_with_every_history_predicate():
    clause = parse(
        'status CHANGED FROM "To Do" TO Done BY currentUser() AFTER -7d BEFORE now() ON "2025-01-01" '
        "DURING (startOfWeek(), now())"
    ).where
    assert isinstance(clause, Changed)
    assert [p.keyword for p in clause.predicates] == [
        HistoryKeyword.FROM,
        HistoryKeyword.TO,
        HistoryKeyword.BY,
        HistoryKeyword.AFTER,
        HistoryKeyword.BEFORE,
        HistoryKeyword.ON,
        HistoryKeyword.DURING,
    ]
    assert isinstance(clause.predicates[-1].operand, ValueList)


def test_was_takes_predicates():
    clause = parse("assignee was currentUser() during (-2w, now()) by admin").where
    assert clause.operator is Operator.WAS
    assert len(clause.predicates) == 2


def test_order_by_several_fields_with_and_without_direction():
    tree = parse('project = A ORDER BY priority DESC, "Story Points", cf[10016] asc')
    assert [(k.field.name, k.direction) for k in tree.order_by] == [
        ("priority", SortDirection.DESC),
        ("Story Points", None),
        ("cf[10016]", SortDirection.ASC),
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n", "ORDER BY key", "order by created desc"])
def test_queries_without_a_restriction_parse_with_no_where(text):
    assert parse(text).where is None


def test_spans_point_at_the_source():
    text = 'project = PROJ AND summary ~ "login bug"'
    clause = parse(text).where.operands[1]
    assert text[clause.span.start : clause.span.end] == 'summary ~ "login bug"'
    assert text[clause.operand.span.start : clause.operand.span.end] == '"login bug"'


@pytest.mark.parametrize("word", ["select", "update", "order", "and", "is", "to", "by", "desc", "cf"])
def test_reserved_words_must_be_quoted_as_values(word):
    with pytest.raises(JQLSyntaxError) as caught:
        parse(f"labels = {word}")
    assert caught.value.fix is None or parse(caught.value.fix).where.operand.text.lower() == word


@pytest.mark.parametrize("word", ["select", "update", "and", "to", "null"])
def test_quoted_reserved_words_are_ordinary_values(word):
    assert parse(f'labels = "{word}"').where.operand == Value(word, Span(9, 11 + len(word)), True)


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("status = In Progress", 'status = "In Progress"'),
        ("status in (In Progress, Done)", 'status in ("In Progress", Done)'),
        ("status = Selected for Development", 'status = "Selected for Development"'),
        ("Story Points > 5", '"Story Points" > 5'),
        ("project = A ORDER BY Story Points DESC", 'project = A ORDER BY "Story Points" DESC'),
        ("labels = update", 'labels = "update"'),
        ("summary ~ win*", 'summary ~ "win*"'),
        ("resolution = Won't Fix", 'resolution = "Won\'t Fix"'),
        ("(a = b OR c = d", "(a = b OR c = d)"),
        ("(a = b ORDER BY c", "(a = b) ORDER BY c"),
        ("a = now(", "a = now()"),
        ("a in (b, c", "a in (b, c)"),
        ('summary ~ "open', 'summary ~ "open"'),
        ("a = b c = d", "a = b AND c = d"),
        ("status = In Progress assignee = x", 'status = "In Progress" AND assignee = x'),
        ("status == Done", "status = Done"),
        ("a <> b", "a != b"),
        ("a = b )", "a = b "),
        (r"a = \q", r"a = \\q"),
    ],
)
def test_syntax_errors_carry_the_mechanical_fix(text, fixed):
    with pytest.raises(JQLSyntaxError) as caught:
        parse(text)
    assert caught.value.fix == fixed
    parse(fixed)


@pytest.mark.parametrize(
    ("text", "expected", "where"),
    [
        ("status =", "value", 8),
        ("= x", "field", 0),
        ("status x", "=", 7),
        ("status not x", "IN", 11),
        ("a = b AND", "field", 9),
        ("a = b ORDER BY", "field", 14),
        ("a = b ORDER key", "BY", 12),
        ("a = b ORDER BY c d", ",", 15),
        ("a changed x", "FROM", 10),
        ("a = b after -1d", "AND", 6),
        ("a in ()", "value", 6),
        ("a in ((b))", "value", 6),
        ("a = f(g())", "string", 7),
        ("cf[x] = 1", "number", 3),
        ("a = b $ c", "quoted string", 6),
        ('status changed to "To Do" after status was Done', "AND", 39),
    ],
)
def test_syntax_errors_say_what_was_expected_and_where(text, expected, where):
    with pytest.raises(JQLSyntaxError) as caught:
        parse(text)
    assert expected in caught.value.expected
    assert caught.value.span.start == where
    assert caught.value.message


def test_syntax_error_is_a_value_error_with_a_readable_str():
    with pytest.raises(ValueError, match="at character 8"):
        parse("status =")
