"""Sprint create and update, with Jira Software's state rules.

From the `partiallyUpdateSprint` operation's description (software.json):
- a closed sprint takes only name and goal; other changes are ignored;
- future → active needs a start and an end date (in the request or already set);
- active → closed sets `completeDate` to the time of the request;
- no other state change is allowed; `completeDate` cannot be set by hand.
A full update (`PUT`) also clears the optional fields the request leaves out.
"""

from __future__ import annotations

from typing import Any

from jiramcp.sandbox._common import JiraError, agile_time, parse_jira_time
from jiramcp.sandbox._store import Record, Store

STATES = ("future", "active", "closed")


def _date(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value in (None, ""):
        return None
    try:
        return agile_time(parse_jira_time(str(value)))
    except ValueError as exc:
        raise JiraError(400, errors={key: f"Invalid date format: '{value}'."}) from exc


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise JiraError(400, errors={"name": "Sprint name is required."})
    if len(value) > 255:
        raise JiraError(400, errors={"name": "Sprint name must be 255 characters or less."})
    return value


def create_sprint(store: Store, body: Any) -> Record:
    if not isinstance(body, dict):
        raise JiraError(400, "The sprint must be a JSON object.")
    name = _name(body.get("name"))
    board_id = body.get("originBoardId")
    if board_id is None:
        raise JiraError(400, errors={"originBoardId": "The origin board id is required."})
    board = store.board(board_id)
    if board["type"] != "scrum":
        raise JiraError(400, "The board does not support sprints")
    start, end = _date(body, "startDate"), _date(body, "endDate")
    _check_order(start, end)
    sprint_id = store.next_id("sprint")
    sprint: Record = {
        "id": sprint_id,
        "name": name,
        "state": "future",
        "originBoardId": board["id"],
        "goal": body.get("goal") or "",
        "createdDate": agile_time(store.now()),
    }
    if start:
        sprint["startDate"] = start
    if end:
        sprint["endDate"] = end
    store.data["sprints"][str(sprint_id)] = sprint
    store.touch()
    return sprint


def _check_order(start: str | None, end: str | None) -> None:
    if start and end and parse_jira_time(end) < parse_jira_time(start):
        raise JiraError(400, errors={"endDate": "The end date must be after the start date."})


def update_sprint(store: Store, sprint: Record, body: Any, *, full: bool) -> None:
    """Apply a partial (`POST`) or full (`PUT`) update in place."""
    if not isinstance(body, dict):
        raise JiraError(400, "The sprint must be a JSON object.")
    current = sprint["state"]
    if current == "closed":
        if "name" in body or full:
            sprint["name"] = _name(body.get("name"))
        if "goal" in body or full:
            sprint["goal"] = body.get("goal") or ""
        store.touch()
        return
    state = body.get("state", current)
    if state not in STATES:
        raise JiraError(400, errors={"state": f"Invalid sprint state '{state}'."})
    start = _date(body, "startDate") if "startDate" in body else (None if full else sprint.get("startDate"))
    end = _date(body, "endDate") if "endDate" in body else (None if full else sprint.get("endDate"))
    _check_order(start, end)
    if state == "active" and (not start or not end):
        raise JiraError(400, "An active sprint needs a start date and an end date.")
    if state != current and (current, state) not in (("future", "active"), ("active", "closed")):
        raise JiraError(400, f"The sprint state cannot be changed from '{current}' to '{state}'.")
    if "name" in body or full:
        sprint["name"] = _name(body.get("name"))
    if "goal" in body or full:
        sprint["goal"] = body.get("goal") or ""
    for key, value in (("startDate", start), ("endDate", end)):
        if value:
            sprint[key] = value
        else:
            sprint.pop(key, None)
    if state == "closed" and current == "active":
        sprint["completeDate"] = agile_time(store.now())
    sprint["state"] = state
    store.touch()
