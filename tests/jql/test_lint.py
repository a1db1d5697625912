"""The linter: each code fires on the mistake it names, with Jira's wording and a fix where the
repair is mechanical, and stays quiet on good queries."""

import pytest

from jiramcp.jql import Diagnostic, Span, fix, lint, parse


def codes(query, catalog=None):
    return [d.code for d in lint(query, catalog)]


def only(query, code, catalog=None) -> Diagnostic:
    found = [d for d in lint(query, catalog) if d.code == code]
    assert len(found) == 1, lint(query, catalog)
    return found[0]


def test_a_good_scoped_query_has_no_findings(catalog):
    assert lint('project = PROJ AND status = "In Progress" AND "Story Points" > 3 ORDER BY updated', catalog) == []


def test_syntax_errors_are_jql001_with_the_fix():
    d = only("status = In Progress", "JQL001")
    assert (d.severity, d.span, d.replacement) == ("error", Span(9, 20), '"In Progress"')


@pytest.mark.parametrize("query", ["", "ORDER BY key", "order by created DESC, key"])
def test_a_query_without_restriction_is_unbounded(query):
    d = only(query, "JQL002")
    assert d.severity == "error"
    assert "Unbounded" in d.message


@pytest.mark.parametrize(
    ("query", "replacement"),
    [
        ('"Story point" > 5 AND project = PROJ', '"Story Points"'),
        ("Statsu = Done AND project = PROJ", "Status"),
        ("labelz = x AND project = PROJ", "Labels"),
    ],
)
def test_unknown_fields_suggest_the_closest_real_one(catalog, query, replacement):
    d = only(query, "JQL101", catalog)
    assert d.replacement == replacement
    assert "does not exist" in d.message


def test_custom_field_suggestions_mention_the_cf_id(catalog):
    assert "cf[10016]" in only('"Story point" > 5 AND project = PROJ', "JQL101", catalog).message


@pytest.mark.parametrize(
    "query",
    [
        "cf[10016] > 5 AND project = PROJ",
        '"Story Points[Number]" > 5 AND project = PROJ',
        "customfield_10016 > 5 AND project = PROJ",
        "issue.property[foo].bar = 1 AND project = PROJ",
        "created > -1d AND project = PROJ",
    ],
)
def test_fields_known_by_id_suffix_or_system_are_not_unknown(catalog, query):
    assert "JQL101" not in codes(query, catalog)


def test_without_a_catalog_unknown_fields_are_not_guessed():
    assert "JQL101" not in codes("whatever = 1 AND project = PROJ")


@pytest.mark.parametrize(
    ("query", "replacement"),
    [
        ("project = PROJ AND status = Dne", "Done"),
        ('project = PROJ AND status in ("To Do", "In Progres")', '"In Progress"'),
        ("project = PROJ AND priority = Hihg", "High"),
        ("project = PRJO", "PROJ"),
        ("project = PROJ AND type = Storey", "Story"),
        ("project = PROJ AND resolution = Fixd", "Fixed"),
    ],
)
def test_unknown_values_suggest_the_closest_real_one(catalog, query, replacement):
    assert only(query, "JQL102", catalog).replacement == replacement


@pytest.mark.parametrize(
    "query",
    [
        "project = 10000 AND status = 3",
        "project = platform AND status = done",
        "project = PROJ AND resolution = Unresolved",
        "project = PROJ AND status in (EMPTY, currentUser())",
    ],
)
def test_ids_names_case_and_functions_are_accepted_values(catalog, query):
    assert "JQL102" not in codes(query, catalog)


@pytest.mark.parametrize(
    ("query", "replacement"),
    [
        ("project = PROJ AND status ~ Done", " = "),
        ("project = PROJ AND summary = login", " ~ "),
        ("project = PROJ AND summary != login", " !~ "),
        ("project = PROJ AND labels > x", None),
        ("project = PROJ AND description > x", None),
        ('project = PROJ AND "Team notes" = x', " ~ "),
        ("project = PROJ AND environment = production", " ~ "),
    ],
)
def test_operators_the_field_type_does_not_support(catalog, query, replacement):
    d = only(query, "JQL103", catalog)
    assert d.replacement == replacement
    assert "is not supported by the" in d.message


@pytest.mark.parametrize("query", ["project = PROJ AND labels was x", "project = PROJ AND sprint changed"])
def test_history_operators_on_fields_without_history(query):
    assert only(query, "JQL104").severity == "error"


@pytest.mark.parametrize(
    "query",
    [
        "project = PROJ AND status was Done",
        "project = PROJ AND assignee changed",
        "project = PROJ AND fixVersion was in (a, b)",
        "project = PROJ AND priority was not High",
        "project = PROJ AND reporter changed by x",
        "project = PROJ AND resolution changed after -1d",
    ],
)
def test_history_operators_on_the_six_history_fields_are_fine(query):
    assert "JQL104" not in codes(query)


@pytest.mark.parametrize(
    ("query", "replacement"),
    [
        ("project = PROJ AND assignee is currentUser()", " = "),
        ("project = PROJ AND assignee is not x", " != "),
        ("project = PROJ AND status in Done", "(Done)"),
        ("project = PROJ AND status = (A, B)", " IN "),
        ("project = PROJ AND status was (A, B)", " WAS IN "),
    ],
)
def test_operand_shape_errors(query, replacement):
    assert only(query, "JQL105").replacement == replacement


def test_unknown_functions_are_warnings_worded_honestly():
    d = only("project = PROJ AND sprint = startOfSprint(42)", "JQL106")
    assert d.severity == "warning"
    assert "app" in d.message


def test_a_mistyped_function_gets_a_suggestion():
    assert "currentUser()" in only("project = PROJ AND assignee = currentUsr()", "JQL106").message


@pytest.mark.parametrize(
    "query",
    [
        "project = PROJ AND created > startOfDay(1, 2)",
        "project = PROJ AND assignee = currentUser(x)",
        "project = PROJ AND assignee in membersOf()",
        "project = PROJ AND issue in linkedIssues(A-1, blocks, x)",
    ],
)
def test_builtin_functions_with_the_wrong_arity(query):
    assert only(query, "JQL107").severity == "error"


def test_from_and_to_only_follow_changed():
    assert only("project = PROJ AND status was Done to Open", "JQL108").severity == "error"


def test_ambiguous_custom_field_names_point_to_cf_ids(catalog):
    d = only("project = PROJ AND Team = x", "JQL109", catalog)
    assert d.replacement in ("cf[10040]", "cf[10041]")


def test_epic_link_is_deprecated_in_favour_of_parent():
    d = only('project = PROJ AND "Epic Link" = PROJ-1', "JQL201")
    assert (d.severity, d.replacement) == ("warning", "parent")
    assert fix('project = PROJ AND "Epic Link" = PROJ-1') == "project = PROJ AND parent = PROJ-1"


def test_issue_function_needs_scriptrunner():
    assert "ScriptRunner" in only('project = PROJ AND issueFunction in subtasksOf("x")', "JQL202").message


def test_issue_function_arguments_are_not_reported_as_unknown_functions():
    assert "JQL106" not in codes('project = PROJ AND issueFunction in subtasksOf("x")')


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('status = "In Progress"', True),
        ("project = A OR status = Done", True),
        ("project = A AND status = Done", False),
        ("key in (A-1, A-2)", False),
        ("(project = A OR project = B) AND status = Done", False),
        ("project != A", True),
        ("NOT project = A", True),
        ("sprint in openSprints()", False),
    ],
)
def test_no_project_scope_hint(query, expected):
    assert ("JQL301" in codes(query)) is expected


def test_full_text_search_hint():
    assert only('project = PROJ AND text ~ "auth"', "JQL302").severity == "hint"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("priority != Low AND priority != Lowest", True),
        ("NOT status = Done", True),
        ("NOT status != Done", False),
        ("project = PROJ AND priority != Low", False),
    ],
)
def test_negative_only_hint(query, expected):
    assert ("JQL303" in codes(query)) is expected


@pytest.mark.parametrize(("value", "expected"), [('"*auth"', True), ('"?uth"', True), ('"auth*"', False)])
def test_leading_wildcard_warning(value, expected):
    assert ("JQL304" in codes(f"project = PROJ AND summary ~ {value}")) is expected


def test_order_by_text_field_hint():
    assert only("project = PROJ ORDER BY summary", "JQL305").severity == "hint"


def test_findings_come_errors_first():
    severities = [d.severity for d in lint("labels was x AND text ~ y")]
    assert severities == sorted(severities, key=["error", "warning", "hint"].index)


def test_lint_accepts_a_parsed_query():
    assert codes(parse("ORDER BY key")) == ["JQL002"]


@pytest.mark.parametrize(
    ("query", "fixed"),
    [
        ("project = PROJ AND status = In Progress", 'project = PROJ AND status = "In Progress"'),
        ("status = In Progress AND labels = update", 'status = "In Progress" AND labels = "update"'),
        ("(project = PROJ AND summary = login", "project = PROJ AND summary ~ login"),
        ('"Story point" > 5 AND project = PRJO', '"Story Points" > 5 AND project = PROJ'),
        ("project = PROJ AND labels > x", None),
        ("ORDER BY key", None),
        ("project = proj   and status = done", "project = proj AND status = done"),
    ],
)
def test_fix_applies_every_mechanical_fix_or_gives_up(catalog, query, fixed):
    assert fix(query, catalog) == fixed
