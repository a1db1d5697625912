"""The HTTP core of the Jira client: one `httpx.AsyncClient`, the budget, retries, errors.

Every request goes through `_BaseClient.request`: budget slot (per-issue gate, concurrency,
token bucket), one HTTP exchange, the server's rate-limit signals fed back to the budget, then
the retry decision of `retry_delay`. The exchange tells the budget when the request's head was
actually written (httpcore's `trace` extension), so its per-second window counts what reached
the wire rather than what was let go. Endpoint methods live in the mixins built on this class.
"""

from __future__ import annotations

import json as jsonlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal, Self, TypeVar
from urllib.parse import quote

import anyio
import httpx
from pydantic import SecretStr

from jiramcp import __version__
from jiramcp.jira._auth import JiraAuth, as_secret, basic_credentials
from jiramcp.jira._budget import PER_ISSUE_REASON, Budget, BudgetExhausted, Ticket
from jiramcp.jira._cache import MetadataCache
from jiramcp.jira._clock import Clock, SystemClock
from jiramcp.jira._deployment import DeploymentInfo, DeploymentKind
from jiramcp.jira._errors import (
    Forbidden,
    Gone,
    JiraAmbiguousWriteError,
    JiraAPIError,
    JiraError,
    JiraTransportError,
    NotFound,
    RateLimited,
    ServerError,
    error_for_status,
)
from jiramcp.jira._retry import RetryPolicy, never_reached_jira, retry_delay, server_wait

__all__: list[str] = []

logger = logging.getLogger("jiramcp.jira")

_E = TypeVar("_E", bound=BaseException)
_CLOUD_HOSTS = (".atlassian.net", ".jira.com", "api.atlassian.com")
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class _BaseClient:
    """Connection, budget, retries and deployment detection; no endpoint knowledge."""

    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        api_token: SecretStr | str | None = None,
        bearer_token: SecretStr | str | None = None,
        timeout: float = 30.0,
        verify: bool = True,
        deployment: Literal["auto", "cloud", "server"] = "auto",
        rate: float = 10.0,
        burst: int = 5,
        concurrency: int = 4,
        retry: RetryPolicy | None = None,
        cache_ttl: float = 300.0,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        """Open a client (call `aclose`, or use `async with`).

        Args:
            base_url: Jira site, e.g. `https://acme.atlassian.net` (a context path is kept).
            username: Basic auth user (Cloud: the email), with `api_token`.
            api_token: Cloud API token (or a Server password) for basic auth.
            bearer_token: A Server/DC personal access token or an OAuth 2.0 access token.
            timeout: Seconds for each of connect, read, write and pool waits.
            verify: Verify TLS certificates.
            deployment: `auto` asks `serverInfo` once; `cloud`/`server` force the flavour.
            rate: Requests per second of the budget; 0 switches the token bucket off.
            burst: Requests the bucket lets through at once.
            concurrency: Requests in flight at most.
            retry: Retry bounds; defaults to `RetryPolicy()`.
            cache_ttl: Seconds metadata stays cached.
            transport: The test seam: any `httpx.AsyncBaseTransport` (MockTransport, ASGI).
            clock: Time source (tests pass a fake one).
            rng: Random source for jitter (tests pass a seeded one).
        """
        self._base_url = base_url.rstrip("/")
        self._clock: Clock = clock or SystemClock()
        self._rng = rng or random.Random()
        self._retry = retry or RetryPolicy()
        self._forced: DeploymentKind | None = None if deployment == "auto" else deployment
        self._deployment: DeploymentInfo | None = None
        self._deployment_lock = anyio.Lock()
        self._budget = Budget(rate=rate, burst=burst, concurrency=concurrency, clock=self._clock)
        self._cache = MetadataCache(cache_ttl, self._clock)
        token, bearer = as_secret(api_token), as_secret(bearer_token)
        self._secrets = [s.get_secret_value() for s in (token, bearer) if s is not None and s.get_secret_value()]
        if username and token is not None:
            self._secrets.append(basic_credentials(username, token))
        self._auth_kind = "bearer" if bearer else "basic" if token and username else "none"
        self._http = httpx.AsyncClient(
            base_url=self._base_url,
            auth=JiraAuth(username, token, bearer),
            headers={"Accept": "application/json", "User-Agent": f"jiramcp/{__version__}"},
            timeout=httpx.Timeout(timeout),
            verify=verify,
            transport=transport,
            limits=httpx.Limits(max_connections=max(concurrency, 1) * 2, max_keepalive_connections=concurrency),
            follow_redirects=False,
            trust_env=True,
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._base_url} auth={self._auth_kind}>"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def budget(self) -> Budget:
        """The request budget (for logs, `jiramcp check` and tests)."""
        return self._budget

    @property
    def cache(self) -> MetadataCache:
        return self._cache

    # -- deployment ---------------------------------------------------------------------------

    async def deployment(self) -> DeploymentInfo:
        """Cloud or Server/DC: forced by settings, else from `GET /rest/api/2/serverInfo` once.

        (`/rest/api/2/serverInfo` exists on both flavours, which is why it is asked in v2.)
        """
        if self._deployment is None:
            async with self._deployment_lock:
                if self._deployment is None:
                    if self._forced is not None:
                        self._deployment = DeploymentInfo.for_kind(self._forced)
                    else:
                        self._deployment = await self._detect_deployment()
                    logger.debug("Jira deployment: %s", self._deployment)
        return self._deployment

    async def _detect_deployment(self) -> DeploymentInfo:
        try:
            info = await self.request_json("GET", "/rest/api/2/serverInfo")
        except (NotFound, Forbidden, Gone) as exc:
            # Some proxies hide serverInfo; the host name is the next best witness.
            host = httpx.URL(self._base_url).host
            kind: DeploymentKind = "cloud" if host.endswith(_CLOUD_HOSTS) else "server"
            logger.warning("serverInfo unavailable (%s); assuming %s from the host name", exc.status, kind)
            return DeploymentInfo.for_kind(kind)
        info = info if isinstance(info, Mapping) else {}
        raw = str(info.get("deploymentType") or "").lower()
        kind = "cloud" if raw == "cloud" else "server"
        version = info.get("version")
        return DeploymentInfo.for_kind(kind, str(version) if version else None)

    async def connect(self) -> DeploymentInfo:
        """Learn the deployment flavour now (a cheap call; later calls reuse it)."""
        return await self.deployment()

    async def _api(self, path: str) -> str:
        """`/rest/api/{3|2}/<path>` for this deployment."""
        info = await self.deployment()
        return f"/rest/api/{info.api_version}/{path.lstrip('/')}"

    # -- requests -----------------------------------------------------------------------------

    async def request_json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
        issue_key: str | None = None,
    ) -> Any:
        """Like `request`, returning the parsed JSON (None for an empty answer such as 204).

        A JSON answer cut short (a dropped connection mid-body) is asked for once more when the
        request is idempotent; any other unreadable body is an error naming what came back.
        """
        repeatable = idempotent if idempotent is not None else method.upper() in _IDEMPOTENT_METHODS
        for attempt in (1, 2):
            response = await self.request(
                method, path, params=params, json=json, idempotent=idempotent, issue_key=issue_key
            )
            if not response.content.strip():
                return None
            try:
                return response.json()
            except ValueError:
                ctype = response.headers.get("content-type", "no content type")
                if attempt == 1 and repeatable and "json" in ctype.lower():
                    logger.info("%s %s: the JSON answer was cut short; asking again", method, path)
                    continue
                break
        raise JiraError(
            f"Jira answered {response.status_code} to {method} {path} with a body that is not JSON "
            f"({ctype}, {len(response.content)} bytes): is JIRA_URL the base URL of Jira "
            "(not a login page or a proxy)?"
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
        issue_key: str | None = None,
    ) -> httpx.Response:
        """Send one logical request through the budget, retrying as the policy allows.

        Args:
            method: HTTP method.
            path: Path below the site, e.g. `/rest/api/3/myself`.
            params: Query parameters (None values are left out).
            json: JSON body.
            idempotent: May be sent twice without harm; default by method (POST is not).
            issue_key: The issue a write changes, for the per-issue write limit.

        Returns:
            The successful (< 400) response, its body read.

        Raises:
            JiraAPIError: Jira answered an error (a subclass per status).
            JiraTransportError: No answer, after the retries allowed.
            JiraAmbiguousWriteError: A non-idempotent write got no clear answer.
        """
        method = method.upper()
        if idempotent is None:
            idempotent = method in _IDEMPOTENT_METHODS
        write_issue = issue_key if method not in ("GET", "HEAD") else None
        query = {k: v for k, v in (params or {}).items() if v is not None}
        body = None if json is None else jsonlib.dumps(json, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json"} if body is not None else None
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            response: httpx.Response | None = None
            failure: httpx.HTTPError | None = None
            started = time.perf_counter()
            try:
                async with self._budget.slot(
                    max_wait=max(0.0, self._retry.max_total_wait - waited), write_issue=write_issue
                ) as ticket:
                    started = time.perf_counter()  # time on the wire, not in the budget
                    try:
                        response = await self._http.request(
                            method,
                            path,
                            params=query or None,
                            content=body,
                            headers=headers,
                            extensions={"trace": _on_the_wire(ticket)},
                        )
                    except httpx.HTTPError as exc:
                        failure = exc
            except BudgetExhausted as exc:
                raise self._redacted(
                    RateLimited(
                        429,
                        retry_after=exc.wait,
                        reason=exc.reason,
                        method=method,
                        path=path,
                        detail="Jira asked for a pause longer than this call may wait.",
                    )
                ) from None
            elapsed_ms = (time.perf_counter() - started) * 1000
            outcome: int | httpx.HTTPError
            if response is not None:
                outcome = response.status_code
                self._budget.observe(response.status_code, response.headers)
                self._log(method, path, str(outcome), elapsed_ms, attempt, waited)
                if response.status_code < 400:
                    return response
                self._apply_signals(response, write_issue)
            else:
                assert failure is not None
                outcome = failure
                self._log(method, path, type(failure).__name__, elapsed_ms, attempt, waited)
            delay = retry_delay(
                attempt,
                outcome,
                response.headers if response is not None else None,
                idempotent=idempotent,
                policy=self._retry,
                wall_now=self._clock.wall(),
                rand=self._rng.random(),
            )
            if delay is not None and waited + delay <= self._retry.max_total_wait:
                waited += delay
                await self._clock.sleep(delay)
                continue
            raise self._final_error(method, path, response, failure, idempotent, attempt)

    def _apply_signals(self, response: httpx.Response, write_issue: str | None) -> None:
        """Feed a 429 (or a 503 with a wait) back to the budget, once for all callers."""
        status = response.status_code
        if status not in (429, 503):
            return
        wait = server_wait(response.headers, wall_now=self._clock.wall(), status=status)
        reason = response.headers.get("ratelimit-reason")
        if reason == PER_ISSUE_REASON:
            if write_issue is not None:
                self._budget.pause_issue(write_issue, wait if wait is not None else 2.0)
            return
        if wait is not None and wait > 0:
            self._budget.pause(wait, reason)

    def _final_error(
        self,
        method: str,
        path: str,
        response: httpx.Response | None,
        failure: httpx.HTTPError | None,
        idempotent: bool,
        attempts: int,
    ) -> JiraError:
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        if response is None:
            assert failure is not None
            sent = not never_reached_jira(failure)
            what = type(failure).__name__
            if sent and not idempotent:
                return self._redacted(
                    JiraAmbiguousWriteError(
                        f"{method} {path} got no answer ({what}){tries}: Jira may or may not have "
                        "applied it. Check before repeating it.",
                        method=method,
                        path=path,
                    )
                )
            return self._redacted(JiraTransportError(f"{method} {path} failed ({what}: {failure}){tries}.", sent=sent))
        error = self._error_from(method, path, response)
        if isinstance(error, ServerError) and not idempotent and not never_reached_jira(response.status_code):
            ambiguous = JiraAmbiguousWriteError(
                f"{error} The write may or may not have been applied; check before repeating it.",
                method=method,
                path=path,
            )
            ambiguous.__cause__ = error
            return self._redacted(ambiguous)
        return error

    def _error_from(self, method: str, path: str, response: httpx.Response) -> JiraAPIError:
        parsed: Any = None
        detail = ""
        content = response.content
        if content.strip():
            try:
                parsed = jsonlib.loads(content)
            except ValueError:
                ctype = response.headers.get("content-type", "unknown type").split(";")[0]
                detail = f"The answer was not JSON ({ctype}, {len(content)} bytes)."
        status = response.status_code
        wait = server_wait(response.headers, wall_now=self._clock.wall(), status=status)
        return self._redacted(
            error_for_status(
                status,
                parsed,
                method=method,
                path=path,
                retry_after=wait if status in (429, 503) else None,
                reason=response.headers.get("ratelimit-reason") if status in (429, 503) else None,
                detail=detail,
            )
        )

    def _redacted(self, error: _E) -> _E:
        """Scrub any credential Jira might have echoed into a message."""
        if error.args and isinstance(error.args[0], str):
            text = error.args[0]
            for secret in self._secrets:
                text = text.replace(secret, "***")
            error.args = (text, *error.args[1:])
        return error

    def _log(self, method: str, path: str, outcome: str, ms: float, attempt: int, waited: float) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            s = self._budget.state()
            logger.debug(
                "%s %s -> %s in %.1f ms (attempt %d, waited %.2f s; budget %.1f req/s, "
                "%.1f tokens, %d in flight, paused %.1f s)",
                method,
                path,
                outcome,
                ms,
                attempt,
                waited,
                s.rate,
                s.tokens,
                s.in_flight,
                s.paused_for,
            )


def _on_the_wire(ticket: Ticket) -> Callable[[str, dict[str, Any]], Awaitable[None]]:
    """An httpcore `trace` callback that marks the ticket sent once the request head is written.

    "complete" (or "failed") rather than "started": the budget's guarantee needs a time no
    earlier than the real write, and a failed write may still have put bytes on the wire.
    """

    async def trace(event: str, info: dict[str, Any]) -> None:
        if event.endswith(("send_request_headers.complete", "send_request_headers.failed")):
            ticket.sent()

    return trace


def segment(value: str | int) -> str:
    """One URL path segment, escaped (an issue key or id never changes the path's shape)."""
    return quote(str(value), safe="")
