"""The field catalog: what `GET /field` lists, and what drives parsing, rendering and the metadata.

Each `FieldDef` names a `kind` that the store (rendering) and `_mutate` (parsing input) switch on.
Custom field ids are fixed, so tools and tests can name them:

    customfield_10014  Epic Link       (legacy; mirrors `parent` when the parent is an epic)
    customfield_10016  Story Points    (number; the scrum board's estimation field)
    customfield_10019  Rank            (LexoRank-like string, read-only; the boards' order)
    customfield_10020  Sprint          (array of sprint objects)
    customfield_10050  Team            (single select: Phoenix, Atlas, Nebula)
    customfield_10060  Acceptance Criteria  (multi-line text: ADF)
    customfield_10061  Customer        (single-line text: plain string)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STORY_POINTS = "customfield_10016"
SPRINT = "customfield_10020"
EPIC_LINK = "customfield_10014"
RANK = "customfield_10019"
TEAM = "customfield_10050"
ACCEPTANCE = "customfield_10060"
CUSTOMER = "customfield_10061"

_CF = "com.atlassian.jira.plugin.system.customfieldtypes:"


@dataclass(frozen=True, slots=True)
class FieldDef:
    id: str
    name: str
    kind: str
    schema: dict[str, Any]
    clause_names: tuple[str, ...] = ()
    settable: bool = False
    operations: tuple[str, ...] = ()
    orderable: bool = True
    navigable: bool = True
    searchable: bool = True

    @property
    def custom(self) -> bool:
        return self.id.startswith("customfield_")

    def details(self) -> dict[str, Any]:
        """This field as `GET /field` returns it (FieldDetails)."""
        entry: dict[str, Any] = {
            "id": self.id,
            "key": self.id,
            "name": self.name,
            "custom": self.custom,
            "orderable": self.orderable,
            "navigable": self.navigable,
            "searchable": self.searchable,
            "clauseNames": list(self.clause_names),
        }
        if self.schema:
            entry["schema"] = dict(self.schema)
        return entry


def _sys(type_: str, system: str, items: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": type_, "system": system}
    if items:
        schema["items"] = items
    return schema


def _custom(type_: str, custom: str, custom_id: int, items: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": type_, "custom": custom, "customId": custom_id}
    if items:
        schema["items"] = items
    return schema


_SET = ("set",)
_MULTI = ("add", "set", "remove")

FIELDS: tuple[FieldDef, ...] = (
    FieldDef("issuekey", "Key", "key", {}, ("id", "issue", "issuekey", "key"), orderable=False),
    FieldDef("summary", "Summary", "string", _sys("string", "summary"), ("summary",), True, _SET),
    FieldDef("description", "Description", "text", _sys("string", "description"), ("description",), True, _SET),
    FieldDef("environment", "Environment", "text", _sys("string", "environment"), ("environment",), True, _SET),
    FieldDef("issuetype", "Issue Type", "issuetype", _sys("issuetype", "issuetype"), ("issuetype", "type"), True, _SET),
    FieldDef("project", "Project", "project", _sys("project", "project"), ("project",), True, _SET),
    FieldDef("status", "Status", "status", _sys("status", "status"), ("status",)),
    FieldDef(
        "statusCategory",
        "Status Category",
        "statuscategory",
        _sys("statusCategory", "statusCategory"),
        ("statusCategory",),
        orderable=False,
    ),
    FieldDef("priority", "Priority", "priority", _sys("priority", "priority"), ("priority",), True, _SET),
    FieldDef("resolution", "Resolution", "resolution", _sys("resolution", "resolution"), ("resolution",)),
    FieldDef(
        "resolutiondate",
        "Resolved",
        "datetime",
        _sys("datetime", "resolutiondate"),
        ("resolutiondate", "resolved"),
        orderable=False,
    ),
    FieldDef("assignee", "Assignee", "user", _sys("user", "assignee"), ("assignee",), True, _SET),
    FieldDef("reporter", "Reporter", "user", _sys("user", "reporter"), ("reporter",), True, _SET),
    FieldDef("creator", "Creator", "user", _sys("user", "creator"), ("creator",), orderable=False),
    FieldDef("labels", "Labels", "labels", _sys("array", "labels", "string"), ("labels",), True, _MULTI),
    FieldDef(
        "components", "Components", "components", _sys("array", "components", "component"), ("component",), True, _MULTI
    ),
    FieldDef(
        "fixVersions",
        "Fix versions",
        "versions",
        _sys("array", "fixVersions", "version"),
        ("fixVersion",),
        True,
        _MULTI,
    ),
    FieldDef(
        "versions",
        "Affects versions",
        "versions",
        _sys("array", "versions", "version"),
        ("affectedVersion",),
        True,
        _MULTI,
    ),
    FieldDef("duedate", "Due date", "date", _sys("date", "duedate"), ("due", "duedate"), True, _SET),
    FieldDef(
        "created", "Created", "datetime", _sys("datetime", "created"), ("created", "createdDate"), orderable=False
    ),
    FieldDef(
        "updated", "Updated", "datetime", _sys("datetime", "updated"), ("updated", "updatedDate"), orderable=False
    ),
    FieldDef(
        "statuscategorychangedate",
        "Status Category Changed",
        "datetime",
        _sys("datetime", "statuscategorychangedate"),
        ("statusCategoryChangedDate",),
        orderable=False,
    ),
    FieldDef("parent", "Parent", "parent", {}, ("parent",), True, _SET),
    FieldDef(
        "subtasks", "Sub-tasks", "subtasks", _sys("array", "subtasks", "issuelinks"), ("subtasks",), orderable=False
    ),
    FieldDef(
        "issuelinks",
        "Linked Issues",
        "issuelinks",
        _sys("array", "issuelinks", "issuelinks"),
        ("issueLink",),
        orderable=False,
    ),
    FieldDef(
        "comment",
        "Comment",
        "comments",
        _sys("comments-page", "comment"),
        ("comment",),
        False,
        ("add", "edit", "remove"),
        navigable=False,
    ),
    FieldDef("worklog", "Log Work", "worklogs", _sys("array", "worklog", "worklog"), ("worklogDate",), navigable=False),
    FieldDef(
        "timeoriginalestimate",
        "Original estimate",
        "seconds",
        _sys("number", "timeoriginalestimate"),
        ("originalEstimate", "timeoriginalestimate"),
        orderable=False,
    ),
    FieldDef("timespent", "Time Spent", "timespent", _sys("number", "timespent"), ("timespent",), orderable=False),
    FieldDef("watches", "Watchers", "watches", _sys("watches", "watches"), ("watchers",), orderable=False),
    FieldDef("votes", "Votes", "votes", _sys("votes", "votes"), ("votes",), orderable=False),
    FieldDef(
        EPIC_LINK,
        "Epic Link",
        "epiclink",
        _custom("any", "com.pyxis.greenhopper.jira:gh-epic-link", 10014),
        ("cf[10014]", "Epic Link"),
        True,
        _SET,
    ),
    FieldDef(
        STORY_POINTS,
        "Story Points",
        "number",
        _custom("number", _CF + "float", 10016),
        ("cf[10016]", "Story Points", "Story Points[Number]"),
        True,
        _SET,
    ),
    FieldDef(
        RANK, "Rank", "rank", _custom("any", "com.pyxis.greenhopper.jira:gh-lexo-rank", 10019), ("cf[10019]", "Rank")
    ),
    FieldDef(
        SPRINT,
        "Sprint",
        "sprint",
        _custom("array", "com.pyxis.greenhopper.jira:gh-sprint", 10020, "json"),
        ("cf[10020]", "Sprint"),
        True,
        _SET,
    ),
    FieldDef(TEAM, "Team", "option", _custom("option", _CF + "select", 10050), ("cf[10050]", "Team"), True, _SET),
    FieldDef(
        ACCEPTANCE,
        "Acceptance Criteria",
        "text",
        _custom("string", _CF + "textarea", 10060),
        ("cf[10060]", "Acceptance Criteria"),
        True,
        _SET,
    ),
    FieldDef(
        CUSTOMER,
        "Customer",
        "string",
        _custom("string", _CF + "textfield", 10061),
        ("cf[10061]", "Customer"),
        True,
        _SET,
    ),
)

BY_ID: dict[str, FieldDef] = {field.id: field for field in FIELDS}

# What `*navigable` means: every navigable field (comment and worklog are not).
NAVIGABLE: tuple[str, ...] = tuple(f.id for f in FIELDS if f.navigable and f.id != "issuekey")
ALL: tuple[str, ...] = tuple(f.id for f in FIELDS if f.id != "issuekey")

# Fields that must be given on create (beyond project and issue type, checked first).
REQUIRED_ON_CREATE = ("summary",)


def field_list() -> list[dict[str, Any]]:
    """`GET /rest/api/3/field`."""
    return [field.details() for field in FIELDS]


def resolve_field_id(name: str) -> str | None:
    """A field id for an id, a clause name or a display name (as `fields=` and `names` accept)."""
    if name in BY_ID:
        return name
    lowered = name.lower()
    for field in FIELDS:
        if field.name.lower() == lowered or lowered in (c.lower() for c in field.clause_names):
            return field.id
    return None
