"""The MCP tools: a thin layer that calls the engines and shapes their answers for a model."""

from jiramcp.tools._context import AppState, app_state
from jiramcp.tools._policy import Policy, PolicyViolation
from jiramcp.tools._register import register_tools
from jiramcp.tools._spec import TOOLSETS, ToolSpec, declared_tools, jira_tool

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
