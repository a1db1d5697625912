"""How jiramcp is reached: stdio for local clients, Streamable HTTP for shared deployments.

Names are imported on first use (module `__getattr__`), so the stdio path never imports uvicorn
or the HTTP machinery.
"""

from __future__ import annotations

from jiramcp._lazy import lazy_exports

__all__ = [
    "CREDENTIAL_HEADERS",
    "HTTP_ENV_VARS",
    "POLICY_HEADERS",
    "ClientPool",
    "Credentials",
    "DrainingServer",
    "FastStart",
    "HttpApp",
    "HttpConfig",
    "HttpGate",
    "PolicyHeaders",
    "RequestScope",
    "build_http_app",
    "credentials_from_headers",
    "load_answers",
    "load_http_config",
    "policy_headers",
    "run_http",
    "run_stdio",
]

_WHERE = {
    "CREDENTIAL_HEADERS": "_credentials",
    "ClientPool": "_credentials",
    "Credentials": "_credentials",
    "credentials_from_headers": "_credentials",
    "HTTP_ENV_VARS": "_config",
    "HttpConfig": "_config",
    "load_http_config": "_config",
    "POLICY_HEADERS": "_headers",
    "PolicyHeaders": "_headers",
    "policy_headers": "_headers",
    "HttpGate": "_gate",
    "RequestScope": "_scope",
    "DrainingServer": "_http",
    "HttpApp": "_http",
    "build_http_app": "_http",
    "run_http": "_http",
    "run_stdio": "_stdio",
    "FastStart": "_fast_start",
    "load_answers": "_handshake",
}


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, __all__)
