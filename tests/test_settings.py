"""Settings: read once from a mapping, cross-field rules, one-line errors, secrets hidden."""

from __future__ import annotations

import pytest

from jiramcp.settings import ENV_VARS, ConfigError, Settings, load_settings

CLOUD = {
    "JIRA_URL": "https://acme.atlassian.net/",
    "JIRA_USERNAME": "me@example.com",
    "JIRA_API_TOKEN": "tok-SECRET-123",
}


def test_defaults_are_the_documented_budget() -> None:
    settings = load_settings(CLOUD)
    assert settings.jira_url == "https://acme.atlassian.net"
    assert (settings.rate, settings.concurrency) == (10.0, 4)
    assert 1 <= settings.burst <= 10
    assert settings.jira_ssl_verify is True
    assert settings.jira_deployment == "auto"
    assert settings.read_only is False and settings.enable_delete is False
    assert settings.toolsets == ["all"]
    assert settings.projects == [] and settings.enabled_tools == [] and settings.disabled_tools == []
    assert settings.auth_kind == "basic"


def test_lists_are_read_comma_separated_or_as_json() -> None:
    settings = load_settings(
        {
            **CLOUD,
            "JIRAMCP_TOOLSETS": " Issues, agile ,, ",
            "JIRAMCP_PROJECTS": "proj,OPS,proj",
            "JIRAMCP_DISABLED_TOOLS": '["jira_delete_issue"]',
        }
    )
    assert settings.toolsets == ["issues", "agile"]
    assert settings.projects == ["PROJ", "OPS"]
    assert settings.disabled_tools == ["jira_delete_issue"]


def test_knobs_are_read_from_jiramcp_variables() -> None:
    settings = load_settings(
        {
            **CLOUD,
            "JIRAMCP_RATE": "2.5",
            "JIRAMCP_BURST": "3",
            "JIRAMCP_CONCURRENCY": "8",
            "JIRAMCP_MAX_RETRIES": "2",
            "JIRAMCP_MAX_RETRY_WAIT": "12",
            "JIRAMCP_CACHE_TTL": "60",
            "JIRAMCP_READ_ONLY": "yes",
            "JIRAMCP_ENABLE_DELETE": "1",
            "JIRA_SSL_VERIFY": "false",
            "JIRA_TIMEOUT": "7.5",
            "JIRA_DEPLOYMENT": "server",
            "JIRAMCP_HTTP_TOKEN": "http-SECRET",
        }
    )
    assert (settings.rate, settings.burst, settings.concurrency) == (2.5, 3, 8)
    assert (settings.max_retries, settings.max_retry_wait, settings.cache_ttl) == (2, 12.0, 60.0)
    assert settings.read_only and settings.enable_delete and not settings.jira_ssl_verify
    assert settings.jira_timeout == 7.5 and settings.jira_deployment == "server"
    assert settings.http_token is not None and settings.http_token.get_secret_value() == "http-SECRET"


def test_the_popular_servers_variable_names_are_accepted() -> None:
    settings = load_settings(
        {**CLOUD, "READ_ONLY_MODE": "true", "ENABLED_TOOLS": "jira_search", "JIRA_PROJECTS_FILTER": "ab"}
    )
    assert settings.read_only and settings.enabled_tools == ["jira_search"] and settings.projects == ["AB"]


def test_bare_knob_names_in_the_environment_are_ignored() -> None:
    assert load_settings({**CLOUD, "RATE": "1", "PROJECTS": "X"}).rate == 10.0


def test_only_the_given_mapping_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CLOUD.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("JIRAMCP_RATE", "1")
    assert load_settings().rate == 1.0
    assert load_settings(CLOUD).rate == 10.0


def test_personal_token_and_oauth_are_single_credentials() -> None:
    pat = load_settings({"JIRA_URL": "https://jira.corp", "JIRA_PERSONAL_TOKEN": "pat-SECRET"})
    assert pat.auth_kind == "pat"
    oauth = load_settings({"JIRA_URL": "https://jira.corp", "JIRA_OAUTH_TOKEN": "oa-SECRET"})
    assert oauth.auth_kind == "oauth"


@pytest.mark.parametrize(
    ("environ", "variable"),
    [
        ({}, "JIRA_URL"),
        ({"JIRA_URL": "ftp://jira.corp", "JIRA_PERSONAL_TOKEN": "p"}, "JIRA_URL"),
        ({"JIRA_URL": "jira.corp", "JIRA_PERSONAL_TOKEN": "p"}, "JIRA_URL"),
        ({"JIRA_URL": "https://u:pw@jira.corp", "JIRA_PERSONAL_TOKEN": "p"}, "JIRA_URL"),
        ({"JIRA_URL": "https://x", "JIRA_USERNAME": "u"}, "JIRA_API_TOKEN"),
        ({"JIRA_URL": "https://x", "JIRA_API_TOKEN": "t"}, "JIRA_USERNAME"),
        ({**CLOUD, "JIRA_PERSONAL_TOKEN": "p"}, "JIRA_PERSONAL_TOKEN"),
        ({"JIRA_URL": "https://x", "JIRA_PERSONAL_TOKEN": "p", "JIRA_OAUTH_TOKEN": "o"}, "JIRA_OAUTH_TOKEN"),
        ({"JIRA_URL": "https://x"}, "JIRA_USERNAME"),
        (
            {"JIRA_URL": "https://x", "JIRA_PERSONAL_TOKEN": "p", "JIRA_DEPLOYMENT": "cloud"},
            "JIRA_DEPLOYMENT",
        ),
        ({**CLOUD, "JIRA_DEPLOYMENT": "dc"}, "JIRA_DEPLOYMENT"),
        ({**CLOUD, "JIRAMCP_RATE": "fast"}, "JIRAMCP_RATE"),
        ({**CLOUD, "JIRAMCP_CONCURRENCY": "0"}, "JIRAMCP_CONCURRENCY"),
        ({**CLOUD, "JIRAMCP_PROJECTS": "ok,not-a-key"}, "JIRAMCP_PROJECTS"),
        ({**CLOUD, "JIRAMCP_TOOLSETS": "[broken"}, "JIRAMCP_TOOLSETS"),
        ({**CLOUD, "READ_ONLY_MODE": "perhaps"}, "READ_ONLY_MODE"),
        ({**CLOUD, "JIRA_TIMEOUT": "-1"}, "JIRA_TIMEOUT"),
    ],
)
def test_a_bad_setting_fails_with_one_line_naming_the_variable_and_an_example(
    environ: dict[str, str], variable: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(environ)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(variable) or f" {variable}" in message
    assert "example:" in message and "=" in message.split("example:")[1]


def test_sandbox_mode_needs_no_url_or_credentials_but_still_checks_the_url() -> None:
    assert load_settings({}, sandbox=True).auth_kind is None
    with pytest.raises(ConfigError, match="JIRA_URL"):
        load_settings({"JIRA_URL": "ftp://x"}, sandbox=True)


def test_secrets_never_appear_in_repr_str_or_errors() -> None:
    secrets = {
        **CLOUD,
        "JIRAMCP_HTTP_TOKEN": "http-SECRET-9",
    }
    settings = load_settings(secrets)
    for text in (repr(settings), str(settings), str(settings.model_dump())):
        assert "tok-SECRET-123" not in text and "http-SECRET-9" not in text
    with pytest.raises(ConfigError) as info:
        load_settings({**CLOUD, "JIRA_PERSONAL_TOKEN": "pat-SECRET-7", "JIRAMCP_RATE": "x-SECRET"})
    assert "SECRET" not in str(info.value)
    with pytest.raises(ConfigError) as info:
        load_settings({**CLOUD, "JIRA_PERSONAL_TOKEN": "pat-SECRET-7"})
    assert "SECRET" not in str(info.value)


def test_every_setting_has_a_documented_variable_and_example() -> None:
    assert set(ENV_VARS) == set(Settings.model_fields)
    for name, example in ENV_VARS.values():
        assert name.startswith(("JIRA_", "JIRAMCP_")) and example


def test_settings_are_frozen_and_constructible_by_attribute_name() -> None:
    settings = Settings(jira_url="https://x", rate=3)
    assert settings.rate == 3.0
    with pytest.raises(ValueError):
        settings.rate = 5  # type: ignore[misc]
