"""Search and read issues, the same way on Cloud and Server/Data Center.

Cloud: `POST /rest/api/3/search/jql` (token-paged, no total; the old `/search` answers 410),
`POST /search/approximate-count`, `POST /issue/bulkfetch`. Server/DC: `POST /rest/api/2/search`
(startAt-paged, with total), which also stands in for the two Cloud-only calls.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from jiramcp.jira._core import _BaseClient, segment
from jiramcp.jira._pagination import (
    SearchPage,
    decode_start_token,
    encode_start_token,
    iter_token_pages,
)

__all__: list[str] = []

DEFAULT_FIELDS: tuple[str, ...] = ("*navigable",)
_BULK_FETCH_MAX = 100  # POST /issue/bulkfetch: issueIdsOrKeys 1..100


def _csv(values: Sequence[str] | str | None) -> str | None:
    if values is None:
        return None
    return values if isinstance(values, str) else ",".join(values)


def _list(values: Sequence[str] | str | None) -> list[str] | None:
    if values is None:
        return None
    return [v for v in values.split(",") if v] if isinstance(values, str) else list(values)


def _jql_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _SearchMethods(_BaseClient):
    async def search(
        self,
        jql: str,
        *,
        fields: Sequence[str] | str | None = DEFAULT_FIELDS,
        max_results: int = 50,
        next_page_token: str | None = None,
        expand: Sequence[str] | str | None = None,
        reconcile_issues: Sequence[int] | None = None,
    ) -> SearchPage:
        """One page of issues matching `jql`.

        Args:
            jql: The query. Cloud refuses unbounded queries (400).
            fields: Field ids to return (`*navigable`, `*all`, `-field` work too).
            max_results: Page size (Jira may return fewer).
            next_page_token: From the previous `SearchPage`; None for the first page.
            expand: e.g. `names`, `renderedFields`, `transitions`.
            reconcile_issues: Cloud only: ids of issues just written, for read-after-write
                consistency (send the same list on every page).
        """
        info = await self.deployment()
        if info.is_cloud:
            body: dict[str, Any] = {"jql": jql, "maxResults": max_results}
            if fields is not None:
                body["fields"] = _list(fields)
            if next_page_token:
                body["nextPageToken"] = next_page_token
            if expand:
                body["expand"] = _csv(expand)  # a comma string here, unlike bulkfetch
            if reconcile_issues:
                body["reconcileIssues"] = list(reconcile_issues)
            answer = await self.request_json("POST", "/rest/api/3/search/jql", json=body, idempotent=True)
            answer = answer if isinstance(answer, dict) else {}
            token = answer.get("nextPageToken") or None
            return SearchPage(
                issues=_issues(answer),
                next_page_token=token,
                is_last=bool(answer.get("isLast", token is None)) or token is None,
                names=answer.get("names") if isinstance(answer.get("names"), dict) else None,
            )
        start_at = decode_start_token(next_page_token, jql) if next_page_token else 0
        answer = await self._server_search(jql, start_at, max_results, fields, expand)
        issues = _issues(answer)
        total = answer.get("total") if isinstance(answer.get("total"), int) else None
        following = start_at + len(issues)
        is_last = not issues or (total is not None and following >= total)
        return SearchPage(
            issues=issues,
            next_page_token=None if is_last else encode_start_token(following, jql),
            is_last=is_last,
            total=total,
            names=answer.get("names") if isinstance(answer.get("names"), dict) else None,
        )

    async def _server_search(
        self,
        jql: str,
        start_at: int,
        max_results: int,
        fields: Sequence[str] | str | None,
        expand: Sequence[str] | str | None = None,
        validate: str = "strict",
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"jql": jql, "startAt": start_at, "maxResults": max_results}
        if fields is not None:
            body["fields"] = _list(fields)
        if expand:
            body["expand"] = _list(expand)
        if validate != "strict":
            body["validateQuery"] = validate
        answer = await self.request_json("POST", "/rest/api/2/search", json=body, idempotent=True)
        return answer if isinstance(answer, dict) else {}

    async def search_all(
        self,
        jql: str,
        *,
        fields: Sequence[str] | str | None = DEFAULT_FIELDS,
        limit: int = 1000,
        page_size: int = 100,
    ) -> AsyncIterator[dict[str, Any]]:
        """Every issue matching `jql`, page after page, up to `limit` issues."""

        async def fetch(token: str | None) -> SearchPage:
            return await self.search(jql, fields=fields, max_results=page_size, next_page_token=token)

        async for issue in iter_token_pages(fetch, limit=limit):
            yield issue

    async def approximate_count(self, jql: str) -> int:
        """How many issues match (Cloud: `POST /search/approximate-count`, an estimate for
        bounded JQL; Server/DC: the exact `total` of a zero-size search)."""
        info = await self.deployment()
        if info.is_cloud:
            answer = await self.request_json(
                "POST", "/rest/api/3/search/approximate-count", json={"jql": jql}, idempotent=True
            )
            count = answer.get("count") if isinstance(answer, dict) else None
        else:
            count = (await self._server_search(jql, 0, 0, ["id"])).get("total")
        return count if isinstance(count, int) else 0

    async def get_issue(
        self,
        key: str,
        *,
        fields: Sequence[str] | str | None = None,
        expand: Sequence[str] | str | None = None,
    ) -> dict[str, Any]:
        """One issue (`GET /issue/{key}`); all fields unless `fields` narrows them.

        Raises:
            NotFound: No such issue, or the user may not see it.
        """
        issue = await self.request_json(
            "GET",
            await self._api(f"issue/{segment(key)}"),
            params={"fields": _csv(fields), "expand": _csv(expand)},
        )
        return issue if isinstance(issue, dict) else {}

    async def bulk_fetch(
        self,
        keys: Sequence[str],
        fields: Sequence[str] | str | None = DEFAULT_FIELDS,
        *,
        expand: Sequence[str] | None = None,
    ) -> dict[str, Any]:
        """Many issues by key or id, in chunks of 100: `{"issues": [...], "issueErrors": [...]}`.

        Missing or hidden issues are left out (as Jira's bulkfetch does). Cloud:
        `POST /issue/bulkfetch`; Server/DC: a `key in (...)` search that tolerates unknown keys.
        """
        info = await self.deployment()
        issues: list[dict[str, Any]] = []
        errors: list[Any] = []
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), _BULK_FETCH_MAX):
            chunk = unique[start : start + _BULK_FETCH_MAX]
            if info.is_cloud:
                body: dict[str, Any] = {"issueIdsOrKeys": chunk}
                if fields is not None:
                    body["fields"] = _list(fields)
                if expand:
                    body["expand"] = list(expand)
                answer = await self.request_json("POST", "/rest/api/3/issue/bulkfetch", json=body, idempotent=True)
                answer = answer if isinstance(answer, dict) else {}
                issues.extend(_issues(answer))
                if isinstance(answer.get("issueErrors"), list):
                    errors.extend(answer["issueErrors"])
            else:
                jql = f"key in ({', '.join(_jql_string(k) for k in chunk)})"
                answer = await self._server_search(jql, 0, len(chunk), fields, expand, validate="warn")
                issues.extend(_issues(answer))
        return {"issues": issues, "issueErrors": errors}


def _issues(answer: dict[str, Any]) -> list[dict[str, Any]]:
    raw = answer.get("issues")
    return [i for i in raw if isinstance(i, dict)] if isinstance(raw, list) else []
