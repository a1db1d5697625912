"""The sprint report, computed from a sprint's issues and their Sprint-field history. Pure.

Jira has no public sprint-report API, so the numbers are derived here from what the REST API
does give: the sprint (dates, state), its issues (status category, assignee, estimate, the Sprint
field listing every sprint an issue has been in, links, labels) and each issue's changelog
entries for the Sprint field.

Definitions (each is what a scrum team means by the word, made checkable):

- **Issues and points** count the sprint's issues that are not sub-tasks (Jira's own sprint
  report leaves sub-tasks out: their parent carries the estimate). Points come from the
  estimation field the caller found by *name* ("Story Points", "Story point estimate").
- **Completion** is the Done share, by points when anything is estimated, and by issue count.
- **Added after start**: the last time the sprint was put into the issue's Sprint field (from
  the changelog) is after the sprint's start; an issue with no such change was created in the
  sprint, so its creation time decides.
- **Carried over**: the issue's Sprint field also lists an earlier sprint that is closed — it
  was not finished there and came along.
- **Blocked** (open issues only): flagged (Jira's "Flagged" field set, e.g. Impediment), or a
  status whose name says "blocked", or a label `blocked`/`impediment`, or an "is blocked by"
  link to an issue that is not done.
- **Days left**: calendar days from now to the end date, rounded up, and weekdays among them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

STORY_POINT_NAMES = ("story points", "story point estimate")
BLOCKED_LABELS = frozenset({"blocked", "impediment"})
CATEGORY_NAMES = {"new": "To Do", "indeterminate": "In Progress", "done": "Done"}
_SPRINT_FIELD_TYPE = "com.pyxis.greenhopper.jira:gh-sprint"


class CategoryTotal(BaseModel):
    category: str = Field(description="To Do, In Progress or Done")
    issues: int
    points: float


class ReportItem(BaseModel):
    key: str
    summary: str | None = None
    status: str | None = None
    assignee: str | None = None
    points: float | None = None
    why: str | None = Field(default=None, description="Why it is listed (blocker, sprint it came from, when added)")


class SprintReport(BaseModel):
    sprint_id: int
    name: str
    state: str
    goal: str | None = None
    start: str | None = None
    end: str | None = None
    completed: str | None = None
    issues: int = Field(description="Issues in the sprint, sub-tasks excluded")
    points: float = Field(description="Story points in the sprint")
    points_field: str | None = Field(default=None, description="The estimation field used, by name")
    unestimated: int = Field(description="Issues without an estimate")
    by_category: list[CategoryTotal]
    completion_by_issues: float = Field(description="Percent of issues done")
    completion_by_points: float | None = Field(default=None, description="Percent of points done")
    added_after_start: list[ReportItem]
    added_points: float
    carried_over: list[ReportItem]
    blocked: list[ReportItem]
    unassigned: list[ReportItem] = Field(description="Open issues nobody is assigned to")
    days_left: int | None = None
    weekdays_left: int | None = None
    subtasks: int = Field(description="Sub-tasks in the sprint (not counted above)")


def parse_time(value: Any) -> datetime | None:
    """Jira's timestamps (`...000+0000`, `...000Z`) and dates as aware datetimes."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def find_field_id(fields: Sequence[Mapping[str, Any]], names: Sequence[str]) -> str | None:
    """The id of the first field whose name is one of `names` (case-insensitive; numbers first)."""
    wanted = [n.lower() for n in names]
    matches = [f for f in fields if str(f.get("name", "")).lower() in wanted]
    matches.sort(
        key=lambda f: (
            (f.get("schema") or {}).get("type") != "number",
            wanted.index(str(f.get("name")).lower()),
        )
    )
    return str(matches[0]["id"]) if matches else None


def story_points_field(fields: Sequence[Mapping[str, Any]]) -> str | None:
    return find_field_id(fields, STORY_POINT_NAMES)


def sprint_field(fields: Sequence[Mapping[str, Any]]) -> str | None:
    for f in fields:
        if (f.get("schema") or {}).get("custom") == _SPRINT_FIELD_TYPE:
            return str(f["id"])
    return find_field_id(fields, ("sprint",))


def flagged_field(fields: Sequence[Mapping[str, Any]]) -> str | None:
    return find_field_id(fields, ("flagged",))


def _category(fields: Mapping[str, Any]) -> str:
    status = fields.get("status") or {}
    key = (status.get("statusCategory") or {}).get("key")
    return key if key in CATEGORY_NAMES else "new"


def _points(fields: Mapping[str, Any], points_field: str | None) -> float | None:
    value = fields.get(points_field) if points_field else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _person(value: Any) -> str | None:
    if isinstance(value, Mapping):
        return value.get("displayName") or value.get("name") or value.get("accountId")
    return None


def _item(issue: Mapping[str, Any], points_field: str | None, why: str | None = None) -> ReportItem:
    fields = issue.get("fields") or {}
    return ReportItem(
        key=str(issue.get("key")),
        summary=fields.get("summary"),
        status=(fields.get("status") or {}).get("name"),
        assignee=_person(fields.get("assignee")),
        points=_points(fields, points_field),
        why=why,
    )


def _sprint_ids(text: Any) -> set[str]:
    return {part.strip() for part in str(text or "").split(",") if part.strip()}


def added_at(
    issue: Mapping[str, Any], sprint_id: int, history: Sequence[Mapping[str, Any]], sprint_field_id: str | None
) -> datetime | None:
    """When the issue last entered the sprint: the latest Sprint change adding it, else its creation."""
    target = str(sprint_id)
    last: datetime | None = None
    for entry in history:
        for change in entry.get("items") or ():
            field_id = change.get("fieldId")
            if sprint_field_id and field_id:
                is_sprint = field_id == sprint_field_id
            else:
                is_sprint = str(change.get("field", "")).lower() == "sprint"
            if not is_sprint:
                continue
            if target in _sprint_ids(change.get("to")) and target not in _sprint_ids(change.get("from")):
                when = parse_time(entry.get("created"))
                if when is not None and (last is None or when > last):
                    last = when
    return last or parse_time((issue.get("fields") or {}).get("created"))


def _earlier_closed_sprints(
    fields: Mapping[str, Any], sprint: Mapping[str, Any], sprint_field_id: str | None
) -> list[str]:
    this_start = parse_time(sprint.get("startDate"))
    names = []
    listed = (fields.get(sprint_field_id) or ()) if sprint_field_id else ()
    for other in listed:
        if not isinstance(other, Mapping) or str(other.get("id")) == str(sprint.get("id")):
            continue
        if str(other.get("state", "")).lower() != "closed":
            continue
        other_start = parse_time(other.get("startDate"))
        if this_start is not None and other_start is not None and other_start >= this_start:
            continue
        names.append(str(other.get("name")))
    return names


def blocked_reasons(fields: Mapping[str, Any], flagged_field_id: str | None) -> list[str]:
    """Why an open issue counts as blocked (see the module docstring); empty when it does not."""
    reasons = []
    if flagged_field_id and fields.get(flagged_field_id):
        reasons.append("flagged")
    status = str((fields.get("status") or {}).get("name") or "")
    if "block" in status.lower():
        reasons.append(f"status {status}")
    labels = [str(label) for label in fields.get("labels") or () if str(label).lower() in BLOCKED_LABELS]
    reasons += [f"label {label}" for label in labels]
    for link in fields.get("issuelinks") or ():
        # The OpenAPI IssueLink contract: `inwardIssue` is labelled with the type's inward text.
        other = link.get("inwardIssue")
        inward = str((link.get("type") or {}).get("inward") or "")
        if not isinstance(other, Mapping) or "blocked by" not in inward.lower():
            continue
        if _category(other.get("fields") or {}) != "done":
            reasons.append(f"{inward} {other.get('key')}")
    return reasons


def _weekdays_between(start: datetime, end: datetime) -> int:
    day, last, count = start.date(), end.date(), 0
    while day < last:
        day += timedelta(days=1)
        count += day.weekday() < 5
    return count


def _percent(part: float, whole: float) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def build_report(
    sprint: Mapping[str, Any],
    issues: Sequence[Mapping[str, Any]],
    *,
    changelogs: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    points_field: str | None = None,
    points_field_name: str | None = None,
    sprint_field_id: str | None = None,
    flagged_field_id: str | None = None,
    now: datetime | None = None,
) -> SprintReport:
    """The sprint report for `sprint` (an Agile SprintBean) from its `issues` (IssueBeans).

    Args:
        sprint: The sprint as `GET /rest/agile/1.0/sprint/{id}` returns it.
        issues: Every issue in the sprint, with status, assignee, created, labels, issuelinks,
            issuetype, summary and the estimation, Sprint and Flagged fields.
        changelogs: Issue key → changelog histories (only Sprint-field items matter).
        points_field: Field id of the estimate; `points_field_name` is how the report names it.
        sprint_field_id: Field id of the Sprint field.
        flagged_field_id: Field id of the Flagged field, if the instance has one.
        now: The current time (tests pin it).
    """
    now = now or datetime.now(UTC)
    changelogs = changelogs or {}
    start = parse_time(sprint.get("startDate"))
    end = parse_time(sprint.get("endDate"))
    state = str(sprint.get("state", "")).lower()
    totals = {key: [0, 0.0] for key in CATEGORY_NAMES}
    added, carried, blocked, unassigned = [], [], [], []
    points_total = added_points = 0.0
    unestimated = subtasks = counted = 0
    for issue in issues:
        fields = issue.get("fields") or {}
        if (fields.get("issuetype") or {}).get("subtask"):
            subtasks += 1
            continue
        counted += 1
        category = _category(fields)
        points = _points(fields, points_field)
        totals[category][0] += 1
        totals[category][1] += points or 0.0
        points_total += points or 0.0
        unestimated += points is None
        if start is not None:
            when = added_at(issue, int(sprint["id"]), changelogs.get(str(issue.get("key")), ()), sprint_field_id)
            if when is not None and when > start:
                added.append(_item(issue, points_field, f"added {when:%Y-%m-%d %H:%M}"))
                added_points += points or 0.0
        earlier = _earlier_closed_sprints(fields, sprint, sprint_field_id)
        if earlier:
            carried.append(_item(issue, points_field, "from " + ", ".join(earlier)))
        if category == "done":
            continue
        reasons = blocked_reasons(fields, flagged_field_id)
        if reasons:
            blocked.append(_item(issue, points_field, "; ".join(reasons)))
        if not fields.get("assignee"):
            unassigned.append(_item(issue, points_field))
    days_left = weekdays_left = None
    if state == "active" and end is not None:
        remaining = max((end - now).total_seconds(), 0.0)
        days_left = math.ceil(remaining / 86_400)
        weekdays_left = _weekdays_between(now, end) if end > now else 0
    elif state == "closed":
        days_left = weekdays_left = 0
    done_issues, done_points = totals["done"]
    return SprintReport(
        sprint_id=int(sprint["id"]),
        name=str(sprint.get("name", "")),
        state=state,
        goal=sprint.get("goal") or None,
        start=sprint.get("startDate"),
        end=sprint.get("endDate"),
        completed=sprint.get("completeDate"),
        issues=counted,
        points=points_total,
        points_field=points_field_name if points_field else None,
        unestimated=unestimated,
        by_category=[CategoryTotal(category=CATEGORY_NAMES[key], issues=n, points=p) for key, (n, p) in totals.items()],
        completion_by_issues=_percent(done_issues, counted),
        completion_by_points=_percent(done_points, points_total) if points_total else None,
        added_after_start=added,
        added_points=added_points,
        carried_over=carried,
        blocked=blocked,
        unassigned=unassigned,
        days_left=days_left,
        weekdays_left=weekdays_left,
        subtasks=subtasks,
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _items(title: str, items: Sequence[ReportItem]) -> list[str]:
    if not items:
        return []
    lines = [f"{title} ({len(items)}):"]
    for item in items:
        cells = [item.key, item.status, item.assignee or "Unassigned"]
        if item.points is not None:
            cells.append(f"{_number(item.points)} pts")
        line = "- " + " | ".join(c for c in cells if c) + f" | {item.summary or ''}"
        lines.append(line + (f" ({item.why})" if item.why else ""))
    return lines


def render_report(report: SprintReport) -> str:
    """The report as compact Markdown-ish text for a model."""
    dates = " → ".join(d[:10] for d in (report.start, report.end) if d)
    head = f"Sprint {report.sprint_id} {report.name} ({report.state}{', ' + dates if dates else ''})"
    lines = [head]
    if report.goal:
        lines.append(f"Goal: {report.goal}")
    if report.days_left is not None and report.state == "active":
        lines.append(f"Days left: {report.days_left} ({report.weekdays_left} weekdays)")
    pts = f", {_number(report.points)} pts" if report.points_field else ""
    subtasks = f" (+{report.subtasks} sub-tasks)" if report.subtasks else ""
    lines.append(f"Scope: {report.issues} issues{pts}{subtasks}")
    for total in report.by_category:
        extra = f", {_number(total.points)} pts" if report.points_field else ""
        lines.append(f"- {total.category}: {total.issues}{extra}")
    done = f"Done: {report.completion_by_issues:g}% of issues"
    if report.completion_by_points is not None:
        done += f", {report.completion_by_points:g}% of points"
    lines.append(done)
    if report.points_field:
        lines.append(f"Estimates from {report.points_field!r}; {report.unestimated} issues unestimated")
    else:
        lines.append("No story points field found; counts only")
    if report.added_after_start:
        added = f", {_number(report.added_points)} pts" if report.points_field else ""
        lines.append(f"Scope added after start: {len(report.added_after_start)} issues{added}")
    lines += _items("Added after start", report.added_after_start)
    lines += _items("Carried over", report.carried_over)
    lines += _items("Blocked", report.blocked)
    lines += _items("Unassigned (open)", report.unassigned)
    return "\n".join(lines)
