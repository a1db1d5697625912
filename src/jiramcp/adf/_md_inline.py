"""markdown-it inline tokens → ADF inline nodes (marks, links, Jira spellings, raw HTML as text)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from jiramcp.adf._nodes import (
    CARD_TITLES,
    EMOJI_SHORTCODE,
    HEX_COLOUR,
    OPAQUE_HREF,
    STATUS_COLOURS,
    Node,
    emoji,
    text,
)

if TYPE_CHECKING:
    from markdown_it.token import Token

# Resolves an `adf:N` reference to the original node (or None): supplied by the merge.
Resolver = Callable[[int], Node | None]

_SIMPLE_MARKS = {"em_open": "em", "strong_open": "strong", "s_open": "strike"}
_CLOSE = {"em_close", "strong_close", "s_close"}
_HTML_MARKS: dict[str, Node] = {
    "u": {"type": "underline"},
    "ins": {"type": "underline"},
    "sub": {"type": "subsup", "attrs": {"type": "sub"}},
    "sup": {"type": "subsup", "attrs": {"type": "sup"}},
    "s": {"type": "strike"},
    "del": {"type": "strike"},
}
_TAG = re.compile(r"^<(/?)([a-zA-Z]+)\b([^>]*)>$")
_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_STYLE_COLOUR = re.compile(r"(background-color|color)\s*:\s*(#[0-9a-fA-F]{6})", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InlineBuilder:
    """Walks one inline token list; `image` items are returned as block markers for splitting."""

    def __init__(self, resolver: Resolver | None) -> None:
        self.resolver = resolver

    def build(self, children: list[Token]) -> list[Node]:
        out: list[Node] = []
        marks: list[Node] = []
        # Each open tag pushes its mark (or None for a tag kept as text) so closes pair up.
        html_stack: list[tuple[str, Node | None]] = []
        i = 0
        n = len(children)
        while i < n:
            tok = children[i]
            kind = tok.type
            if kind == "text":
                self._text(tok.content, marks, out)
            elif kind == "text_special":
                if tok.content:
                    out.append(text(tok.content, list(marks)))
            elif kind == "softbreak":
                out.append(text(" ", list(marks)))
            elif kind == "hardbreak":
                out.append({"type": "hardBreak"})
            elif kind == "code_inline":
                code_marks = [m for m in marks if m["type"] == "link"]
                out.append(text(tok.content, [*code_marks, {"type": "code"}]))
            elif kind in _SIMPLE_MARKS:
                marks.append({"type": _SIMPLE_MARKS[kind]})
            elif kind in _CLOSE:
                _pop(marks, _SIMPLE_MARKS[kind.replace("_close", "_open")])
            elif kind == "link_open":
                i = self._link(children, i, marks, out)
            elif kind == "link_close":
                _pop(marks, "link")
            elif kind == "image":
                self._image(tok, marks, out)
            elif kind == "html_inline":
                self._html(tok.content, marks, html_stack, out)
            i += 1
        return out

    def _text(self, value: str, marks: list[Node], out: list[Node]) -> None:
        if not value:
            return
        if ":" not in value:  # no shortcode possible: skip the regex (most text)
            out.append(text(value, list(marks)))
            return
        pos = 0
        for match in EMOJI_SHORTCODE.finditer(value):
            if match.start() > pos:
                out.append(text(value[pos : match.start()], list(marks)))
            out.append(emoji(match.group(1)))
            pos = match.end()
        if pos < len(value):
            out.append(text(value[pos:], list(marks)))

    def _link(self, children: list[Token], i: int, marks: list[Node], out: list[Node]) -> int:
        tok = children[i]
        href = str(tok.attrs.get("href", ""))
        title = str(tok.attrs.get("title", "") or "")
        scheme, _, rest = href.partition(":")
        special = scheme in ("accountid", "status", "date", "adf") or title in CARD_TITLES
        if not special or "link" in {m["type"] for m in marks}:
            attrs: dict[str, Any] = {"href": href}
            if title:
                attrs["title"] = title
            marks.append({"type": "link", "attrs": attrs})
            return i
        # Collect the link's own tokens; Jira nodes take the plain text of their label.
        j = i + 1
        depth = 1
        while j < len(children):
            if children[j].type == "link_open":
                depth += 1
            elif children[j].type == "link_close":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        inner = children[i + 1 : j]
        label = "".join(t.content for t in inner if t.type in ("text", "text_special", "code_inline"))
        node = self._special(scheme, rest, href, title, label)
        if node is None:
            out.extend(self.build(inner))
        elif node.get("type") == "text":
            out.append(text(node["text"], list(marks)))
        else:
            out.append(node)
        return j

    def _special(self, scheme: str, rest: str, href: str, title: str, label: str) -> Node | None:
        if title in CARD_TITLES and scheme not in ("accountid", "status", "date", "adf"):
            if title == "inlineCard":
                return {"type": "inlineCard", "attrs": {"url": href}}
            return {"type": "_blockCard", "card": title, "url": href, "label": label}
        if scheme == "accountid" and rest:
            name = label if label.startswith("@") else f"@{label}" if label else f"@{rest}"
            return {"type": "mention", "attrs": {"id": rest, "text": name}}
        if scheme == "status" and label.strip():
            colour = rest if rest in STATUS_COLOURS or HEX_COLOUR.match(rest) else "neutral"
            return {"type": "status", "attrs": {"text": label, "color": colour}}
        if scheme == "date":
            stamp = _timestamp(rest) or _timestamp(label)
            if stamp:
                return {"type": "date", "attrs": {"timestamp": stamp}}
            return None
        if scheme == "adf":
            match = OPAQUE_HREF.match(href)
            found = self.resolver(int(match.group(1))) if (match and self.resolver) else None
            if found is not None:
                return found
            return text(label or href) if label or href else None
        return None

    def _image(self, tok: Token, marks: list[Node], out: list[Node]) -> None:
        src = str(tok.attrs.get("src", ""))
        alt = "".join(c.content for c in tok.children or [] if c.content)
        match = OPAQUE_HREF.match(src)
        if match and self.resolver:
            found = self.resolver(int(match.group(1)))
            if found is not None:
                out.append(found)
                return
        if match or any(m["type"] == "link" for m in marks) or not src:
            if alt or src:
                out.append(text(alt or src, list(marks)))
            return
        media: Node = {"type": "media", "attrs": {"type": "external", "url": src}}
        if alt:
            media["attrs"]["alt"] = alt
        out.append({"type": "mediaSingle", "attrs": {"layout": "center"}, "content": [media]})

    def _html(self, raw: str, marks: list[Node], stack: list[tuple[str, Node | None]], out: list[Node]) -> None:
        if _BR.match(raw):
            out.append({"type": "hardBreak"})
            return
        tag = _TAG.match(raw)
        if tag:
            closing, name = tag.group(1) == "/", tag.group(2).lower()
            if not closing:
                mark = _HTML_MARKS.get(name)
                if name == "span":
                    found = _STYLE_COLOUR.search(tag.group(3))
                    if found:
                        kind = "backgroundColor" if found.group(1).lower() != "color" else "textColor"
                        mark = {"type": kind, "attrs": {"color": found.group(2).lower()}}
                if mark is not None:
                    stack.append((name, mark))
                    marks.append(mark)
                    return
            elif stack and stack[-1][0] == name:
                _, mark = stack.pop()
                if mark is not None and mark in marks:
                    marks.reverse()
                    marks.remove(mark)
                    marks.reverse()
                    return
        out.append(text(html.unescape(raw) if raw.startswith("&") else raw, list(marks)))


def _pop(marks: list[Node], kind: str) -> None:
    for k in range(len(marks) - 1, -1, -1):
        if marks[k]["type"] == kind:
            del marks[k]
            return


def _timestamp(value: str) -> str | None:
    value = value.strip()
    if value.isdigit():
        return value
    if not _ISO_DATE.match(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return str(int(moment.timestamp() * 1000))
