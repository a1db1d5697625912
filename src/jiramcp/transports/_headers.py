"""Request headers that narrow the deployment's policy for one client.

A shared deployment sets the widest policy (`JIRAMCP_READ_ONLY`, `JIRAMCP_TOOLSETS`,
`JIRAMCP_PROJECTS`); a client may ask for less, never more:

- `X-Jiramcp-Read-Only: true` hides and refuses every writing tool;
- `X-Jiramcp-Toolsets: search,issues` keeps only those groups;
- `X-Jiramcp-Projects: DEMO,OPS` restricts to those projects (within the deployment's list).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from jiramcp.tools._policy import TOOLSETS, Policy

__all__ = ["POLICY_HEADERS", "PolicyHeaderError", "PolicyHeaders", "policy_headers"]

POLICY_HEADERS: dict[str, str] = {
    "X-Jiramcp-Read-Only": "`true` hides and refuses every tool that writes",
    "X-Jiramcp-Toolsets": f"comma-separated toolsets to keep ({', '.join(TOOLSETS)})",
    "X-Jiramcp-Projects": "comma-separated project keys to restrict to (within the deployment's list)",
}

_PROJECT_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")


class PolicyHeaderError(ValueError):
    """A policy header with a value it cannot take; the message names the header."""


@dataclass(frozen=True, slots=True)
class PolicyHeaders:
    read_only: bool | None = None
    toolsets: tuple[str, ...] | None = None
    projects: tuple[str, ...] | None = None

    @property
    def narrows(self) -> bool:
        return bool(self.read_only) or self.toolsets is not None or self.projects is not None

    def apply(self, policy: Policy) -> Policy:
        """`policy` narrowed by these headers (the same object when they ask for nothing)."""
        if not self.narrows:
            return policy
        return policy.narrowed(read_only=self.read_only, toolsets=self.toolsets, projects=self.projects)


def _items(raw: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.strip() for item in raw.split(",") if item.strip()))


def policy_headers(headers: Mapping[str, str]) -> PolicyHeaders:
    """Parse the `X-Jiramcp-*` policy headers; absent headers leave that switch alone."""
    read_only: bool | None = None
    raw = headers.get("x-jiramcp-read-only")
    if raw is not None:
        value = raw.strip().lower()
        if value not in ("true", "false", "1", "0", "yes", "no"):
            raise PolicyHeaderError("X-Jiramcp-Read-Only must be true or false")
        read_only = value in ("true", "1", "yes")
    toolsets: tuple[str, ...] | None = None
    raw = headers.get("x-jiramcp-toolsets")
    if raw is not None:
        toolsets = tuple(item.lower() for item in _items(raw))
        unknown = [name for name in toolsets if name not in TOOLSETS]
        if unknown or not toolsets:
            raise PolicyHeaderError(
                f"X-Jiramcp-Toolsets: unknown toolset(s) {', '.join(unknown) or '(none given)'}; "
                f"choose from {', '.join(TOOLSETS)}"
            )
    projects: tuple[str, ...] | None = None
    raw = headers.get("x-jiramcp-projects")
    if raw is not None:
        projects = tuple(item.upper() for item in _items(raw))
        bad = [key for key in projects if not _PROJECT_KEY.match(key)]
        if bad or not projects:
            raise PolicyHeaderError(
                f"X-Jiramcp-Projects: {', '.join(bad) or '(none given)'} is not a list of project keys; "
                "example: X-Jiramcp-Projects: DEMO,OPS"
            )
    return PolicyHeaders(read_only=read_only, toolsets=toolsets, projects=projects)
