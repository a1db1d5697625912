"""The sandbox over real HTTP on 127.0.0.1 (uvicorn), and the `jiramcp sandbox serve` command line."""

from __future__ import annotations

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from tests.sandbox._sandbox_helpers import make_config

from jiramcp.cli import build_parser
from jiramcp.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, create_app, serving

pytestmark = pytest.mark.anyio


async def test_sandbox_answers_over_http_on_localhost() -> None:
    apps = []

    def sandbox_at(url: str) -> Starlette:
        apps.append(create_app(make_config(base_url=url)))
        return apps[0]

    with anyio.fail_after(20):
        async with (
            serving(sandbox_at) as url,
            httpx.AsyncClient(base_url=url, auth=(SANDBOX_EMAIL, SANDBOX_TOKEN)) as client,
        ):
            me = await client.get("/rest/api/3/myself")
            assert me.status_code == 200 and me.json()["emailAddress"] == SANDBOX_EMAIL
            issue = (await client.get("/rest/api/3/issue/MOB-1")).json()
            assert issue["self"] == f"{url}/rest/api/3/issue/{issue['id']}"
            found = await client.post("/rest/api/3/search/jql", json={"jql": "project = OPS", "maxResults": 1})
            assert found.status_code == 200 and found.json()["isLast"] is False
            assert (await client.get("/rest/api/3/myself", auth=None)).status_code == 401
    assert apps[0].state.sandbox.log.snapshot()["total_requests"] >= 4


def test_serve_command_is_registered_with_its_options() -> None:
    args = build_parser().parse_args(
        ["sandbox", "serve", "--port", "9123", "--issues", "50", "--seed", "3", "--state", "s.json"]
    )
    assert (args.port, args.host, args.issues, args.seed, str(args.state)) == (9123, "127.0.0.1", 50, 3, "s.json")
    assert callable(args.func)
