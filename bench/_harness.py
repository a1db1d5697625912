"""Shared pieces of the benchmarks: result rows, the sandbox over real HTTP (in this event loop or
in its own process), the environment that points jiramcp at it.

Every benchmark returns `Row`s; `python -m bench` prints them as one table and writes them as JSON.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from typing import IO, Any

import anyio
import httpx

from jiramcp.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, TRAFFIC_REPORT_PATH, SandboxConfig, create_app, serving

__all__ = [
    "Row",
    "SandboxProcess",
    "free_port",
    "free_socket",
    "peak_in_window",
    "percentile",
    "sandbox_env",
    "sandbox_over_http",
    "sandbox_process",
    "stop_process",
]


@dataclass
class Row:
    """One line of the results table.

    Attributes:
        bench: Which benchmark (`rate`, `agents`, `tokens`, ...).
        metric: What was measured, in words.
        value: The figure (a median where several samples were taken); None: not measured.
        unit: Its unit (`s`, `req`, `tokens`, `us`, `MiB`, ...).
        ratio: A ratio measured side by side in the same run (e.g. `wall/ideal 1.03`), or "".
        target: The target in words, or "".
        ok: Whether the target was met; None when there is no target.
        note: Why a figure is missing, or a short qualifier.
        extra: Anything else worth keeping in the JSON (not printed).
    """

    bench: str
    metric: str
    value: float | None
    unit: str = ""
    ratio: str = ""
    target: str = ""
    ok: bool | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; the median for q=50."""
    if q == 50:
        return statistics.median(samples)
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def peak_in_window(times: Sequence[float], *, skip: float = 0.0, window: float = 1.0) -> int:
    """Most events in any sliding `window` seconds, leaving out the first `skip` seconds.

    The sandbox's own `max_requests_per_second` covers the whole run; skipping the first second
    separates the start-up burst a token bucket allows from its steady rate.
    """
    if not times:
        return 0
    ordered = sorted(times)
    start = ordered[0] + skip
    kept = [t for t in ordered if t >= start]
    best, low = 0, 0
    for high, t in enumerate(kept):
        while kept[low] <= t - window:
            low += 1
        best = max(best, high - low + 1)
    return best


def free_socket() -> socket.socket:
    """A listening-ready TCP socket bound to 127.0.0.1 on a free port (never another address)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago, for a child process to bind."""
    sock = free_socket()
    try:
        return int(sock.getsockname()[1])
    finally:
        sock.close()


def sandbox_env(base_url: str | None = None, **overrides: str) -> dict[str, str]:
    """jiramcp's environment for the sandbox's credentials (and its URL, when served over HTTP)."""
    env = {
        "JIRA_USERNAME": SANDBOX_EMAIL,
        "JIRA_API_TOKEN": SANDBOX_TOKEN,
        "JIRA_DEPLOYMENT": "cloud",
    }
    if base_url is not None:
        env["JIRA_URL"] = base_url
    env.update(overrides)
    return env


@asynccontextmanager
async def sandbox_over_http(config: SandboxConfig) -> AsyncIterator[tuple[str, Any]]:
    """Serve a fresh sandbox with uvicorn on 127.0.0.1:<free port> in this event loop.

    Yields:
        (base URL, the sandbox app): the app's `state.sandbox` has the store and the request log.
    """
    apps: list[Any] = []

    def sandbox_at(url: str) -> Any:
        config.base_url = url
        apps.append(create_app(config))
        return apps[0]

    async with serving(sandbox_at, access_log=False, timeout_keep_alive=30) as url:
        yield url, apps[0]


@dataclass
class SandboxProcess:
    """A sandbox served by `jiramcp sandbox serve` in a process of its own.

    Its request log's timestamps are taken in a process that does nothing but serve the sandbox,
    so they are when requests arrived, not when a busy benchmark loop got round to them.

    Attributes:
        url: Base URL (`http://127.0.0.1:<port>`), the `JIRA_URL` to give jiramcp.
        process: The child process.
        stderr: The file its stderr goes to (a pipe could fill up and stall it).
    """

    url: str
    process: subprocess.Popen[bytes]
    stderr: IO[bytes]

    async def traffic(self, since: float | None = None) -> dict[str, Any]:
        """`GET /_sandbox/traffic`: the log's counters and records (from `since`, sandbox clock)."""
        params = {"since": repr(since)} if since is not None else None
        async with httpx.AsyncClient(base_url=self.url, timeout=30) as http:
            response = await http.get(TRAFFIC_REPORT_PATH, params=params)
        response.raise_for_status()
        return dict(response.json())

    async def reset(self) -> None:
        """`DELETE /_sandbox/traffic`: count from now on."""
        async with httpx.AsyncClient(base_url=self.url, timeout=30) as http:
            (await http.delete(TRAFFIC_REPORT_PATH)).raise_for_status()

    def stderr_tail(self, size: int = 2000) -> str:
        return _tail(self.stderr, size)


@asynccontextmanager
async def sandbox_process(*, issues: int, seed: int, extra: Sequence[str] = ()) -> AsyncIterator[SandboxProcess]:
    """Run `python -m jiramcp sandbox serve` on 127.0.0.1:<free port> until the block ends.

    Args:
        issues: Demo issues to generate.
        seed: Seed of the demo data.
        extra: More `sandbox serve` arguments (`--no-rate-limits`, ...). Its rate limits are Jira
            Cloud's by default: a 10 req/s bucket of 10 per credential, per-issue write windows.
    """
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jiramcp",
        "sandbox",
        "serve",
        "--port",
        str(port),
        "--issues",
        str(issues),
        "--seed",
        str(seed),
        *extra,
    ]
    with tempfile.TemporaryFile() as stderr:
        process = _start(command, stderr)
        sandbox = SandboxProcess(f"http://127.0.0.1:{port}", process, stderr)
        try:
            await _wait_until_serving(sandbox)
            yield sandbox
        finally:
            stop_process(process)


def _start(command: list[str], stderr: IO[bytes]) -> subprocess.Popen[bytes]:
    """Start a child with no Jira or jiramcp settings of this machine's (Popen returns at once)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIRA_", "JIRAMCP_"))}
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, env=env)


async def _wait_until_serving(sandbox: SandboxProcess) -> None:
    with anyio.fail_after(60):
        while True:
            if sandbox.process.poll() is not None:
                raise RuntimeError(
                    f"jiramcp sandbox serve exited with {sandbox.process.returncode}: {sandbox.stderr_tail(500)}"
                )
            try:
                await sandbox.traffic()  # its log is empty yet: a small answer
                return
            except httpx.TransportError:
                await anyio.sleep(0.1)


def stop_process(process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """SIGTERM, then SIGKILL if it has not gone within `timeout` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _tail(file: IO[bytes], size: int) -> str:
    if file.closed:
        return ""
    file.flush()
    end = file.seek(0, os.SEEK_END)
    file.seek(max(0, end - size))
    return file.read().decode(errors="replace")


def merged(base: Mapping[str, str], extra: Mapping[str, str] | None) -> dict[str, str]:
    return {**base, **(extra or {})}
