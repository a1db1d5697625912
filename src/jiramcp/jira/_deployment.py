"""Which Jira this is: Cloud (REST v3, ADF, accountId) or Server/Data Center (REST v2, wiki, name)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["DeploymentInfo", "DeploymentKind"]

DeploymentKind = Literal["cloud", "server"]


@dataclass(frozen=True, slots=True)
class DeploymentInfo:
    """What differs between Jira Cloud and Server/Data Center.

    Attributes:
        kind: `cloud` or `server` (Server and Data Center behave alike here).
        api_version: REST API version used: "3" on Cloud, "2" on Server/Data Center.
        text_format: Rich text bodies: `adf` (Atlassian Document Format) or `wiki` markup.
        user_field: How users are named in requests: `accountId` or `name`.
        version: Jira's version string from `serverInfo`, when it was asked.
    """

    kind: DeploymentKind
    api_version: Literal["2", "3"]
    text_format: Literal["adf", "wiki"]
    user_field: Literal["accountId", "name"]
    version: str | None = None

    @classmethod
    def for_kind(cls, kind: DeploymentKind, version: str | None = None) -> DeploymentInfo:
        if kind == "cloud":
            return cls("cloud", "3", "adf", "accountId", version)
        return cls("server", "2", "wiki", "name", version)

    @property
    def is_cloud(self) -> bool:
        return self.kind == "cloud"
