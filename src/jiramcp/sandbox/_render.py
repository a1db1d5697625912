"""Store records → Jira's wire shapes (IssueBean, Project, Comment, Worklog, Changelog, Sprint)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jiramcp.sandbox import _adf
from jiramcp.sandbox import _catalog as cat
from jiramcp.sandbox import _fields as fl
from jiramcp.sandbox._common import JiraError
from jiramcp.sandbox._store import Record, Store

_EXPANDABLE = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"


def issue_link(store: Store, rec: Record) -> str:
    return f"{store.base_url}/rest/api/3/issue/{rec['id']}"


def issue_ref(store: Store, rec: Record) -> dict[str, Any]:
    """The small issue object embedded in `parent`, `subtasks` and `issuelinks`."""
    f = rec["f"]
    return {
        "id": rec["id"],
        "key": rec["key"],
        "self": issue_link(store, rec),
        "fields": {
            "summary": f["summary"],
            "status": cat.status(store.base_url, f["status"]),
            "priority": cat.priority(store.base_url, f["priority"]) if f.get("priority") else None,
            "issuetype": cat.issue_type(store.base_url, f["issuetype"]),
        },
    }


def project_ref(store: Store, project: Record) -> dict[str, Any]:
    return {
        "self": f"{store.base_url}/rest/api/3/project/{project['id']}",
        "id": project["id"],
        "key": project["key"],
        "name": project["name"],
        "projectTypeKey": "software",
        "simplified": False,
        "avatarUrls": store.avatar_urls(project["key"]),
    }


def component(store: Store, comp: Record) -> dict[str, Any]:
    return {
        "self": f"{store.base_url}/rest/api/3/component/{comp['id']}",
        "id": comp["id"],
        "name": comp["name"],
        "description": comp.get("description", ""),
    }


def version(store: Store, ver: Record, project_id: str) -> dict[str, Any]:
    out = {
        "self": f"{store.base_url}/rest/api/3/version/{ver['id']}",
        "id": ver["id"],
        "name": ver["name"],
        "description": ver.get("description", ""),
        "archived": False,
        "released": ver["released"],
        "projectId": int(project_id),
    }
    for key in ("startDate", "releaseDate"):
        if ver.get(key):
            out[key] = ver[key]
    return out


def sprint_field(sprint: Record) -> dict[str, Any]:
    """A sprint as the Sprint custom field holds it."""
    out = {
        "id": sprint["id"],
        "name": sprint["name"],
        "state": sprint["state"],
        "boardId": sprint["originBoardId"],
        "goal": sprint.get("goal", ""),
    }
    for key in ("startDate", "endDate", "completeDate"):
        if sprint.get(key):
            out[key] = sprint[key]
    return out


def sprint_bean(store: Store, sprint: Record) -> dict[str, Any]:
    """A sprint as the Agile API returns it (SprintBean)."""
    out = {
        "id": sprint["id"],
        "self": f"{store.base_url}/rest/agile/1.0/sprint/{sprint['id']}",
        "state": sprint["state"],
        "name": sprint["name"],
    }
    for key in ("startDate", "endDate", "completeDate", "createdDate"):
        if sprint.get(key):
            out[key] = sprint[key]
    out["originBoardId"] = sprint["originBoardId"]
    out["goal"] = sprint.get("goal", "")
    return out


def comment(store: Store, rec: Record, item: Record, rendered: bool = False) -> dict[str, Any]:
    out = {
        "self": f"{issue_link(store, rec)}/comment/{item['id']}",
        "id": item["id"],
        "author": store.user_details(item["author"]),
        "body": item["body"],
        "updateAuthor": store.user_details(item.get("updateAuthor") or item["author"]),
        "created": item["created"],
        "updated": item.get("updated") or item["created"],
        "jsdPublic": True,
    }
    if item.get("visibility"):
        out["visibility"] = item["visibility"]
    if rendered:
        out["renderedBody"] = _adf.to_html(item["body"])
    return out


def worklog(store: Store, rec: Record, item: Record) -> dict[str, Any]:
    out = {
        "self": f"{issue_link(store, rec)}/worklog/{item['id']}",
        "author": store.user_details(item["author"]),
        "updateAuthor": store.user_details(item["author"]),
        "created": item["created"],
        "updated": item["created"],
        "started": item["started"],
        "timeSpent": seconds_text(item["timeSpentSeconds"]),
        "timeSpentSeconds": item["timeSpentSeconds"],
        "id": item["id"],
        "issueId": rec["id"],
    }
    if item.get("comment"):
        out["comment"] = item["comment"]
    return out


def seconds_text(seconds: int) -> str:
    """Jira's duration text: `1d 2h 30m` (8 h days, as Jira's default time tracking)."""
    parts = []
    for unit, size in (("w", 5 * 8 * 3600), ("d", 8 * 3600), ("h", 3600), ("m", 60)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return " ".join(parts) or "0m"


def history(store: Store, item: Record) -> dict[str, Any]:
    return {
        "id": item["id"],
        "author": store.user_details(item["author"]),
        "created": item["created"],
        "items": [dict(i) for i in item["items"]],
    }


def field_value(store: Store, rec: Record, field_id: str) -> Any:
    """One field of an issue, rendered."""
    fdef = fl.BY_ID[field_id]
    f = rec["f"]
    base = store.base_url
    kind = fdef.kind
    value = f.get(field_id)
    if kind in ("string", "text", "number", "date", "datetime", "seconds"):
        return value
    if kind == "labels":
        return list(value or [])
    if kind == "status":
        return cat.status(base, value)
    if kind == "statuscategory":
        return cat.status_category(base, cat.STATUSES[f["status"]]["category"])
    if kind == "issuetype":
        return cat.issue_type(base, value)
    if kind == "priority":
        return cat.priority(base, value) if value else None
    if kind == "resolution":
        return cat.resolution(base, value) if value else None
    if kind == "project":
        return project_ref(store, store.data["projects"][rec["projectId"]])
    if kind == "user":
        return store.user_details(value)
    if kind == "components":
        comps = {c["id"]: c for c in store.data["projects"][rec["projectId"]]["components"]}
        return [component(store, comps[i]) for i in value or [] if i in comps]
    if kind == "versions":
        project = store.data["projects"][rec["projectId"]]
        vers = {v["id"]: v for v in project["versions"]}
        return [version(store, vers[i], project["id"]) for i in value or [] if i in vers]
    if kind == "parent":
        parent = store.data["issues"].get(f.get("parent") or "")
        return issue_ref(store, parent) if parent else None
    if kind == "epiclink":
        parent = store.data["issues"].get(f.get("parent") or "")
        return parent["key"] if parent and parent["f"]["issuetype"] == cat.EPIC else None
    if kind == "subtasks":
        kids = [store.data["issues"][i] for i in store.children.get(rec["id"], [])]
        return [issue_ref(store, k) for k in kids if k["f"]["issuetype"] == cat.SUBTASK]
    if kind == "issuelinks":
        return issue_links(store, rec)
    if kind == "comments":
        comments = [comment(store, rec, c) for c in rec["comments"]]
        return {
            "comments": comments,
            "self": f"{issue_link(store, rec)}/comment",
            "maxResults": len(comments),
            "total": len(comments),
            "startAt": 0,
        }
    if kind == "worklogs":
        logs = [worklog(store, rec, w) for w in rec["worklogs"]]
        return {"startAt": 0, "maxResults": 20, "total": len(logs), "worklogs": logs[:20]}
    if kind == "timespent":
        total = sum(w["timeSpentSeconds"] for w in rec["worklogs"])
        return total or None
    if kind == "watches":
        return {
            "self": f"{issue_link(store, rec)}/watchers",
            "watchCount": len(f.get("watchers", [])),
            "isWatching": False,
        }
    if kind == "votes":
        return {"self": f"{issue_link(store, rec)}/votes", "votes": 0, "hasVoted": False}
    if kind == "rank":
        return store.rank_string(rec["id"])
    if kind == "sprint":
        sprints = [store.data["sprints"][str(s)] for s in value or [] if str(s) in store.data["sprints"]]
        return [sprint_field(s) for s in sprints] or None
    if kind == "option":
        return cat.team_option(base, value) if value else None
    raise AssertionError(f"unrendered field kind {kind}")


def issue_links(store: Store, rec: Record) -> list[dict[str, Any]]:
    out = []
    for link in store.links_of(rec["id"]):
        entry = {
            "id": link["id"],
            "self": f"{store.base_url}/rest/api/3/issueLink/{link['id']}",
            "type": cat.link_type(store.base_url, link["type"]),
        }
        # From the outward issue's side the other end is shown as `inwardIssue`, and vice versa.
        if link["outward"] == rec["id"]:
            other = store.data["issues"].get(link["inward"])
            if other:
                entry["inwardIssue"] = issue_ref(store, other)
        else:
            other = store.data["issues"].get(link["outward"])
            if other:
                entry["outwardIssue"] = issue_ref(store, other)
        out.append(entry)
    return out


def select_fields(spec: Iterable[str] | None, default: tuple[str, ...] = fl.ALL) -> list[str]:
    """Resolve a `fields` parameter (`*all`, `*navigable`, ids, names, `-x`) to field ids.

    Unknown names are ignored, as Jira ignores them.
    """
    items = [s.strip() for s in spec or [] if s and s.strip()]
    if not items:
        return list(default)
    chosen: list[str] = []
    excluded: set[str] = set()
    for item in items:
        if item == "*all":
            chosen.extend(fl.ALL)
        elif item == "*navigable":
            chosen.extend(fl.NAVIGABLE)
        elif item.startswith("-"):
            field_id = fl.resolve_field_id(item[1:])
            if field_id:
                excluded.add(field_id)
        else:
            field_id = fl.resolve_field_id(item)
            if field_id and field_id != "issuekey":
                chosen.append(field_id)
    if not chosen and excluded:
        chosen = list(default)
    return [f for f in dict.fromkeys(chosen) if f not in excluded]


def split_param(values: Iterable[str] | str | None) -> list[str]:
    """`a,b` or `["a", "b,c"]` → `["a", "b", "c"]`."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise JiraError(400, "The request is not valid: expected a list of strings.")
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


def issue_bean(store: Store, rec: Record, field_ids: list[str], expand: list[str]) -> dict[str, Any]:
    """An issue as `GET /issue` and `search/jql` return it (IssueBean)."""
    bean: dict[str, Any] = {"expand": _EXPANDABLE, "id": rec["id"], "self": issue_link(store, rec), "key": rec["key"]}
    if field_ids:
        bean["fields"] = {fid: field_value(store, rec, fid) for fid in field_ids}
    if "renderedFields" in expand:
        rendered: dict[str, Any] = {}
        for fid in field_ids:
            kind = fl.BY_ID[fid].kind
            if kind == "text":
                value = rec["f"].get(fid)
                rendered[fid] = _adf.to_html(value) if value else None
            elif kind == "comments":
                comments = [comment(store, rec, c, rendered=True) for c in rec["comments"]]
                rendered[fid] = {
                    "comments": comments,
                    "maxResults": len(comments),
                    "total": len(comments),
                    "startAt": 0,
                }
            elif fid in ("created", "updated", "resolutiondate", "duedate"):
                rendered[fid] = rec["f"].get(fid)
        bean["renderedFields"] = rendered
    if "names" in expand:
        bean["names"] = {fid: fl.BY_ID[fid].name for fid in field_ids}
    if "schema" in expand:
        bean["schema"] = {fid: fl.BY_ID[fid].schema for fid in field_ids if fl.BY_ID[fid].schema}
    if "changelog" in expand:
        hist = [history(store, h) for h in rec["histories"]]
        bean["changelog"] = {"startAt": 0, "maxResults": len(hist), "total": len(hist), "histories": hist}
    return bean


def search_shape(store: Store, rec: Record) -> dict[str, Any]:
    """All fields plus the changelog, cached per store generation: what the JQL evaluator reads."""
    version = (store.render_generation, store.issue_versions.get(rec["id"], 0))
    cached = store.render_cache.get(rec["id"])
    if cached and cached[0] == version:
        return cached[1]
    shape = issue_bean(store, rec, list(fl.ALL), ["changelog"])
    store.render_cache[rec["id"]] = (version, shape)
    return shape
