"""Generate the demo data: deterministic for a seed and an anchor time.

Everything is placed relative to `anchor` (the sandbox's "now" at generation): closed sprints lie
in the past, the active sprint started 5 days before it and ends 9 days after, versions are
released before it or due after it. Histories are produced by replaying dated events through
the same `_mutate.apply` the API uses, so seeded changelogs have exactly the runtime shape.

Layout (ids are stable for every seed; see `docs/readme/sandbox.md`):
    projects PLAT 10000 (scrum board 1, sprints 1–7: 1–4 closed, 5 active, 6–7 future),
             MOB 10001 (scrum board 2, sprints 8 closed, 9 active, 10 future),
             OPS 10002 (kanban board 3)
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from jiramcp.sandbox import _catalog as cat
from jiramcp.sandbox import _fields as fl
from jiramcp.sandbox import _seed_text as words
from jiramcp.sandbox._adf import doc, para
from jiramcp.sandbox._common import agile_time, jira_time, parse_jira_time
from jiramcp.sandbox._mutate import add_comment, apply
from jiramcp.sandbox._store import Store

_U = [u[0] for u in cat.USERS]
_PROJECTS = (
    (
        "10000",
        "PLAT",
        "Platform",
        _U[0],
        ("API", "Backend", "Auth", "Database"),
        (("1.0", -100, True), ("1.1", -40, True), ("2.0", 20, False), ("2.1", 60, False)),
        (0.5, [2, 3, 4, 6, 0]),
    ),
    (
        "10001",
        "MOB",
        "Mobile App",
        _U[1],
        ("iOS", "Android", "Design"),
        (("3.4", -30, True), ("3.5", 25, False)),
        (0.3, [3, 4, 7, 1]),
    ),
    ("10002", "OPS", "Operations", _U[2], ("Infrastructure", "Monitoring", "CI/CD"), (), (0.2, [2, 5, 6])),
)
_BOARDS = (
    ("1", "PLAT board", "scrum", "10000"),
    ("2", "MOB board", "scrum", "10001"),
    ("3", "OPS board", "kanban", "10002"),
)
_GOALS = (
    "Ship the API quotas",
    "Harden login",
    "Faster search",
    "Billing fixes",
    "Release 2.0 beta",
    "Polish and docs",
    "Performance week",
)


def generate(seed: int, issue_count: int, anchor: datetime) -> dict[str, Any]:
    """Return fresh sandbox `data` for `seed`, about `issue_count` issues, around `anchor`."""
    rng = random.Random(seed)
    anchor = anchor.replace(second=0, microsecond=0)
    data: dict[str, Any] = {
        "seed": seed,
        "anchor": jira_time(anchor),
        "projects": {},
        "issues": {},
        "links": [],
        "boards": {},
        "sprints": {},
        "rank": [],
        "counters": {},
    }
    _projects(data, anchor)
    for board_id, name, kind, project_id in _BOARDS:
        data["boards"][board_id] = {"id": int(board_id), "name": name, "type": kind, "projectId": project_id}
    _sprints(data, anchor)
    clock = [anchor]
    store = Store(data, "http://seed.invalid", clock=lambda: clock[0])
    _Issues(store, rng, anchor, clock).build(issue_count)
    store.reindex()
    return data


def _projects(data: dict[str, Any], anchor: datetime) -> None:
    comp_id, ver_id = 10000, 10000
    for project_id, key, name, lead, components, versions, _ in _PROJECTS:
        comps = []
        for comp in components:
            comps.append({"id": str(comp_id), "name": comp, "description": f"{comp} work in {name}."})
            comp_id += 1
        vers = []
        for ver_name, offset, released in versions:
            day = (anchor + timedelta(days=offset)).date()
            vers.append(
                {
                    "id": str(ver_id),
                    "name": ver_name,
                    "description": f"{name} {ver_name}",
                    "released": released,
                    "releaseDate": day.isoformat(),
                    "startDate": (day - timedelta(days=45)).isoformat(),
                }
            )
            ver_id += 1
        data["projects"][project_id] = {
            "id": project_id,
            "key": key,
            "name": name,
            "lead": lead,
            "description": f"The {name} team's project.",
            "components": comps,
            "versions": vers,
        }


def _sprints(data: dict[str, Any], anchor: datetime) -> None:
    active_start = (anchor - timedelta(days=5)).replace(hour=9, minute=0)
    plan = (("1", 5, [-4, -3, -2, -1]), ("2", 9, [-1]))
    sprint_id = 1
    for board_id, _active_no, closed in plan:
        prefix = data["boards"][board_id]["name"].split()[0]
        offsets = [*closed, 0, 1] + ([2] if board_id == "1" else [])
        for number, offset in enumerate(offsets, start=1):
            start = active_start + timedelta(days=14 * offset)
            sprint: dict[str, Any] = {
                "id": sprint_id,
                "name": f"{prefix} Sprint {number}",
                "originBoardId": int(board_id),
                "goal": _GOALS[(sprint_id - 1) % 7],
                "createdDate": agile_time(start - timedelta(days=3)),
            }
            state = "closed" if offset < 0 else "active" if offset == 0 else "future"
            sprint["state"] = state
            if offset <= 1:
                sprint["startDate"] = agile_time(start)
                sprint["endDate"] = agile_time(start + timedelta(days=14))
            if state == "closed":
                sprint["completeDate"] = agile_time(start + timedelta(days=14, hours=1))
            data["sprints"][str(sprint_id)] = sprint
            sprint_id += 1
    data["counters"]["sprint"] = sprint_id - 1


class _Issues:
    """Plans issues, then replays their events in time order."""

    def __init__(self, store: Store, rng: random.Random, anchor: datetime, clock: list[datetime]) -> None:
        self.store, self.rng, self.anchor, self.clock = store, rng, anchor, clock
        self.events: list[tuple[datetime, int, str, dict[str, Any], str]] = []
        self.people = [(u[0], u[1]) for u in cat.USERS]
        self.seq = 0
        self.created: dict[str, datetime] = {}

    def at(self, moment: datetime, rec: dict[str, Any], changes: dict[str, Any], actor: str) -> None:
        self.seq += 1
        # Never before the issue exists (a sub-task can be created after its parent's sprint began).
        moment = max(min(moment, self.anchor), self.created[rec["id"]] + timedelta(minutes=1))
        self.events.append((moment, self.seq, rec["id"], changes, actor))

    def build(self, issue_count: int) -> None:
        plans = []
        for project_id, key, _name, _lead, _c, _v, (share, team) in _PROJECTS:
            count = max(8, round(issue_count * share))
            plans.extend(self._plan_project(project_id, key, count, [_U[i] for i in team]))
        plans.sort(key=lambda p: (p["created"], p["seq"]))
        for plan in plans:
            self._create(plan)
        self.events.sort(key=lambda e: (e[0], e[1]))
        for moment, _seq, issue_id, changes, actor in self.events:
            self.clock[0] = moment
            rec = self.store.data["issues"][issue_id]
            if "comment" in changes:
                add_comment(self.store, rec, changes["comment"], actor)
            elif "worklog" in changes:
                rec["worklogs"].append(
                    {
                        **changes["worklog"],
                        "id": str(self.store.next_id("worklog")),
                        "author": actor,
                        "created": jira_time(moment),
                    }
                )
            else:
                apply(self.store, rec, changes, actor)
        self._links()
        ranked = sorted(
            self.store.data["issues"].values(), key=lambda r: (r["f"].get("priority") or "9", self.rng.random())
        )
        self.store.data["rank"] = [r["id"] for r in ranked]

    def _plan_project(self, project_id: str, key: str, count: int, team: list[str]) -> list[dict[str, Any]]:
        rng = self.rng
        sprints = [
            s
            for s in self.store.data["sprints"].values()
            if self.store.data["boards"][str(s["originBoardId"])]["projectId"] == project_id
        ]
        epics = max(2, count // 20)
        subtasks = count // 7
        plans: list[dict[str, Any]] = []
        for index in range(count):
            self.seq += 1
            if index < epics:
                type_id = cat.EPIC
            elif index >= count - subtasks:
                type_id = cat.SUBTASK
            else:
                type_id = rng.choices((cat.STORY, cat.TASK, cat.BUG), (45, 30, 25))[0]
            plan = {"seq": self.seq, "project": project_id, "key": key, "type": type_id, "team": team}
            if type_id == cat.SUBTASK:
                parent = rng.choice([p for p in plans if p["type"] in (cat.STORY, cat.TASK, cat.BUG)])
                plan.update(
                    parent=parent,
                    sprints=parent["sprints"],
                    bucket=parent["bucket"],
                    created=parent["created"] + timedelta(hours=rng.randint(1, 48)),
                )
            else:
                self._place(plan, sprints, [p for p in plans if p["type"] == cat.EPIC])
            plans.append(plan)
        return plans

    def _place(self, plan: dict[str, Any], sprints: list[dict[str, Any]], epics: list[dict[str, Any]]) -> None:
        rng = self.rng
        plan["sprints"], plan["bucket"], plan["parent"] = [], "kanban", None
        if plan["type"] == cat.EPIC:
            plan["created"] = self.anchor - timedelta(days=rng.randint(110, 150), minutes=rng.randint(0, 900))
            plan["bucket"] = "epic"
            return
        plan["parent"] = rng.choice(epics) if epics and rng.random() < 0.7 else None
        if sprints:
            closed = [s for s in sprints if s["state"] == "closed"]
            active = next(s for s in sprints if s["state"] == "active")
            future = [s for s in sprints if s["state"] == "future"]
            bucket = rng.choices(("closed", "active", "future", "backlog"), (40, 30, 10, 20))[0]
            plan["bucket"] = bucket
            if bucket == "closed" and closed:
                first = rng.randrange(len(closed))
                plan["sprints"] = [closed[first]["id"]]
                if rng.random() < 0.12:  # carried over until the active sprint
                    plan["sprints"] = [s["id"] for s in closed[first:]] + [active["id"]]
                    plan["bucket"] = "active"
            elif bucket == "active":
                plan["sprints"] = [active["id"]]
            elif bucket == "future":
                plan["sprints"] = [rng.choice(future)["id"]]
        if plan["sprints"]:
            first_sprint = self.store.data["sprints"][str(plan["sprints"][0])]
            start = first_sprint.get("startDate") or jira_time(self.anchor)
            plan["created"] = parse_jira_time(start) - timedelta(days=rng.randint(2, 20), minutes=rng.randint(0, 900))
        else:
            plan["created"] = self.anchor - timedelta(days=rng.randint(1, 100), minutes=rng.randint(0, 900))

    def _create(self, plan: dict[str, Any]) -> None:
        rng, store = self.rng, self.store
        type_name = cat.ISSUE_TYPES[plan["type"]]["name"]
        project = store.data["projects"][plan["project"]]
        parent_rec = store.data["issues"][plan["parent"]["id"]] if plan.get("parent") else None
        summary = words.summary(rng, plan["key"], type_name, parent_rec["f"]["summary"] if parent_rec else None)
        reporter = rng.choice([_U[1], _U[7], *plan["team"]])
        created = plan["created"]
        issue_id = str(store.next_id("issue"))
        plan["id"] = issue_id
        number = store.next_id(f"project:{plan['key']}")
        f: dict[str, Any] = {
            "summary": summary,
            "issuetype": plan["type"],
            "status": cat.TODO,
            "priority": rng.choices(list(cat.PRIORITIES), (5, 20, 50, 20, 5))[0],
            "resolution": None,
            "resolutiondate": None,
            "assignee": None,
            "reporter": reporter,
            "creator": reporter,
            "labels": sorted(rng.sample(words.LABELS, rng.choice((0, 1, 1, 2, 3)))),
            "created": jira_time(created),
            "updated": jira_time(created),
            "statuscategorychangedate": jira_time(created),
            "parent": None,
            fl.SPRINT: [],
            "description": words.description(rng, type_name, summary, self.people),
            "components": [rng.choice(project["components"])["id"]] if rng.random() < 0.7 else [],
            "fixVersions": [],
            "versions": [],
            "duedate": None,
        }
        if plan["type"] == cat.BUG:
            f["environment"] = words.environment(rng)
            if project["versions"]:
                f["versions"] = [rng.choice(project["versions"])["id"]]
        if plan["type"] in (cat.STORY, cat.TASK, cat.BUG) and rng.random() < 0.85:
            f[fl.STORY_POINTS] = rng.choice((1, 2, 3, 3, 5, 5, 8, 13))
        if plan["type"] == cat.STORY and rng.random() < 0.5:
            f[fl.ACCEPTANCE] = words.acceptance(rng)
        if rng.random() < 0.6:
            f[fl.TEAM] = rng.choice(list(cat.TEAM_OPTIONS))
        if rng.random() < 0.1:
            f[fl.CUSTOMER] = rng.choice(("Acme Corp", "Globex", "Initech", "Umbrella"))
        if rng.random() < 0.2:
            f["duedate"] = (self.anchor + timedelta(days=rng.randint(-10, 30))).date().isoformat()
        rec = {
            "id": issue_id,
            "key": f"{plan['key']}-{number}",
            "projectId": plan["project"],
            "f": f,
            "histories": [],
            "comments": [],
            "worklogs": [],
        }
        store.add_issue(rec)
        self.created[issue_id] = created
        if parent_rec:
            store.set_parent(rec, parent_rec["id"])
        self._timeline(plan, rec, created)

    def _timeline(self, plan: dict[str, Any], rec: dict[str, Any], created: datetime) -> None:
        rng = self.rng
        sprints = [self.store.data["sprints"][str(s)] for s in plan["sprints"]]
        assignee = rng.choice(plan["team"])
        if rng.random() < 0.8 or plan["bucket"] in ("active", "closed"):
            self.at(created + timedelta(hours=rng.randint(1, 30)), rec, {"assignee": assignee}, rec["f"]["reporter"])
        for index, sprint in enumerate(sprints):
            # Added at planning (the day before start); carried-over issues move at the close of the last.
            when = (
                parse_jira_time(sprint["startDate"]) - timedelta(hours=20)
                if sprint.get("startDate")
                else created + timedelta(hours=2)
            )
            self.at(when, rec, {fl.SPRINT: [s["id"] for s in sprints[: index + 1]]}, _U[0])
        bucket = plan["bucket"]
        weights = {
            "closed": (3, 4, 3, 90),
            "active": (30, 30, 15, 25),
            "future": (100, 0, 0, 0),
            "backlog": (85, 10, 0, 5),
            "kanban": (30, 25, 10, 35),
            "epic": (30, 55, 0, 15),
        }[bucket]
        final = rng.choices((cat.TODO, cat.IN_PROGRESS, cat.IN_REVIEW, cat.DONE), weights)[0]
        if sprints and sprints[-1].get("startDate"):
            window_start = parse_jira_time(sprints[-1]["startDate"])
            window_end = min(parse_jira_time(sprints[-1]["endDate"]), self.anchor)
        else:
            window_start, window_end = created + timedelta(days=1), self.anchor
        path = {
            cat.TODO: [],
            cat.IN_PROGRESS: [cat.IN_PROGRESS],
            cat.IN_REVIEW: [cat.IN_PROGRESS, cat.IN_REVIEW],
            cat.DONE: [cat.IN_PROGRESS, cat.IN_REVIEW, cat.DONE] if rng.random() < 0.7 else [cat.IN_PROGRESS, cat.DONE],
        }[final]
        span = max((window_end - window_start).total_seconds(), 3600.0)
        moments = sorted(window_start + timedelta(seconds=rng.uniform(0, span)) for _ in path)
        for status, moment in zip(path, moments, strict=True):
            changes: dict[str, Any] = {"status": status}
            if status == cat.DONE and bucket == "backlog":
                changes["resolution"] = rng.choice(("10001", "10002"))
            self.at(moment, rec, changes, assignee)
        if final == cat.DONE and bucket == "closed":
            project = self.store.data["projects"][plan["project"]]
            released = [v["id"] for v in project["versions"] if v["released"]]
            if released:
                self.at(moments[-1] + timedelta(minutes=5), rec, {"fixVersions": [rng.choice(released)]}, assignee)
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 4))):
            moment = created + timedelta(seconds=rng.uniform(3600, max((self.anchor - created).total_seconds(), 7200)))
            self.at(moment, rec, {"comment": words.comment(rng, self.people)}, rng.choice(plan["team"]))
        if path and rng.random() < 0.5:
            seconds = rng.choice((1800, 3600, 7200, 14400, 28800))
            self.at(
                moments[0] + timedelta(hours=2),
                rec,
                {
                    "worklog": {
                        "started": jira_time(moments[0]),
                        "timeSpentSeconds": seconds,
                        "comment": doc(para("Worked on the implementation.")),
                    }
                },
                assignee,
            )

    def _links(self) -> None:
        recs = self.store.issues_in_order()
        by_project: dict[str, list[dict[str, Any]]] = {}
        for rec in recs:
            by_project.setdefault(rec["projectId"], []).append(rec)
        for rec in recs:
            if self.rng.random() < 0.1:
                other = self.rng.choice(by_project[rec["projectId"]])
                if other is rec:
                    continue
                link_type = self.rng.choices(("10000", "10003", "10002"), (5, 4, 1))[0]
                self.store.data["links"].append(
                    {
                        "id": str(self.store.next_id("link") + 10000),
                        "type": link_type,
                        "inward": other["id"],
                        "outward": rec["id"],
                    }
                )
