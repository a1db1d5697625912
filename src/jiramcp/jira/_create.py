"""Creating issues without ever creating one twice.

Jira counts a re-sent `POST /issue` as a second create. So when a create gets no clear answer
(read timeout, dropped connection, 500/502/504 after sending), the client first looks for the
issue it may already have made: same project and summary, reported by the current user (or the
reporter the fields name), created in the last few minutes. Found: that issue is the result.
Not found (looked twice, because Cloud's search index trails writes by a moment): the create is
sent again, once. The check failing: the ambiguity is reported, never guessed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from jiramcp.jira._errors import BadRequest, JiraAmbiguousWriteError, JiraError
from jiramcp.jira._search import _jql_string, _SearchMethods

__all__: list[str] = []

logger = logging.getLogger("jiramcp.jira")

_BULK_CREATE_MAX = 50  # POST /issue/bulk: issueUpdates <= 50
_INDEX_LAG = 2.0  # seconds to wait before looking a second time
_CLOCK_SKEW = 120.0  # an issue created this long before our attempt may still be ours


def _ref(value: Any, *names: str) -> str | None:
    if isinstance(value, Mapping):
        for name in names:
            if value.get(name) not in (None, ""):
                return str(value[name])
    return None


def _parse_created(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    # Jira writes offsets as +0000; fromisoformat wants +00:00.
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class _CreateMethods(_SearchMethods):
    async def create_issue(self, fields: Mapping[str, Any], update: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Create one issue (`POST /issue`): `{"id", "key", "self"}`.

        Args:
            fields: Field values by field id; `project` and `issuetype` are required by Jira.
            update: Field operations (`{"labels": [{"add": "x"}]}`).

        Raises:
            BadRequest: Jira refused the fields (see `field_errors`).
            JiraAmbiguousWriteError: The outcome stayed unclear and could not be settled.
        """
        body: dict[str, Any] = {"fields": dict(fields)}
        if update:
            body["update"] = dict(update)
        path = await self._api("issue")
        for round_ in (1, 2):
            since = self._clock.wall()
            try:
                created = await self.request_json("POST", path, json=body, idempotent=False)
            except JiraAmbiguousWriteError as ambiguous:
                found = await self._find_created(fields, since, ambiguous)
                if found is not None:
                    logger.warning(
                        "create_issue: the outcome was unclear; %s was created by it, not sending again",
                        found.get("key"),
                    )
                    return found
                if round_ == 2:
                    raise
                logger.warning("create_issue: the outcome was unclear and no such issue exists; sending again")
                continue
            return created if isinstance(created, dict) else {}
        raise AssertionError("unreachable")  # pragma: no cover

    async def _find_created(
        self, fields: Mapping[str, Any], since: float, ambiguous: JiraAmbiguousWriteError
    ) -> dict[str, Any] | None:
        project = _ref(fields.get("project"), "key", "id")
        summary = fields.get("summary")
        if project is None or not isinstance(summary, str):
            raise JiraAmbiguousWriteError(
                f"{ambiguous} (it cannot be checked: the fields name no project or summary)",
                method=ambiguous.method,
                path=ambiguous.path,
            ) from ambiguous
        reporter = _ref(fields.get("reporter"), "accountId", "name", "id")
        who = _jql_string(reporter) if reporter else "currentUser()"
        jql = f'project = {_jql_string(project)} AND reporter = {who} AND created >= "-10m" ORDER BY created DESC'
        wanted = summary.strip()
        for look in (1, 2):
            try:
                page = await self.search(jql, fields=["summary", "created"], max_results=50)
            except JiraError as exc:
                raise JiraAmbiguousWriteError(
                    f"{ambiguous} (checking for the issue failed too: {exc})",
                    method=ambiguous.method,
                    path=ambiguous.path,
                ) from ambiguous
            for issue in page.issues:
                found = issue.get("fields") if isinstance(issue.get("fields"), dict) else {}
                created = _parse_created(found.get("created"))
                recent = created is None or created >= since - _CLOCK_SKEW
                if str(found.get("summary") or "").strip() == wanted and recent and issue.get("key"):
                    return {"id": issue.get("id"), "key": issue["key"], "self": issue.get("self")}
            if look == 1:
                await self._clock.sleep(_INDEX_LAG)
        return None

    async def create_issues(self, issue_updates: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        """Create many issues (`POST /issue/bulk`), 50 per request; this method does the chunking.

        Returns:
            `{"issues": [{"id", "key", "self"}...], "errors": [{"status", "failedElementNumber",
            "elementErrors"}...]}`, with `failedElementNumber` counted over the whole input.

        Raises:
            JiraAmbiguousWriteError: A chunk got no clear answer; the message names the issues
                created before it. Bulk creates are not re-sent.
        """
        path = await self._api("issue/bulk")
        issues: list[Any] = []
        errors: list[Any] = []
        for start in range(0, len(issue_updates), _BULK_CREATE_MAX):
            chunk = [dict(u) for u in issue_updates[start : start + _BULK_CREATE_MAX]]
            try:
                answer = await self.request_json("POST", path, json={"issueUpdates": chunk}, idempotent=False)
            except BadRequest as exc:
                # Every item failed: Jira answers 400 with the per-item errors in the body.
                if not (isinstance(exc.body, dict) and isinstance(exc.body.get("errors"), list)):
                    raise
                answer = exc.body
            except JiraAmbiguousWriteError as exc:
                done = ", ".join(str(i.get("key")) for i in issues if isinstance(i, dict)) or "none"
                raise JiraAmbiguousWriteError(
                    f"{exc} (items {start}-{start + len(chunk) - 1}; created before them: {done})",
                    method=exc.method,
                    path=exc.path,
                ) from exc
            answer = answer if isinstance(answer, dict) else {}
            issues.extend(answer.get("issues") or [])
            for error in answer.get("errors") or []:
                if isinstance(error, dict) and isinstance(error.get("failedElementNumber"), int):
                    error = {**error, "failedElementNumber": error["failedElementNumber"] + start}
                errors.append(error)
        return {"issues": issues, "errors": errors}
