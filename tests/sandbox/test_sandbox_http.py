"""The sandbox over real HTTP on 127.0.0.1 (uvicorn), and the `jiramcp sandbox serve` command line."""

from __future__ import annotations

import socket

import anyio
import httpx
import pytest
import uvicorn
from tests.sandbox._sandbox_helpers import make_config

from jiramcp.cli import build_parser
from jiramcp.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, create_app

pytestmark = pytest.mark.anyio


async def test_sandbox_answers_over_http_on_localhost() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(make_config(base_url=f"http://127.0.0.1:{port}"))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    with anyio.fail_after(20):
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(server.serve, [sock])
            for _ in range(2000):  # uvicorn has no "started" event to await
                if server.started:
                    break
                await anyio.sleep(0.01)
            try:
                async with httpx.AsyncClient(
                    base_url=f"http://127.0.0.1:{port}", auth=(SANDBOX_EMAIL, SANDBOX_TOKEN)
                ) as client:
                    me = await client.get("/rest/api/3/myself")
                    assert me.status_code == 200 and me.json()["emailAddress"] == SANDBOX_EMAIL
                    issue = (await client.get("/rest/api/3/issue/MOB-1")).json()
                    assert issue["self"] == f"http://127.0.0.1:{port}/rest/api/3/issue/{issue['id']}"
                    found = await client.post("/rest/api/3/search/jql", json={"jql": "project = OPS", "maxResults": 1})
                    assert found.status_code == 200 and found.json()["isLast"] is False
                    assert (await client.get("/rest/api/3/myself", auth=None)).status_code == 401
            finally:
                server.should_exit = True
    sock.close()
    assert app.state.sandbox.log.snapshot()["total_requests"] >= 4


def test_serve_command_is_registered_with_its_options() -> None:
    args = build_parser().parse_args(
        ["sandbox", "serve", "--port", "9123", "--issues", "50", "--seed", "3", "--state", "s.json"]
    )
    assert (args.port, args.host, args.issues, args.seed, str(args.state)) == (9123, "127.0.0.1", 50, 3, "s.json")
    assert callable(args.func)
