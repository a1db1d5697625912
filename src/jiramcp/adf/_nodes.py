"""Small ADF node builders and the vocabulary shared by both conversion directions.

The Markdown spellings of Jira-only nodes live here so that the reader and the writer agree:

- mention:  `[@Display Name](accountid:5b10ac8d82e05b22cc7d4ef5)`
- status:   `[IN PROGRESS](status:blue)` (colour: neutral, purple, blue, red, yellow, green)
- date:     `[2024-05-01](date:)` (UTC calendar day)
- emoji:    `:smile:`
- cards:    `[https://x.y](https://x.y "inlineCard")` (also "blockCard", "embedCard")
- panels:   `> [!NOTE]` info, `> [!IMPORTANT]` note, `> [!TIP]` tip, `> [!SUCCESS]` success,
            `> [!WARNING]` warning, `> [!CAUTION]` error
- expand:   `<details><summary>Title</summary> ... </details>`
- opaque:   `[label](adf:N)` / `![label](adf:N)`: the N-th node with no Markdown form in the
            source document (media files, extensions...), restored by `merge_markdown_into_adf`.
"""

from __future__ import annotations

import re
import uuid
from functools import lru_cache
from typing import Any

Node = dict[str, Any]

DOC_VERSION = 1

# Panel type <-> GitHub alert keyword, chosen by colour (GitHub NOTE is blue like Jira's info).
PANEL_TO_ALERT = {
    "info": "NOTE",
    "note": "IMPORTANT",
    "tip": "TIP",
    "success": "SUCCESS",
    "warning": "WARNING",
    "error": "CAUTION",
    "custom": "NOTE",
}
ALERT_TO_PANEL = {
    "NOTE": "info",
    "INFO": "info",
    "IMPORTANT": "note",
    "TIP": "tip",
    "SUCCESS": "success",
    "WARNING": "warning",
    "CAUTION": "error",
    "ERROR": "error",
    "DANGER": "error",
}

STATUS_COLOURS = frozenset({"neutral", "purple", "blue", "red", "yellow", "green"})
CARD_TITLES = frozenset({"inlineCard", "blockCard", "embedCard"})
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
EMOJI_SHORTCODE = re.compile(r"(?<![\w:\\]):([a-z0-9_+\-]*[a-z][a-z0-9_+\-]*):(?![\w:])")
OPAQUE_HREF = re.compile(r"^adf:(\d+)$")

# A few common shortcodes carry their character so Jira (and adf_to_text) can show them.
EMOJI_TEXT = {
    "smile": "😄",
    "smiley": "😃",
    "grinning": "😀",
    "laughing": "😆",
    "wink": "😉",
    "slight_smile": "🙂",
    "joy": "😂",
    "thinking": "🤔",
    "cry": "😢",
    "heart": "❤️",
    "thumbsup": "👍",
    "+1": "👍",
    "thumbsdown": "👎",
    "-1": "👎",
    "clap": "👏",
    "tada": "🎉",
    "rocket": "🚀",
    "fire": "🔥",
    "bug": "🐛",
    "warning": "⚠️",
    "white_check_mark": "✅",
    "heavy_check_mark": "✔️",
    "x": "❌",
    "question": "❓",
    "exclamation": "❗",
    "eyes": "👀",
    "star": "⭐",
    "sparkles": "✨",
    "construction": "🚧",
    "lock": "🔒",
    "bulb": "💡",
    "memo": "📝",
    "calendar": "📅",
    "hourglass": "⌛",
    "zap": "⚡",
    "boom": "💥",
    "100": "💯",
    "ok_hand": "👌",
    "pray": "🙏",
    "wave": "👋",
}

# Canonical order of marks on a text node: outermost first. Keeps output deterministic, which
# the round-trip property relies on.
MARK_ORDER = {
    "link": 0,
    "strong": 1,
    "em": 2,
    "strike": 3,
    "underline": 4,
    "subsup": 5,
    "textColor": 6,
    "backgroundColor": 7,
    "annotation": 8,
    "code": 9,
}


def doc(content: list[Node]) -> Node:
    """Wrap block nodes in a version-1 document."""
    return {"type": "doc", "version": DOC_VERSION, "content": content}


def text(value: str, marks: list[Node] | None = None) -> Node:
    node: Node = {"type": "text", "text": value}
    if marks:
        node["marks"] = marks
    return node


def paragraph(content: list[Node]) -> Node:
    node: Node = {"type": "paragraph"}
    if content:
        node["content"] = content
    return node


def local_id(counter: list[int]) -> str:
    """A deterministic UUID: the same input always yields the same document."""
    counter[0] += 1
    return _nth_local_id(counter[0])


@lru_cache(maxsize=1024)
def _nth_local_id(n: int) -> str:
    # Every document numbers its task items from 1, so the same few ids come up again and again.
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"jiramcp:{n}"))


def emoji(shortcode: str) -> Node:
    attrs: dict[str, str] = {"shortName": f":{shortcode}:"}
    char = EMOJI_TEXT.get(shortcode)
    if char:
        attrs["id"] = "-".join(f"{ord(c):x}" for c in char if ord(c) != 0xFE0F)
        attrs["text"] = char
    return {"type": "emoji", "attrs": attrs}


def mark_key(mark: Node) -> tuple[int, str]:
    return MARK_ORDER.get(mark.get("type", ""), 99), repr(mark.get("attrs"))
