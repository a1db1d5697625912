"""Unit tests of the pure helpers behind the write tools: durations and field value conversion."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiramcp.tools._duration import DurationError, format_seconds, parse_duration
from jiramcp.tools._field_values import (
    Converters,
    FieldSpec,
    FieldValueError,
    describe_spec,
    jira_datetime,
    missing_required,
    to_jira,
    user_inputs,
)

_CF = "com.atlassian.jira.plugin.system.customfieldtypes:"
TEAM = FieldSpec(
    "customfield_10050",
    "Team",
    {"type": "option", "custom": _CF + "select"},
    allowed=({"id": "1", "value": "Phoenix"}, {"id": "2", "value": "Atlas"}),
)
PRIORITY = FieldSpec(
    "priority",
    "Priority",
    {"type": "priority", "system": "priority"},
    allowed=({"id": "1", "name": "Highest"}, {"id": "3", "name": "Medium"}),
)
ACCEPTANCE = FieldSpec("customfield_10060", "Acceptance Criteria", {"type": "string", "custom": _CF + "textarea"})
CUSTOMER = FieldSpec("customfield_10061", "Customer", {"type": "string", "custom": _CF + "textfield"})
POINTS = FieldSpec("customfield_10016", "Story Points", {"type": "number", "custom": _CF + "float"})
LABELS = FieldSpec("labels", "Labels", {"type": "array", "items": "string", "system": "labels"})
ASSIGNEE = FieldSpec("assignee", "Assignee", {"type": "user", "system": "assignee"})
WATCHERS = FieldSpec("customfield_1", "Helpers", {"type": "array", "items": "user", "custom": _CF + "multiuserpicker"})
VERSIONS = FieldSpec(
    "fixVersions",
    "Fix versions",
    {"type": "array", "items": "version", "system": "fixVersions"},
    allowed=({"id": "10", "name": "1.0"}, {"id": "11", "name": "2.0"}),
)
SPRINT = FieldSpec(
    "customfield_10020", "Sprint", {"type": "array", "items": "json", "custom": "com.pyxis.greenhopper.jira:gh-sprint"}
)
CASCADE = FieldSpec(
    "customfield_7",
    "Region",
    {"type": "option-with-child", "custom": _CF + "cascadingselect"},
    allowed=({"id": "5", "value": "Europe", "children": [{"id": "6", "value": "Berlin"}]},),
)
DUE = FieldSpec("duedate", "Due date", {"type": "date", "system": "duedate"})


def _conv(users: dict[str, Any] | None = None) -> Converters:
    return Converters(text=lambda md: {"md": md}, users=users or {})


def test_durations_parse_in_jira_notation_at_the_default_working_day() -> None:
    assert parse_duration("1h 30m").seconds == 5400
    assert parse_duration("2d").seconds == 2 * 8 * 3600
    assert parse_duration("1w 2d").seconds == 7 * 8 * 3600
    assert parse_duration("1.5h").text == "1.5h"
    assert parse_duration(" 1H30M ").text == "1h 30m"
    assert parse_duration("2d").uses_days and not parse_duration("3h").uses_days


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "empty"),
        ("90", "needs a unit"),
        ("1 hour", "not a Jira duration"),
        ("30m 1h", "largest first"),
        ("1h 1h", "once"),
        ("0m", "less than a minute"),
        ("1y", "not a Jira duration"),
    ],
)
def test_bad_durations_are_refused_with_the_notation_to_use(text: str, said: str) -> None:
    with pytest.raises(DurationError, match=said):
        parse_duration(text)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=10_000))
def test_formatted_minutes_parse_back_to_the_same_seconds(minutes: int) -> None:
    assert parse_duration(format_seconds(minutes * 60)).seconds == minutes * 60


def test_options_are_sent_by_id_whatever_way_the_model_named_them() -> None:
    assert to_jira(TEAM, "atlas", "fields.Team", _conv()) == {"id": "2"}
    assert to_jira(TEAM, "1", "fields.Team", _conv()) == {"id": "1"}
    assert to_jira(TEAM, {"value": "Phoenix"}, "fields.Team", _conv()) == {"id": "1"}
    assert to_jira(PRIORITY, "highest", "priority", _conv()) == {"id": "1"}


def test_a_value_not_allowed_lists_the_allowed_ones_under_the_parameter_name() -> None:
    with pytest.raises(
        FieldValueError, match=r"^fields\.Team: 'Zeus' is not allowed for Team; allowed: Phoenix, Atlas"
    ):
        to_jira(TEAM, "Zeus", "fields.Team", _conv())
    with pytest.raises(FieldValueError, match=r"^priority: .*Highest, Medium"):
        to_jira(PRIORITY, "Urgent", "priority", _conv())


def test_options_without_an_allowed_list_go_by_value_or_name() -> None:
    bare = FieldSpec("customfield_9", "Colour", {"type": "option"})
    assert to_jira(bare, "Red", "p", _conv()) == {"value": "Red"}
    assert to_jira(FieldSpec("priority", "Priority", {"type": "priority"}), "High", "p", _conv()) == {"name": "High"}


def test_rich_text_fields_go_through_the_deployment_text_converter() -> None:
    assert to_jira(ACCEPTANCE, "- done", "fields.Acceptance Criteria", _conv()) == {"md": "- done"}
    description = FieldSpec("description", "Description", {"type": "string", "system": "description"})
    assert to_jira(description, "# Hi", "description", _conv()) == {"md": "# Hi"}


def test_single_line_text_refuses_line_breaks_and_overlong_values() -> None:
    assert to_jira(CUSTOMER, "ACME", "fields.Customer", _conv()) == "ACME"
    with pytest.raises(FieldValueError, match="single-line"):
        to_jira(CUSTOMER, "a\nb", "fields.Customer", _conv())
    with pytest.raises(FieldValueError, match="at most 255"):
        to_jira(CUSTOMER, "x" * 256, "fields.Customer", _conv())


def test_numbers_accept_numeric_strings_and_refuse_the_rest() -> None:
    assert to_jira(POINTS, "5", "p", _conv()) == 5
    assert to_jira(POINTS, 2.5, "p", _conv()) == 2.5
    for bad in ("five", True, [1]):
        with pytest.raises(FieldValueError, match="takes a number"):
            to_jira(POINTS, bad, "p", _conv())


def test_labels_are_deduplicated_and_may_not_hold_spaces() -> None:
    assert to_jira(LABELS, ["a", "b", "a"], "labels", _conv()) == ["a", "b"]
    assert to_jira(LABELS, "solo", "labels", _conv()) == ["solo"]
    with pytest.raises(FieldValueError, match=r"^labels: .*spaces: 'two words'"):
        to_jira(LABELS, ["ok", "two words"], "labels", _conv())


def test_users_come_from_the_resolved_map_and_unknown_ones_point_to_find_users() -> None:
    conv = _conv({"Priya": {"accountId": "acc-2"}})
    assert user_inputs(ASSIGNEE, "Priya") == ["Priya"]
    assert to_jira(ASSIGNEE, "Priya", "assignee", conv) == {"accountId": "acc-2"}
    assert to_jira(WATCHERS, ["Priya"], "fields.Helpers", conv) == [{"accountId": "acc-2"}]
    assert user_inputs(WATCHERS, ["Priya", "Jonas"]) == ["Priya", "Jonas"]
    with pytest.raises(FieldValueError, match="jira_find_users"):
        to_jira(ASSIGNEE, "Nobody", "assignee", conv)


def test_arrays_of_named_values_and_sprints_and_cascades_take_jira_shapes() -> None:
    assert to_jira(VERSIONS, ["2.0", "1.0"], "fix_versions", _conv()) == [{"id": "11"}, {"id": "10"}]
    assert to_jira(SPRINT, "42", "fields.Sprint", _conv()) == 42
    with pytest.raises(FieldValueError, match="sprint id"):
        to_jira(SPRINT, "Sprint 4", "fields.Sprint", _conv())
    assert to_jira(CASCADE, "europe / berlin", "fields.Region", _conv()) == {"id": "5", "child": {"id": "6"}}
    with pytest.raises(FieldValueError, match="allowed: Berlin"):
        to_jira(CASCADE, "Europe / Paris", "fields.Region", _conv())


def test_dates_parent_and_clearing() -> None:
    assert to_jira(DUE, "2026-12-01", "due_date", _conv()) == "2026-12-01"
    with pytest.raises(FieldValueError, match="YYYY-MM-DD"):
        to_jira(DUE, "tomorrow", "due_date", _conv())
    parent = FieldSpec("parent", "Parent", {})
    assert to_jira(parent, "demo-4", "parent", _conv()) == {"key": "DEMO-4"}
    with pytest.raises(FieldValueError, match="issue key"):
        to_jira(parent, "4", "parent", _conv())
    assert to_jira(DUE, None, "due_date", _conv()) is None
    assert to_jira(LABELS, None, "labels", _conv()) == []


def test_date_times_are_written_as_jira_reads_them() -> None:
    assert jira_datetime("2026-11-20T14:30", "started") == "2026-11-20T14:30:00.000+0000"
    assert jira_datetime("2026-11-20 14:30+01:00", "started") == "2026-11-20T14:30:00.000+0100"
    assert jira_datetime("2026-11-20", "started") == "2026-11-20T00:00:00.000+0000"
    with pytest.raises(FieldValueError, match=r"^started: "):
        jira_datetime("yesterday", "started")


def test_required_fields_without_defaults_are_reported_with_their_allowed_values() -> None:
    specs = {
        "summary": FieldSpec("summary", "Summary", {"type": "string"}, required=True),
        "project": FieldSpec("project", "Project", {"type": "project"}, required=True),
        "reporter": FieldSpec("reporter", "Reporter", {"type": "user"}, required=True, has_default=True),
        TEAM.id: FieldSpec(TEAM.id, "Team", TEAM.schema, required=True, allowed=TEAM.allowed),
    }
    missing = missing_required(specs, ["summary"])
    assert [m.id for m in missing] == [TEAM.id]
    assert describe_spec(missing[0]) == "Team (customfield_10050, option): one of Phoenix, Atlas"


def test_field_specs_read_createmeta_entries() -> None:
    spec = FieldSpec.from_meta(
        {
            "fieldId": "customfield_10050",
            "name": "Team",
            "required": True,
            "schema": TEAM.schema,
            "allowedValues": [{"id": "1", "value": "Phoenix"}],
            "operations": ["set"],
        }
    )
    assert (spec.id, spec.kind, spec.required, spec.has_default) == ("customfield_10050", "option", True, False)
    assert spec.allowed == ({"id": "1", "value": "Phoenix"},)


PEOPLE = [
    {"accountId": "a1", "displayName": "Priya Sharma", "emailAddress": "priya.sharma@example.com"},
    {"accountId": "a2", "displayName": "Priya Patel", "emailAddress": "ppatel@example.com"},
    {"accountId": "a3", "displayName": "Jonas Weber", "emailAddress": "jonas@example.com", "active": False},
]


def test_a_person_is_picked_only_when_the_query_names_exactly_one() -> None:
    from jiramcp.tools._people import _choose

    assert _choose("priya sharma", PEOPLE)["accountId"] == "a1"
    assert _choose("PPATEL@example.com", PEOPLE)["accountId"] == "a2"
    assert _choose("Patel", PEOPLE)["accountId"] == "a2"
    several = _choose("Priya", PEOPLE)
    assert isinstance(several, str) and "Priya Sharma <priya.sharma@example.com> (a1)" in several
    fragment = _choose("pri", PEOPLE[:1])
    assert isinstance(fragment, str) and "does not name one user" in fragment
    assert _choose("nobody", []) == "no user matches 'nobody'; search with jira_find_users"
    assert _choose("Jonas", PEOPLE)["accountId"] == "a3"  # the only match, even if inactive
