"""quote, the structured-filter compiler and restrict: no value can change a query's structure."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiramcp.jql import (
    And,
    Comparison,
    Filter,
    FunctionCall,
    Operator,
    Or,
    Value,
    ValueList,
    build_jql,
    lint,
    parse,
    quote,
    render,
    restrict,
)

HOSTILE = [
    'x" OR project = SECRET OR summary ~ "',
    "x' OR project = SECRET OR summary ~ '",
    'x\\" OR project = SECRET',
    "a) OR (project = SECRET",
    "\\",
    "",
    "ORDER BY key",
    "select",
    "line\nbreak\ttab\x00nul\x7fdel\ufffe",
]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_quote_round_trips_any_string_through_the_parser(value):
    clause = parse(f"summary ~ {quote(value)}").where
    assert isinstance(clause, Comparison)
    assert clause.operand == Value(value, clause.operand.span, True)


@pytest.mark.parametrize("value", HOSTILE)
def test_quote_survives_hostile_values(value):
    assert parse(f"summary ~ {quote(value)}").where.operand.text == value


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=3), st.text(min_size=1), st.text(min_size=1))
def test_no_filter_value_can_add_a_clause(labels, summary, assignee):
    tree = parse(build_jql(Filter(projects=["PROJ"], labels=labels, summary=summary, assignee=assignee)))
    assert isinstance(tree.where, And)
    assert [clause.field.name for clause in tree.where.operands] == ["project", "assignee", "labels", "summary"]


def test_the_compiler_covers_every_filter_member():
    jql = build_jql(
        Filter(
            projects=["PROJ", "WEB"],
            statuses=["In Progress"],
            assignee="currentUser",
            reporter="5b10ac8d82e05b22cc7d4ef5",
            issue_types=["Bug", "Story"],
            priorities=["High"],
            labels=["tech-debt"],
            components=["Backend"],
            fix_versions=["v2.0"],
            text="login",
            summary="crash",
            updated_since="-7d",
            created_since="2025-01-31",
            sprint=42,
            sprint_state="open",
            parent="PROJ-1",
            unresolved=True,
            order_by=["-updated", "priority ASC", "key"],
        )
    )
    assert jql == (
        'project IN ("PROJ", "WEB") AND status = "In Progress" AND assignee = currentUser() AND '
        'reporter = "5b10ac8d82e05b22cc7d4ef5" AND issuetype IN ("Bug", "Story") AND priority = "High" AND '
        'labels = "tech-debt" AND component = "Backend" AND fixVersion = "v2.0" AND text ~ "login" AND '
        'summary ~ "crash" AND updated >= "-7d" AND created >= "2025-01-31" AND sprint = 42 AND '
        'sprint IN openSprints() AND parent = "PROJ-1" AND resolution IS EMPTY '
        "ORDER BY updated DESC, priority ASC, key"
    )
    assert not [d for d in lint(jql) if d.severity == "error"]


def test_unassigned_and_sprint_names():
    assert build_jql(Filter(projects=["A"], assignee="unassigned")) == 'project = "A" AND assignee IS EMPTY'
    assert build_jql(Filter(projects=["A"], sprint="Sprint 23")) == 'project = "A" AND sprint = "Sprint 23"'


@pytest.mark.parametrize("when", ["yesterday", '-7d" OR x = "y', "7 days"])
def test_malformed_dates_are_refused(when):
    with pytest.raises(ValueError, match="relative date"):
        build_jql(Filter(updated_since=when))


def test_an_empty_filter_compiles_to_an_unbounded_query():
    assert build_jql(Filter(order_by=["-created"])) == "ORDER BY created DESC"


@pytest.mark.parametrize(
    "query",
    [
        "project = A OR project = B",
        "NOT project in (A)",
        "",
        "ORDER BY created DESC",
        "status = Done OR NOT status = Done",
        "project = SECRET",
        "(project = A) OR (project = SECRET) ORDER BY key",
    ],
)
def test_restrict_puts_the_scope_above_everything_and_keeps_order_by(query):
    original = parse(query)
    restricted = restrict(query, ["A", "B"])
    reparsed = parse(render(restricted))
    scope = reparsed.where if original.where is None else reparsed.where.operands[0]
    assert scope.field.name == "project"
    assert scope.operator is Operator.IN
    assert [item.text for item in scope.operand.items] == ["A", "B"]
    if original.where is not None:
        assert isinstance(reparsed.where, And)
    assert [key.field.name for key in reparsed.order_by] == [key.field.name for key in original.order_by]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_restrict_holds_for_any_parseable_text(text):
    try:
        parse(text)
    except ValueError:
        return
    where = parse(render(restrict(text, ["OK"]))).where
    scope = where.operands[0] if isinstance(where, And) else where
    assert isinstance(scope, Comparison) and scope.field.name == "project"
    assert scope.operand == ValueList((Value("OK", scope.operand.items[0].span, True),), scope.operand.span)


def test_restrict_needs_a_project():
    with pytest.raises(ValueError, match="at least one"):
        restrict("a = b", [])


def test_restrict_keeps_or_as_one_conjunct():
    where = restrict("a = 1 OR b = 2", ["A"]).where
    assert isinstance(where, And) and isinstance(where.operands[1], Or)


def test_sprint_state_uses_the_sprint_functions():
    tree = parse(build_jql(Filter(sprint_state="closed")))
    assert tree.where.operand == FunctionCall("closedSprints", (), tree.where.operand.span)
