"""jiramcp: a fast, safe and token-lean MCP server for Jira."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jiramcp")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
