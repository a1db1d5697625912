"""Credentials on the wire, and nowhere else."""

from __future__ import annotations

import base64
from collections.abc import Generator

import httpx
from pydantic import SecretStr

__all__ = ["JiraAuth", "as_secret", "basic_credentials"]


class JiraAuth(httpx.Auth):
    """Adds the Authorization header at send time, so it is never stored on the client."""

    def __init__(self, username: str | None, api_token: SecretStr | None, bearer: SecretStr | None) -> None:
        self._username = username
        self._api_token = api_token
        self._bearer = bearer

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._bearer is not None:
            request.headers["Authorization"] = f"Bearer {self._bearer.get_secret_value()}"
        elif self._username is not None and self._api_token is not None:
            request.headers["Authorization"] = "Basic " + basic_credentials(self._username, self._api_token)
        yield request

    def __repr__(self) -> str:
        kind = "bearer" if self._bearer else "basic" if self._api_token else "none"
        return f"<JiraAuth {kind}>"


def as_secret(value: SecretStr | str | None) -> SecretStr | None:
    if value is None or isinstance(value, SecretStr):
        return value
    return SecretStr(value)


def basic_credentials(username: str, token: SecretStr) -> str:
    """The base64 part of a basic Authorization header (a secret as much as the token)."""
    return base64.b64encode(f"{username}:{token.get_secret_value()}".encode()).decode()
