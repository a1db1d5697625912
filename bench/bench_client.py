"""Benchmark of the Jira client against a local server that enforces 10 requests per second.

    python bench/bench_client.py           # 300 requests from 20 tasks (about 90 s in all)
    python bench/bench_client.py --quick   # 60 requests, fewer overhead rounds (about 20 s)

A separate process serves HTTP on 127.0.0.1 with Jira Cloud's kind of burst limiter: a token
bucket of 10 refilled at 10/s per client, answering 429 with `Retry-After` when empty. Measured
side by side in one run:

1. jiramcp's client with its default budget (10 req/s, burst 5, 4 in flight): wall time against
   the ideal (requests / rate) and the 429s the server had to send (target: 0);
2. a naive httpx client (20 in flight, sleeps `Retry-After` on each 429), for comparison;
3. the client's own overhead per request with the budget switched off (rate 0), against raw
   httpx on an unlimited path, as the median of several rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import socket
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jiramcp.jira import JiraClient, RetryPolicy

RATE = 10.0
CAPACITY = 10.0
TASKS = 20


# -- the server (its own process) ----------------------------------------------------------------


def _server_app() -> Any:
    state = {"tokens": CAPACITY, "last": time.monotonic(), "ok": 0, "limited": 0}
    body = json.dumps({"accountId": "5b10ac8d", "displayName": "Bench"}).encode()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        path = scope["path"]
        status, headers, payload = 200, [(b"content-type", b"application/json")], body
        if path == "/stats":
            payload = json.dumps({"ok": state["ok"], "limited": state["limited"]}).encode()
        elif path == "/reset":
            state.update(tokens=CAPACITY, last=time.monotonic(), ok=0, limited=0)
        elif path.startswith("/rest/"):
            now = time.monotonic()
            state["tokens"] = min(CAPACITY, state["tokens"] + (now - state["last"]) * RATE)
            state["last"] = now
            if state["tokens"] >= 1:
                state["tokens"] -= 1
                state["ok"] += 1
            else:
                state["limited"] += 1
                status, payload = 429, b"<html><body>Too many requests</body></html>"
                headers = [
                    (b"content-type", b"text/html"),
                    (b"retry-after", b"1"),
                    (b"ratelimit-reason", b"jira-burst-based"),
                ]
        # Anything else (/free/...) is not limited: used to measure the client's own overhead.
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    return app


def _serve(port: int) -> None:
    import uvicorn

    uvicorn.run(_server_app(), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _wait_until_up(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as http:
        for _ in range(200):
            try:
                await http.get("/stats")
                return
            except httpx.TransportError:
                await asyncio.sleep(0.05)
    raise RuntimeError("bench server did not start")


async def _stats(base: str, reset: bool = False) -> dict[str, int]:
    async with httpx.AsyncClient(base_url=base) as http:
        answer = await http.get("/reset" if reset else "/stats")
        return answer.json() if not reset else {}


# -- the scenarios -------------------------------------------------------------------------------


async def _spread(total: int, call: Any) -> tuple[float, int]:
    """Run `total` calls from TASKS tasks; wall seconds and failures."""
    per_task = [total // TASKS + (1 if i < total % TASKS else 0) for i in range(TASKS)]
    failures = 0

    async def worker(count: int) -> None:
        nonlocal failures
        for _ in range(count):
            try:
                await call()
            except Exception:
                failures += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in per_task))
    return time.perf_counter() - started, failures


async def run_jiramcp(base: str, total: int) -> dict[str, Any]:
    await _stats(base, reset=True)
    async with JiraClient(base, bearer_token="bench", deployment="cloud") as client:
        wall, failures = await _spread(total, lambda: client.request_json("GET", "/rest/api/3/myself"))
    return {"wall": wall, "failures": failures, **await _stats(base)}


async def run_naive(base: str, total: int) -> dict[str, Any]:
    await _stats(base, reset=True)
    limits = httpx.Limits(max_connections=TASKS)
    async with httpx.AsyncClient(base_url=base, limits=limits) as http:

        async def call() -> None:
            for _ in range(50):
                answer = await http.get("/rest/api/3/myself")
                if answer.status_code != 429:
                    return
                await asyncio.sleep(float(answer.headers.get("retry-after", "1")))
            raise RuntimeError("gave up")

        wall, failures = await _spread(total, call)
    return {"wall": wall, "failures": failures, **await _stats(base)}


async def run_overhead(base: str, rounds: int, per_round: int) -> dict[str, float]:
    raw_times: list[float] = []
    ours_times: list[float] = []
    limits = httpx.Limits(max_connections=8, max_keepalive_connections=4)
    async with (
        httpx.AsyncClient(base_url=base, limits=limits) as raw,
        JiraClient(base, bearer_token="bench", deployment="cloud", rate=0, concurrency=64, retry=RetryPolicy()) as ours,
    ):
        for _ in range(20):  # warm both pools
            await raw.get("/free/myself")
            await ours.request_json("GET", "/free/myself")
        for _ in range(rounds):
            started = time.perf_counter()
            for _ in range(per_round):
                (await raw.get("/free/myself")).json()
            raw_times.append((time.perf_counter() - started) / per_round)
            started = time.perf_counter()
            for _ in range(per_round):
                await ours.request_json("GET", "/free/myself")
            ours_times.append((time.perf_counter() - started) / per_round)
    raw_med, ours_med = statistics.median(raw_times), statistics.median(ours_times)
    return {"raw": raw_med, "ours": ours_med, "overhead": ours_med - raw_med}


async def run_overhead_in_process(rounds: int, per_round: int) -> dict[str, float]:
    """The same comparison over an in-process transport: no sockets, no server, less noise."""
    payload = json.dumps({"accountId": "5b10ac8d", "displayName": "Bench"}).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=payload, headers={"content-type": "application/json"})

    raw_times: list[float] = []
    ours_times: list[float] = []
    async with (
        httpx.AsyncClient(base_url="http://jira.local", transport=httpx.MockTransport(handler)) as raw,
        JiraClient(
            "http://jira.local",
            bearer_token="bench",
            deployment="cloud",
            rate=0,
            concurrency=64,
            transport=httpx.MockTransport(handler),
        ) as ours,
    ):
        for _ in range(rounds):
            started = time.perf_counter()
            for _ in range(per_round):
                (await raw.get("/rest/api/3/myself")).json()
            raw_times.append((time.perf_counter() - started) / per_round)
            started = time.perf_counter()
            for _ in range(per_round):
                await ours.request_json("GET", "/rest/api/3/myself")
            ours_times.append((time.perf_counter() - started) / per_round)
    raw_med, ours_med = statistics.median(raw_times), statistics.median(ours_times)
    return {"raw": raw_med, "ours": ours_med, "overhead": ours_med - raw_med}


# -- main ----------------------------------------------------------------------------------------


async def main_async(base: str, quick: bool) -> None:
    total = 60 if quick else 300
    rounds, per_round = (3, 100) if quick else (7, 300)
    ideal = total / RATE
    print(f"Local server: {RATE:g} req/s per client (bucket {CAPACITY:g}); {total} requests from {TASKS} tasks")
    ours = await run_jiramcp(base, total)
    naive = await run_naive(base, total)
    print()
    print(f"{'client':<52} {'wall s':>7} {'ideal s':>8} {'wall/ideal':>10} {'429s':>5} {'errors':>6}")
    rows = [
        ("jiramcp JiraClient (10 req/s, burst 5, 4 in flight)", ours),
        ("naive httpx (20 in flight, sleeps Retry-After)", naive),
    ]
    for name, row in rows:
        print(
            f"{name:<52} {row['wall']:>7.2f} {ideal:>8.2f} {row['wall'] / ideal:>10.3f} "
            f"{row['limited']:>5d} {row['failures']:>6d}"
        )
    loopback = await run_overhead(base, rounds, per_round)
    in_process = await run_overhead_in_process(rounds, per_round * 4)
    print()
    print(f"Client overhead per request, budget off (median of {rounds} rounds of sequential requests)")
    print(f"{'transport':<34} {'raw httpx':>11} {'jiramcp':>11} {'overhead':>11} {'ratio':>6}")
    for name, over in (("127.0.0.1 (HTTP/1.1 keep-alive)", loopback), ("in-process (httpx.MockTransport)", in_process)):
        print(
            f"{name:<34} {over['raw'] * 1e6:>8.0f} us {over['ours'] * 1e6:>8.0f} us "
            f"{over['overhead'] * 1e6:>8.0f} us {over['ours'] / over['raw']:>6.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="60 requests and fewer rounds (about 20 s)")
    args = parser.parse_args()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=(port,), daemon=True)
    server.start()
    try:
        asyncio.run(_wait_until_up(base))
        asyncio.run(main_async(base, args.quick))
    finally:
        server.terminate()
        server.join(5)


if __name__ == "__main__":
    main()
