"""The errors the Jira client raises.

```
JiraError                               anything this package raises on purpose
├── JiraTransportError                  no HTTP answer: connect, timeout, protocol (has `sent`)
├── JiraAmbiguousWriteError             a write may or may not have happened; not re-sent
├── InvalidPageToken                    a next_page_token this client did not issue
└── JiraAPIError(status, error_messages, field_errors)
    ├── BadRequest                      400, 422: Jira's per-field `errors` say what to fix
    ├── Unauthorized                    401: credentials wrong or expired
    ├── Forbidden                       403: the user lacks a permission
    ├── NotFound                        404: missing, or not visible to this user
    ├── Conflict                        409
    ├── Gone                            410: Jira removed the endpoint
    ├── RateLimited(retry_after, reason) 429, or a wait longer than the retry budget allows
    └── ServerError                     5xx
```

Messages say what to do next and never hold a token or an Authorization header; an HTML or
otherwise non-JSON body is summarised, never quoted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "BadRequest",
    "Conflict",
    "Forbidden",
    "Gone",
    "InvalidPageToken",
    "JiraAPIError",
    "JiraAmbiguousWriteError",
    "JiraError",
    "JiraTransportError",
    "NotFound",
    "RateLimited",
    "ServerError",
    "Unauthorized",
    "error_for_status",
]


class JiraError(Exception):
    """Base of every error the Jira client raises on purpose."""


class JiraTransportError(JiraError):
    """No HTTP answer came back (connection refused, timeout, dropped connection).

    Attributes:
        sent: False when the request provably never reached Jira (connect failure).
    """

    def __init__(self, message: str, *, sent: bool) -> None:
        super().__init__(message)
        self.sent = sent


class JiraAmbiguousWriteError(JiraError):
    """A non-idempotent write got no clear answer; it may or may not have been applied.

    Not retried, because a retry could apply it twice. Check the target before repeating.
    """

    def __init__(self, message: str, *, method: str, path: str) -> None:
        super().__init__(message)
        self.method = method
        self.path = path


class InvalidPageToken(JiraError, ValueError):
    """A page token that this client did not hand out (or that belongs to another query)."""


class JiraAPIError(JiraError):
    """Jira answered with an error status.

    Attributes:
        status: The HTTP status code.
        error_messages: Jira's `errorMessages`.
        field_errors: Jira's `errors`, keyed by field id.
        body: The parsed JSON answer, or None when it was not JSON.
    """

    hint = ""

    def __init__(
        self,
        status: int,
        error_messages: Sequence[str] = (),
        field_errors: Mapping[str, str] | None = None,
        *,
        method: str = "",
        path: str = "",
        detail: str = "",
        body: Any = None,
    ) -> None:
        self.status = status
        self.error_messages = list(error_messages)
        self.field_errors = dict(field_errors or {})
        self.method = method
        self.path = path
        self.body = body
        super().__init__(self._compose(detail))

    def _compose(self, detail: str) -> str:
        where = f"{self.method} {self.path} " if self.method else ""
        parts = [f"Jira answered {self.status} to {where}".rstrip() + "."]
        said = [*self.error_messages, *(f"{k}: {v}" for k, v in self.field_errors.items())]
        if said:
            parts.append("Jira says: " + "; ".join(said))
        elif detail:
            parts.append(detail)
        if self.hint:
            parts.append(self.hint)
        return " ".join(parts)


class BadRequest(JiraAPIError):
    hint = "Fix the request as Jira's messages describe (field ids name the fields at fault)."


class Unauthorized(JiraAPIError):
    hint = (
        "The credentials were rejected: check JIRA_USERNAME and JIRA_API_TOKEN (Cloud) or "
        "JIRA_PERSONAL_TOKEN (Server/Data Center); API tokens expire, create a new one if needed."
    )


class Forbidden(JiraAPIError):
    hint = "The Jira user lacks a permission for this; ask a Jira admin or act on another project."


class NotFound(JiraAPIError):
    hint = "It does not exist or this user may not see it; check the key or id (e.g. with a search)."


class Conflict(JiraAPIError):
    hint = "Someone changed it at the same time; read it again and repeat the change."


class Gone(JiraAPIError):
    hint = "Jira removed this API; jiramcp needs an update that uses its replacement."


class ServerError(JiraAPIError):
    hint = "Jira failed on its side; try again later."


class RateLimited(JiraAPIError):
    """Jira's rate limit, or a requested wait longer than the client's retry budget.

    Attributes:
        retry_after: Seconds to wait before trying again, when known.
        reason: Jira's `RateLimit-Reason` (e.g. `jira-per-issue-on-write`), when given.
    """

    def __init__(
        self,
        status: int = 429,
        error_messages: Sequence[str] = (),
        field_errors: Mapping[str, str] | None = None,
        *,
        retry_after: float | None = None,
        reason: str | None = None,
        method: str = "",
        path: str = "",
        detail: str = "",
        body: Any = None,
    ) -> None:
        self.retry_after = retry_after
        self.reason = reason
        super().__init__(status, error_messages, field_errors, method=method, path=path, detail=detail, body=body)

    def _compose(self, detail: str) -> str:
        base = super()._compose(detail)
        why = f" ({self.reason})" if self.reason else ""
        if self.retry_after is None:
            return f"{base} Jira's rate limit was hit{why}; try again in a minute."
        when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.retry_after)
        return (
            f"{base} Jira's rate limit was hit{why}; try again in {self.retry_after:.0f} s (after {when:%H:%M:%S} UTC)."
        )


_BY_STATUS: dict[int, type[JiraAPIError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    410: Gone,
    422: BadRequest,
    429: RateLimited,
}


def error_for_status(
    status: int,
    body: Any,
    *,
    method: str,
    path: str,
    retry_after: float | None = None,
    reason: str | None = None,
    detail: str = "",
) -> JiraAPIError:
    """Build the typed error for an error answer.

    Args:
        status: HTTP status (>= 400).
        body: The parsed JSON body, or None when it was not JSON.
        method: HTTP method, for the message.
        path: URL path (no query, no host), for the message.
        retry_after: For 429: the wait Jira asked for, in seconds.
        reason: For 429: Jira's `RateLimit-Reason`.
        detail: Said when Jira gave no messages (e.g. "an HTML page of 512 bytes").
    """
    messages, field_errors = _read_error_body(body)
    if status == 413 and not detail:
        detail = "A per-issue limit was reached (comments, worklogs, links or attachments)."
    if status == 429 or (status == 503 and retry_after is not None and reason):
        return RateLimited(
            status,
            messages,
            field_errors,
            retry_after=retry_after,
            reason=reason,
            method=method,
            path=path,
            detail=detail,
            body=body,
        )
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else JiraAPIError)
    return cls(status, messages, field_errors, method=method, path=path, detail=detail, body=body)


def _read_error_body(body: Any) -> tuple[list[str], dict[str, str]]:
    """Jira's `{"errorMessages": [...], "errors": {...}}`, read without trusting its shape."""
    if not isinstance(body, Mapping):
        return [], {}
    raw_messages = body.get("errorMessages")
    messages = [str(m) for m in raw_messages if m] if isinstance(raw_messages, list) else []
    raw_errors = body.get("errors")
    field_errors = {str(k): str(v) for k, v in raw_errors.items()} if isinstance(raw_errors, Mapping) else {}
    # Some endpoints (Agile, older Server) answer {"message": "..."} instead.
    if not messages and not field_errors and isinstance(body.get("message"), str):
        messages = [body["message"]]
    return messages, field_errors
