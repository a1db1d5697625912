"""`jiramcp check`: verify the configuration against the real Jira.

Reads the settings, calls `myself` through the same client the server uses, and prints the
deployment, the user and the rate-limit headroom. It lives outside `jiramcp.jira` so that
building the parser imports nothing heavy. Exits 0 when Jira accepted the credentials,
1 when Jira (or the network) refused, 2 when the configuration itself is wrong.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    import httpx

    from jiramcp.settings import Settings

__all__ = ["register", "run_check"]


def register(subparsers: Any) -> None:
    """Add the `check` subcommand to the `jiramcp` parser."""
    parser = subparsers.add_parser(
        "check",
        help="verify the Jira configuration (calls /myself) and show rate-limit headroom",
        description="Verify JIRA_URL and the credentials against Jira; exit non-zero with the reason.",
    )
    parser.set_defaults(func=_handle)


def _handle(args: argparse.Namespace) -> int:
    import anyio

    if getattr(args, "sandbox", False):
        sys.stderr.write("jiramcp check: the --sandbox demo Jira needs no configuration; nothing to check\n")
        return 0

    from jiramcp.settings import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as exc:
        sys.stderr.write(f"jiramcp check: configuration error: {exc}\n")
        return 2
    return anyio.run(run_check, settings)


async def run_check(
    settings: Settings,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Check `settings` against Jira, writing a short report; returns the exit code."""
    from jiramcp.jira import JiraClient, JiraError

    out = out or sys.stdout
    err = err or sys.stderr
    async with JiraClient.from_settings(settings, transport=transport) as client:
        try:
            deployment = await client.connect()
            me, headers = await client.myself_with_headers()
        except JiraError as exc:
            err.write(f"jiramcp check: FAILED: {exc}\n")
            return 1
        version = deployment.version
        if version is None:
            try:
                version = str((await client.server_info()).get("version") or "") or None
            except JiraError:
                version = None
        flavour = "Cloud" if deployment.is_cloud else "Server/Data Center"
        who = me.get("displayName") or me.get("name") or "?"
        ident = me.get(deployment.user_field) or me.get("accountId") or me.get("name") or "?"
        lines = [
            f"Jira:        {client.base_url} ({flavour}, REST v{deployment.api_version}"
            + (f", version {version}" if version else "")
            + ")",
            f"User:        {who} ({deployment.user_field} {ident})",
            f"Auth:        {_auth_label(settings)}",
            f"Rate limit:  {_headroom(headers)}",
            f"Budget:      {_budget_label(settings)}",
            "OK: Jira accepted the configuration.",
        ]
        out.write("\n".join(lines) + "\n")
    return 0


def _auth_label(settings: Settings) -> str:
    return {
        "basic": "basic (JIRA_USERNAME + JIRA_API_TOKEN)",
        "pat": "personal access token (JIRA_PERSONAL_TOKEN)",
        "oauth": "OAuth 2.0 access token (JIRA_OAUTH_TOKEN)",
        None: "none",
    }[settings.auth_kind]


def _budget_label(settings: Settings) -> str:
    rate = "off" if settings.rate == 0 else f"{settings.rate:g} req/s, burst {settings.burst}"
    return f"{rate}, {settings.concurrency} in flight, up to {settings.max_retries} retries"


def _headroom(headers: dict[str, str]) -> str:
    limit = headers.get("x-ratelimit-limit")
    remaining = headers.get("x-ratelimit-remaining")
    near = headers.get("x-ratelimit-nearlimit", "").lower() == "true"
    parts = []
    if remaining is not None and limit is not None:
        parts.append(f"{remaining} of {limit} requests left")
    elif remaining is not None:
        parts.append(f"{remaining} requests left")
    if "x-ratelimit-fillrate" in headers:
        interval = headers.get("x-ratelimit-interval-seconds", "1")
        parts.append(f"refills {headers['x-ratelimit-fillrate']} per {interval} s")
    if "beta-ratelimit" in headers:
        parts.append(f"policy {headers['beta-ratelimit']}")
    if near:
        parts.append("NEAR THE LIMIT (under 20% left)")
    return "; ".join(parts) if parts else "Jira sent no rate-limit headers (no limit reported)"
