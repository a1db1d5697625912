"""Assembling what a CLI command runs: settings, the Jira backend (real or sandbox), the server.

`--sandbox` swaps the configured Jira for an in-process sandbox (no sockets, no configuration);
`--sandbox-state PATH` makes that sandbox load and save its data in PATH, so a demo survives a
restart. Everything heavy is imported inside the functions, after argument parsing.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx
    from mcp.server import MCPServer

    from jiramcp.settings import Settings

__all__ = ["Backend", "build_cli_server", "load_backend", "load_cli_settings"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Backend:
    """Settings plus the httpx transport to reach Jira with (`None`: the network)."""

    settings: Settings
    transport: httpx.AsyncBaseTransport | None
    sandbox: bool


def _sandbox_transport(state: Path | None) -> tuple[httpx.AsyncBaseTransport, str, str]:
    """An in-process sandbox: its transport and the credentials it accepts."""
    from jiramcp.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, SandboxConfig, create_app, in_process_transport

    app = create_app(SandboxConfig(state_path=state))
    return in_process_transport(app), SANDBOX_EMAIL, SANDBOX_TOKEN


def _wants_sandbox(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "sandbox", False) or getattr(args, "sandbox_state", None))


def load_cli_settings(
    args: argparse.Namespace,
    environ: Mapping[str, str] | None = None,
    *,
    per_request_auth: bool = False,
) -> Settings:
    """The settings a command runs with (no Jira ones required with `--sandbox`).

    Raises:
        ConfigError: a setting is missing or malformed.
    """
    from jiramcp.settings import load_settings

    return load_settings(environ, sandbox=_wants_sandbox(args) or per_request_auth)


def load_backend(
    args: argparse.Namespace,
    environ: Mapping[str, str] | None = None,
    *,
    per_request_auth: bool = False,
    settings: Settings | None = None,
) -> Backend:
    """Settings from the environment; with `--sandbox`, pointed at an in-process sandbox.

    Args:
        args: The parsed command line (`sandbox`, `sandbox_state`).
        environ: Variables to read instead of `os.environ`.
        per_request_auth: Each HTTP request brings its own Jira credentials, so the server
            needs a URL but no credentials of its own.
        settings: Settings already loaded by `load_cli_settings` (read again otherwise).

    Raises:
        ConfigError: a setting is missing or malformed (not raised for Jira ones with --sandbox).
    """
    from pydantic import SecretStr

    from jiramcp.settings import ConfigError

    sandbox = _wants_sandbox(args)
    if settings is None:
        settings = load_cli_settings(args, environ, per_request_auth=per_request_auth)
    if not sandbox:
        if settings.jira_url is None:
            raise ConfigError(
                "JIRA_URL is not set: jiramcp needs the base URL of your Jira site; "
                "example: JIRA_URL=https://your-company.atlassian.net"
            )
        return Backend(settings, None, sandbox=False)
    state = getattr(args, "sandbox_state", None)
    transport, email, token = _sandbox_transport(Path(state).expanduser() if state else None)
    # The user's real Jira URL and credentials never reach the sandbox.
    settings = settings.model_copy(
        update={
            "jira_url": None,
            "jira_username": email,
            "jira_api_token": SecretStr(token),
            "jira_personal_token": None,
            "jira_oauth_token": None,
            "jira_deployment": "cloud",
        }
    )
    return Backend(settings, transport, sandbox=True)


def build_cli_server(backend: Backend) -> MCPServer[Any]:
    """The MCP server for `backend`, as `jiramcp serve`/`call`/`tools` run it."""
    from jiramcp.server import build_server

    return build_server(backend.settings, transport=backend.transport)
