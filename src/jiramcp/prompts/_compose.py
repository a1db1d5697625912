"""Building a prompt's text from steps, keeping only the steps whose tools this server offers.

A deployment may be read-only or have toolsets turned off; a prompt that tells the model to call
a tool it cannot see wastes a turn and invites guessing. Each step names the tools it needs, and
a step whose tools are missing is left out (or replaced by the fallback the prompt gives).
"""

from __future__ import annotations

from collections.abc import Iterable

from jiramcp.jql import quote


def jql_literal(value: str) -> str:
    """`value` as a quoted JQL string: whatever it holds, it stays one operand."""
    return quote(value)


def jql_block(query: str) -> str:
    """A JQL query as a fenced block (prompts tests lint every such block)."""
    return f"\n```jql\n{query}\n```"


class Steps:
    """Numbered instructions, each kept only when every tool it names is available."""

    def __init__(self, available: Iterable[str]) -> None:
        self.available = frozenset(available)
        self._lines: list[str] = []

    def has(self, *tools: str) -> bool:
        return all(tool in self.available for tool in tools)

    def add(self, text: str, *tools: str, otherwise: str | None = None) -> bool:
        """Add `text` if `tools` are all available, else `otherwise` (if given); True if `text` went in."""
        if self.has(*tools):
            self._lines.append(text)
            return True
        if otherwise:
            self._lines.append(otherwise)
        return False

    def render(self) -> str:
        return "\n".join(f"{n}. {line}" for n, line in enumerate(self._lines, start=1))


def compose(intro: str, steps: Steps, produce: str, *, rules: Iterable[str] = ()) -> str:
    """The whole prompt: what the task is, the steps, what to produce, and the ground rules."""
    parts = [intro.strip(), "Steps:", steps.render(), "Produce:", produce.strip()]
    rule_lines = [f"- {rule}" for rule in rules]
    if rule_lines:
        parts += ["Rules:", "\n".join(rule_lines)]
    return "\n\n".join(parts)
