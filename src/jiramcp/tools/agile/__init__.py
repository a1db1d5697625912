"""Agile tools: boards, sprints, sprint issues and reports, and moving and ranking issues.

Importing this package declares its tools (toolset "agile").
"""

from jiramcp.tools.agile._moves import jira_move_to_backlog, jira_move_to_sprint, jira_rank_issues
from jiramcp.tools.agile._read import (
    jira_get_sprint,
    jira_list_boards,
    jira_list_sprints,
    jira_sprint_issues,
    jira_sprint_report,
)
from jiramcp.tools.agile._report_data import compute_report
from jiramcp.tools.agile._resolve import resolve_sprint
from jiramcp.tools.agile._write import (
    jira_complete_sprint,
    jira_create_sprint,
    jira_start_sprint,
    jira_update_sprint,
)

__all__ = [
    "compute_report",
    "jira_complete_sprint",
    "jira_create_sprint",
    "jira_get_sprint",
    "jira_list_boards",
    "jira_list_sprints",
    "jira_move_to_backlog",
    "jira_move_to_sprint",
    "jira_rank_issues",
    "jira_sprint_issues",
    "jira_sprint_report",
    "jira_start_sprint",
    "jira_update_sprint",
    "resolve_sprint",
]
