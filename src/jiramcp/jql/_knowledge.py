"""What stock Jira Cloud knows without asking the instance: system fields, their operators, which
fields keep history, and the built-in JQL functions with their arities.

From Atlassian's JQL reference (fields, operators, functions pages). Field kinds decide the
operators: a text field takes only `~ !~ IS IS NOT`; a list-like field (status, labels, ...) takes
equality and `IN`; ordered kinds (dates, numbers, versions, priority) also take `< <= > >=`.
"""

from __future__ import annotations

from dataclasses import dataclass

from jiramcp.jql._ast import Operator

_EQ = frozenset({Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN})
_EMPTY = frozenset({Operator.IS, Operator.IS_NOT})
_ORDER = frozenset({Operator.GT, Operator.GE, Operator.LT, Operator.LE})
_TEXT = frozenset({Operator.CONTAINS, Operator.NOT_CONTAINS})
_WAS = frozenset({Operator.WAS, Operator.WAS_NOT, Operator.WAS_IN, Operator.WAS_NOT_IN})

# Operators each kind of field supports (WAS*/CHANGED are checked separately: history).
KIND_OPERATORS: dict[str, frozenset[Operator]] = {
    "text": _TEXT | _EMPTY,
    "option": _EQ | _EMPTY,
    "ordered": _EQ | _EMPTY | _ORDER,
    "status": _EQ,
    "key": _EQ | _ORDER,
    "project": _EQ | _EMPTY,
    "user": _EQ | _EMPTY,
    "parent": _EQ,
    "empty-only": _EMPTY,
}
ALL_OPERATORS = frozenset(Operator)

# Fields whose changes Jira records for WAS and CHANGED.
HISTORY_FIELDS = frozenset({"assignee", "fixversion", "priority", "reporter", "resolution", "status"})
# Predicates each history operator accepts.
WAS_PREDICATES = frozenset({"after", "before", "by", "during", "on"})


@dataclass(frozen=True, slots=True)
class SystemField:
    """A built-in field: its canonical JQL name and kind."""

    name: str
    kind: str


def _system() -> dict[str, SystemField]:
    table: dict[str, SystemField] = {}

    def add(kind: str, *names: str) -> None:
        canonical = names[0]
        for name in names:
            table[name.lower()] = SystemField(canonical, kind)

    add("text", "summary")
    add("text", "description")
    add("text", "environment")
    add("text", "comment")
    add("text", "text")
    add("text", "textfields")
    add("status", "status")
    add("option", "statusCategory")
    add("ordered", "priority")
    add("ordered", "resolution")
    add("option", "issuetype", "type", "issueType")
    add("project", "project")
    add("option", "category", "projectCategory")
    add("user", "assignee")
    add("user", "reporter")
    add("user", "creator")
    add("user", "watcher", "watchers")
    add("user", "voter")
    add("user", "worklogAuthor")
    add("ordered", "created", "createdDate")
    add("ordered", "updated", "updatedDate")
    add("ordered", "resolved", "resolutionDate")
    add("ordered", "due", "duedate", "dueDate")
    add("ordered", "lastViewed")
    add("ordered", "worklogDate")
    add("ordered", "votes")
    add("ordered", "workratio")
    add("ordered", "originalEstimate", "timeOriginalEstimate")
    add("ordered", "remainingEstimate", "timeEstimate")
    add("ordered", "timeSpent")
    add("ordered", "fixVersion")
    add("ordered", "affectedVersion")
    add("option", "component")
    add("option", "labels")
    add("option", "level")
    add("option", "sprint")
    add("option", "filter", "request", "savedFilter", "searchRequest")
    add("option", "issueLinkType")
    add("empty-only", "attachments")
    add("key", "key", "issueKey", "id", "issue")
    add("parent", "parent")
    add("ordered", "statusCategoryChangedDate")
    add("option", "issueFunction")
    return table


SYSTEM_FIELDS: dict[str, SystemField] = _system()

# Deprecated field names and what replaced them.
DEPRECATED_FIELDS: dict[str, str] = {"epic link": "parent", "parent link": "parent"}


@dataclass(frozen=True, slots=True)
class FunctionInfo:
    """A built-in function: how many arguments it takes (`max_args` None: unbounded)."""

    name: str
    min_args: int
    max_args: int | None
    returns_list: bool = False


def _functions() -> dict[str, FunctionInfo]:
    table: dict[str, FunctionInfo] = {}

    def add(name: str, low: int, high: int | None, returns_list: bool = False) -> None:
        table[name.lower()] = FunctionInfo(name, low, high, returns_list)

    for name in ("currentUser", "currentLogin", "lastLogin", "now"):
        add(name, 0, 0)
    for period in ("Day", "Week", "Month", "Year"):
        add(f"startOf{period}", 0, 1)
        add(f"endOf{period}", 0, 1)
    add("membersOf", 1, 1, True)
    for name in ("openSprints", "closedSprints", "futureSprints"):
        add(name, 0, 0, True)
    add("releasedVersions", 0, 1, True)
    add("unreleasedVersions", 0, 1, True)
    for name in ("latestReleasedVersion", "earliestUnreleasedVersion"):
        add(name, 1, 1)
    for name in ("latestReleasedVersionByReleaseDate", "earliestUnreleasedVersionByReleaseDate"):
        add(name, 1, 1)
    add("linkedIssues", 1, 2, True)
    for name in ("issueHistory", "votedIssues", "watchedIssues", "standardIssueTypes", "subtaskIssueTypes"):
        add(name, 0, 0, True)
    add("updatedBy", 1, 3, True)
    add("componentsLeadByUser", 0, 1, True)
    add("projectsLeadByUser", 0, 1, True)
    add("projectsWhereUserHasPermission", 1, 1, True)
    add("projectsWhereUserHasRole", 1, 1, True)
    add("cascadeOption", 1, 2)
    add("issuesWithRemoteLinksByGlobalId", 1, 100, True)
    add("portfolioChildIssuesOf", 1, 1, True)
    add("childIssuesOf", 1, 1, True)
    # Jira Service Management.
    for name in ("approved", "myApproval", "myPending", "pending", "breached", "completed"):
        add(name, 0, 0)
    for name in ("everbreached", "paused", "running", "withinCalendarHours"):
        add(name, 0, 0)
    add("approver", 1, None)
    add("pendingBy", 1, None)
    add("elapsed", 1, 1)
    add("remaining", 1, 1)
    add("organizationMembers", 1, 1, True)
    return table


FUNCTIONS: dict[str, FunctionInfo] = _functions()

# Fields that put a query on Jira's cheapest index path (the seeds' tier 1) or bound it tightly.
SCOPING_FIELDS = frozenset({"project", "key", "issuekey", "id", "issue", "parent", "sprint", "filter"})
