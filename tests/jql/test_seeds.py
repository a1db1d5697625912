"""Every JQL example of the shared seeds file: the ones Jira accepts parse and lint clean of
errors; the ones Jira refuses are refused here too, with a message that says why."""

import re
from pathlib import Path

import pytest

from jiramcp.jql import JQLSyntaxError, lint, parse, render, same_query

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds" / "jira-api-patterns.txt"
_CONTINUATION = re.compile(r"^(AND|OR|ORDER BY)\b", re.IGNORECASE)
_PROSE = re.compile(r"^(Why|Performance Gain):")


def _seed_queries() -> list[str]:
    """The JQL examples: the `-- comment` + query blocks before the Python client code."""
    if not SEEDS.exists():
        return []
    lines = SEEDS.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("-- Slow: Searches entire"))
    end = next(i for i, line in enumerate(lines) if line.startswith("async def create_issue("))
    queries: list[str] = []
    for line in lines[start:end]:
        if line.startswith("-- ") or _PROSE.match(line) or not line.strip():
            continue
        line = line.split(" -- ", 1)[0].rstrip()  # trailing explanations are not JQL
        if _CONTINUATION.match(line) and queries:
            queries[-1] += "\n" + line
        else:
            queries.append(line)
    return queries


QUERIES = _seed_queries()

# Refused by Jira's parser: AFTER takes a date, not a clause.
SYNTAX_REJECTED = {'status = Reopened OR status changed to "To Do" after status was Done'}
# Parse, but Jira's validation refuses them: the codes our linter gives.
LINT_REJECTED = {
    "sprint changed from 41 to 42 during (startOfDay(-7d), now())": {"JQL104"},
    "sprint = 42 AND sprint changed after startOfSprint(42)": {"JQL104"},
    "type = Bug AND environment = production AND status = Open": {"JQL103"},
}


def _require_seeds() -> None:
    if not QUERIES:
        pytest.skip(f"seeds file not found at {SEEDS}")


def test_the_seed_extraction_finds_the_examples():
    _require_seeds()
    assert len(QUERIES) > 120
    assert "project = PROJ\nAND sprint in openSprints()\nAND priority IN (Critical, High)" in "\n".join(QUERIES)
    assert all(" -- " not in query for query in QUERIES)


@pytest.mark.parametrize("query", QUERIES or ["<no seeds>"])
def test_every_seed_query_jira_accepts_parses_and_round_trips(query):
    _require_seeds()
    if query in SYNTAX_REJECTED:
        with pytest.raises(JQLSyntaxError) as caught:
            parse(query)
        assert "'was'" in caught.value.message
        assert "AND" in caught.value.expected
        return
    tree = parse(query)
    assert tree.where is not None
    assert same_query(parse(render(tree)), tree)


@pytest.mark.parametrize("query", QUERIES or ["<no seeds>"])
def test_seed_queries_lint_without_errors_unless_jira_refuses_them(query):
    _require_seeds()
    codes = {d.code for d in lint(query) if d.severity == "error"}
    if query in SYNTAX_REJECTED:
        assert codes == {"JQL001"}
    else:
        assert codes == LINT_REJECTED.get(query, set())


def test_the_seed_anti_patterns_get_their_performance_hints():
    _require_seeds()
    codes = {query: {d.code for d in lint(query)} for query in QUERIES}
    assert "JQL301" in codes['status = "In Progress"']
    assert "JQL302" in codes['text ~ "bug"']
    assert "JQL303" in codes["priority != Low AND priority != Lowest"]
    assert "JQL301" not in codes['project = PROJ AND status = "In Progress"']
    assert "JQL201" in codes['"Epic Link" = PROJ-123']
    assert "JQL202" in codes['issueFunction in subtasksOf("Epic Name")']
    assert "JQL106" in codes["sprint = 42 AND sprint changed after startOfSprint(42)"]
