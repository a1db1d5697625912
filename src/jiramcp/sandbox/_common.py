"""Small pieces every sandbox module shares: Jira's time formats, its error body, JSON replies.

Exception
  └── JiraError(status, messages, errors)   raised by routes, answered as Jira's error body
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

__all__ = [
    "JiraError",
    "agile_time",
    "error_body",
    "jira_time",
    "json_response",
    "parse_jira_time",
    "read_json",
]

ISSUE_NOT_FOUND = "Issue does not exist or you do not have permission to see it."


class JiraError(Exception):
    """An HTTP error answered in Jira's shape: `{"errorMessages": [...], "errors": {...}}`."""

    def __init__(
        self,
        status: int,
        messages: list[str] | str | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> None:
        if isinstance(messages, str):
            messages = [messages]
        self.status = status
        self.messages = list(messages or [])
        self.errors = dict(errors or {})
        super().__init__(f"{status}: {self.messages} {self.errors}")


def error_body(messages: list[str], errors: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {"errorMessages": list(messages), "errors": dict(errors or {})}


def json_response(payload: Any, status: int = 200) -> Response:
    """A compact JSON reply (Jira sends no whitespace; neither do we, it costs bytes)."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return Response(body, status_code=status, media_type="application/json;charset=UTF-8")


def jira_time(moment: datetime) -> str:
    """Jira's platform timestamp: `2024-01-17T12:34:00.000+0000`."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


def agile_time(moment: datetime) -> str:
    """The Agile API's timestamp: `2024-01-17T12:34:00.000Z`."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_jira_time(text: str) -> datetime:
    """Parse either timestamp form (or any ISO 8601 with an offset) to an aware datetime.

    Raises:
        ValueError: for text that is not such a timestamp.
    """
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    elif len(value) > 5 and value[-5] in "+-" and value[-4:].isdigit():
        value = value[:-2] + ":" + value[-2:]
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


async def read_json(request: Request) -> Any:
    """The request's JSON body; a body that is not JSON is a 400 as Jira answers it."""
    raw = await request.body()
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JiraError(400, "Unexpected character in the request body: not valid JSON.") from exc


def query_int(request: Request, name: str, default: int, *, minimum: int = 0) -> int:
    """An integer query parameter; garbage is a 400, as Jira refuses it."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise JiraError(400, f"The '{name}' parameter must be an integer.") from exc
    return max(value, minimum)
