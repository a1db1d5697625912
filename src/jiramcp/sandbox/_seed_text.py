"""Words and documents for the seed data: summaries, ADF descriptions and comments.

Everything is picked with the generator's `random.Random`, so the same seed writes the same text.
"""

from __future__ import annotations

import random
from typing import Any

from jiramcp.sandbox._adf import bullets, code, doc, heading, mention, numbered, panel, para, table, text

SUBJECTS = {
    "PLAT": (
        "the public API",
        "the auth service",
        "token refresh",
        "the billing webhook",
        "search indexing",
        "the job scheduler",
        "audit logging",
        "the rate limiter",
        "the user import",
        "session storage",
        "the GraphQL gateway",
        "database migrations",
        "the export endpoint",
        "SSO login",
    ),
    "MOB": (
        "the login screen",
        "push notifications",
        "offline sync",
        "the settings page",
        "dark mode",
        "the onboarding flow",
        "image upload",
        "the iOS widget",
        "deep links",
        "the Android share sheet",
        "biometric unlock",
        "the activity feed",
    ),
    "OPS": (
        "the staging cluster",
        "log retention",
        "the CI pipeline",
        "TLS certificates",
        "database backups",
        "the alerting rules",
        "on-call rotation",
        "the CDN config",
        "disk usage alerts",
        "Terraform state",
        "the VPN gateway",
    ),
}
STORY_VERBS = (
    "Support",
    "Add pagination to",
    "Allow users to configure",
    "Show progress for",
    "Redesign",
    "Localise",
    "Add filters to",
    "Let admins manage",
)
TASK_VERBS = (
    "Upgrade",
    "Refactor",
    "Document",
    "Add metrics to",
    "Clean up",
    "Automate",
    "Review",
    "Benchmark",
    "Migrate",
)
BUG_TEMPLATES = (
    "Crash when opening {s}",
    "{S} returns 500 on empty input",
    "Timeout in {s} under load",
    "{S} shows stale data after refresh",
    "Wrong timezone in {s}",
    "Memory leak in {s}",
    "{S} ignores the locale setting",
    "Duplicate entries in {s}",
)
EPIC_TEMPLATES = ("{S} overhaul", "Reliability of {s}", "{S} v2", "Self-service for {s}", "Observability for {s}")
SUBTASK_VERBS = (
    "Write tests for",
    "Update docs for",
    "Code review of",
    "QA pass on",
    "Design mock-up for",
    "Feature flag for",
)
LABELS = (
    "backend",
    "frontend",
    "api",
    "performance",
    "security",
    "tech-debt",
    "customer-reported",
    "regression",
    "ux",
    "infra",
    "flaky-test",
    "docs",
)
ROLES = ("an admin", "a new user", "a team lead", "a support agent", "a mobile user", "an API client")


def _cap(value: str) -> str:
    return value[:1].upper() + value[1:]


def summary(rng: random.Random, project: str, type_name: str, parent_summary: str | None = None) -> str:
    subject = rng.choice(SUBJECTS[project])
    if type_name == "Epic":
        return rng.choice(EPIC_TEMPLATES).format(s=subject, S=_cap(subject))
    if type_name == "Bug":
        return rng.choice(BUG_TEMPLATES).format(s=subject, S=_cap(subject))
    if type_name == "Story":
        return f"{rng.choice(STORY_VERBS)} {subject}"
    if type_name == "Sub-task":
        return f"{rng.choice(SUBTASK_VERBS)} {(parent_summary or subject)[:80]}"
    return f"{rng.choice(TASK_VERBS)} {subject}"


def description(
    rng: random.Random, type_name: str, summary_text: str, people: list[tuple[str, str]]
) -> dict[str, Any] | None:
    """A rich ADF description for an issue of `type_name`; some issues have none."""
    if rng.random() < 0.08:
        return None
    who = rng.choice(people)
    if type_name == "Bug":
        return doc(
            panel("error", para(text("Reported by customers; "), text("blocks checkout", "strong"), ".")),
            heading(3, "Steps to reproduce"),
            numbered("Sign in as a regular user", f"Open {summary_text.lower()[:40]}", "Wait ten seconds"),
            heading(3, "Expected"),
            para("The page loads in under a second."),
            heading(3, "Actual"),
            para(text("Error "), text("HTTP 500", "code"), text(" and the request is lost.")),
            code(
                f'Traceback (most recent call last):\n  File "app/handlers.py", line {rng.randint(20, 400)}'
                ", in handle\nValueError: unexpected empty payload",
                "python",
            ),
            para(text("cc "), mention(*who)),
        )
    if type_name == "Story":
        blocks = [
            para(f"As {rng.choice(ROLES)}, I want to {summary_text.lower()} so that I can work faster."),
            heading(3, "Acceptance criteria"),
            bullets("Works on all supported browsers", "Has analytics events", "Copy reviewed by product"),
        ]
        if rng.random() < 0.5:
            blocks.append(
                table(["Case", "Expected"], ["Empty list", "Empty state shown"], ["100+ items", "Paged, 50 per page"])
            )
        blocks.append(
            para(
                text("Design: "),
                text("Figma file", href="https://www.figma.com/file/demo"),
                text(" — owner "),
                mention(*who),
            )
        )
        return doc(*blocks)
    if type_name == "Epic":
        return doc(
            para(text("Goal: "), text(summary_text, "strong"), text(" by the end of the quarter.")),
            table(
                ["Milestone", "Owner", "Status"],
                ["Design", who[1], "Done"],
                ["Build", rng.choice(people)[1], "In progress"],
                ["Rollout", rng.choice(people)[1], "Planned"],
            ),
            panel("info", para("Track progress on the board; child issues carry the estimates.")),
        )
    blocks = [
        para(f"{summary_text}. Keep the change small and behind a flag."),
        bullets("Update the config", "Add a regression test", "Note it in the changelog"),
    ]
    if rng.random() < 0.4:
        blocks.append(code("make test && make lint", "bash"))
    return doc(*blocks)


def environment(rng: random.Random) -> dict[str, Any]:
    return doc(
        para(
            f"{rng.choice(['Chrome 126', 'Firefox 128', 'Safari 17', 'iOS 18', 'Android 15'])} "
            f"on {rng.choice(['production', 'staging'])}"
        )
    )


def acceptance(rng: random.Random) -> dict[str, Any]:
    return doc(
        bullets(
            *rng.sample(
                [
                    "Covered by tests",
                    "Docs updated",
                    "Metrics on the dashboard",
                    "Reviewed by QA",
                    "Feature flag removed",
                ],
                3,
            )
        )
    )


def comment(rng: random.Random, people: list[tuple[str, str]]) -> dict[str, Any]:
    who = rng.choice(people)
    choice = rng.randrange(6)
    if choice == 0:
        return doc(para(text("Thanks "), mention(*who), text(", looks good to me.")))
    if choice == 1:
        return doc(para("Reproduced locally with:"), code("curl -s localhost:8080/health | jq .", "bash"))
    if choice == 2:
        return doc(para("Open questions:"), bullets("Do we need a migration?", "Who signs off the copy?"))
    if choice == 3:
        return doc(panel("warning", para("This touches a shared module; please run the full suite.")))
    if choice == 4:
        return doc(
            para(
                text("Blocked on the "),
                text("infra", "em"),
                text(" change; "),
                mention(*who),
                text(" can you take a look?"),
            )
        )
    return doc(para(f"Moved to review. Estimate was {rng.choice([1, 2, 3, 5, 8])} points; took about that."))
