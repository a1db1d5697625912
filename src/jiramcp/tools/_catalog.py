"""The instance's vocabulary (fields, statuses, ...), cached, for the linter and name lookups.

The client's metadata cache already holds the raw lists with a TTL and single-flight loading;
this module only derives the objects tools need from them, and rebuilds those only when the
client hands back new lists.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import anyio

from jiramcp.jql import Catalog
from jiramcp.tools._context import AppState


@dataclass(frozen=True, slots=True)
class FieldIndex:
    """Field ids ↔ names, for asking Jira by id and answering the model by name."""

    by_id: Mapping[str, Mapping[str, Any]]
    id_by_name: Mapping[str, str]

    @classmethod
    def build(cls, fields: Sequence[Mapping[str, Any]]) -> FieldIndex:
        by_id = {str(f["id"]): f for f in fields}
        id_by_name: dict[str, str] = {}
        for f in fields:
            # Ids win over names, and the first field of a duplicated name wins, as in Jira's own
            # JQL where an ambiguous name needs cf[...] to pick one.
            for alias in (f.get("name"), *(f.get("clauseNames") or ())):
                if isinstance(alias, str):
                    id_by_name.setdefault(alias.lower(), str(f["id"]))
        for field_id in by_id:
            id_by_name[field_id.lower()] = field_id
        return cls(by_id=by_id, id_by_name=id_by_name)

    def name_of(self, field_id: str) -> str:
        field = self.by_id.get(field_id)
        return str(field.get("name", field_id)) if field else field_id

    def resolve(self, name_or_id: str) -> str | None:
        """The field id for a name, clause name, `cf[N]` or id (case-insensitive), else None."""
        key = name_or_id.strip().lower()
        if key.startswith("cf[") and key.endswith("]"):
            key = f"customfield_{key[3:-1]}"
        return self.id_by_name.get(key)

    def suggestions(self, name: str, limit: int = 5) -> list[str]:
        import difflib

        names = sorted({str(f.get("name")) for f in self.by_id.values() if f.get("name")})
        return difflib.get_close_matches(name, names, n=limit, cutoff=0.5)


async def field_index(state: AppState) -> FieldIndex:
    fields = await state.client.fields()
    cached = state.extras.get("field_index")
    if cached is not None and cached[0] is fields:
        return cached[1]
    index = FieldIndex.build(fields)
    state.extras["field_index"] = (fields, index)
    return index


async def jql_catalog(state: AppState) -> Catalog:
    """The linter's catalog, from the client's cached metadata (concurrent loads, one build)."""
    client = state.client
    loaded: dict[str, Any] = {}

    async def load(name: str, fetch: Any) -> None:
        loaded[name] = await fetch()

    async with anyio.create_task_group() as group:
        for name, fetch in (
            ("fields", client.fields),
            ("statuses", client.statuses),
            ("priorities", client.priorities),
            ("issue_types", client.issue_types),
            ("projects", client.projects),
            ("resolutions", client.resolutions),
        ):
            group.start_soon(load, name, fetch)
    # Holding the source lists (not their ids) keeps the identity check sound after a refresh.
    sources = tuple(loaded[name] for name in sorted(loaded))
    cached = state.extras.get("jql_catalog")
    if cached is not None and all(old is new for old, new in zip(cached[0], sources, strict=True)):
        return cached[1]
    catalog = Catalog.from_jira(**loaded)
    state.extras["jql_catalog"] = (sources, catalog)
    return catalog
