"""ADF inline nodes → Markdown text: escaping and mark delimiters.

Escaping is as light as CommonMark allows (snake_case stays readable) but complete enough that
the Markdown reads back as the same text: emphasis and link characters, `<`, `:` in emoji-like
or `scheme://` runs (which would become emoji or links), and block markers at a line start.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from jiramcp.adf._nodes import EMOJI_SHORTCODE, HEX_COLOUR, Node, mark_key

_ALWAYS = re.compile(r"([\\`*\[\]<~&])")
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_SCHEME = re.compile(r"(?<=[A-Za-z0-9])(:)(?=//)")
_LINE_START = re.compile(r"^([ \t]*)([#>+=\-|]|\d{1,9}[.)])")
_ENTITY_LIKE = re.compile(r"\\&(?!(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")
_BACKTICKS = re.compile(r"`+")

OpaqueRef = Callable[[Node], str]


def escape_text(value: str, *, in_table: bool = False) -> str:
    """Escape plain text so that Markdown parses it back to exactly `value`."""
    out = _ALWAYS.sub(r"\\\1", value)
    out = _ENTITY_LIKE.sub("&", out)  # `&` needs escaping only where it would start an entity
    out = _UNDERSCORE.sub(r"\\_", out)
    out = _SCHEME.sub(r"\\:", out)
    out = EMOJI_SHORTCODE.sub(lambda m: "\\:" + m.group(0)[1:], out)
    if in_table:
        out = out.replace("|", "\\|")
    return out


def escape_line_start(line: str) -> str:
    """Escape a character that would open a block construct at the start of a line."""
    match = _LINE_START.match(line)
    if not match:
        return line
    lead, marker = match.group(1), match.group(2)
    rest = line[match.end() :]
    if marker[0].isdigit():
        if not (rest == "" or rest[0] in " \t"):
            return line
        return f"{lead}{marker[:-1]}\\{marker[-1]}{rest}"
    return f"{lead}\\{marker}{rest}"


def code_span(value: str) -> str:
    runs = [len(m) for m in _BACKTICKS.findall(value)]
    fence = "`" * (max(runs, default=0) + 1)
    value = value.replace("\n", " ")
    pad = (
        value.startswith("`")
        or value.endswith("`")
        or (value.startswith(" ") and value.endswith(" ") and value.strip() != "")
    )
    return f"{fence} {value} {fence}" if pad else f"{fence}{value}{fence}"


def iso_date(timestamp: str) -> str | None:
    try:
        ms = int(timestamp)
        return datetime.fromtimestamp(ms / 1000, tz=UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        return None


def _open(mark: Node) -> str:
    kind = mark.get("type")
    attrs = mark.get("attrs") or {}
    if kind == "strong":
        return "**"
    if kind == "em":
        return "*"
    if kind == "strike":
        return "~~"
    if kind == "underline":
        return "<u>"
    if kind == "subsup":
        return "<sub>" if attrs.get("type") == "sub" else "<sup>"
    if kind == "textColor" and HEX_COLOUR.match(str(attrs.get("color", ""))):
        return f'<span style="color:{attrs["color"].lower()}">'
    if kind == "backgroundColor" and HEX_COLOUR.match(str(attrs.get("color", ""))):
        return f'<span style="background-color:{attrs["color"].lower()}">'
    if kind == "link":
        return "["
    return ""


def _close(mark: Node) -> str:
    kind = mark.get("type")
    attrs = mark.get("attrs") or {}
    if kind in ("strong", "em", "strike"):
        return _open(mark)
    if kind == "underline":
        return "</u>"
    if kind == "subsup":
        return "</sub>" if attrs.get("type") == "sub" else "</sup>"
    if kind in ("textColor", "backgroundColor"):
        return "</span>" if _open(mark) else ""
    if kind == "link":
        return f"]({link_target(str(attrs.get('href', '')), attrs.get('title'))})"
    return ""


def link_target(href: str, title: str | None = None) -> str:
    dest = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")
    dest = dest.replace(">", "%3E") or "<>"
    if title:
        safe = title.replace("\\", "\\\\").replace('"', '\\"')
        return f'{dest} "{safe}"'
    return dest


_DELIMITED = ("strong", "em", "strike")


def render_inline(nodes: list[Node], opaque: OpaqueRef, *, in_table: bool = False, newline: str = "\\\n") -> str:
    """Render inline nodes, opening and closing marks as runs change."""
    parts: list[str] = []
    stack: list[Node] = []
    for node in nodes:
        kind = node.get("type")
        marks = sorted(node.get("marks") or [], key=mark_key) if kind == "text" else []
        marks = [m for m in marks if m.get("type") != "code"]
        keep = 0
        while keep < len(stack) and keep < len(marks) and stack[keep] == marks[keep]:
            keep += 1
        while len(stack) > keep:
            _close_mark(parts, stack.pop())
        if kind == "text":
            value = node.get("text", "")
            is_code = any(m.get("type") == "code" for m in node.get("marks") or [])
            # Emphasis delimiters cannot touch whitespace: move it outside the new marks.
            opening = marks[keep:]
            if opening and not is_code and any(m.get("type") in _DELIMITED for m in opening):
                stripped = value.lstrip()
                if len(stripped) < len(value):
                    parts.append(value[: len(value) - len(stripped)])
                    value = stripped
            for mark in opening:
                parts.append(_open(mark))
                stack.append(mark)
            if is_code:
                span = code_span(value)
                # GFM splits table rows on pipes even inside code spans; `\|` keeps them.
                parts.append(span.replace("|", "\\|") if in_table else span)
            else:
                body = escape_text(value, in_table=in_table)
                parts.append(body.replace("\n", newline))
        else:
            while stack:
                _close_mark(parts, stack.pop())
            parts.append(_atom(node, opaque, in_table=in_table, newline=newline))
    while stack:
        _close_mark(parts, stack.pop())
    return "".join(parts)


def _close_mark(parts: list[str], mark: Node) -> None:
    closing = _close(mark)
    if mark.get("type") in _DELIMITED and parts:
        # Trailing whitespace before a closing delimiter breaks it: move it after.
        last = parts[-1]
        trimmed = last.rstrip(" \t")
        if trimmed != last and trimmed:
            parts[-1] = trimmed
            parts.append(closing)
            parts.append(last[len(trimmed) :])
            return
    parts.append(closing)


def _atom(node: Node, opaque: OpaqueRef, *, in_table: bool, newline: str) -> str:
    kind = node.get("type")
    attrs = node.get("attrs") or {}
    if kind == "hardBreak":
        return newline
    if kind == "mention":
        name = str(attrs.get("text") or attrs.get("id") or "")
        name = name if name.startswith("@") else f"@{name}"
        return f"[{escape_text(name, in_table=in_table)}]({link_target('accountid:' + str(attrs.get('id', '')))})"
    if kind == "emoji":
        short = str(attrs.get("shortName", ""))
        if EMOJI_SHORTCODE.fullmatch(short):
            return short
        return escape_text(str(attrs.get("text") or short), in_table=in_table)
    if kind == "status":
        colour = str(attrs.get("color") or "neutral")
        return f"[{escape_text(str(attrs.get('text', '')), in_table=in_table)}](status:{colour})"
    if kind == "date":
        day = iso_date(str(attrs.get("timestamp", "")))
        return f"[{day}](date:)" if day else escape_text(str(attrs.get("timestamp", "")), in_table=in_table)
    if kind == "inlineCard" and attrs.get("url"):
        url = str(attrs["url"])
        return f"[{escape_text(url, in_table=in_table)}]({link_target(url, 'inlineCard')})"
    if kind == "placeholder":
        return escape_text(str(attrs.get("text", "")), in_table=in_table)
    if kind == "text":
        return escape_text(node.get("text", ""), in_table=in_table)
    return opaque(node)
