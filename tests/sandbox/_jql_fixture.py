"""A small hand-made issue set in Jira's wire shape for the JQL evaluation tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jiramcp.sandbox._jql_context import EvalContext

NOW = datetime(2024, 3, 14, 15, 0, tzinfo=UTC)  # a Thursday

ME = {"accountId": "acc-me", "displayName": "Mia Ellis", "emailAddress": "mia@example.com"}
BOB = {"accountId": "acc-bob", "displayName": "Bob Stone", "emailAddress": "bob@example.com"}
ANN = {"accountId": "acc-ann", "displayName": "Ann Lee"}

STATUSES = [
    {"id": "1", "name": "To Do", "statusCategory": {"id": 2, "key": "new", "name": "To Do"}},
    {"id": "3", "name": "In Progress", "statusCategory": {"id": 4, "key": "indeterminate", "name": "In Progress"}},
    {"id": "4", "name": "In Review", "statusCategory": {"id": 4, "key": "indeterminate", "name": "In Progress"}},
    {"id": "5", "name": "Done", "statusCategory": {"id": 3, "key": "done", "name": "Done"}},
]
PRIORITIES = [{"id": str(n), "name": name} for n, name in enumerate(["Highest", "High", "Medium", "Low", "Lowest"], 1)]
TYPES = [
    {"id": "10", "name": "Epic", "hierarchyLevel": 1},
    {"id": "11", "name": "Story", "hierarchyLevel": 0},
    {"id": "12", "name": "Bug", "hierarchyLevel": 0},
    {"id": "13", "name": "Task", "hierarchyLevel": 0},
]
RESOLUTIONS = [{"id": "1", "name": "Done"}, {"id": "2", "name": "Won't Do"}]
SPRINTS = [
    {"id": 41, "name": "Sprint 41", "state": "closed", "originBoardId": 1},
    {"id": 42, "name": "Sprint 42", "state": "active", "originBoardId": 1},
    {"id": 43, "name": "Sprint 43", "state": "future", "originBoardId": 1},
]
VERSIONS = [
    {"id": "100", "name": "v1.0", "released": True, "archived": False},
    {"id": "101", "name": "v2.0", "released": False, "archived": False},
]
FIELDS: list[dict[str, Any]] = [
    {"id": "summary", "name": "Summary", "custom": False, "clauseNames": ["summary"], "schema": {"type": "string"}},
    {
        "id": "customfield_10016",
        "name": "Story Points",
        "custom": True,
        "clauseNames": ["cf[10016]", "Story Points"],
        "schema": {
            "type": "number",
            "custom": "com.atlassian.jira.plugin.system.customfieldtypes:float",
            "customId": 10016,
        },
    },
    {
        "id": "customfield_10020",
        "name": "Sprint",
        "custom": True,
        "clauseNames": ["cf[10020]", "Sprint"],
        "schema": {
            "type": "array",
            "items": "json",
            "custom": "com.pyxis.greenhopper.jira:gh-sprint",
            "customId": 10020,
        },
    },
    {
        "id": "customfield_10014",
        "name": "Epic Link",
        "custom": True,
        "clauseNames": ["cf[10014]", "Epic Link"],
        "schema": {"type": "any", "custom": "com.pyxis.greenhopper.jira:gh-epic-link", "customId": 10014},
    },
    {
        "id": "customfield_10030",
        "name": "Team",
        "custom": True,
        "clauseNames": ["cf[10030]", "Team"],
        "schema": {
            "type": "option",
            "custom": "com.atlassian.jira.plugin.system.customfieldtypes:select",
            "customId": 10030,
        },
    },
]


def _doc(text: str) -> dict[str, Any]:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }


def _status(name: str) -> dict[str, Any]:
    return next(s for s in STATUSES if s["name"] == name)


def _issue(n: int, **kw: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "summary": kw.get("summary", f"Issue {n}"),
        "description": _doc(kw["description"]) if "description" in kw else None,
        "status": _status(kw.get("status", "To Do")),
        "priority": next(p for p in PRIORITIES if p["name"] == kw.get("priority", "Medium")),
        "issuetype": next(t for t in TYPES if t["name"] == kw.get("type", "Story")),
        "project": {"id": "1", "key": "DEMO", "name": "Demo"},
        "assignee": kw.get("assignee"),
        "reporter": kw.get("reporter", ME),
        "creator": kw.get("reporter", ME),
        "resolution": {"id": "1", "name": "Done"} if kw.get("status") == "Done" else None,
        "labels": kw.get("labels", []),
        "components": [{"id": "7", "name": c} for c in kw.get("components", [])],
        "fixVersions": [v for v in VERSIONS if v["name"] in kw.get("fix", [])],
        "created": kw.get("created", "2024-03-01T10:00:00.000+0000"),
        "updated": kw.get("updated", "2024-03-10T10:00:00.000+0000"),
        "duedate": kw.get("due"),
        "customfield_10016": kw.get("points"),
        "customfield_10020": [s for s in SPRINTS if s["id"] in kw.get("sprints", [])] or None,
        "customfield_10014": kw.get("epic_link"),
        "customfield_10030": {"value": kw["team"], "id": "900"} if "team" in kw else None,
        "parent": kw.get("parent"),
        "comment": {
            "comments": [
                {"body": _doc(c), "author": BOB, "created": "2024-03-12T09:00:00.000+0000"}
                for c in kw.get("comments", [])
            ]
        },
        "watches": {"watchCount": 1, "isWatching": kw.get("watching", False)},
    }
    return {
        "id": str(10000 + n),
        "key": f"DEMO-{n}",
        "fields": fields,
        "changelog": {"histories": kw.get("histories", [])},
    }


def _change(
    when: str, author: dict[str, Any], field: str, frm: str | None, frm_s: str | None, to: str | None, to_s: str | None
) -> dict[str, Any]:
    return {
        "author": author,
        "created": when,
        "items": [{"field": field, "fieldId": field, "from": frm, "fromString": frm_s, "to": to, "toString": to_s}],
    }


EPIC_PARENT = {"id": "10001", "key": "DEMO-1", "fields": {"summary": "Login epic", "issuetype": TYPES[0]}}

ISSUES = [
    _issue(
        1,
        type="Epic",
        summary="Login epic",
        status="In Progress",
        priority="High",
        created="2024-02-01T10:00:00.000+0000",
    ),
    _issue(
        2,
        summary="Authentication fails for SSO users",
        type="Bug",
        priority="Highest",
        assignee=ME,
        labels=["regression"],
        components=["Backend"],
        sprints=[42],
        points=5,
        parent=EPIC_PARENT,
        description="Users see an error page after the redirect",
        created="2024-03-13T08:00:00.000+0000",
        due="2024-03-10",
        team="Platform",
        fix=["v2.0"],
    ),
    _issue(
        3,
        summary="Refactor token storage",
        status="In Progress",
        assignee=BOB,
        labels=["tech-debt"],
        sprints=[41, 42],
        points=3,
        epic_link="DEMO-1",
        comments=["We should encrypt the tokens"],
        watching=True,
        histories=[_change("2024-02-20T10:00:00.000+0000", ME, "status", "1", "To Do", "3", "In Progress")],
    ),
    _issue(
        4,
        summary="Old login bugs",
        status="Done",
        assignee=ANN,
        priority="Low",
        type="Bug",
        sprints=[41],
        points=8,
        fix=["v1.0"],
        created="2023-11-01T10:00:00.000+0000",
        updated="2024-01-05T10:00:00.000+0000",
        histories=[
            _change("2024-01-02T10:00:00.000+0000", ANN, "status", "1", "To Do", "3", "In Progress"),
            _change("2024-01-04T10:00:00.000+0000", ANN, "status", "3", "In Progress", "5", "Done"),
            _change("2024-01-03T10:00:00.000+0000", ME, "assignee", "acc-me", "Mia Ellis", "acc-ann", "Ann Lee"),
        ],
    ),
    _issue(
        5,
        summary="Write release notes",
        type="Task",
        priority="Lowest",
        components=["Docs"],
        created="2024-03-12T10:00:00.000+0000",
        due="2024-03-20",
        sprints=[43],
        team="Docs",
        histories=[
            _change("2024-03-13T10:00:00.000+0000", BOB, "status", "1", "To Do", "5", "Done"),
            _change("2024-03-13T12:00:00.000+0000", BOB, "status", "5", "Done", "1", "To Do"),
        ],
    ),
]


def context(**overrides: Any) -> EvalContext:
    values: dict[str, Any] = {
        "fields": FIELDS,
        "current_account_id": "acc-me",
        "now": NOW,
        "users": [ME, BOB, ANN],
        "groups": {"dev-team": ["acc-me", "acc-bob"], "qa-team": ["acc-ann"]},
        "sprints": SPRINTS,
        "projects": [
            {
                "id": "1",
                "key": "DEMO",
                "name": "Demo",
                "versions": VERSIONS,
                "components": [{"id": "7", "name": "Backend"}, {"id": "8", "name": "Docs"}],
            }
        ],
        "statuses": STATUSES,
        "priorities": PRIORITIES,
        "issue_types": TYPES,
        "resolutions": RESOLUTIONS,
    }
    values.update(overrides)
    return EvalContext(**values)
