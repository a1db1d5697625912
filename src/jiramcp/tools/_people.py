"""People and text for writes: users named as a model names them, Markdown in Jira's text format."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import anyio

from jiramcp.adf import markdown_to_adf, markdown_to_wiki
from jiramcp.tools._context import AppState

# Cloud accountIds: 24 hex digits, or `<number>:<uuid>`; such input needs no lookup.
_ACCOUNT_ID = re.compile(r"^(?:[0-9a-f]{24}|\d+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")
_ME = frozenset({"me", "myself", "currentuser()", "current user"})
# Candidates listed when a name matches several people.
MAX_CANDIDATES = 8


async def text_writer(state: AppState) -> Callable[[str], Any]:
    """Markdown → what this deployment stores: ADF on Cloud, wiki markup on Server/Data Center."""
    info = await state.client.deployment()
    return markdown_to_adf if info.text_format == "adf" else markdown_to_wiki


def _candidate(user: Mapping[str, Any]) -> str:
    ident = user.get("accountId") or user.get("name") or user.get("key")
    email = f" <{user['emailAddress']}>" if user.get("emailAddress") else ""
    return f"{user.get('displayName') or ident}{email} ({ident})"


def _ref(user: Mapping[str, Any], field: str) -> dict[str, Any]:
    value = user.get(field) or user.get("accountId") or user.get("name") or user.get("key")
    return {field: value}


def _names_them(query: str, user: Mapping[str, Any]) -> bool:
    """Whole words of the display name ("priya", "priya sharma") or the email's local part."""
    words = query.split()
    name_words = str(user.get("displayName") or "").lower().split()
    email = str(user.get("emailAddress") or "").lower()
    return bool(words) and (all(w in name_words for w in words) or email.split("@")[0] == query)


def _choose(query: str, found: list[Mapping[str, Any]]) -> Mapping[str, Any] | str:
    """The one user `query` means, or the reason there is none.

    An exact display name, email, accountId or user name wins; otherwise the query must name
    exactly one user by whole words ("Priya"), so a fragment like "a" never picks someone.
    """
    lowered = query.strip().lower()
    keys = ("displayName", "emailAddress", "accountId", "name", "key")
    exact = [u for u in found if lowered in {str(u.get(k) or "").lower() for k in keys}]
    named = exact or [u for u in found if _names_them(lowered, u)]
    if len(named) > 1:
        # A deactivated account rarely is the one meant when an active one also fits.
        named = [u for u in named if u.get("active", True) is not False] or named
    if len(named) == 1:
        return named[0]
    if not found:
        return f"no user matches {query!r}; search with jira_find_users"
    shown = "; ".join(_candidate(u) for u in (named or found)[:MAX_CANDIDATES])
    return f"{query!r} does not name one user; candidates: {shown}. Pass the email or accountId of the one you mean"


async def resolve_users(
    state: AppState, wanted: Iterable[tuple[str, str]]
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Look up every `(query, param)`; returns (query → Jira user reference, problems by param).

    The reference is `{"accountId"}` on Cloud and `{"name"}` on Server/Data Center. Lookups run
    concurrently, one per distinct query.
    """
    info = await state.client.deployment()
    field = info.user_field
    params: dict[str, str] = {}
    for query, param in wanted:
        params.setdefault(query, param)
    resolved: dict[str, dict[str, Any]] = {}
    problems: list[str] = []

    async def one(query: str) -> None:
        text = query.strip()
        if text.lower() in _ME:
            resolved[query] = _ref(await state.client.myself(), field)
        elif info.is_cloud and _ACCOUNT_ID.match(text):
            resolved[query] = {"accountId": text}
        else:
            choice = _choose(text, await state.client.search_users(text, max_results=MAX_CANDIDATES + 2))
            if isinstance(choice, str):
                problems.append(f"{params[query]}: {choice}")
            else:
                resolved[query] = _ref(choice, field)

    async with anyio.create_task_group() as group:
        for query in params:
            group.start_soon(one, query)
    return resolved, sorted(problems)
