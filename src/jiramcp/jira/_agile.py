"""Jira Software (Agile REST 1.0): boards, sprints, moving and ranking issues.

Same paths on Cloud and Server/Data Center. List endpoints page by startAt with `isLast`; the
methods here walk every page. Moves and ranks take at most 50 issues per request; the methods
chunk longer lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from jiramcp.jira._core import _BaseClient, segment
from jiramcp.jira._pagination import iter_start_at

__all__: list[str] = []

_AGILE = "/rest/agile/1.0"
_CHUNK = 50  # sprint/{id}/issue, backlog/issue, issue/rank: issues <= 50
_MAX_ITEMS = 2000
_SPRINT_FIELDS = {
    "name": "name",
    "goal": "goal",
    "state": "state",
    "start_date": "startDate",
    "end_date": "endDate",
    "complete_date": "completeDate",
    "origin_board_id": "originBoardId",
}


def _chunks(keys: Sequence[str]) -> list[list[str]]:
    return [list(keys[i : i + _CHUNK]) for i in range(0, len(keys), _CHUNK)]


class _AgileMethods(_BaseClient):
    async def _agile_pages(self, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        async def page(start_at: int) -> dict[str, Any]:
            answer = await self.request_json("GET", path, params={**params, "startAt": start_at, "maxResults": 50})
            return answer if isinstance(answer, dict) else {}

        return [item async for item in iter_start_at(page, limit=_MAX_ITEMS) if isinstance(item, dict)]

    async def boards(
        self,
        project: str | None = None,
        type: Literal["scrum", "kanban", "simple"] | None = None,
        name: str | None = None,
    ) -> list[dict[str, Any]]:
        """Boards (`GET /rest/agile/1.0/board`), optionally of one project, type or name part."""
        params = {"projectKeyOrId": project, "type": type, "name": name}
        return await self._agile_pages(f"{_AGILE}/board", params)

    async def board_configuration(self, board_id: int) -> dict[str, Any]:
        """A board's configuration (`GET /board/{id}/configuration`): columns, the estimation
        field (story points) under `estimation.field.fieldId`, ranking field."""
        answer = await self.request_json("GET", f"{_AGILE}/board/{segment(board_id)}/configuration")
        return answer if isinstance(answer, dict) else {}

    async def sprints(self, board_id: int, state: Sequence[str] | str | None = None) -> list[dict[str, Any]]:
        """Sprints of a board (`GET /board/{id}/sprint`); `state` any of future, active, closed."""
        states = state if state is None or isinstance(state, str) else ",".join(state)
        return await self._agile_pages(f"{_AGILE}/board/{segment(board_id)}/sprint", {"state": states})

    async def get_sprint(self, sprint_id: int) -> dict[str, Any]:
        """One sprint (`GET /sprint/{id}`)."""
        answer = await self.request_json("GET", f"{_AGILE}/sprint/{segment(sprint_id)}")
        return answer if isinstance(answer, dict) else {}

    async def create_sprint(
        self,
        name: str,
        board_id: int,
        *,
        start_date: str | None = None,
        end_date: str | None = None,
        goal: str | None = None,
    ) -> dict[str, Any]:
        """Create a future sprint (`POST /sprint` → 201). Not re-sent after an unclear outcome."""
        body: dict[str, Any] = {"name": name, "originBoardId": board_id}
        for key, value in (("startDate", start_date), ("endDate", end_date), ("goal", goal)):
            if value is not None:
                body[key] = value
        answer = await self.request_json("POST", f"{_AGILE}/sprint", json=body, idempotent=False)
        return answer if isinstance(answer, dict) else {}

    async def update_sprint(self, sprint_id: int, **changes: Any) -> dict[str, Any]:
        """Partly update a sprint (`POST /sprint/{id}`): name, goal, state, start_date, end_date,
        complete_date (snake_case or Jira's camelCase). future → active needs both dates;
        a closed sprint takes only name and goal. Setting values twice is harmless, so retried.
        """
        body: dict[str, Any] = {}
        for key, value in changes.items():
            body[_SPRINT_FIELDS.get(key, key)] = value
        answer = await self.request_json("POST", f"{_AGILE}/sprint/{segment(sprint_id)}", json=body, idempotent=True)
        return answer if isinstance(answer, dict) else {}

    async def move_to_sprint(self, sprint_id: int, keys: Sequence[str]) -> None:
        """Move issues into an open or active sprint (`POST /sprint/{id}/issue`, 50 per request)."""
        for chunk in _chunks(keys):
            await self.request_json(
                "POST", f"{_AGILE}/sprint/{segment(sprint_id)}/issue", json={"issues": chunk}, idempotent=True
            )

    async def move_to_backlog(self, keys: Sequence[str]) -> None:
        """Move issues to the backlog (`POST /backlog/issue`, 50 per request)."""
        for chunk in _chunks(keys):
            await self.request_json("POST", f"{_AGILE}/backlog/issue", json={"issues": chunk}, idempotent=True)

    async def rank(
        self, keys: Sequence[str], before: str | None = None, after: str | None = None
    ) -> list[dict[str, Any]]:
        """Rank issues, in the given order, before or after another (`PUT /issue/rank`).

        Returns the per-issue failures Jira reported (a 207 answer's `entries` with errors);
        empty when all were ranked.
        """
        if (before is None) == (after is None):
            raise ValueError("rank needs exactly one of before= or after=")
        failures: list[dict[str, Any]] = []
        anchor_after = after
        for chunk in _chunks(keys):
            body: dict[str, Any] = {"issues": chunk}
            if before is not None:
                # Each chunk lands right before the anchor, i.e. after the previous chunk.
                body["rankBeforeIssue"] = before
            else:
                body["rankAfterIssue"] = anchor_after
                anchor_after = chunk[-1]  # keep the order: the next chunk follows this one
            answer = await self.request_json("PUT", f"{_AGILE}/issue/rank", json=body)
            entries = answer.get("entries") if isinstance(answer, dict) else None
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and entry.get("errors"):
                    failures.append(entry)
        return failures
