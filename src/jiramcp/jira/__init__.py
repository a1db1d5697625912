"""The Jira REST client of jiramcp (knows nothing of MCP).

One `JiraClient` per process: a keep-alive connection pool, a client-side request budget
(token bucket, concurrency cap, per-issue write gates) steered by Jira's rate-limit headers,
retries that never repeat a write Jira may have applied, typed errors, paging helpers for both
of Jira's styles, and a single-flight metadata cache.

Errors (see `jiramcp.jira._errors`)::

    JiraError
    ├── JiraTransportError
    ├── JiraAmbiguousWriteError
    ├── InvalidPageToken
    └── JiraAPIError(status, error_messages, field_errors)
        ├── BadRequest | Unauthorized | Forbidden | NotFound | Conflict | Gone
        ├── RateLimited(retry_after, reason)
        └── ServerError
"""

from jiramcp.jira._budget import Budget, BudgetState, Ticket
from jiramcp.jira._cache import MetadataCache
from jiramcp.jira._client import SANDBOX_BASE_URL, JiraClient
from jiramcp.jira._clock import Clock, SystemClock
from jiramcp.jira._deployment import DeploymentInfo, DeploymentKind
from jiramcp.jira._errors import (
    BadRequest,
    Conflict,
    Forbidden,
    Gone,
    InvalidPageToken,
    JiraAmbiguousWriteError,
    JiraAPIError,
    JiraError,
    JiraTransportError,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
)
from jiramcp.jira._pagination import SearchPage, iter_start_at, iter_token_pages
from jiramcp.jira._retry import RetryPolicy, parse_retry_after, retry_delay

__all__ = [
    "SANDBOX_BASE_URL",
    "BadRequest",
    "Budget",
    "BudgetState",
    "Clock",
    "Conflict",
    "DeploymentInfo",
    "DeploymentKind",
    "Forbidden",
    "Gone",
    "InvalidPageToken",
    "JiraAPIError",
    "JiraAmbiguousWriteError",
    "JiraClient",
    "JiraError",
    "JiraTransportError",
    "MetadataCache",
    "NotFound",
    "RateLimited",
    "RetryPolicy",
    "SearchPage",
    "ServerError",
    "SystemClock",
    "Ticket",
    "Unauthorized",
    "iter_start_at",
    "iter_token_pages",
    "parse_retry_after",
    "retry_delay",
]
