"""The error raised for text that is not JQL.

ValueError
  └── JQLSyntaxError(message, span, expected, fix)
"""

from __future__ import annotations

from jiramcp.jql._ast import Span


class JQLSyntaxError(ValueError):
    """The query is not valid JQL; Jira would refuse it before running it.

    Attributes:
        message: What is wrong, in Jira's terms ("Expected an operator after 'Story', got 'Points'").
        span: Where, as a character range in the query (empty at the end for a missing token).
        expected: What the grammar accepts at that point (`("AND", "OR", "ORDER BY", "end")`).
        fix: The whole query with the mechanical repair applied (quote the value, close the
            parenthesis), when one exists; else None. It may still hold later errors.
        replacement: The text that replaces `span` to produce `fix`, or None.
    """

    def __init__(
        self,
        message: str,
        span: Span,
        expected: tuple[str, ...] = (),
        fix: str | None = None,
        replacement: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.span = span
        self.expected = expected
        self.fix = fix
        self.replacement = replacement

    def __str__(self) -> str:
        return f"{self.message} (at character {self.span.start})"

    def __repr__(self) -> str:
        return f"JQLSyntaxError({self.message!r}, span={self.span!r}, expected={self.expected!r}, fix={self.fix!r})"
