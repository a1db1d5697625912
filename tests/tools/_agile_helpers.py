"""Shared helpers for the agile tool tests: a sandbox without rate limits, and store lookups."""

from __future__ import annotations

from typing import Any

from jiramcp.sandbox import RateLimitConfig

# The limiter is exercised by the sandbox's own tests; here it would only add 1 s pauses.
NO_LIMITS: dict[str, Any] = {"limits": RateLimitConfig(enabled=False)}


def sandbox_of(app: Any) -> Any:
    return app.state.sandbox


def sprint_keys(app: Any, sprint_id: int) -> set[str]:
    """Keys of the issues whose Sprint field holds `sprint_id`, read straight from the store."""
    issues = sandbox_of(app).store.data["issues"].values()
    return {rec["key"] for rec in issues if sprint_id in (rec["f"].get("customfield_10020") or [])}


def open_sprint_of(app: Any, key: str) -> int | None:
    store = sandbox_of(app).store
    rec = store.data["issues"][store.by_key[key]]
    open_ids = [
        s for s in rec["f"].get("customfield_10020") or [] if store.data["sprints"][str(s)]["state"] != "closed"
    ]
    return open_ids[0] if open_ids else None


def keys_without_sprint(app: Any, project: str, count: int) -> list[str]:
    """`count` non-sub-task issues of `project` in no open sprint, in key order."""
    store = sandbox_of(app).store
    out = []
    for rec in sorted(store.data["issues"].values(), key=lambda r: int(r["key"].split("-")[1])):
        if (
            rec["key"].startswith(project + "-")
            and rec["f"]["issuetype"] != "10004"
            and open_sprint_of(app, rec["key"]) is None
        ):
            out.append(rec["key"])
    return out[:count]
