"""The text of each prompt: which tools to call, in which order, and what to produce. Pure.

Every function takes the names of the tools this server offers, so a read-only or narrowed
deployment gets instructions it can actually follow. JQL appears in ```jql blocks; the tests lint
each one.
"""

from __future__ import annotations

from collections.abc import Iterable

from jiramcp.prompts._compose import Steps, compose, jql_block, jql_literal

_NO_GUESSING = "Do not invent keys, names or numbers: everything you state comes from a tool answer."
_CONFIRM = "Change nothing in Jira before the user has confirmed the exact changes."


def sprint_args(project: str | None, board: str | None, sprint: str | None) -> str:
    """The arguments that select the sprint in the agile tools, as the model should pass them."""
    if sprint and sprint.isdigit():
        return f"sprint={sprint}"
    which = sprint if sprint in ("current", "next") else "current"
    scope = f'board="{board}"' if board else f'project="{project}"' if project else ""
    return f'sprint="{which}"' + (f", {scope}" if scope else "")


def _open_sprint_jql(project: str) -> str:
    return f"project = {jql_literal(project)} AND sprint in openSprints() ORDER BY Rank ASC"


def sprint_report(tools: Iterable[str], project: str | None, board: str | None, sprint: str | None) -> str:
    args = sprint_args(project, board, sprint)
    s = Steps(tools)
    if not project and not board and not (sprint and sprint.isdigit()):
        s.add(
            "Ask the user which project or board the sprint belongs to, or find it with jira_list_boards.",
            "jira_list_boards",
        )
    s.add(
        f"Call jira_sprint_report({args}) for the numbers: scope and points by status category, "
        "completion, scope added after the start, carried-over, blocked and unassigned items, days left.",
        "jira_sprint_report",
        otherwise=f"Call jira_search with the JQL below and count the issues by status yourself:"
        f"{jql_block(_open_sprint_jql(project or 'PROJECT'))}",
    )
    s.add(
        f'Call jira_sprint_issues({args}, jql="statusCategory != Done") to see the open work '
        "in board order (page with next_page_token until is_last).",
        "jira_sprint_issues",
    )
    s.add(
        'For each blocked item, call jira_get_issue(key, include=["links", "comments"]) to learn '
        "what blocks it and since when.",
        "jira_get_issue",
    )
    produce = (
        "A sprint report for stakeholders, in Markdown, under 300 words: a one-line verdict (on track / at "
        "risk / off track, with the reason), the goal, completion by points and by issues, days left, scope "
        "change (added after start, carried over), the blocked items with what blocks each and who owns it, "
        "unassigned open work, and 2–3 concrete actions."
    )
    rules = [_NO_GUESSING]
    if s.has("jira_sprint_report"):
        rules.append("Quote the numbers from jira_sprint_report; do not recount them.")
    return compose("Report on the state of a Jira sprint.", s, produce, rules=rules)


def daily_standup(tools: Iterable[str], project: str, board: str | None) -> str:
    args = sprint_args(project, board, None)
    s = Steps(tools)
    s.add(f"Call jira_sprint_report({args}) for the days left, blocked and unassigned items.", "jira_sprint_report")
    changed = (
        f"project = {jql_literal(project)} AND sprint in openSprints() AND updated >= -1d "
        "ORDER BY assignee ASC, updated DESC"
    )
    s.add(
        f'Call jira_sprint_issues({args}, jql="updated >= -1d") for what moved since yesterday.',
        "jira_sprint_issues",
        otherwise=f"Call jira_search with this JQL for what moved since yesterday:{jql_block(changed)}",
    )
    in_progress = (
        f"project = {jql_literal(project)} AND sprint in openSprints() "
        'AND statusCategory = "In Progress" ORDER BY assignee ASC'
    )
    s.add(f"Call jira_search for the work in progress per person:{jql_block(in_progress)}", "jira_search")
    s.add(
        'For issues whose status changed, call jira_get_issue(key, include=["changelog", "comments"]) '
        "only when the row does not say enough.",
        "jira_get_issue",
    )
    produce = (
        "A stand-up summary grouped by person: done since yesterday, in progress today, blocked (with the "
        "blocker). Then the team's line: days left, completion %, and anything unassigned or at risk. "
        "Short bullets; issue keys first."
    )
    return compose("Prepare today's stand-up for the team's active sprint.", s, produce, rules=[_NO_GUESSING])


def triage_new_bugs(tools: Iterable[str], project: str, days: int) -> str:
    s = Steps(tools)
    new_bugs = (
        f"project = {jql_literal(project)} AND issuetype = Bug AND created >= -{days}d "
        'AND statusCategory = "To Do" ORDER BY created DESC'
    )
    s.add(
        f'Call jira_search with fields ["description", "labels", "components", "reporter"] and this JQL:'
        f"{jql_block(new_bugs)}",
        "jira_search",
    )
    s.add(
        'For each bug, look for duplicates: call jira_search with a summary ~ "<two or three distinctive '
        'words>" clause in the same project (lint it first with jira_lint_jql if unsure).',
        "jira_search",
        "jira_lint_jql",
    )
    s.add("Call jira_get_issue(key) on any bug whose description is cut or unclear.", "jira_get_issue")
    s.add(f'Call jira_get_project("{project}") for its components and versions.', "jira_get_project")
    s.add("Call jira_find_users(query) to turn a suggested owner into an accountId.", "jira_find_users")
    wrote = s.add(
        "After the user confirms, apply the agreed priority, labels, components and assignee with "
        'jira_update_issue, and link duplicates with jira_link_issues (type "Duplicate").',
        "jira_update_issue",
        "jira_link_issues",
    )
    produce = (
        "A triage table: key, summary, suggested priority (with a one-phrase reason: impact, frequency, "
        "workaround), component, suggested owner, possible duplicate, and what information is missing. "
        "Then the list of changes you propose" + (", applied only after confirmation." if wrote else ".")
    )
    return compose(
        f"Triage the bugs reported in {project} over the last {days} days.", s, produce, rules=[_NO_GUESSING, _CONFIRM]
    )


def release_notes(tools: Iterable[str], project: str, version: str) -> str:
    s = Steps(tools)
    s.add(
        f'Call jira_get_project("{project}") and check that version {version!r} exists and whether it is '
        "released; if the name differs, use Jira's spelling.",
        "jira_get_project",
    )
    shipped = (
        f"project = {jql_literal(project)} AND fixVersion = {jql_literal(version)} "
        "AND statusCategory = Done ORDER BY issuetype ASC, priority DESC"
    )
    s.add(
        f'Call jira_search with fields ["description", "labels", "components"] and this JQL, paging with '
        f"next_page_token until is_last:{jql_block(shipped)}",
        "jira_search",
    )
    unfinished = (
        f"project = {jql_literal(project)} AND fixVersion = {jql_literal(version)} "
        "AND statusCategory != Done ORDER BY priority DESC"
    )
    s.add(f"Call jira_search for what is planned for the version but not done:{jql_block(unfinished)}", "jira_search")
    s.add("Call jira_get_issue(key) for any headline item whose description was cut.", "jira_get_issue")
    produce = (
        f"Release notes for {version}, in Markdown: a two-sentence summary, then New features, Improvements, "
        "Bug fixes (one user-facing line each, the key in brackets), then Known issues from the unfinished "
        "list. Write for users, not developers: no internal jargon, no assignee names."
    )
    return compose(f"Write release notes for {project} version {version}.", s, produce, rules=[_NO_GUESSING])


def plan_next_sprint(tools: Iterable[str], project: str, board: str | None, capacity: int | None) -> str:
    current = sprint_args(project, board, "current")
    upcoming = sprint_args(project, board, "next")
    s = Steps(tools)
    s.add(
        f"Call jira_sprint_report({current}) to see what will be carried over and how much the team "
        "finishes (completion by points).",
        "jira_sprint_report",
    )
    s.add(
        'Call jira_list_sprints on the same board with state="closed" and run jira_sprint_report on the '
        "last three closed sprints for the team's velocity (done points per sprint).",
        "jira_list_sprints",
        "jira_sprint_report",
    )
    create = (
        " (if there is none, create it with jira_create_sprint after the user agrees)"
        if s.has("jira_create_sprint")
        else ""
    )
    s.add(f"Call jira_get_sprint({upcoming}) to find the sprint to fill{create}.", "jira_get_sprint")
    backlog = (
        f"project = {jql_literal(project)} AND sprint is EMPTY AND statusCategory != Done "
        "AND issuetype not in subTaskIssueTypes() ORDER BY Rank ASC"
    )
    s.add(
        f'Call jira_search with fields ["Story Points", "labels", "issuelinks"] and this JQL for the '
        f"ranked backlog:{jql_block(backlog)}",
        "jira_search",
    )
    s.add(
        "After the user confirms the plan, call jira_move_to_sprint(issues, sprint) with the chosen keys, "
        "and jira_rank_issues to put them in the agreed order.",
        "jira_move_to_sprint",
        "jira_rank_issues",
    )
    budget = f"a capacity of {capacity} points" if capacity else "the average velocity of the last sprints"
    produce = (
        f"A proposed sprint: a one-sentence goal, the issues in rank order up to {budget} (key, summary, "
        "points, why it is in), what is carried over, unestimated candidates that need an estimate first, "
        "dependencies and risks, and what was left out and why."
    )
    return compose(f"Plan the next sprint for {project}.", s, produce, rules=[_NO_GUESSING, _CONFIRM])


def write_jql(tools: Iterable[str], goal: str, project: str | None) -> str:
    s = Steps(tools)
    s.add(
        "Call jira_find_fields(query) for every custom field the goal mentions (story points, team, "
        "epic...) to get its exact name.",
        "jira_find_fields",
    )
    s.add("Call jira_find_users(query) if the goal names people; use their accountId in the query.", "jira_find_users")
    s.add("Call jira_lint_jql(jql) on your query; apply its fixes until it reports no errors.", "jira_lint_jql")
    s.add("Call jira_search(jql, limit=5) to check that the results match the goal.", "jira_search")
    scope = f"project = {jql_literal(project)} AND " if project else ""
    examples = "\n".join(
        (
            f"{scope}assignee = currentUser() AND statusCategory != Done ORDER BY priority DESC",
            f"{scope}issuetype = Bug AND created >= -14d ORDER BY created DESC",
            f'{scope}sprint in openSprints() AND statusCategory = "In Progress" ORDER BY Rank ASC',
            f"{scope}updated <= -30d AND statusCategory != Done ORDER BY updated ASC",
        )
    )
    produce = (
        "The final JQL in a code block, one line per clause explaining it, and the number of matches from "
        f"the check. Shapes that work here:\n```jql\n{examples}\n```"
    )
    return compose(
        f"Write a JQL query for this goal: {goal}",
        s,
        produce,
        rules=[
            "Quote values with spaces; use statusCategory for done/not done rather than listing statuses.",
            "Always restrict something (a project, an assignee, a date): Jira refuses unbounded queries.",
        ],
    )
