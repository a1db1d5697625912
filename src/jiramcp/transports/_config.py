"""Settings of the HTTP transport, read once from the environment.

They live apart from `jiramcp.settings.Settings` because only `jiramcp serve --http` reads them;
the bearer token itself is `Settings.http_token` (`JIRAMCP_HTTP_TOKEN`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from jiramcp.settings import ConfigError

__all__ = ["HTTP_ENV_VARS", "HttpConfig", "load_http_config"]

# variable -> (meaning, example); the README table is written from these.
HTTP_ENV_VARS: dict[str, tuple[str, str]] = {
    "JIRAMCP_HTTP_ALLOWED_HOSTS": (
        "Host header values the HTTP transport accepts (DNS-rebinding protection); `name:*` allows any "
        "port. Default: localhost names only.",
        "mcp.example.com,mcp.example.com:*",
    ),
    "JIRAMCP_HTTP_ALLOWED_ORIGINS": (
        "Origin header values accepted from browsers. Default: http://localhost / 127.0.0.1 / [::1], "
        "any port. Requests without Origin (non-browser clients) are accepted.",
        "https://app.example.com",
    ),
    "JIRAMCP_HTTP_PER_REQUEST_AUTH": (
        "Take Jira credentials from each request's X-Jira-* headers instead of the server's own "
        "(multi-user deployments). Default: false.",
        "true",
    ),
    "JIRAMCP_HTTP_CLIENT_POOL": (
        "Jira clients kept open at most for per-request credentials (least recently used closed first).",
        "32",
    ),
    "JIRAMCP_HTTP_SHUTDOWN_GRACE": (
        "Seconds a stopping server waits for in-flight calls to finish.",
        "30",
    ),
}

_LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True, slots=True)
class HttpConfig:
    """How `jiramcp serve --http` guards and scopes its endpoint.

    Attributes:
        allowed_hosts: Host header values accepted (`name:*` matches any port).
        allowed_origins: Origin header values accepted (`scheme://name:*` matches any port).
        per_request_auth: Jira credentials come from each request's headers.
        client_pool_size: Per-request Jira clients kept open at most.
        shutdown_grace: Seconds to wait for in-flight calls when stopping.
    """

    allowed_hosts: tuple[str, ...] = tuple(h for name in _LOCAL_HOSTS for h in (name, f"{name}:*"))
    allowed_origins: tuple[str, ...] = tuple(o for name in _LOCAL_HOSTS for o in (f"http://{name}", f"http://{name}:*"))
    per_request_auth: bool = False
    client_pool_size: int = 16
    shutdown_grace: float = 30.0


def _items(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.strip() for item in value.split(",") if item.strip()))


def _number(environ: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        example = HTTP_ENV_VARS[name][1]
        raise ConfigError(f"{name} must be a number from {low:g} to {high:g}; example: {name}={example}")
    return value


def load_http_config(environ: Mapping[str, str] | None = None) -> HttpConfig:
    """Read the HTTP transport's settings; raises `ConfigError` naming the variable at fault."""
    env = os.environ if environ is None else environ
    default = HttpConfig()
    switch = env.get("JIRAMCP_HTTP_PER_REQUEST_AUTH", "").strip().lower()
    if switch not in _TRUE | _FALSE:
        raise ConfigError(
            "JIRAMCP_HTTP_PER_REQUEST_AUTH must be true or false; example: JIRAMCP_HTTP_PER_REQUEST_AUTH=true"
        )
    hosts = _items(env.get("JIRAMCP_HTTP_ALLOWED_HOSTS", ""))
    origins = _items(env.get("JIRAMCP_HTTP_ALLOWED_ORIGINS", ""))
    for origin in origins:
        if not origin.startswith(("http://", "https://")):
            raise ConfigError(
                f"JIRAMCP_HTTP_ALLOWED_ORIGINS has {origin!r}, which is not an http(s) origin; "
                "example: JIRAMCP_HTTP_ALLOWED_ORIGINS=https://app.example.com"
            )
    return HttpConfig(
        allowed_hosts=hosts or default.allowed_hosts,
        allowed_origins=origins or default.allowed_origins,
        per_request_auth=switch in _TRUE,
        client_pool_size=int(_number(env, "JIRAMCP_HTTP_CLIENT_POOL", default.client_pool_size, 1, 10_000)),
        shutdown_grace=_number(env, "JIRAMCP_HTTP_SHUTDOWN_GRACE", default.shutdown_grace, 0, 3_600),
    )
