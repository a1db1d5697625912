"""`EvalContext`: everything besides the issues that a JQL query's meaning depends on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["EvalContext"]


@dataclass(frozen=True)
class EvalContext:
    """The searching user, the clock and the instance's reference data, in Jira's wire shapes.

    Attributes:
        fields: the field catalog as `GET /rest/api/3/field` returns it (id, name, custom,
            clauseNames, schema{type, items, custom, customId}); custom fields are found here.
        current_account_id: the searching user (`currentUser()`); None for an anonymous search.
        now: the search time, tz-aware; its zone is the user's zone for day/week/month bounds.
        users: Jira user dicts (accountId, displayName, emailAddress?); a user operand matches
            an accountId, a display name or an email. Empty: operands are taken as accountIds.
        groups: group name → accountIds, for `membersOf()`.
        sprints: agile sprint dicts (id, name, state, startDate, endDate, completeDate, originBoardId).
        projects: dicts with key, id, name, versions[{id, name, released, archived}], components[{id, name}].
        statuses, priorities, issue_types, resolutions: `GET /status|/priority|/issuetype|/resolution`
            answers. When given, an operand naming a value not in them is refused with Jira's error;
            `priorities` (highest first, as Jira lists them) also orders `priority > X` and ORDER BY.
        week_start: first day of the week for `startOfWeek()` (0 = Monday … 6 = Sunday, Jira's en_US default).
        viewed_issue_keys: the user's recently viewed issues for `issueHistory()`; None: not evaluable.
    """

    fields: Sequence[Mapping[str, Any]]
    current_account_id: str | None
    now: datetime
    users: Sequence[Mapping[str, Any]] = ()
    groups: Mapping[str, Sequence[str]] = field(default_factory=dict)
    sprints: Sequence[Mapping[str, Any]] = ()
    projects: Sequence[Mapping[str, Any]] = ()
    statuses: Sequence[Mapping[str, Any]] = ()
    priorities: Sequence[Mapping[str, Any]] = ()
    issue_types: Sequence[Mapping[str, Any]] = ()
    resolutions: Sequence[Mapping[str, Any]] = ()
    week_start: int = 6
    viewed_issue_keys: Sequence[str] | None = None

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("EvalContext.now must be timezone-aware")
