"""The sandbox's in-memory state: one JSON-able `data` dict plus indexes rebuilt from it.

Issues keep references (status id, accountIds, sprint ids), not rendered objects, so a sprint
that starts or a version that ships shows up on every issue at once, and the persisted file stays
small. `_render` turns a record into Jira's wire shape; `_mutate` changes records and writes
their changelog. Every write calls `touch()`, which drops the rendered-issue cache used by search.

    data = {
      "seed", "anchor",
      "projects": {id: {id, key, name, description, lead, components: [...], versions: [...]}},
      "issues":   {id: {id, key, projectId, f: {field id: stored value}, histories, comments, worklogs}},
      "links":    [{id, type, inward, outward}],        # issue ids; as Jira's POST /issueLink: inward "blocks" outward
      "boards":   {id: {id, name, type, projectId}},
      "sprints":  {id: {id, state, name, startDate?, endDate?, completeDate?, createdDate,
                        originBoardId, goal}},
      "rank":     [issue id, ...],                      # global board order, first = top
      "counters": {name: last id used},
    }
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from jiramcp.sandbox import _catalog as cat
from jiramcp.sandbox._common import ISSUE_NOT_FOUND, JiraError, jira_time

Record = dict[str, Any]


class Store:
    """The sandbox's state, its indexes and the lookups routes share.

    Attributes:
        data: The persisted state (see the module docstring).
        base_url: Prefix of every `self` link.
        clock: Returns the current time (aware, UTC); tests pin it.
        generation: Bumped on every write; keys the render cache.
    """

    def __init__(self, data: dict[str, Any], base_url: str, clock: Callable[[], datetime] | None = None) -> None:
        self.data = data
        self.base_url = base_url.rstrip("/")
        self.clock = clock or (lambda: datetime.now(UTC))
        self.generation = 0
        self.render_generation = 0
        self.issue_versions: dict[str, int] = {}
        self.render_cache: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
        self._links_index: dict[str, list[dict[str, Any]]] | None = None
        self._user_cache: dict[str, dict[str, Any]] = {}
        self.users = {
            u[0]: {"accountId": u[0], "displayName": u[1], "emailAddress": u[2], "timeZone": u[3]} for u in cat.USERS
        }
        self.reindex()

    # -- indexes ---------------------------------------------------------------------------
    def reindex(self) -> None:
        """Rebuild every index from `data` (after a load or a structural change)."""
        self.by_key = {rec["key"]: rec["id"] for rec in self.data["issues"].values()}
        self.project_by_key = {p["key"]: p["id"] for p in self.data["projects"].values()}
        self.children: dict[str, list[str]] = {}
        for rec in self.data["issues"].values():
            parent = rec["f"].get("parent")
            if parent:
                self.children.setdefault(parent, []).append(rec["id"])
        self._rank_index: dict[str, int] | None = None
        self.touch()

    def touch(self, issue_id: str | None = None) -> None:
        """Note a write. `issue_id`: only that issue's rendering changed; None: possibly any issue's.

        Rendered issues embed a little of other issues (a parent's summary and status in `parent`);
        a write to one issue does not re-render those embeddings in the search cache, whose
        readers (the JQL evaluator) only compare ids and keys there.
        """
        self.generation += 1
        if issue_id is None:
            self.render_generation += 1
            self._rank_index = None
            self._links_index = None
        else:
            self.issue_versions[issue_id] = self.issue_versions.get(issue_id, 0) + 1

    def links_of(self, issue_id: str) -> list[dict[str, Any]]:
        """The links touching one issue (indexed; rebuilt after a structural write)."""
        if self._links_index is None:
            index: dict[str, list[dict[str, Any]]] = {}
            for link in self.data["links"]:
                index.setdefault(link["inward"], []).append(link)
                if link["outward"] != link["inward"]:
                    index.setdefault(link["outward"], []).append(link)
            self._links_index = index
        return self._links_index.get(issue_id, [])

    def now(self) -> datetime:
        return self.clock()

    def now_text(self) -> str:
        return jira_time(self.now())

    def next_id(self, counter: str) -> int:
        counters = self.data["counters"]
        counters[counter] = counters.get(counter, 0) + 1
        return int(counters[counter])

    # -- issues ----------------------------------------------------------------------------
    def find_issue(self, id_or_key: str | int) -> Record | None:
        text = str(id_or_key).strip()
        if text.isdigit():
            return self.data["issues"].get(text)
        issue_id = self.by_key.get(text.upper())
        return self.data["issues"].get(issue_id) if issue_id else None

    def issue(self, id_or_key: str | int) -> Record:
        """The issue record, or a 404 in Jira's wording."""
        rec = self.find_issue(id_or_key)
        if rec is None:
            raise JiraError(404, ISSUE_NOT_FOUND)
        return rec

    def issues_in_order(self) -> list[Record]:
        """Every issue, by id (creation order)."""
        return sorted(self.data["issues"].values(), key=lambda rec: int(rec["id"]))

    def add_issue(self, rec: Record) -> None:
        self.data["issues"][rec["id"]] = rec
        self.by_key[rec["key"]] = rec["id"]
        parent = rec["f"].get("parent")
        if parent:
            self.children.setdefault(parent, []).append(rec["id"])
        self.data["rank"].append(rec["id"])
        if self._rank_index is not None:
            self._rank_index[rec["id"]] = len(self._rank_index)
        self.touch(rec["id"])

    def remove_issue(self, rec: Record) -> None:
        self.data["issues"].pop(rec["id"], None)
        self.by_key.pop(rec["key"], None)
        parent = rec["f"].get("parent")
        if parent and rec["id"] in self.children.get(parent, []):
            self.children[parent].remove(rec["id"])
        self.children.pop(rec["id"], None)
        self.data["rank"] = [i for i in self.data["rank"] if i != rec["id"]]
        self.data["links"] = [link for link in self.data["links"] if rec["id"] not in (link["inward"], link["outward"])]
        self.touch()

    def set_parent(self, rec: Record, parent_id: str | None) -> None:
        old = rec["f"].get("parent")
        if old and rec["id"] in self.children.get(old, []):
            self.children[old].remove(rec["id"])
        rec["f"]["parent"] = parent_id
        if parent_id:
            self.children.setdefault(parent_id, []).append(rec["id"])

    # -- rank ------------------------------------------------------------------------------
    def rank_position(self, issue_id: str) -> int:
        if self._rank_index is None:
            self._rank_index = {iid: pos for pos, iid in enumerate(self.data["rank"])}
        return self._rank_index.get(issue_id, len(self._rank_index))

    def rank_string(self, issue_id: str) -> str:
        """A LexoRank-looking string whose order is the board order (`ORDER BY Rank` sorts by it)."""
        return f"0|i{self.rank_position(issue_id) * 8 + 8:07x}:"

    # -- people and projects ---------------------------------------------------------------
    def user_by_email(self, email: str) -> dict[str, Any] | None:
        lowered = email.strip().lower()
        return next((u for u in self.users.values() if u["emailAddress"] == lowered), None)

    def user_details(self, account_id: str | None) -> dict[str, Any] | None:
        """A user as issues embed them (UserDetails)."""
        if not account_id:
            return None
        cached = self._user_cache.get(account_id)
        if cached is not None:
            return dict(cached)
        user = self.users.get(account_id)
        if user is None:
            return {
                "accountId": account_id,
                "displayName": "Former user",
                "active": False,
                "accountType": "atlassian",
                "self": f"{self.base_url}/rest/api/3/user?accountId={account_id}",
            }
        details = {
            "self": f"{self.base_url}/rest/api/3/user?accountId={account_id}",
            "accountId": account_id,
            "emailAddress": user["emailAddress"],
            "avatarUrls": self.avatar_urls(account_id),
            "displayName": user["displayName"],
            "active": True,
            "timeZone": user["timeZone"],
            "accountType": "atlassian",
        }
        self._user_cache[account_id] = details
        return dict(details)

    def avatar_urls(self, owner: str) -> dict[str, str]:
        return {f"{s}x{s}": f"{self.base_url}/secure/useravatar?size={s}&ownerId={owner}" for s in (48, 24, 16, 32)}

    def groups_of(self, account_id: str) -> list[str]:
        return [name for name, members in cat.GROUPS.items() if account_id in members]

    def project(self, id_or_key: str) -> Record:
        """The project, or Jira's 404."""
        text = str(id_or_key).strip()
        project = self.data["projects"].get(text) or self.data["projects"].get(
            self.project_by_key.get(text.upper(), "")
        )
        if project is None:
            raise JiraError(404, f"No project could be found with key '{text}'.")
        return project

    def find_project(self, id_or_key: str) -> Record | None:
        try:
            return self.project(id_or_key)
        except JiraError:
            return None

    def sprint(self, sprint_id: str | int) -> Record:
        sprint = self.data["sprints"].get(str(sprint_id))
        if sprint is None:
            raise JiraError(404, f"Sprint with id {sprint_id} does not exist or you do not have permission to see it.")
        return sprint

    def board(self, board_id: str | int) -> Record:
        board = self.data["boards"].get(str(board_id))
        if board is None:
            raise JiraError(
                404,
                "The requested board cannot be viewed because it either does not exist "
                "or you do not have permission to view it.",
            )
        return board
