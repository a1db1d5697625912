"""`jiramcp jql lint`: carets, fixes, JSON, exit codes."""

import json

from jiramcp.cli import main


def test_lint_prints_a_caret_under_the_span_and_the_fix(capsys):
    assert main(["jql", "lint", "project = A AND status = In Progress"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("error JQL001")
    assert lines[1] == "  project = A AND status = In Progress"
    assert lines[2] == "  " + " " * 25 + "^" * 11
    assert 'fixed query: project = A AND status = "In Progress"' in out


def test_a_clean_query_exits_zero(capsys):
    assert main(["jql", "lint", "project = A"]) == 0
    assert "no problems" in capsys.readouterr().out


def test_warnings_and_hints_alone_exit_zero(capsys):
    assert main(["jql", "lint", 'text ~ "x"']) == 0
    assert "hint JQL302" in capsys.readouterr().out


def test_json_output(capsys):
    assert main(["jql", "lint", "--json", "ORDER BY key"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["diagnostics"][0]["code"] == "JQL002"
    assert payload["diagnostics"][0]["severity"] == "error"
    assert payload["fixed"] is None
