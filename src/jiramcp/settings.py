"""Configuration, read once from the environment.

Every knob has one attribute on `Settings` and one documented environment variable. The Jira
connection uses the names the most popular Jira MCP server already uses (`JIRA_URL`,
`JIRA_USERNAME`, `JIRA_API_TOKEN`, `JIRA_PERSONAL_TOKEN`, ...), so existing client configs keep
working; jiramcp's own knobs live under `JIRAMCP_`. A few of that server's other names are
accepted as aliases (`READ_ONLY_MODE`, `ENABLED_TOOLS`, `JIRA_PROJECTS_FILTER`).

`Settings` itself checks types only. `load_settings` adds the cross-field rules (a URL is
required, credentials come in complete, non-contradictory sets) and turns any problem into a
one-line `ConfigError` that names the variable and shows an example value. Secrets are
`SecretStr`: they never appear in `repr`, `str` or an error message.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.sources.utils import parse_env_vars

__all__ = ["ENV_VARS", "ConfigError", "Settings", "check_settings", "load_settings"]

Deployment = Literal["auto", "cloud", "server"]
AuthKind = Literal["basic", "pat", "oauth"]

_PROJECT_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")

# attribute -> (environment variable, example value). The first variable is the documented one;
# the README's table is generated from the same facts, so keep it in step.
ENV_VARS: dict[str, tuple[str, str]] = {
    "jira_url": ("JIRA_URL", "https://your-company.atlassian.net"),
    "jira_username": ("JIRA_USERNAME", "you@example.com"),
    "jira_api_token": ("JIRA_API_TOKEN", "ATATT3xFfGF0..."),
    "jira_personal_token": ("JIRA_PERSONAL_TOKEN", "NjM4..."),
    "jira_oauth_token": ("JIRA_OAUTH_TOKEN", "eyJhbGciOi..."),
    "jira_ssl_verify": ("JIRA_SSL_VERIFY", "true"),
    "jira_timeout": ("JIRA_TIMEOUT", "30"),
    "jira_deployment": ("JIRA_DEPLOYMENT", "cloud"),
    "rate": ("JIRAMCP_RATE", "10"),
    "burst": ("JIRAMCP_BURST", "5"),
    "concurrency": ("JIRAMCP_CONCURRENCY", "4"),
    "max_retries": ("JIRAMCP_MAX_RETRIES", "4"),
    "max_retry_wait": ("JIRAMCP_MAX_RETRY_WAIT", "30"),
    "cache_ttl": ("JIRAMCP_CACHE_TTL", "300"),
    "read_only": ("JIRAMCP_READ_ONLY", "true"),
    "toolsets": ("JIRAMCP_TOOLSETS", "issues,search,agile"),
    "enabled_tools": ("JIRAMCP_ENABLED_TOOLS", "jira_search,jira_get_issue"),
    "disabled_tools": ("JIRAMCP_DISABLED_TOOLS", "jira_delete_issue"),
    "projects": ("JIRAMCP_PROJECTS", "PROJ,OPS"),
    "enable_delete": ("JIRAMCP_ENABLE_DELETE", "true"),
    "http_token": ("JIRAMCP_HTTP_TOKEN", "a-long-random-string"),
    "fast_start": ("JIRAMCP_FAST_START", "false"),
}

_ALIASES: dict[str, tuple[str, ...]] = {
    "read_only": ("READ_ONLY_MODE",),
    "enabled_tools": ("ENABLED_TOOLS",),
    "projects": ("JIRA_PROJECTS_FILTER",),
}


class ConfigError(ValueError):
    """A missing, malformed or contradictory setting; the message is one line for the user."""


def _env(attr: str) -> Any:
    names = (ENV_VARS[attr][0], *_ALIASES.get(attr, ()))
    return AliasChoices(*names)


def _split_list(value: Any) -> Any:
    """Accept `a,b , c`, a JSON list, or a real list; drop empty items."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValueError("not a valid JSON list; use a comma-separated list instead") from exc
        else:
            value = text.split(",")
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return value


_StrList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    """Every setting of jiramcp. Build it with `load_settings`, which also checks cross-field rules.

    Attributes:
        jira_url: Base URL of the Jira site (`JIRA_URL`), without a trailing slash.
        jira_username: User for basic auth (`JIRA_USERNAME`; Cloud: the account's email).
        jira_api_token: Cloud API token for basic auth (`JIRA_API_TOKEN`).
        jira_personal_token: Server/Data Center personal access token, sent as Bearer
            (`JIRA_PERSONAL_TOKEN`).
        jira_oauth_token: OAuth 2.0 access token, sent as Bearer (`JIRA_OAUTH_TOKEN`).
        jira_ssl_verify: Verify TLS certificates (`JIRA_SSL_VERIFY`).
        jira_timeout: Seconds for connect/read/write timeouts of one HTTP request (`JIRA_TIMEOUT`).
        jira_deployment: `auto` asks `serverInfo` once; `cloud`/`server` skip that call
            (`JIRA_DEPLOYMENT`).
        rate: Client-side budget in requests per second; `0` switches the token bucket off
            (`JIRAMCP_RATE`).
        burst: Requests the bucket lets through at once after idling (`JIRAMCP_BURST`).
        concurrency: Requests in flight at most (`JIRAMCP_CONCURRENCY`).
        max_retries: Retries after the first attempt (`JIRAMCP_MAX_RETRIES`).
        max_retry_wait: Upper bound, in seconds, on the total time one call spends waiting
            before retries; a longer `Retry-After` becomes an error (`JIRAMCP_MAX_RETRY_WAIT`).
        cache_ttl: Seconds metadata (fields, statuses, ...) stays cached (`JIRAMCP_CACHE_TTL`).
        read_only: Register no tool that writes (`JIRAMCP_READ_ONLY`, alias `READ_ONLY_MODE`).
        toolsets: Tool groups to enable; `all` enables every group (`JIRAMCP_TOOLSETS`).
        enabled_tools: If not empty, only these tools (`JIRAMCP_ENABLED_TOOLS`, alias
            `ENABLED_TOOLS`).
        disabled_tools: Tools never registered (`JIRAMCP_DISABLED_TOOLS`).
        projects: Project allow-list of keys; empty allows all (`JIRAMCP_PROJECTS`, alias
            `JIRA_PROJECTS_FILTER`).
        enable_delete: Register the issue-deleting tool (`JIRAMCP_ENABLE_DELETE`).
        http_token: Bearer token clients must send to the HTTP transport (`JIRAMCP_HTTP_TOKEN`).
        fast_start: Over stdio, answer the handshake and the tool list from the packaged
            snapshot while the SDK loads (`JIRAMCP_FAST_START`; on by default).
    """

    model_config = SettingsConfigDict(
        case_sensitive=False,
        env_ignore_empty=True,
        extra="ignore",
        populate_by_name=True,
        validate_default=True,
        frozen=True,
    )

    jira_url: str | None = Field(default=None, validation_alias=_env("jira_url"))
    jira_username: str | None = Field(default=None, validation_alias=_env("jira_username"))
    jira_api_token: SecretStr | None = Field(default=None, validation_alias=_env("jira_api_token"))
    jira_personal_token: SecretStr | None = Field(default=None, validation_alias=_env("jira_personal_token"))
    jira_oauth_token: SecretStr | None = Field(default=None, validation_alias=_env("jira_oauth_token"))
    jira_ssl_verify: bool = Field(default=True, validation_alias=_env("jira_ssl_verify"))
    jira_timeout: float = Field(default=30.0, gt=0, le=600, validation_alias=_env("jira_timeout"))
    jira_deployment: Deployment = Field(default="auto", validation_alias=_env("jira_deployment"))

    rate: float = Field(default=10.0, ge=0, le=10_000, validation_alias=_env("rate"))
    burst: int = Field(default=5, ge=1, le=1_000, validation_alias=_env("burst"))
    concurrency: int = Field(default=4, ge=1, le=256, validation_alias=_env("concurrency"))
    max_retries: int = Field(default=4, ge=0, le=20, validation_alias=_env("max_retries"))
    max_retry_wait: float = Field(default=30.0, ge=0, le=3_600, validation_alias=_env("max_retry_wait"))
    cache_ttl: float = Field(default=300.0, ge=0, validation_alias=_env("cache_ttl"))
    read_only: bool = Field(default=False, validation_alias=_env("read_only"))
    toolsets: _StrList = Field(default_factory=lambda: ["all"], validation_alias=_env("toolsets"))
    enabled_tools: _StrList = Field(default_factory=list, validation_alias=_env("enabled_tools"))
    disabled_tools: _StrList = Field(default_factory=list, validation_alias=_env("disabled_tools"))
    projects: _StrList = Field(default_factory=list, validation_alias=_env("projects"))
    enable_delete: bool = Field(default=False, validation_alias=_env("enable_delete"))
    http_token: SecretStr | None = Field(default=None, validation_alias=_env("http_token"))
    fast_start: bool = Field(default=True, validation_alias=_env("fast_start"))

    @field_validator("jira_url", mode="before")
    @classmethod
    def _strip_url(cls, value: Any) -> Any:
        return value.strip().rstrip("/") or None if isinstance(value, str) else value

    @field_validator("jira_username", mode="before")
    @classmethod
    def _strip_username(cls, value: Any) -> Any:
        return value.strip() or None if isinstance(value, str) else value

    @field_validator("toolsets", "enabled_tools", "disabled_tools", mode="before")
    @classmethod
    def _split_names(cls, value: Any) -> Any:
        items = _split_list(value)
        return [item.lower() for item in items] if isinstance(items, list) else items

    @field_validator("projects", mode="before")
    @classmethod
    def _split_projects(cls, value: Any) -> Any:
        items = _split_list(value)
        if not isinstance(items, list):
            return items
        keys = [item.upper() for item in items]
        for key in keys:
            if not _PROJECT_KEY.match(key):
                raise ValueError(f"{key!r} is not a Jira project key")
        return list(dict.fromkeys(keys))

    @property
    def auth_kind(self) -> AuthKind | None:
        """Which credentials are configured: basic (user + API token), a PAT, OAuth, or none."""
        if self.jira_oauth_token is not None:
            return "oauth"
        if self.jira_personal_token is not None:
            return "pat"
        if self.jira_username is not None and self.jira_api_token is not None:
            return "basic"
        return None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only the environment (or the mapping given to load_settings): no .env file is read
        # behind the user's back.
        environ = _ENVIRON.get()
        return (init_settings, _MappingEnvSource(settings_cls, os.environ if environ is None else environ))


_ENVIRON: ContextVar[Mapping[str, str] | None] = ContextVar("jiramcp_environ", default=None)


class _MappingEnvSource(EnvSettingsSource):
    """The environment source, reading a given mapping and only the documented names."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = dict(environ)
        super().__init__(settings_cls)

    def _extract_field_info(
        self, field: FieldInfo, field_name: str, model_config: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str, bool]]:
        # populate_by_name lets Settings(rate=3) work; it must not make a bare `RATE` or
        # `PROJECTS` in the environment a setting, so only the documented names are read.
        found = super()._extract_field_info(field, field_name, model_config)
        return [info for info in found if info[0] != field_name]

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(self._environ, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str)


@contextmanager
def _reading(environ: Mapping[str, str]) -> Iterator[None]:
    token = _ENVIRON.set(environ)
    try:
        yield
    finally:
        _ENVIRON.reset(token)


def _error_for(exc: ValidationError, environ: Mapping[str, str]) -> ConfigError:
    """One line for the first problem, naming the environment variable, never echoing a value."""
    err = exc.errors(include_url=False, include_input=False)[0]
    loc = str(err["loc"][0]) if err["loc"] else ""
    attr = next(
        (a for a, (name, _) in ENV_VARS.items() if loc.upper() in (a.upper(), name, *_ALIASES.get(a, ()))),
        None,
    )
    if attr is None:
        return ConfigError(f"invalid setting {loc}: {err['msg']}")
    name, example = ENV_VARS[attr]
    present = {key.upper() for key in environ}
    # Name the variable the user actually set when they used an alias.
    name = next((n for n in (name, *_ALIASES.get(attr, ())) if n in present), name)
    msg = str(err["msg"]).removeprefix("Value error, ")
    return ConfigError(f"{name} is invalid ({msg}); example: {name}={example}")


def _need(attr: str, why: str) -> ConfigError:
    name, example = ENV_VARS[attr]
    return ConfigError(f"{name} {why}; example: {name}={example}")


def check_settings(settings: Settings, *, sandbox: bool = False) -> None:
    """Raise `ConfigError` for a missing or contradictory setting.

    Args:
        settings: The settings to check.
        sandbox: The caller points the client at the sandbox: no URL or credentials needed.
    """
    url = settings.jira_url
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _need("jira_url", "must be an http(s) URL with a host name")
        if parts.username is not None or parts.password is not None:
            raise _need("jira_url", "must not contain credentials (use JIRA_USERNAME and JIRA_API_TOKEN)")
    if sandbox:
        return
    if url is None:
        raise _need("jira_url", "is not set: jiramcp needs the base URL of your Jira site")
    basic = settings.jira_username is not None or settings.jira_api_token is not None
    if settings.jira_username is not None and settings.jira_api_token is None:
        raise _need("jira_api_token", "is not set but JIRA_USERNAME is: basic auth needs both")
    if settings.jira_api_token is not None and settings.jira_username is None:
        raise _need("jira_username", "is not set but JIRA_API_TOKEN is: basic auth needs both")
    if settings.jira_personal_token is not None and basic:
        raise _need(
            "jira_personal_token",
            "is set together with JIRA_USERNAME/JIRA_API_TOKEN: keep only one way to sign in",
        )
    if settings.jira_oauth_token is not None and (basic or settings.jira_personal_token is not None):
        raise _need("jira_oauth_token", "is set together with other credentials: keep only one way to sign in")
    if settings.auth_kind is None:
        raise ConfigError(
            "no Jira credentials: set JIRA_USERNAME and JIRA_API_TOKEN (Cloud), "
            "or JIRA_PERSONAL_TOKEN (Server/Data Center); example: JIRA_USERNAME=you@example.com"
        )
    if settings.jira_personal_token is not None and settings.jira_deployment == "cloud":
        raise _need(
            "jira_deployment",
            "is cloud but JIRA_PERSONAL_TOKEN is a Server/Data Center token: "
            "Cloud needs JIRA_USERNAME and JIRA_API_TOKEN",
        )


def load_settings(environ: Mapping[str, str] | None = None, *, sandbox: bool = False) -> Settings:
    """Read the settings once and check them.

    Args:
        environ: Variables to read; `os.environ` when omitted. Only these are read (no .env file).
        sandbox: The caller points the client at the sandbox, so Jira credentials and the URL are
            not required (a URL, when given, must still be valid).

    Returns:
        The validated, frozen settings.

    Raises:
        ConfigError: One line naming the variable at fault and an example value.
    """
    source = os.environ if environ is None else environ
    try:
        with _reading(source):
            settings = Settings()
    except ValidationError as exc:
        raise _error_for(exc, source) from None
    check_settings(settings, sandbox=sandbox)
    return settings
