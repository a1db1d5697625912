"""`SandboxConfig` and the credentials the sandbox accepts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jiramcp.sandbox._traffic import FaultConfig, RateLimitConfig

__all__ = ["SANDBOX_EMAIL", "SANDBOX_TOKEN", "SandboxConfig"]

# The API token the sandbox accepts: as the password of basic auth (with any email; a seeded
# user's email signs in as that user, any other as the demo user) or as `Authorization: Bearer`.
# It guards nothing real: the sandbox serves made-up data on 127.0.0.1.
SANDBOX_TOKEN = "sandbox-token"
SANDBOX_EMAIL = "alex.morgan@example.com"


@dataclass
class SandboxConfig:
    """How to build a sandbox.

    Attributes:
        seed: Seed of the demo data (`random.Random(seed)`); same seed and anchor, same data.
        issues: About how many issues to generate (split 50/30/20 over PLAT, MOB, OPS).
        base_url: Prefix of every `self` link; `serve` sets it to `http://host:port` when None.
        anchor: The moment the data is generated around (sprints, dates, histories). None: the
            current UTC time at start-up, truncated to the minute, so relative-date JQL
            (`updated >= -7d`, `openSprints()`) means what a user expects today.
        clock: The sandbox's "now" for writes and for JQL (`now()`, `-1d`); None: the real clock.
        state_path: A JSON file to load the state from (if it exists) and save it to after
            every write, so a demo survives a restart.
        token: The accepted API token.
        limits: Rate limits of the traffic middleware; None: Jira Cloud's (a 10 req/s burst
            bucket per token, 20 writes per 2 s and 100 per 30 s per issue).
            `RateLimitConfig(enabled=False)` turns them off.
        faults: Injected failures (latency, 5xx, 503, timeouts, drops, malformed JSON,
            ambiguous writes); None: none.
        require_auth: When False, requests without credentials act as the demo user.
    """

    seed: int = 42
    issues: int = 300
    base_url: str | None = None
    anchor: datetime | None = None
    clock: Callable[[], datetime] | None = None
    state_path: Path | None = None
    token: str = SANDBOX_TOKEN
    limits: RateLimitConfig | None = None
    faults: FaultConfig | None = None
    require_auth: bool = True
