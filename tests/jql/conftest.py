"""A small catalog shaped exactly like Jira Cloud's answers, shared by the JQL tests."""

import pytest

from jiramcp.jql import Catalog

FIELDS = [
    {"id": "summary", "key": "summary", "name": "Summary", "custom": False, "clauseNames": ["summary"],
     "schema": {"type": "string", "system": "summary"}},
    {"id": "status", "key": "status", "name": "Status", "custom": False, "clauseNames": ["status"],
     "schema": {"type": "status", "system": "status"}},
    {"id": "labels", "key": "labels", "name": "Labels", "custom": False, "clauseNames": ["labels"],
     "schema": {"type": "array", "items": "string", "system": "labels"}},
    {"id": "project", "key": "project", "name": "Project", "custom": False, "clauseNames": ["project"],
     "schema": {"type": "project", "system": "project"}},
    {"id": "customfield_10016", "key": "customfield_10016", "name": "Story Points", "custom": True,
     "clauseNames": ["cf[10016]", "Story Points", "Story Points[Number]"],
     "schema": {"type": "number", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:float",
                "customId": 10016}},
    {"id": "customfield_10020", "key": "customfield_10020", "name": "Sprint", "custom": True,
     "clauseNames": ["cf[10020]", "Sprint", "sprint"],
     "schema": {"type": "array", "items": "json", "custom": "com.pyxis.greenhopper.jira:gh-sprint",
                "customId": 10020}},
    {"id": "customfield_10030", "key": "customfield_10030", "name": "Team notes", "custom": True,
     "clauseNames": ["cf[10030]", "Team notes"],
     "schema": {"type": "string", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:textarea",
                "customId": 10030}},
    {"id": "customfield_10040", "key": "customfield_10040", "name": "Team", "custom": True,
     "clauseNames": ["cf[10040]", "Team"], "schema": {"type": "string", "customId": 10040}},
    {"id": "customfield_10041", "key": "customfield_10041", "name": "Team", "custom": True,
     "clauseNames": ["cf[10041]", "Team"], "schema": {"type": "string", "customId": 10041}},
]  # fmt: skip


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.from_jira(
        fields=FIELDS,
        statuses=[{"id": "1", "name": "To Do"}, {"id": "3", "name": "In Progress"}, {"id": "10001", "name": "Done"}],
        priorities=[{"id": "1", "name": "Highest"}, {"id": "2", "name": "High"}, {"id": "3", "name": "Medium"}],
        issue_types=[{"id": "10001", "name": "Story", "subtask": False}, {"id": "10002", "name": "Bug"}],
        projects=[{"id": "10000", "key": "PROJ", "name": "Platform"}, {"id": "10001", "key": "WEB", "name": "Web"}],
        resolutions=[{"id": "1", "name": "Fixed"}, {"id": "2", "name": "Won't Fix"}],
    )
