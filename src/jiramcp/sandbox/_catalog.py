"""The sandbox's fixed reference data: statuses, workflow, priorities, issue types, users, groups.

These are the same for every seed, so tool writers and tests can name them (`status = "In Review"`,
the transition "Submit for Review" with id 41, the user Priya Sharma) without looking them up.
The objects here carry no `self` links; the store adds them with its base URL when rendering.
"""

from __future__ import annotations

from typing import Any

# statusCategory ids and keys are Jira's own (2 new, 4 indeterminate, 3 done).
STATUS_CATEGORIES: dict[str, dict[str, Any]] = {
    "new": {"id": 2, "key": "new", "colorName": "blue-gray", "name": "To Do"},
    "indeterminate": {"id": 4, "key": "indeterminate", "colorName": "yellow", "name": "In Progress"},
    "done": {"id": 3, "key": "done", "colorName": "green", "name": "Done"},
}

STATUSES: dict[str, dict[str, Any]] = {
    "10000": {"id": "10000", "name": "To Do", "category": "new", "description": "Work not started."},
    "3": {"id": "3", "name": "In Progress", "category": "indeterminate", "description": "Being worked on."},
    "10001": {"id": "10001", "name": "In Review", "category": "indeterminate", "description": "In review."},
    "10002": {"id": "10002", "name": "Done", "category": "done", "description": "Work finished."},
}
TODO, IN_PROGRESS, IN_REVIEW, DONE = "10000", "3", "10001", "10002"
INITIAL_STATUS = TODO

# The workflow: transition id -> (name, target status, the statuses it is available from).
TRANSITIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "21": ("Start Progress", IN_PROGRESS, (TODO,)),
    "11": ("Stop Progress", TODO, (IN_PROGRESS,)),
    "41": ("Submit for Review", IN_REVIEW, (IN_PROGRESS,)),
    "51": ("Request Changes", IN_PROGRESS, (IN_REVIEW,)),
    "31": ("Done", DONE, (TODO, IN_PROGRESS, IN_REVIEW)),
    "71": ("Reopen", TODO, (DONE,)),
}

PRIORITIES: dict[str, dict[str, Any]] = {
    "1": {"id": "1", "name": "Highest", "statusColor": "#d04437", "icon": "highest"},
    "2": {"id": "2", "name": "High", "statusColor": "#f15C75", "icon": "high"},
    "3": {"id": "3", "name": "Medium", "statusColor": "#f79232", "icon": "medium"},
    "4": {"id": "4", "name": "Low", "statusColor": "#707070", "icon": "low"},
    "5": {"id": "5", "name": "Lowest", "statusColor": "#999999", "icon": "lowest"},
}
DEFAULT_PRIORITY = "3"

ISSUE_TYPES: dict[str, dict[str, Any]] = {
    "10000": {
        "id": "10000",
        "name": "Epic",
        "subtask": False,
        "hierarchyLevel": 1,
        "description": "A big user story that needs to be broken down.",
    },
    "10001": {
        "id": "10001",
        "name": "Story",
        "subtask": False,
        "hierarchyLevel": 0,
        "description": "Functionality or a feature expressed as a user goal.",
    },
    "10002": {
        "id": "10002",
        "name": "Task",
        "subtask": False,
        "hierarchyLevel": 0,
        "description": "A small, distinct piece of work.",
    },
    "10003": {
        "id": "10003",
        "name": "Bug",
        "subtask": False,
        "hierarchyLevel": 0,
        "description": "A problem or error.",
    },
    "10004": {
        "id": "10004",
        "name": "Sub-task",
        "subtask": True,
        "hierarchyLevel": -1,
        "description": "A small piece of work that's part of a larger task.",
    },
}
EPIC, STORY, TASK, BUG, SUBTASK = "10000", "10001", "10002", "10003", "10004"

RESOLUTIONS: dict[str, dict[str, Any]] = {
    "10000": {"id": "10000", "name": "Done", "description": "Work has been completed on this issue."},
    "10001": {"id": "10001", "name": "Won't Do", "description": "This issue won't be actioned."},
    "10002": {"id": "10002", "name": "Duplicate", "description": "The problem is a duplicate."},
    "10003": {"id": "10003", "name": "Cannot Reproduce", "description": "The problem cannot be reproduced."},
}
RESOLUTION_DONE = "10000"

LINK_TYPES: dict[str, dict[str, Any]] = {
    "10000": {"id": "10000", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
    "10001": {"id": "10001", "name": "Cloners", "inward": "is cloned by", "outward": "clones"},
    "10002": {"id": "10002", "name": "Duplicate", "inward": "is duplicated by", "outward": "duplicates"},
    "10003": {"id": "10003", "name": "Relates", "inward": "relates to", "outward": "relates to"},
}

# accountId, display name, email, time zone. The first is the demo token's user.
USERS: tuple[tuple[str, str, str, str], ...] = (
    ("5f8a1c2e9b0d4e0012a1b001", "Alex Morgan", "alex.morgan@example.com", "Europe/London"),
    ("5f8a1c2e9b0d4e0012a1b002", "Priya Sharma", "priya.sharma@example.com", "Asia/Kolkata"),
    ("5f8a1c2e9b0d4e0012a1b003", "Jonas Weber", "jonas.weber@example.com", "Europe/Berlin"),
    ("5f8a1c2e9b0d4e0012a1b004", "Mei Chen", "mei.chen@example.com", "Asia/Singapore"),
    ("5f8a1c2e9b0d4e0012a1b005", "Carlos Ruiz", "carlos.ruiz@example.com", "America/Mexico_City"),
    ("5f8a1c2e9b0d4e0012a1b006", "Fatima Okafor", "fatima.okafor@example.com", "Africa/Lagos"),
    ("5f8a1c2e9b0d4e0012a1b007", "Liam O'Brien", "liam.obrien@example.com", "Europe/Dublin"),
    ("5f8a1c2e9b0d4e0012a1b008", "Sofia Rossi", "sofia.rossi@example.com", "Europe/Rome"),
)

GROUPS: dict[str, tuple[str, ...]] = {
    "jira-software-users": tuple(user[0] for user in USERS),
    "jira-administrators": (USERS[0][0],),
    "developers": tuple(USERS[i][0] for i in (0, 2, 3, 4, 6)),
    "qa": tuple(USERS[i][0] for i in (5, 7)),
    "product": tuple(USERS[i][0] for i in (1, 7)),
}

TEAM_OPTIONS: dict[str, str] = {"10100": "Phoenix", "10101": "Atlas", "10102": "Nebula"}


def status_category(base_url: str, key: str) -> dict[str, Any]:
    data = STATUS_CATEGORIES[key]
    return {"self": f"{base_url}/rest/api/3/statuscategory/{data['id']}", **data}


def status(base_url: str, status_id: str) -> dict[str, Any]:
    data = STATUSES[status_id]
    return {
        "self": f"{base_url}/rest/api/3/status/{status_id}",
        "description": data["description"],
        "iconUrl": f"{base_url}/images/icons/statuses/generic.png",
        "name": data["name"],
        "id": status_id,
        "statusCategory": status_category(base_url, data["category"]),
    }


def priority(base_url: str, priority_id: str) -> dict[str, Any]:
    data = PRIORITIES[priority_id]
    return {
        "self": f"{base_url}/rest/api/3/priority/{priority_id}",
        "iconUrl": f"{base_url}/images/icons/priorities/{data['icon']}.svg",
        "name": data["name"],
        "id": priority_id,
    }


def priority_details(base_url: str, priority_id: str) -> dict[str, Any]:
    data = PRIORITIES[priority_id]
    return {
        **priority(base_url, priority_id),
        "statusColor": data["statusColor"],
        "description": f"{data['name']} priority.",
        "isDefault": priority_id == DEFAULT_PRIORITY,
    }


def issue_type(base_url: str, type_id: str) -> dict[str, Any]:
    data = ISSUE_TYPES[type_id]
    return {
        "self": f"{base_url}/rest/api/3/issuetype/{type_id}",
        "id": type_id,
        "description": data["description"],
        "iconUrl": f"{base_url}/images/icons/issuetypes/{data['name'].lower()}.svg",
        "name": data["name"],
        "subtask": data["subtask"],
        "avatarId": 10300 + int(type_id) - 10000,
        "hierarchyLevel": data["hierarchyLevel"],
    }


def resolution(base_url: str, resolution_id: str) -> dict[str, Any]:
    data = RESOLUTIONS[resolution_id]
    return {"self": f"{base_url}/rest/api/3/resolution/{resolution_id}", **data}


def link_type(base_url: str, type_id: str) -> dict[str, Any]:
    return {**LINK_TYPES[type_id], "self": f"{base_url}/rest/api/3/issueLinkType/{type_id}"}


def team_option(base_url: str, option_id: str) -> dict[str, Any]:
    return {
        "self": f"{base_url}/rest/api/3/customFieldOption/{option_id}",
        "value": TEAM_OPTIONS[option_id],
        "id": option_id,
    }


def find_by_name(table: dict[str, dict[str, Any]], name: str) -> str | None:
    """The id of the entry named `name` (case-insensitive, as Jira matches names)."""
    lowered = name.strip().lower()
    for entry_id, entry in table.items():
        if entry["name"].lower() == lowered:
            return entry_id
    return None
