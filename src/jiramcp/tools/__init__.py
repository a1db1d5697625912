"""The MCP tools: a thin layer that calls the engines and shapes their answers for a model.

Names are imported on first use (module `__getattr__`): the stdio fast start imports
`jiramcp.tools._policy` while the SDK is still loading, and must not pull the SDK in with it.
"""

from __future__ import annotations

from jiramcp._lazy import lazy_exports

__all__ = [
    "TOOLSETS",
    "AppState",
    "Policy",
    "PolicyViolation",
    "ToolSpec",
    "app_state",
    "declared_tools",
    "jira_tool",
    "register_tools",
]

_WHERE = {
    "AppState": "_context",
    "app_state": "_context",
    "TOOLSETS": "_policy",
    "Policy": "_policy",
    "PolicyViolation": "_policy",
    "register_tools": "_register",
    "ToolSpec": "_spec",
    "declared_tools": "_spec",
    "jira_tool": "_spec",
}


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, __all__)
