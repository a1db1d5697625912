"""The stdio handshake as the SDK answers it, packaged so the fast start can answer it first.

`handshake.json` holds the server's answers with every tool registered: in the handshake era
(up to 2025-11-25), to `initialize` for each protocol version and to `tools/list`,
`prompts/list`, `resources/list`, `resources/templates/list` and `ping`; in the 2026-07-28 era
(no handshake: each request carries its version and client facts in `_meta`), to
`server/discover` and the same lists. Plus the facts a policy needs about each tool. `record_handshake` makes it by
talking to the real server through the SDK's own stdio framing; a test pins the packaged file to
a fresh recording, so the snapshot and the server cannot drift apart unnoticed.

Nothing here imports the SDK at module level: the point is to answer before it has loaded.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jiramcp import __version__

if TYPE_CHECKING:
    from mcp.server import MCPServer

    from jiramcp.tools._policy import Policy

__all__ = [
    "HANDSHAKE_FILE",
    "LISTS",
    "MODERN_REQUESTS",
    "Answers",
    "ListedTool",
    "load_answers",
    "modern_meta",
    "record_handshake",
]

HANDSHAKE_FILE = Path(__file__).with_name("handshake.json")
FORMAT = 2
# What a client asks right after the handshake, and what the fast start may answer from the file.
LISTS = ("tools/list", "prompts/list", "resources/list", "resources/templates/list", "ping")
# The same in the 2026-07-28 era: discovery instead of the handshake, and no ping.
MODERN_REQUESTS = ("server/discover", "tools/list", "prompts/list", "resources/list", "resources/templates/list")
_ENVELOPE = "io.modelcontextprotocol/"
_MODERN_META = {f"{_ENVELOPE}protocolVersion", f"{_ENVELOPE}clientInfo", f"{_ENVELOPE}clientCapabilities"}
# The SDK answers a version it does not speak with its newest one; this stands for "any such".
UNKNOWN_VERSION = "0000-00-00"


@dataclass(frozen=True, slots=True)
class ListedTool:
    """A tool as the packaged listing knows it: enough for `Policy.allows_tool`."""

    name: str
    toolset: str
    writes: bool
    destructive: bool


@dataclass(frozen=True, slots=True)
class Answers:
    """The results the fast start may send for one policy, each exactly as the SDK would."""

    initialize_results: Mapping[str, Any]
    results: Mapping[str, Any]
    # protocol version -> method -> result, for the 2026-07-28 era
    modern_results: Mapping[str, Mapping[str, Any]]

    def initialize(self, params: Any) -> Any | None:
        """The `initialize` result for these params, or None to leave the request to the SDK."""
        if not _plain_initialize(params):
            return None
        found = self.initialize_results.get(params["protocolVersion"])
        return found if found is not None else self.initialize_results[UNKNOWN_VERSION]

    def result(self, method: str, params: Any) -> Any | None:
        """The result of a list request (or ping), or None to leave it to the SDK."""
        # A cursor or any other parameter is the SDK's business; `_meta` alone changes nothing,
        # unless it carries the 2026 era's envelope.
        if params is not None and (not isinstance(params, dict) or set(params) - {"_meta"}):
            return None
        meta = (params or {}).get("_meta") or {}
        if not isinstance(meta, dict) or any(str(key).startswith(_ENVELOPE) for key in meta):
            return None
        return self.results.get(method)

    def modern(self, method: str, params: Any) -> Any | None:
        """The result of a 2026-07-28-era request (discovery or a list), or None to leave it."""
        if not isinstance(params, dict) or set(params) != {"_meta"}:
            return None
        meta = params["_meta"]
        if not isinstance(meta, dict) or set(meta) - _MODERN_META:
            return None
        info = meta.get(f"{_ENVELOPE}clientInfo", {"name": "", "version": ""})
        if not isinstance(meta.get(f"{_ENVELOPE}clientCapabilities"), dict) or not _implementation(info):
            return None
        results = self.modern_results.get(meta.get(f"{_ENVELOPE}protocolVersion"))  # type: ignore[arg-type]
        return results.get(method) if results is not None else None


def _plain_initialize(params: Any) -> bool:
    """Params the SDK accepts as they are; anything unusual is left to it (and to its errors)."""
    if not isinstance(params, dict) or set(params) - {"protocolVersion", "capabilities", "clientInfo", "_meta"}:
        return False
    return (
        isinstance(params.get("protocolVersion"), str)
        and isinstance(params.get("capabilities"), dict)
        and _implementation(params.get("clientInfo"))
    )


def _implementation(info: Any) -> bool:
    return isinstance(info, dict) and isinstance(info.get("name"), str) and isinstance(info.get("version"), str)


def _sdk_version() -> str | None:
    try:
        return version("mcp")
    except PackageNotFoundError:
        return None


def load_answers(policy: Policy, path: Path = HANDSHAKE_FILE) -> Answers | None:
    """What the fast start may answer under `policy`; None when it must leave everything to the SDK.

    None when the file is missing or was recorded with another SDK or jiramcp version (its answers
    might differ), or when the policy names tools the file does not know (the server refuses
    to start then, with the error that explains it).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("format") != FORMAT or data.get("sdk") != _sdk_version() or data.get("jiramcp") != __version__:
        return None
    facts: dict[str, dict[str, Any]] = data["tool_facts"]
    if (policy.enabled_tools | policy.disabled_tools) - set(facts):
        return None

    def narrowed(results: Mapping[str, Any]) -> dict[str, Any]:
        listing = results["tools/list"]
        allowed = [t for t in listing["tools"] if policy.allows_tool(ListedTool(t["name"], **facts[t["name"]]))]
        return {**results, "tools/list": {**listing, "tools": allowed}}

    return Answers(
        initialize_results=data["initialize"],
        results=narrowed(data["results"]),
        modern_results={protocol: narrowed(results) for protocol, results in data["modern"].items()},
    )


async def record_handshake(server: MCPServer[Any]) -> dict[str, Any]:
    """Talk to `server` (registered with every tool) as a client would and record its answers.

    One stdio session per protocol version, through the SDK's own stdio framing, so the recorded
    JSON is what the wire carries.
    """
    import anyio
    from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS

    from jiramcp.tools._register import load_tool_modules
    from jiramcp.transports._wire import converse

    initialize: dict[str, Any] = {}
    results: dict[str, Any] = {}
    for protocol in (*HANDSHAKE_PROTOCOL_VERSIONS, UNKNOWN_VERSION):
        requests = [
            {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": _client_hello(protocol)},
            {"jsonrpc": "2.0", "method": "notifications/initialized"},
            *({"jsonrpc": "2.0", "id": k, "method": method} for k, method in enumerate(LISTS, start=1)),
        ]
        with anyio.fail_after(60):
            answers = await converse(server, requests)
        initialize[protocol] = answers[0]["result"]
        for k, method in enumerate(LISTS, start=1):
            results[method] = answers[k]["result"]
    modern: dict[str, dict[str, Any]] = {}
    for protocol in MODERN_PROTOCOL_VERSIONS:
        requests = [
            {"jsonrpc": "2.0", "id": k, "method": method, "params": {"_meta": modern_meta(protocol)}}
            for k, method in enumerate(MODERN_REQUESTS)
        ]
        with anyio.fail_after(60):
            answers = await converse(server, requests)
        modern[protocol] = {method: answer["result"] for method, answer in zip(MODERN_REQUESTS, answers, strict=True)}
    listed = {tool["name"] for tool in results["tools/list"]["tools"]}
    facts = {
        spec.name: {"toolset": spec.toolset, "writes": spec.writes, "destructive": spec.destructive}
        for spec in load_tool_modules()
    }
    if listed != set(facts):
        raise ValueError(f"record the handshake with every tool registered; missing {sorted(set(facts) - listed)}")
    return {
        "format": FORMAT,
        "sdk": _sdk_version(),
        "jiramcp": __version__,
        "initialize": initialize,
        "results": results,
        "modern": modern,
        "tool_facts": facts,
    }


def modern_meta(protocol: str, capabilities: dict[str, Any] | None = None) -> dict[str, Any]:
    """The `_meta` envelope a 2026-07-28-era client puts on every request."""
    return {
        f"{_ENVELOPE}protocolVersion": protocol,
        f"{_ENVELOPE}clientInfo": {"name": "jiramcp-recorder", "version": "1"},
        f"{_ENVELOPE}clientCapabilities": capabilities or {},
    }


def _client_hello(protocol: str) -> dict[str, Any]:
    return {"protocolVersion": protocol, "capabilities": {}, "clientInfo": {"name": "jiramcp-recorder", "version": "1"}}
