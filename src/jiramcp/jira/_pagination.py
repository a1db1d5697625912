"""Paging, in both of Jira's styles, behind one shape.

Cloud's `search/jql` pages with an opaque `nextPageToken` and `isLast` (no total); Server/Data
Center's `search` and the Agile endpoints page with `startAt`/`maxResults`/`total` (Agile adds
`isLast`). `SearchPage` looks the same for both: a startAt position is wrapped in an opaque token
bound to its query, so callers page with `next_page_token` whatever the deployment.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from jiramcp.jira._errors import InvalidPageToken

__all__ = [
    "SearchPage",
    "decode_start_token",
    "encode_start_token",
    "iter_start_at",
    "iter_token_pages",
    "start_at_is_last",
]

_PREFIX = "s1."


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of search results.

    Attributes:
        issues: The issues, as Jira returned them.
        next_page_token: Pass it back for the next page; None on the last page.
        is_last: No page follows.
        total: Matching issues in all (Server/Data Center only; Cloud does not count).
        names: Field id -> display name, when `expand` asked for `names`.
    """

    issues: list[dict[str, Any]]
    next_page_token: str | None
    is_last: bool
    total: int | None = None
    names: dict[str, str] | None = field(default=None)


def _query_tag(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()[:12]


def encode_start_token(start_at: int, query: str) -> str:
    """An opaque token for position `start_at` of `query`."""
    raw = json.dumps({"s": start_at, "q": _query_tag(query)}, separators=(",", ":")).encode()
    return _PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_start_token(token: str, query: str) -> int:
    """The position a token from `encode_start_token` stands for.

    Raises:
        InvalidPageToken: The token is malformed or was issued for another query.
    """
    if not token.startswith(_PREFIX):
        raise InvalidPageToken("next_page_token is not one this server issued; start without it")
    body = token[len(_PREFIX) :]
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        start_at, tag = int(data["s"]), str(data["q"])
    except (ValueError, TypeError, KeyError) as exc:
        raise InvalidPageToken("next_page_token is damaged; start the search again without it") from exc
    if tag != _query_tag(query) or start_at < 0:
        raise InvalidPageToken("next_page_token belongs to another query; start again without it")
    return start_at


def start_at_is_last(page: dict[str, Any], start_at: int, count: int) -> bool:
    """Whether a startAt-paged answer was the last page, read defensively."""
    if isinstance(page.get("isLast"), bool):
        return bool(page["isLast"])
    total = page.get("total")
    if isinstance(total, int):
        return start_at + count >= total
    return count == 0 or count < int(page.get("maxResults") or count + 1)


async def iter_start_at(
    fetch: Callable[[int], Awaitable[dict[str, Any]]],
    *,
    values_key: str = "values",
    limit: int | None = None,
) -> AsyncIterator[dict[str, Any]]:
    """Yield the items of every page of a startAt-paged endpoint.

    Args:
        fetch: Fetches the page starting at the given position.
        values_key: Where the page keeps its items (`values`, `issues`, `comments`, ...).
        limit: Stop after this many items.
    """
    start_at, seen = 0, 0
    while True:
        page = await fetch(start_at)
        items = page.get(values_key)
        items = items if isinstance(items, list) else []
        for item in items:
            if limit is not None and seen >= limit:
                return
            seen += 1
            yield item
        if not items or start_at_is_last(page, start_at, len(items)):
            return
        start_at += len(items)


async def iter_token_pages(
    fetch: Callable[[str | None], Awaitable[SearchPage]],
    *,
    limit: int | None = None,
) -> AsyncIterator[dict[str, Any]]:
    """Yield the issues of every page of a token-paged search, until `limit` issues."""
    token: str | None = None
    seen = 0
    while True:
        page = await fetch(token)
        for issue in page.issues:
            if limit is not None and seen >= limit:
                return
            seen += 1
            yield issue
        if page.is_last or not page.next_page_token or not page.issues:
            return
        token = page.next_page_token
