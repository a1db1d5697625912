"""Per-request Jira credentials: parsed from headers, pooled by a keyed hash, never logged.

A multi-user deployment (`JIRAMCP_HTTP_PER_REQUEST_AUTH=true`) lets each MCP client send its own
Jira credentials. Each distinct credential set gets its own `JiraClient` (own connection pool,
rate budget and metadata cache: what one user may see must not leak into another's answers), kept
in a small LRU pool. The pool key is an HMAC of the credentials under a per-process random key,
so not even a hash of a token is stable across runs or useful outside this process.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
from pydantic import SecretStr

from jiramcp.settings import Settings

__all__ = ["CREDENTIAL_HEADERS", "ClientPool", "Credentials", "credentials_from_headers"]

logger = logging.getLogger(__name__)

# header -> meaning; documented in the README.
CREDENTIAL_HEADERS: dict[str, str] = {
    "X-Jira-Username": "basic auth user (Cloud: the account's email), with X-Jira-Api-Token",
    "X-Jira-Api-Token": "Cloud API token, with X-Jira-Username",
    "X-Jira-Personal-Token": "Server/Data Center personal access token",
    "X-Jira-Oauth-Token": "OAuth 2.0 access token",
}


class CredentialError(ValueError):
    """Credential headers missing or inconsistent; the message names headers, never values."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """One user's Jira credentials; `repr` shows the kind only."""

    kind: str  # "basic" | "pat" | "oauth"
    username: str | None
    secret: SecretStr = field(repr=False)

    def settings_for(self, base: Settings) -> Settings:
        """The deployment's settings with this user's credentials in place of its own."""
        update: dict[str, Any] = {
            "jira_username": None,
            "jira_api_token": None,
            "jira_personal_token": None,
            "jira_oauth_token": None,
        }
        if self.kind == "basic":
            update |= {"jira_username": self.username, "jira_api_token": self.secret}
        elif self.kind == "pat":
            update["jira_personal_token"] = self.secret
        else:
            update["jira_oauth_token"] = self.secret
        return base.model_copy(update=update)


def credentials_from_headers(headers: Mapping[str, str]) -> Credentials:
    """Read one complete credential set from `X-Jira-*` headers.

    Raises:
        CredentialError: none given, an incomplete pair, or two kinds at once.
    """
    get = {name.lower(): (headers.get(name.lower()) or "").strip() for name in CREDENTIAL_HEADERS}
    user, token = get["x-jira-username"], get["x-jira-api-token"]
    pat, oauth = get["x-jira-personal-token"], get["x-jira-oauth-token"]
    kinds = [kind for kind, present in (("basic", user or token), ("pat", pat), ("oauth", oauth)) if present]
    if not kinds:
        raise CredentialError(
            "this server takes Jira credentials per request: send X-Jira-Username and X-Jira-Api-Token "
            "(Cloud), X-Jira-Personal-Token (Server/Data Center) or X-Jira-Oauth-Token"
        )
    if len(kinds) > 1:
        raise CredentialError("send one kind of Jira credentials per request, not " + " and ".join(kinds))
    if kinds == ["basic"]:
        if not (user and token):
            raise CredentialError("X-Jira-Username and X-Jira-Api-Token must be sent together")
        return Credentials("basic", user, SecretStr(token))
    return Credentials(kinds[0], None, SecretStr(pat or oauth))


@dataclass(slots=True)
class _Entry:
    client: Any
    extras: dict[str, Any]
    leases: int = 0
    evicted: bool = False


class ClientPool:
    """At most `size` idle Jira clients, one per credential set, least recently used closed first.

    A client in use is never closed under a running call: eviction marks it and the last lease
    closes it. Under a burst of more distinct users than `size`, the pool grows past its bound
    only by the clients currently in use.
    """

    def __init__(self, size: int, open_client: Callable[[Credentials], Any]) -> None:
        """Args:
        size: Clients kept at most.
        open_client: Builds an (unopened-context) `JiraClient` for a credential set.
        """
        self._size = size
        self._open_client = open_client
        self._key = secrets.token_bytes(32)
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = anyio.Lock()
        self.opened = 0  # clients created so far (tests and logs)

    def key_for(self, credentials: Credentials) -> str:
        material = "\0".join((credentials.kind, credentials.username or "", credentials.secret.get_secret_value()))
        return hmac.new(self._key, material.encode(), hashlib.sha256).hexdigest()

    def __len__(self) -> int:
        return len(self._entries)

    @asynccontextmanager
    async def lease(self, credentials: Credentials) -> AsyncIterator[tuple[Any, dict[str, Any]]]:
        """Use the client for `credentials` (opened on first use) for the duration of a call."""
        key = self.key_for(credentials)
        to_close: list[Any] = []
        async with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                entry = _Entry(client=self._open_client(credentials), extras={})
                self.opened += 1
                self._entries[key] = entry
                logger.info("opened a Jira client for a new credential set (%d pooled)", len(self._entries))
            self._entries.move_to_end(key)
            entry.leases += 1
            to_close = self._evict()
        await _close_all(to_close)
        try:
            yield entry.client, entry.extras
        finally:
            with anyio.CancelScope(shield=True):
                async with self._lock:
                    entry.leases -= 1
                    last = entry.evicted and entry.leases == 0
                if last:
                    await _close_all([entry.client])

    def _evict(self) -> list[Any]:
        closing = []
        for key in list(self._entries):
            if len(self._entries) <= self._size:
                break
            entry = self._entries[key]
            if entry.leases:
                continue
            del self._entries[key]
            closing.append(entry.client)
        return closing

    async def aclose(self) -> None:
        """Close every pooled client (at shutdown, after in-flight calls finished)."""
        async with self._lock:
            entries = list(self._entries.values())
            self._entries.clear()
        for entry in entries:
            entry.evicted = True
        await _close_all([e.client for e in entries if not e.leases])


async def _close_all(clients: list[Any]) -> None:
    for client in clients:
        try:
            await client.aclose()
        except Exception:  # closing must not fail a call; the reason is logged without details
            logger.warning("closing a pooled Jira client failed", exc_info=False)
