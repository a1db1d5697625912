"""Changing and reading one issue: edit, delete, transitions, comments, worklogs, links,
changelog, create/edit metadata.

Every write passes its issue key, so Jira's per-issue write limit holds back writes to that
issue only. Writes that would add something twice if repeated (comments, worklogs, links,
transitions) are not idempotent: the client re-sends them only when Jira provably never got them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from jiramcp.jira._core import _BaseClient, segment
from jiramcp.jira._pagination import iter_start_at

__all__: list[str] = []

_CREATEMETA_PAGE = 200  # createmeta: maxResults at most 200

# Jira's cap on issues per `POST /changelog/bulkfetch`.
_MAX_CHANGELOG_ISSUES = 1000


def _adds_entries(update: Mapping[str, Any] | None) -> bool:
    """Whether an `update` adds comments or worklogs, which a repeat would add twice."""
    return bool(update) and any(name in ("comment", "worklog") for name in update or {})


def _jira_time(value: dt.datetime | str) -> str:
    """Jira's timestamp form: `2021-01-17T12:34:00.000+0000`."""
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}" + value.strftime("%z")


class _IssueMethods(_BaseClient):
    async def edit_issue(
        self,
        key: str,
        *,
        fields: Mapping[str, Any] | None = None,
        update: Mapping[str, Any] | None = None,
        notify_users: bool = True,
    ) -> None:
        """Change fields (`PUT /issue/{key}` → 204). A field may be in `fields` or `update`, not both."""
        body: dict[str, Any] = {}
        if fields:
            body["fields"] = dict(fields)
        if update:
            body["update"] = dict(update)
        await self.request_json(
            "PUT",
            await self._api(f"issue/{segment(key)}"),
            params=None if notify_users else {"notifyUsers": "false"},
            json=body,
            idempotent=not _adds_entries(update),
            issue_key=key,
        )

    async def delete_issue(self, key: str, delete_subtasks: bool = False) -> None:
        """Delete an issue (`DELETE /issue/{key}` → 204; 400 if it has sub-tasks and
        `delete_subtasks` is False)."""
        await self.request_json(
            "DELETE",
            await self._api(f"issue/{segment(key)}"),
            params={"deleteSubtasks": "true" if delete_subtasks else "false"},
            issue_key=key,
        )

    async def get_transitions(self, key: str, *, with_fields: bool = True) -> list[dict[str, Any]]:
        """Transitions available now (`GET /issue/{key}/transitions`): id, name, to, fields."""
        answer = await self.request_json(
            "GET",
            await self._api(f"issue/{segment(key)}/transitions"),
            params={"expand": "transitions.fields"} if with_fields else None,
        )
        raw = answer.get("transitions") if isinstance(answer, dict) else None
        return [t for t in raw if isinstance(t, dict)] if isinstance(raw, list) else []

    async def transition_issue(
        self,
        key: str,
        transition_id: str,
        *,
        fields: Mapping[str, Any] | None = None,
        update: Mapping[str, Any] | None = None,
    ) -> None:
        """Move an issue through a transition (`POST /issue/{key}/transitions` → 204)."""
        body: dict[str, Any] = {"transition": {"id": str(transition_id)}}
        if fields:
            body["fields"] = dict(fields)
        if update:
            body["update"] = dict(update)
        await self.request_json("POST", await self._api(f"issue/{segment(key)}/transitions"), json=body, issue_key=key)

    async def get_comments(
        self,
        key: str,
        *,
        start_at: int = 0,
        max_results: int = 50,
        order_by: Literal["created", "-created"] = "-created",
    ) -> dict[str, Any]:
        """A page of comments: `{startAt, maxResults, total, comments}` (newest first by default)."""
        answer = await self.request_json(
            "GET",
            await self._api(f"issue/{segment(key)}/comment"),
            params={"startAt": start_at, "maxResults": max_results, "orderBy": order_by},
        )
        return answer if isinstance(answer, dict) else {}

    async def add_comment(self, key: str, body: Any, visibility: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Add a comment (`POST /issue/{key}/comment` → 201). `body` is ADF on Cloud, wiki
        markup on Server/DC; `visibility` e.g. `{"type": "role", "value": "Developers"}`."""
        payload: dict[str, Any] = {"body": body}
        if visibility:
            payload["visibility"] = dict(visibility)
        answer = await self.request_json(
            "POST", await self._api(f"issue/{segment(key)}/comment"), json=payload, issue_key=key
        )
        return answer if isinstance(answer, dict) else {}

    async def add_worklog(
        self,
        key: str,
        *,
        time_spent: str | None = None,
        time_spent_seconds: int | None = None,
        started: dt.datetime | str | None = None,
        comment: Any = None,
    ) -> dict[str, Any]:
        """Log work (`POST /issue/{key}/worklog` → 201). `started` defaults to now.

        Give `time_spent` in Jira's notation (`1d 2h`) or `time_spent_seconds`, not both. The
        notation is better for days and weeks: Jira converts it with the site's own working day.
        """
        if (time_spent is None) == (time_spent_seconds is None):
            raise ValueError("give exactly one of time_spent and time_spent_seconds")
        payload: dict[str, Any] = {
            "started": _jira_time(started or dt.datetime.fromtimestamp(self._clock.wall(), dt.UTC)),
        }
        if time_spent is not None:
            payload["timeSpent"] = time_spent
        else:
            payload["timeSpentSeconds"] = int(time_spent_seconds or 0)
        if comment is not None:
            payload["comment"] = comment
        answer = await self.request_json(
            "POST", await self._api(f"issue/{segment(key)}/worklog"), json=payload, issue_key=key
        )
        return answer if isinstance(answer, dict) else {}

    async def link_issues(self, link_type: str, inward_key: str, outward_key: str) -> None:
        """Link two issues (`POST /issueLink` → 201, empty body). `link_type` is the type's name.

        Jira reads the request the opposite way to the type's labels: with `Blocks`, the
        `inwardIssue` is the one that *blocks* the `outwardIssue` (on the inward issue's page the
        other shows under `outwardIssue`, labelled with the type's outward text, "blocks").
        """
        await self.request_json(
            "POST",
            await self._api("issueLink"),
            json={
                "type": {"name": link_type},
                "inwardIssue": {"key": inward_key},
                "outwardIssue": {"key": outward_key},
            },
            issue_key=inward_key,
        )

    async def bulk_changelogs(
        self, issue_ids: Sequence[str], field_ids: Sequence[str] | None = None
    ) -> dict[str, list[dict[str, Any]]]:
        """The histories of many issues, keyed by the ids given, each oldest first.

        Cloud: `POST /changelog/bulkfetch` (a read: safe to retry), up to 1000 issues and 10 field
        ids a call, one request per page instead of one per issue. Server/DC has no such
        endpoint: each issue's changelog is read on its own there.
        """
        wanted = list(dict.fromkeys(str(i) for i in issue_ids))
        out: dict[str, list[dict[str, Any]]] = {issue_id: [] for issue_id in wanted}
        if not (await self.deployment()).is_cloud:
            for issue_id in wanted:
                start = 0
                while True:
                    page = await self.get_changelog(issue_id, start_at=start)
                    values = page.get("values") or []
                    out[issue_id] += values
                    if page.get("isLast", True) or not values:
                        break
                    start += len(values)
            return out
        path = await self._api("changelog/bulkfetch")
        for first in range(0, len(wanted), _MAX_CHANGELOG_ISSUES):
            body: dict[str, Any] = {"issueIdsOrKeys": wanted[first : first + _MAX_CHANGELOG_ISSUES]}
            if field_ids:
                body["fieldIds"] = list(field_ids)[:10]
            while True:
                answer = await self.request_json("POST", path, json=body, idempotent=True)
                answer = answer if isinstance(answer, dict) else {}
                for log in answer.get("issueChangeLogs") or ():
                    if isinstance(log, dict) and str(log.get("issueId")) in out:
                        out[str(log["issueId"])] += [h for h in log.get("changeHistories") or () if isinstance(h, dict)]
                token = answer.get("nextPageToken")
                if not token:
                    break
                body["nextPageToken"] = token
        return out

    async def get_changelog(self, key: str, start_at: int = 0, max_results: int = 100) -> dict[str, Any]:
        """A page of an issue's history, oldest first: `{startAt, maxResults, total, isLast, values}`.

        Cloud: `GET /issue/{key}/changelog`. Server/DC has no such endpoint: the histories of
        `GET /issue/{key}?expand=changelog` are paged here into the same shape.
        """
        info = await self.deployment()
        if info.is_cloud:
            answer = await self.request_json(
                "GET",
                await self._api(f"issue/{segment(key)}/changelog"),
                params={"startAt": start_at, "maxResults": max_results},
            )
            return answer if isinstance(answer, dict) else {}
        issue = await self.request_json(
            "GET",
            await self._api(f"issue/{segment(key)}"),
            params={"fields": "created", "expand": "changelog"},
        )
        log = issue.get("changelog") if isinstance(issue, dict) else None
        histories = log.get("histories") if isinstance(log, dict) else None
        values = [h for h in histories if isinstance(h, dict)] if isinstance(histories, list) else []
        page = values[start_at : start_at + max_results]
        return {
            "startAt": start_at,
            "maxResults": max_results,
            "total": len(values),
            "isLast": start_at + len(page) >= len(values),
            "values": page,
        }

    async def createmeta_issue_types(self, project: str) -> list[dict[str, Any]]:
        """Issue types one can create in a project (`GET /issue/createmeta/{project}/issuetypes`,
        every page)."""
        path = await self._api(f"issue/createmeta/{segment(project)}/issuetypes")
        return await self._createmeta_pages(path, "issueTypes")

    async def createmeta_fields(self, project: str, issue_type_id: str) -> list[dict[str, Any]]:
        """Fields of the create screen (`GET /issue/createmeta/{project}/issuetypes/{id}`, every
        page): fieldId, name, required, schema, allowedValues, defaultValue."""
        path = await self._api(f"issue/createmeta/{segment(project)}/issuetypes/{segment(issue_type_id)}")
        return await self._createmeta_pages(path, "fields")

    async def _createmeta_pages(self, path: str, cloud_key: str) -> list[dict[str, Any]]:
        async def page(start_at: int) -> dict[str, Any]:
            answer = await self.request_json("GET", path, params={"startAt": start_at, "maxResults": _CREATEMETA_PAGE})
            answer = answer if isinstance(answer, dict) else {}
            # Cloud names the list after its content; Server/DC calls it `values`.
            items = answer.get(cloud_key, answer.get("values"))
            return {**answer, "values": items}

        return [item async for item in iter_start_at(page) if isinstance(item, dict)]

    async def editmeta(self, key: str) -> dict[str, Any]:
        """Fields one may edit on an issue and how (`GET /issue/{key}/editmeta`): `{"fields": {...}}`."""
        answer = await self.request_json("GET", await self._api(f"issue/{segment(key)}/editmeta"))
        return answer if isinstance(answer, dict) else {}
