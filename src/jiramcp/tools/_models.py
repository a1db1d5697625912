"""Output models shared by several tools (each tool module adds its own)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class IssueBrief(BaseModel):
    """An issue as a search shows it: who, what, where it stands."""

    key: str
    summary: str | None = None
    type: str | None = None
    status: str | None = None
    priority: str | None = None
    assignee: str | None = Field(default=None, description="Display name; None when unassigned")
    updated: str | None = None
    fields: dict[str, Any] | None = Field(default=None, description="The extra fields asked for, under their names")


class LintFinding(BaseModel):
    """One linter diagnostic, as a model reads it."""

    code: str
    severity: str
    message: str
    at: tuple[int, int] | None = Field(default=None, description="Character range in the JQL")
    replacement: str | None = None
