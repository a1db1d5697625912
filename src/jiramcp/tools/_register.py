"""Registering the declared tools on a server, filtered by the deployment's policy."""

from __future__ import annotations

import importlib
from typing import Any

from mcp.server import MCPServer

from jiramcp.settings import ConfigError
from jiramcp.tools._policy import Policy
from jiramcp.tools._schema import compact_schema
from jiramcp.tools._spec import ToolSpec, declared_tools

__all__ = ["load_tool_modules", "register_tools"]

# Importing a module declares its tools.
_TOOL_MODULES: tuple[str, ...] = (
    "jiramcp.tools.search",
    "jiramcp.tools.issues_read",
    "jiramcp.tools.metadata",
    "jiramcp.tools.issues_write",
    "jiramcp.tools.issues_update",
    "jiramcp.tools.transitions",
    "jiramcp.tools.comments",
    "jiramcp.tools.links",
    "jiramcp.tools.agile._read",
    "jiramcp.tools.agile._write",
    "jiramcp.tools.agile._moves",
)


def _module_rank(spec: ToolSpec) -> int:
    module = spec.fn.__module__
    return next(
        (i for i, name in enumerate(_TOOL_MODULES) if module == name or module.startswith(name + ".")),
        len(_TOOL_MODULES),
    )


def load_tool_modules() -> list[ToolSpec]:
    """Every declared tool, listed in `_TOOL_MODULES` order whatever order the imports ran in."""
    for module in _TOOL_MODULES:
        importlib.import_module(module)
    return sorted(declared_tools(), key=_module_rank)


def register_tools(server: MCPServer[Any], policy: Policy) -> list[str]:
    """Register every tool `policy` allows; returns their names in registration order."""
    specs = load_tool_modules()
    known = {spec.name for spec in specs}
    for variable, names in (
        ("JIRAMCP_ENABLED_TOOLS", policy.enabled_tools),
        ("JIRAMCP_DISABLED_TOOLS", policy.disabled_tools),
    ):
        if unknown := sorted(set(names) - known):
            raise ConfigError(
                f"{variable} names unknown tools {unknown}; run `jiramcp tools` to list them; "
                f"example: {variable}=jira_search,jira_get_issue"
            )
    registered = []
    for spec in specs:
        if policy.allows_tool(spec):
            server.add_tool(spec.fn, name=spec.name, title=spec.title, annotations=spec.annotations)
            tool = server._tool_manager.get_tool(spec.name)
            tool.parameters = compact_schema(tool.parameters)
            registered.append(spec.name)
    return registered
