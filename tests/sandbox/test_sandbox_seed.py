"""The seeded data: deterministic, valid ADF, consistent, persisted and reloaded."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from tests.sandbox._sandbox_helpers import ANCHOR, make_config

from jiramcp.adf import validate_adf
from jiramcp.sandbox import SANDBOX_EMAIL, SANDBOX_TOKEN, create_app, in_process_transport
from jiramcp.sandbox._seed import generate

pytestmark = pytest.mark.anyio


def test_same_seed_and_anchor_give_the_same_data_and_another_seed_does_not() -> None:
    first = json.dumps(generate(3, 150, ANCHOR), sort_keys=True)
    assert first == json.dumps(generate(3, 150, ANCHOR), sort_keys=True)
    assert first != json.dumps(generate(4, 150, ANCHOR), sort_keys=True)


def test_seeded_documents_are_valid_adf_and_rich() -> None:
    data = generate(11, 200, ANCHOR)
    kinds: set[str] = set()

    def walk(node: dict) -> None:
        kinds.add(node["type"])
        for child in node.get("content", []):
            walk(child)

    for rec in data["issues"].values():
        docs = [rec["f"].get(k) for k in ("description", "environment", "customfield_10060")]
        docs += [c["body"] for c in rec["comments"]]
        for doc in filter(None, docs):
            assert validate_adf(doc) == []
            walk(doc)
    assert {"table", "bulletList", "orderedList", "codeBlock", "mention", "panel", "heading"} <= kinds


def test_seeded_data_has_the_documented_shape() -> None:
    data = generate(5, 300, ANCHOR)
    issues = list(data["issues"].values())
    assert 280 <= len(issues) <= 320
    assert {p["key"] for p in data["projects"].values()} == {"PLAT", "MOB", "OPS"}
    types = {r["f"]["issuetype"] for r in issues}
    assert types == {"10000", "10001", "10002", "10003", "10004"}
    states = {s["id"]: s["state"] for s in data["sprints"].values()}
    assert states == {
        1: "closed",
        2: "closed",
        3: "closed",
        4: "closed",
        5: "active",
        6: "future",
        7: "future",
        8: "closed",
        9: "active",
        10: "future",
    }
    by_id = data["issues"]
    for rec in issues:
        parent = rec["f"].get("parent")
        if rec["f"]["issuetype"] == "10004":
            assert by_id[parent]["f"]["issuetype"] in {"10001", "10002", "10003"}
        elif parent:
            assert by_id[parent]["f"]["issuetype"] == "10000"
        done = rec["f"]["status"] == "10002"
        assert bool(rec["f"]["resolution"]) == done and bool(rec["f"]["resolutiondate"]) == done
        times = [h["created"] for h in rec["histories"]]
        assert times == sorted(times) and all(t >= rec["f"]["created"] for t in times)
    assert sum(1 for r in issues if len(r["f"]["customfield_10020"]) > 1) > 0  # carried-over issues


async def test_state_file_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    config = make_config(state_path=path)
    app = create_app(config)
    transport = in_process_transport(app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t", auth=(SANDBOX_EMAIL, SANDBOX_TOKEN)) as c:
        created = (
            await c.post(
                "/rest/api/3/issue",
                json={"fields": {"project": {"key": "MOB"}, "issuetype": {"name": "Bug"}, "summary": "Persist me"}},
            )
        ).json()
        await c.post("/rest/agile/1.0/sprint", json={"name": "Saved", "originBoardId": 2})
    assert path.exists()
    again = create_app(make_config(state_path=path, seed=999))
    async with httpx.AsyncClient(
        transport=in_process_transport(again), base_url="http://t", auth=(SANDBOX_EMAIL, SANDBOX_TOKEN)
    ) as c:
        issue = (await c.get(f"/rest/api/3/issue/{created['key']}")).json()
        assert issue["fields"]["summary"] == "Persist me"
        sprints = (await c.get("/rest/agile/1.0/board/2/sprint", params={"state": "future"})).json()["values"]
        assert "Saved" in {s["name"] for s in sprints}
    assert again.state.sandbox.store.data == app.state.sandbox.store.data


def test_a_corrupt_state_file_is_refused_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match=r"bad\.json"):
        create_app(make_config(state_path=path))
