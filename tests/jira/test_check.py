"""`jiramcp check`: the report on success, the reason and exit code on failure."""

from __future__ import annotations

import io

import httpx
import pytest
import respx

from jiramcp._check_cli import run_check
from jiramcp.cli import main
from jiramcp.settings import load_settings

from ._fakes import BASE, TOKEN

pytestmark = pytest.mark.anyio

ENV = {"JIRA_URL": BASE, "JIRA_USERNAME": "me@example.com", "JIRA_API_TOKEN": TOKEN}


async def test_check_reports_deployment_user_and_headroom() -> None:
    router = respx.Router(base_url=BASE)
    router.get("/rest/api/2/serverInfo").respond(200, json={"deploymentType": "Cloud", "version": "1001.0.0"})
    router.get("/rest/api/3/myself").respond(
        200,
        json={"accountId": "5b10ac8d", "displayName": "Ann Example"},
        headers={"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "97"},
    )
    out, err = io.StringIO(), io.StringIO()
    code = await run_check(load_settings(ENV), transport=httpx.MockTransport(router.async_handler), out=out, err=err)
    text = out.getvalue()
    assert code == 0 and err.getvalue() == ""
    assert "Cloud, REST v3, version 1001.0.0" in text
    assert "Ann Example (accountId 5b10ac8d)" in text
    assert "97 of 100 requests left" in text
    assert TOKEN not in text


async def test_check_fails_with_the_reason_when_jira_refuses_the_credentials() -> None:
    router = respx.Router(base_url=BASE)
    router.get("/rest/api/2/serverInfo").respond(200, json={"deploymentType": "Server", "version": "9.4"})
    router.get("/rest/api/2/myself").respond(401, text="")
    out, err = io.StringIO(), io.StringIO()
    code = await run_check(load_settings(ENV), transport=httpx.MockTransport(router.async_handler), out=out, err=err)
    assert code == 1 and out.getvalue() == ""
    assert "FAILED" in err.getvalue() and "401" in err.getvalue() and "JIRA_API_TOKEN" in err.getvalue()
    assert TOKEN not in err.getvalue()


def test_check_exits_2_naming_the_missing_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("JIRA_URL", "JIRA_USERNAME", "JIRA_API_TOKEN", "JIRA_PERSONAL_TOKEN", "JIRA_OAUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert main(["check"]) == 2
    assert "JIRA_URL" in capsys.readouterr().err
