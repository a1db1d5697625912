"""jiramcp: a fast, safe and token-lean MCP server for Jira."""

# The one place the version is written: hatchling reads it from here when building, so start-up
# need not ask importlib.metadata (a measurable share of a stdio server's launch).
__version__ = "0.1.0"

__all__ = ["__version__"]
