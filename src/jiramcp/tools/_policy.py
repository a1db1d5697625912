"""The safety switches of a deployment, applied at registration and again at call time.

Read-only mode, toolsets and the tool allow/deny lists decide which tools are registered at all
(a tool that is not listed cannot be called). The project allow-list is enforced on every call:
reads have their JQL restricted through the syntax tree, writes to an issue outside the allowed
projects are refused before any request is sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from jiramcp.tools._spec import TOOLSETS, ToolSpec


class PolicyViolation(Exception):
    """A call the deployment's policy forbids; the message says what is allowed instead."""


@dataclass(frozen=True, slots=True)
class Policy:
    read_only: bool = False
    toolsets: frozenset[str] = field(default_factory=lambda: frozenset(TOOLSETS))
    enabled_tools: frozenset[str] = frozenset()
    disabled_tools: frozenset[str] = frozenset()
    projects: tuple[str, ...] = ()
    enable_delete: bool = False

    def allows_tool(self, spec: ToolSpec) -> bool:
        """Whether `spec` is registered under this policy (an explicit enable beats a toolset)."""
        if spec.name in self.disabled_tools:
            return False
        if self.read_only and spec.writes:
            return False
        if spec.destructive and not self.enable_delete:
            return False
        return spec.name in self.enabled_tools or spec.toolset in self.toolsets

    def narrowed(
        self,
        *,
        read_only: bool | None = None,
        toolsets: Iterable[str] | None = None,
        projects: Iterable[str] | None = None,
    ) -> Policy:
        """A policy at most as permissive as this one: a request can narrow it, never widen it."""
        new_toolsets = self.toolsets & frozenset(toolsets) if toolsets is not None else self.toolsets
        new_projects = self.projects
        if projects is not None:
            wanted = tuple(p.upper() for p in projects)
            new_projects = tuple(p for p in wanted if p in self.projects) if self.projects else wanted
            if not new_projects:
                # An empty intersection must not read as "no allow-list": allow nothing.
                new_projects = ("\u2205",)
        return Policy(
            read_only=self.read_only or bool(read_only),
            toolsets=new_toolsets,
            enabled_tools=self.enabled_tools,
            disabled_tools=self.disabled_tools,
            projects=new_projects,
            enable_delete=self.enable_delete,
        )

    @property
    def restricts_projects(self) -> bool:
        return bool(self.projects)

    def allows_project(self, project_key: str) -> bool:
        return not self.projects or project_key.upper() in self.projects

    def check_project(self, project_key: str, *, parameter: str) -> None:
        """Refuse a project outside the allow-list, naming the parameter and the allowed keys."""
        if not self.allows_project(project_key):
            raise PolicyViolation(
                f"{parameter}: project {project_key!r} is outside this server's allowed projects "
                f"({', '.join(self.projects)}). Use an issue or project from those."
            )

    def check_issue_key(self, issue_key: str, *, parameter: str = "key") -> None:
        self.check_project(issue_key.rsplit("-", 1)[0], parameter=parameter)
