"""Helpers for the sandbox tests: a small seeded sandbox config at a fixed time, Jira error checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from jiramcp.sandbox import RateLimitConfig, SandboxConfig

ANCHOR = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class FakeClock:
    """The sandbox's clock, pinned; tests move it by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_config(**overrides: object) -> SandboxConfig:
    values: dict[str, object] = {
        "seed": 7,
        "issues": 120,
        "anchor": ANCHOR,
        "clock": FakeClock(ANCHOR + timedelta(hours=1)),
        "limits": RateLimitConfig(enabled=False),
        "base_url": "http://jira.test",
    }
    values.update(overrides)
    return SandboxConfig(**values)  # type: ignore[arg-type]


def assert_jira_error(response: httpx.Response, status: int) -> dict:
    """The response has `status` and Jira's error body; returns the body."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"errorMessages", "errors"}
    assert isinstance(body["errorMessages"], list) and isinstance(body["errors"], dict)
    return body
