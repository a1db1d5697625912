"""Tool declarations: what a tool is, before the server decides whether to register it.

Tools are declared once, at import time, with `jira_tool(...)`; `register_tools` later filters
them through the deployment's `Policy` (read-only, toolsets, allow/deny lists, delete switch), so
a tool a policy forbids is never even listed to the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from mcp.types import ToolAnnotations

from jiramcp.tools._policy import Toolset

_F = TypeVar("_F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """One tool as declared: its function and how policy treats it."""

    fn: Callable[..., Any]
    name: str
    title: str
    toolset: Toolset
    writes: bool
    destructive: bool
    idempotent: bool

    @property
    def annotations(self) -> ToolAnnotations:
        return ToolAnnotations(
            title=self.title,
            read_only_hint=not self.writes,
            destructive_hint=self.destructive if self.writes else None,
            idempotent_hint=self.idempotent,
            open_world_hint=True,
        )


_DECLARED: dict[str, ToolSpec] = {}


def jira_tool(
    *,
    title: str,
    toolset: Toolset,
    writes: bool = False,
    destructive: bool = False,
    idempotent: bool | None = None,
) -> Callable[[_F], _F]:
    """Declare a tool; the function's name is the tool's name, its docstring the description."""

    def declare(fn: _F) -> _F:
        name = fn.__name__
        if not name.startswith("jira_"):
            raise ValueError(f"tool {name!r}: tool names start with 'jira_'")
        if name in _DECLARED:
            raise ValueError(f"tool {name!r} is declared twice")
        _DECLARED[name] = ToolSpec(
            fn=fn,
            name=name,
            title=title,
            toolset=toolset,
            writes=writes,
            destructive=destructive,
            idempotent=(not writes) if idempotent is None else idempotent,
        )
        return fn

    return declare


def declared_tools() -> list[ToolSpec]:
    """Every declared tool, in declaration order."""
    return list(_DECLARED.values())
