"""The sprint report's arithmetic on a hand-made sprint whose every number was worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from jiramcp.tools._sprint_report import (
    added_at,
    blocked_reasons,
    build_report,
    find_field_id,
    render_report,
    sprint_field,
    story_points_field,
)

SP = "customfield_10099"  # deliberately not the sandbox's id: points are found by name
SPRINT = "customfield_10020"
FLAG = "customfield_10021"
NOW = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)  # a Wednesday

SPRINT_7 = {
    "id": 7,
    "name": "Sprint 7",
    "state": "active",
    "goal": "Ship search",
    "startDate": "2026-03-02T09:00:00.000Z",
    "endDate": "2026-03-16T09:00:00.000Z",
}
SPRINT_6 = {"id": 6, "name": "Sprint 6", "state": "closed", "startDate": "2026-02-16T09:00:00.000Z"}

CATEGORIES = {
    "todo": ("To Do", "new"),
    "doing": ("In Progress", "indeterminate"),
    "done": ("Done", "done"),
    "blocked": ("Blocked", "indeterminate"),
}


def issue(
    key: str,
    status: str,
    points: float | None = None,
    *,
    assignee: str | None = "Ann",
    created: str = "2026-02-20T10:00:00.000+0000",
    sprints: tuple[dict[str, Any], ...] = (SPRINT_7,),
    subtask: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    name, category = CATEGORIES[status]
    fields: dict[str, Any] = {
        "summary": f"Work {key}",
        "status": {"name": name, "statusCategory": {"key": category}},
        "issuetype": {"name": "Sub-task" if subtask else "Story", "subtask": subtask},
        "assignee": {"displayName": assignee} if assignee else None,
        "created": created,
        SP: points,
        SPRINT: list(sprints),
        **extra,
    }
    return {"key": key, "fields": fields}


def link(inward_key: str | None = None, outward_key: str | None = None, other_status: str = "todo") -> dict:
    other = {
        "key": inward_key or outward_key,
        "fields": {
            "status": {"name": CATEGORIES[other_status][0], "statusCategory": {"key": CATEGORIES[other_status][1]}}
        },
    }
    entry: dict[str, Any] = {"type": {"name": "Blocks", "inward": "is blocked by", "outward": "blocks"}}
    entry["inwardIssue" if inward_key else "outwardIssue"] = other
    return entry


def sprint_change(when: str, old: str, new: str) -> dict[str, Any]:
    return {"created": when, "items": [{"field": "Sprint", "fieldId": SPRINT, "from": old, "to": new}]}


ISSUES = [
    issue("A-1", "done", 5),
    issue("A-2", "doing", 3, assignee="Bob", sprints=(SPRINT_6, SPRINT_7), issuelinks=[link(outward_key="A-20")]),
    issue("A-3", "todo", None, assignee=None, created="2026-03-04T10:00:00.000+0000"),
    issue("A-4", "doing", 8, assignee="Cy", **{FLAG: [{"value": "Impediment"}]}),
    issue("A-5", "todo", 2, assignee=None, labels=["blocked", "backend"], issuelinks=[link("A-9")]),
    issue("A-6", "done", 1, subtask=True),
    issue("A-7", "done", 2, issuelinks=[link("A-11")]),
    issue("A-8", "blocked", 2, assignee="Dee", issuelinks=[link("A-10", other_status="done")]),
]
CHANGELOGS = {
    "A-1": [sprint_change("2026-02-27T10:00:00.000+0000", "", "7")],
    "A-4": [sprint_change("2026-03-05T10:00:00.000+0000", "", "7")],
    "A-8": [
        sprint_change("2026-02-27T10:00:00.000+0000", "", "7"),
        sprint_change("2026-03-03T10:00:00.000+0000", "7", ""),
        sprint_change("2026-03-06T10:00:00.000+0000", "", "7"),
    ],
}


def report():
    return build_report(
        SPRINT_7,
        ISSUES,
        changelogs=CHANGELOGS,
        points_field=SP,
        points_field_name="Story Points",
        sprint_field_id=SPRINT,
        flagged_field_id=FLAG,
        now=NOW,
    )


def test_totals_by_status_category_leave_out_subtasks():
    r = report()
    assert (r.issues, r.points, r.unestimated, r.subtasks) == (7, 22.0, 1, 1)
    assert [(c.category, c.issues, c.points) for c in r.by_category] == [
        ("To Do", 2, 2.0),
        ("In Progress", 3, 13.0),
        ("Done", 2, 7.0),
    ]


def test_completion_is_the_done_share_by_issues_and_by_points():
    r = report()
    assert r.completion_by_issues == 28.6  # 2 of 7
    assert r.completion_by_points == 31.8  # 7 of 22


def test_scope_added_after_start_uses_the_last_time_the_issue_entered_the_sprint():
    r = report()
    assert [i.key for i in r.added_after_start] == ["A-3", "A-4", "A-8"]
    assert r.added_points == 10.0
    assert r.added_after_start[2].why == "added 2026-03-06 10:00"


def test_carried_over_lists_issues_that_were_in_an_earlier_closed_sprint():
    r = report()
    assert [(i.key, i.why) for i in r.carried_over] == [("A-2", "from Sprint 6")]


def test_blocked_items_give_every_reason_and_skip_done_issues_and_finished_blockers():
    r = report()
    assert [(i.key, i.why) for i in r.blocked] == [
        ("A-4", "flagged"),
        ("A-5", "label blocked; is blocked by A-9"),
        ("A-8", "status Blocked"),
    ]


def test_unassigned_lists_only_open_issues():
    assert [i.key for i in report().unassigned] == ["A-3", "A-5"]


def test_days_left_rounds_up_and_counts_weekdays():
    r = report()
    assert (r.days_left, r.weekdays_left) == (5, 3)  # Thu, Fri, Mon


def test_a_closed_sprint_has_no_days_left_and_a_future_one_no_added_scope():
    closed = build_report(
        {**SPRINT_7, "state": "closed"}, ISSUES, changelogs=CHANGELOGS, points_field=SP, sprint_field_id=SPRINT, now=NOW
    )
    assert closed.days_left == 0
    future = build_report(
        {"id": 8, "name": "Sprint 8", "state": "future"}, ISSUES, points_field=SP, sprint_field_id=SPRINT, now=NOW
    )
    assert future.days_left is None
    assert future.added_after_start == []


def test_without_an_estimation_field_the_report_counts_issues_only():
    r = build_report(SPRINT_7, ISSUES, sprint_field_id=SPRINT, now=NOW)
    assert r.points == 0 and r.completion_by_points is None and r.points_field is None
    assert "No story points field found" in render_report(r)


def test_story_points_are_found_by_name_whatever_the_custom_field_id():
    fields = [
        {"id": "customfield_1", "name": "Story point estimate", "schema": {"type": "number"}},
        {"id": "customfield_2", "name": "Story Points", "schema": {"type": "string"}},
        {"id": "customfield_3", "name": "Story Points", "schema": {"type": "number"}},
        {"id": "customfield_4", "name": "Sprint", "schema": {"custom": "com.pyxis.greenhopper.jira:gh-sprint"}},
    ]
    assert story_points_field(fields) == "customfield_3"
    assert story_points_field(fields[:2]) == "customfield_1"
    assert sprint_field(fields) == "customfield_4"
    assert find_field_id(fields, ("nope",)) is None


def test_an_issue_created_in_the_sprint_without_a_sprint_change_dates_from_its_creation():
    created = issue("B-1", "todo", created="2026-03-03T00:00:00.000+0000")
    assert added_at(created, 7, [], SPRINT) == datetime(2026, 3, 3, tzinfo=UTC)
    moved_out = [sprint_change("2026-03-04T00:00:00.000+0000", "7", "8")]
    assert added_at(created, 7, moved_out, SPRINT) == datetime(2026, 3, 3, tzinfo=UTC)


@pytest.mark.parametrize("labels", [["Impediment"], ["BLOCKED"]])
def test_blocked_labels_match_whatever_their_case(labels):
    assert blocked_reasons({"labels": labels}, None) == [f"label {labels[0]}"]


def test_the_rendered_report_names_every_section_with_its_numbers():
    text = render_report(report())
    assert text.splitlines()[0] == "Sprint 7 Sprint 7 (active, 2026-03-02 → 2026-03-16)"
    for line in (
        "Goal: Ship search",
        "Days left: 5 (3 weekdays)",
        "Scope: 7 issues, 22 pts (+1 sub-tasks)",
        "- In Progress: 3, 13 pts",
        "Done: 28.6% of issues, 31.8% of points",
        "Scope added after start: 3 issues, 10 pts",
        "Blocked (3):",
    ):
        assert line in text
    assert "- A-5 | To Do | Unassigned | 2 pts | Work A-5 (label blocked; is blocked by A-9)" in text
