"""Parameter types shared by tools: the schema a model sees is the contract."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from jiramcp.tools._context import AppState

IssueKey = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True),
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_]*-[0-9]+$",
        max_length=64,
        description="Issue key, e.g. DEMO-12",
    ),
]

ProjectKey = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_upper=True),
    Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=32, description="Project key, e.g. DEMO"),
]


def browse_url(state: AppState, key: str) -> str:
    """The issue's page in Jira's web UI."""
    return f"{state.client.base_url.rstrip('/')}/browse/{key}"
