"""Errors of the sandbox's JQL evaluation.

    JqlEvaluationError            the sandbox cannot evaluate this construct (message names it)
     └── JqlValueError            Jira itself refuses the query: unknown field or value,
                                  unsupported operator, malformed date (Jira's wording)

Both become a 400 with the message in `errorMessages`; neither ever yields a partial result.
"""

from __future__ import annotations

__all__ = ["JqlEvaluationError", "JqlValueError"]


class JqlEvaluationError(Exception):
    """A construct the sandbox cannot evaluate faithfully; the message names the construct."""


class JqlValueError(JqlEvaluationError):
    """The query is wrong the way Jira would say so: unknown field or value, operator, date."""
