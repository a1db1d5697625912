"""JQL engine throughput: parses/s, lint-with-catalog/s, render/s, side by side on one corpus.

Run: `python bench/bench_jql.py` (add `--rounds N`). Targets: >= 20,000 parses/s; lint with a
catalog within 2x of parse time. Prints a table of medians over rounds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from jiramcp.jql import Catalog, lint, parse, render

# Realistic queries: what agents, boards and saved filters send (median well under 200 chars).
CORPUS = [
    'project = PROJ AND status = "In Progress" AND assignee = currentUser()',
    "project = PROJ AND sprint in openSprints() AND priority IN (Critical, High) AND status != Done "
    "ORDER BY priority DESC, updated DESC",
    'project = PROJ AND type = Bug AND created >= -7d AND assignee in membersOf("qa-team") '
    'AND status IN ("To Do", "In Progress")',
    "assignee = currentUser() AND resolution = Unresolved ORDER BY updated DESC",
    'project in (PROJ, WEB) AND labels = tech-debt AND "Story Points" >= 5',
    "project = PROJ AND updated >= -1d ORDER BY updated DESC",
    '(summary ~ "authentication" OR description ~ "authentication") AND project = PROJ',
    "status changed to Done during (startOfWeek(), now()) AND project = PROJ",
    'project = PROJ AND fixVersion = "v2.0" AND priority = Critical AND status != Done',
    'parent = PROJ-123 AND status IN ("To Do", "In Progress", "In Review") ORDER BY priority DESC, created ASC',
    "project = WEB AND component in (Frontend, Backend, API) AND type = Story",
    "project = PROJ AND dueDate < now() AND status NOT IN (Done, Closed)",
    "cf[10016] > 3 AND project = PROJ AND sprint = 42",
    "key in (PROJ-1, PROJ-2, PROJ-3, PROJ-4, PROJ-5, PROJ-6, PROJ-7, PROJ-8)",
    "project = PROJ AND assignee was currentUser() AFTER -30d AND status = Done",
    'project = PROJ AND NOT labels = wontfix AND text ~ "timeout error"',
    "project = PROJ ORDER BY created DESC",
    'issue.property[support].level = "gold" AND project = PROJ',
    "project = PROJ AND created >= startOfMonth(-1) AND created <= endOfMonth(-1)",
    'reporter in membersOf("customer-support") && type = Bug || priority = Highest',
]

FIELDS = [
    {"id": name.lower(), "name": name, "custom": False, "clauseNames": [name.lower()],
     "schema": {"type": kind, "system": name.lower()}}
    for name, kind in [("Summary", "string"), ("Status", "status"), ("Labels", "array"), ("Project", "project"),
                       ("Priority", "priority"), ("Assignee", "user"), ("Created", "datetime")]
] + [
    {"id": f"customfield_{10000 + i}", "name": f"Custom field {i}", "custom": True,
     "clauseNames": [f"cf[{10000 + i}]", f"Custom field {i}"],
     "schema": {"type": "string", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:textfield"}}
    for i in range(300)
] + [
    {"id": "customfield_10016", "name": "Story Points", "custom": True, "clauseNames": ["cf[10016]", "Story Points"],
     "schema": {"type": "number", "custom": "com.atlassian.jira.plugin.system.customfieldtypes:float"}},
]  # fmt: skip
CATALOG = Catalog.from_jira(
    fields=FIELDS,
    statuses=[{"id": str(i), "name": name} for i, name in enumerate(
        ["To Do", "In Progress", "In Review", "Done", "Closed", "Blocked", "Testing"])],
    priorities=[{"id": str(i), "name": n} for i, n in enumerate(["Highest", "Critical", "High", "Medium", "Low"])],
    issue_types=[{"id": str(i), "name": n} for i, n in enumerate(["Bug", "Story", "Task", "Epic"])],
    projects=[{"id": str(10000 + i), "key": key, "name": key.title()} for i, key in enumerate(["PROJ", "WEB"])],
    resolutions=[{"id": "1", "name": "Fixed"}, {"id": "2", "name": "Won't Fix"}],
)  # fmt: skip


def _rates(operations: dict[str, Callable[[str], object]], rounds: int, repeat: int) -> dict[str, float]:
    """Median over rounds of queries per CPU-second, for each operation.

    Operations alternate within each round so they share the machine's conditions (other
    processes, frequency scaling); CPU time rather than wall time leaves out time spent waiting
    for the core on a shared machine.
    """
    samples: dict[str, list[float]] = {name: [] for name in operations}
    for _ in range(rounds):
        for name, work in operations.items():
            start = time.process_time()
            for _ in range(repeat):
                for query in CORPUS:
                    work(query)
            samples[name].append(repeat * len(CORPUS) / (time.process_time() - start))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    for query in CORPUS:  # the corpus must be valid and lint-clean of syntax errors
        parse(query)
    trees = {query: parse(query) for query in CORPUS}
    lengths = sorted(len(q) for q in CORPUS)
    rates = _rates(
        {
            "parse": parse,
            "lint (with catalog)": lambda q: lint(q, CATALOG),
            "lint (no catalog)": lint,
            "render": lambda q: render(trees[q]),
        },
        args.rounds,
        args.repeat,
    )
    parse_rate = rates["parse"]
    lint_rate = rates["lint (with catalog)"]
    print(f"corpus: {len(CORPUS)} queries, median {statistics.median(lengths):.0f} chars, max {lengths[-1]}")
    print(f"{'operation':<26}{'ops/CPU-s (med)':>16}{'us/op':>10}{'vs parse':>10}")
    for name, rate in rates.items():
        print(f"{name:<26}{rate:>16,.0f}{1e6 / rate:>10.1f}{parse_rate / rate:>9.2f}x")
    print(f"target: parse >= 20,000/s: {'ok' if parse_rate >= 20_000 else 'MISSED'}; "
          f"lint within 2x of parse: {'ok' if parse_rate / lint_rate <= 2 else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
