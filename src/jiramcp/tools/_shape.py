"""Turning Jira's JSON into what a model needs: small values, names instead of ids, Markdown text.

Jira answers with deeply nested objects (a status carries its category, icon URL and self link;
a user carries avatars in four sizes). A model needs the name. Everything here is pure and
synchronous so it is cheap to test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jiramcp.adf import adf_to_markdown, render_markdown_capped

# Characters of Markdown a rich-text field shows before it is cut at a block boundary.
DEFAULT_TEXT_BUDGET = 2_000

WikiToMarkdown = Callable[[str], str]


def is_adf(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get("type") == "doc" and "content" in value


def rich_text(value: Any, budget: int = DEFAULT_TEXT_BUDGET) -> str | None:
    """ADF (Cloud) or wiki text (Server/DC, already converted by the caller) as capped Markdown."""
    if value is None:
        return None
    if is_adf(value):
        text, cut = render_markdown_capped(value, budget)
    else:
        full = str(value)
        text, cut = (full, 0) if len(full) <= budget else (full[:budget], len(full) - budget)
    if cut:
        text += f"\n\n[… {cut} more characters cut; ask jira_get_issue with a larger text_limit]"
    return text


def full_markdown(value: Any) -> str | None:
    if value is None:
        return None
    return adf_to_markdown(value) if is_adf(value) else str(value)


def person(value: Any) -> str | None:
    """A user object as its display name (Cloud) or name (Server/DC)."""
    if not isinstance(value, Mapping):
        return None if value is None else str(value)
    return value.get("displayName") or value.get("name") or value.get("accountId")


def _sprint(value: Mapping[str, Any]) -> str:
    state = value.get("state")
    return f"{value.get('name')} ({state.lower()})" if isinstance(state, str) else str(value.get("name"))


def simplify(value: Any, budget: int = DEFAULT_TEXT_BUDGET) -> Any:
    """Any field value reduced to what a model reads: names, values, Markdown."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if is_adf(value):
        return rich_text(value, budget)
    if isinstance(value, list):
        items = [simplify(item, budget) for item in value]
        return [item for item in items if item is not None]
    if isinstance(value, Mapping):
        if "accountId" in value or "emailAddress" in value or "displayName" in value:
            return person(value)
        if "boardId" in value and "state" in value:
            return _sprint(value)
        if "value" in value:
            child = value.get("child")
            return f"{value['value']} / {child['value']}" if isinstance(child, Mapping) else value["value"]
        if "key" in value and "fields" in value:
            summary = value["fields"].get("summary") if isinstance(value["fields"], Mapping) else None
            return f"{value['key']} {summary}".strip() if summary else value["key"]
        if "name" in value:
            return value["name"]
        if "key" in value:
            return value["key"]
        if "originalEstimate" in value or "timeSpent" in value:
            return {k: v for k, v in value.items() if not k.endswith("Seconds")}
        return {str(k): simplify(v, budget) for k, v in value.items() if not str(k).startswith("self")}
    return str(value)


def short_time(value: Any) -> str | None:
    """`2026-11-20T10:31:04.000+0000` → `2026-11-20 10:31` (the model rarely needs seconds)."""
    if not isinstance(value, str):
        return None
    return value[:16].replace("T", " ") if len(value) >= 16 and value[10] == "T" else value


def shown_value(value: Any, indent: str = "  ") -> str | None:
    """A simplified field value as one text line (multi-line Markdown indented under it); None if empty."""
    if value is None or value == []:
        return None
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return f"\n{indent}" + text.replace("\n", f"\n{indent}") if "\n" in text else text
