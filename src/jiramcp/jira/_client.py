"""`JiraClient`: the one shared, rate-limited Jira client of a jiramcp process."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from jiramcp.jira._agile import _AgileMethods
from jiramcp.jira._clock import Clock
from jiramcp.jira._create import _CreateMethods
from jiramcp.jira._issues import _IssueMethods
from jiramcp.jira._metadata import _MetadataMethods
from jiramcp.jira._retry import RetryPolicy

if TYPE_CHECKING:
    from jiramcp.settings import Settings

__all__ = ["SANDBOX_BASE_URL", "JiraClient"]

# Used when the settings name no Jira (sandbox runs): any host works over an in-process transport.
SANDBOX_BASE_URL = "http://jira.sandbox.invalid"


class JiraClient(_CreateMethods, _IssueMethods, _MetadataMethods, _AgileMethods):
    """Async Jira REST client: one connection pool, a request budget, safe retries, typed errors.

    Open one per process and share it; use `async with` or call `aclose()`. Endpoint methods
    return Jira's parsed JSON and raise `JiraError` subclasses. Which REST version and text
    format apply comes from `await client.deployment()`.
    """

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        base_url: str | None = None,
        clock: Clock | None = None,
    ) -> JiraClient:
        """Build the client the settings describe.

        Args:
            settings: Loaded by `jiramcp.settings.load_settings`.
            transport: Test seam, e.g. `httpx.ASGITransport(app=sandbox_app)`.
            base_url: Overrides `settings.jira_url`; without either, a transport must be given
                and `SANDBOX_BASE_URL` is used.
            clock: Time source (tests).
        """
        url = base_url or settings.jira_url
        if url is None:
            if transport is None:
                raise ValueError("JIRA_URL is not set; example: JIRA_URL=https://your-company.atlassian.net")
            url = SANDBOX_BASE_URL
        return cls(
            url,
            username=settings.jira_username,
            api_token=settings.jira_api_token,
            bearer_token=settings.jira_personal_token or settings.jira_oauth_token,
            timeout=settings.jira_timeout,
            verify=settings.jira_ssl_verify,
            deployment=settings.jira_deployment,
            rate=settings.rate,
            burst=settings.burst,
            concurrency=settings.concurrency,
            retry=RetryPolicy(max_retries=settings.max_retries, max_total_wait=settings.max_retry_wait),
            cache_ttl=settings.cache_ttl,
            transport=transport,
            clock=clock,
        )
