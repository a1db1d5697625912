"""The safety switches of a deployment, applied at registration and again at call time.

Read-only mode, toolsets and the tool allow/deny lists decide which tools are registered at all
(a tool that is not listed cannot be called). The project allow-list is enforced on every call:
reads have their JQL restricted through the syntax tree, writes to an issue outside the allowed
projects are refused before any request is sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from jiramcp.settings import ConfigError

if TYPE_CHECKING:
    from jiramcp.settings import Settings

# This module imports nothing from the SDK: the stdio fast start applies a policy to the packaged
# tool list before `mcp` has finished importing.
Toolset = Literal["search", "issues", "comments", "metadata", "agile"]
TOOLSETS: tuple[Toolset, ...] = ("search", "issues", "comments", "metadata", "agile")


class PolicySubject(Protocol):
    """What a policy needs to know of a tool (a `ToolSpec`, or a tool's packaged listing)."""

    @property
    def name(self) -> str: ...
    @property
    def toolset(self) -> str: ...
    @property
    def writes(self) -> bool: ...
    @property
    def destructive(self) -> bool: ...


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

    def allows_tool(self, spec: PolicySubject) -> bool:
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


def policy_from_settings(settings: Settings) -> Policy:
    """The deployment's policy; unknown toolset names fail here, at start-up, not silently."""
    toolsets = set(settings.toolsets)
    unknown = toolsets - {*TOOLSETS, "all"}
    if unknown:
        raise ConfigError(
            f"JIRAMCP_TOOLSETS names unknown toolsets {sorted(unknown)}; "
            f"choose from {', '.join(TOOLSETS)} or all; example: JIRAMCP_TOOLSETS=search,issues"
        )
    if "all" in toolsets or not toolsets:
        # An enabled-tools list on its own means "only these" (as in other Jira MCP servers'
        # ENABLED_TOOLS); beside toolsets chosen by name, it adds tools to them.
        chosen = frozenset() if settings.enabled_tools else frozenset(TOOLSETS)
    else:
        chosen = frozenset(toolsets)
    return Policy(
        read_only=settings.read_only,
        toolsets=chosen,
        enabled_tools=frozenset(settings.enabled_tools),
        disabled_tools=frozenset(settings.disabled_tools),
        projects=tuple(settings.projects),
        enable_delete=settings.enable_delete,
    )
