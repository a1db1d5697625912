"""Reference data and users: the current user, fields, statuses, projects, ...

The lists change rarely and are read constantly, so they are cached with a TTL and loaded
single-flight (`MetadataCache`). Cloud paths are REST v3, Server/Data Center v2.
"""

from __future__ import annotations

from typing import Any

from jiramcp.jira._core import _BaseClient, segment
from jiramcp.jira._pagination import iter_start_at

__all__: list[str] = []

# Bounds an accidental walk over a site with tens of thousands of projects.
_MAX_PROJECTS = 5000


def _as_list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


class _MetadataMethods(_BaseClient):
    async def server_info(self) -> dict[str, Any]:
        """`GET /rest/api/2/serverInfo` (both flavours answer it): version, deploymentType, ..."""
        info = await self.request_json("GET", "/rest/api/2/serverInfo")
        return info if isinstance(info, dict) else {}

    async def myself(self) -> dict[str, Any]:
        """The current user (`GET /myself`): accountId (Cloud) or name (Server), displayName, ...
        Cached."""

        async def load() -> dict[str, Any]:
            user = await self.request_json("GET", await self._api("myself"))
            return user if isinstance(user, dict) else {}

        return await self._cache.get("myself", load)

    async def myself_with_headers(self) -> tuple[dict[str, Any], dict[str, str]]:
        """`GET /myself`, uncached, with the answer's rate-limit headers (for `jiramcp check`)."""
        response = await self.request("GET", await self._api("myself"))
        wanted = ("x-ratelimit-", "ratelimit-", "beta-ratelimit", "retry-after")
        headers = {k.lower(): v for k, v in response.headers.items() if k.lower().startswith(wanted)}
        body = response.json() if response.content.strip() else {}
        return (body if isinstance(body, dict) else {}), headers

    async def search_users(self, query: str, max_results: int = 10) -> list[dict[str, Any]]:
        """Users matching a name or email (`GET /user/search`; Server/DC takes `username`)."""
        info = await self.deployment()
        key = "query" if info.is_cloud else "username"
        users = await self.request_json(
            "GET", await self._api("user/search"), params={key: query, "maxResults": max_results}
        )
        return _as_list(users)

    async def _cached_list(self, name: str) -> list[dict[str, Any]]:
        async def load() -> list[dict[str, Any]]:
            return _as_list(await self.request_json("GET", await self._api(name)))

        return await self._cache.get(name, load)

    async def fields(self) -> list[dict[str, Any]]:
        """Every field (`GET /field`): id, name, custom, clauseNames, schema. Cached."""
        return await self._cached_list("field")

    async def statuses(self) -> list[dict[str, Any]]:
        """Every status (`GET /status`) with its statusCategory. Cached."""
        return await self._cached_list("status")

    async def priorities(self) -> list[dict[str, Any]]:
        """Every priority (`GET /priority`). Cached."""
        return await self._cached_list("priority")

    async def issue_types(self) -> list[dict[str, Any]]:
        """Every issue type (`GET /issuetype`). Cached."""
        return await self._cached_list("issuetype")

    async def resolutions(self) -> list[dict[str, Any]]:
        """Every resolution (`GET /resolution`). Cached."""
        return await self._cached_list("resolution")

    async def issue_link_types(self) -> list[dict[str, Any]]:
        """Link types (`GET /issueLinkType`): name, inward, outward. Cached."""

        async def load() -> list[dict[str, Any]]:
            answer = await self.request_json("GET", await self._api("issueLinkType"))
            return _as_list(answer.get("issueLinkTypes") if isinstance(answer, dict) else None)

        return await self._cache.get("issueLinkType", load)

    async def projects(self) -> list[dict[str, Any]]:
        """Every project the user can see. Cached.

        Cloud: `GET /rest/api/3/project/search`, paged by startAt until `isLast`;
        Server/DC: `GET /rest/api/2/project` (one array).
        """

        async def load() -> list[dict[str, Any]]:
            info = await self.deployment()
            if not info.is_cloud:
                return _as_list(await self.request_json("GET", await self._api("project")))
            path = await self._api("project/search")

            async def page(start_at: int) -> dict[str, Any]:
                answer = await self.request_json(
                    "GET", path, params={"startAt": start_at, "maxResults": 100, "orderBy": "key"}
                )
                return answer if isinstance(answer, dict) else {}

            return [p async for p in iter_start_at(page, limit=_MAX_PROJECTS)]

        return await self._cache.get("projects", load)

    async def get_project(self, key: str) -> dict[str, Any]:
        """One project (`GET /project/{key}`) with its issue types and lead."""
        project = await self.request_json("GET", await self._api(f"project/{segment(key)}"))
        return project if isinstance(project, dict) else {}
