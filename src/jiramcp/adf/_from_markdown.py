"""Markdown → ADF on markdown-it-py (CommonMark + GFM tables, strikethrough, autolinks).

The parser gives a flat token stream; we walk it into ADF blocks, recognise the Jira spellings
(task items, GitHub alerts as panels, `<details>` as expand), then `fit_blocks` degrades whatever
ADF forbids where it stands. The result always validates against the official schema.
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from jiramcp.adf._fit import fit_blocks
from jiramcp.adf._md_inline import InlineBuilder, Resolver
from jiramcp.adf._nodes import ALERT_TO_PANEL, Node, doc, local_id, paragraph, text

if TYPE_CHECKING:
    # markdown-it is imported on first conversion, not at start-up (the server may never convert).
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = ["markdown_to_adf"]

_TASK = re.compile(r"^\[([ xX])\](?:[ \t]+|$)")
_ALERT = re.compile(r"^\[!([A-Za-z]+)\][ \t]*$")
_DETAILS_OPEN = re.compile(r"^\s*<details\b[^>]*>", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"</details\s*>\s*$", re.IGNORECASE)
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
# With fuzzy matching off, every link linkify-it can find starts with a scheme: `http(s)://`,
# `ftp://`, `//` or `mailto:`. Text without these cannot hold one.
_MAY_HOLD_LINK = re.compile(r"//|mailto:", re.IGNORECASE)


class _SchemeLinkify:
    """linkify-it behind a one-regex pre-filter: the same matches, without running its large
    pre-test regex over every paragraph (that was 40% of all parsing)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def pretest(self, text: str) -> bool:
        return _MAY_HOLD_LINK.search(text) is not None and bool(self._inner.pretest(text))

    def test(self, text: str) -> bool:
        return _MAY_HOLD_LINK.search(text) is not None and bool(self._inner.test(text))

    def match(self, text: str) -> Any:
        return self._inner.match(text)

    def match_at_start(self, text: str) -> Any:
        return self._inner.match_at_start(text)


@cache
def parser() -> MarkdownIt:
    """The shared markdown-it instance (CommonMark, GFM tables/strikethrough, scheme autolinks)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])
    # Without text_join, backslash escapes stay separate tokens, so `\:smile:` is not an emoji.
    md.disable("text_join")
    # Only `scheme://` links: a bare "example.com" in prose stays prose (and round-trips as such).
    md.linkify.set({"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    md.linkify = _SchemeLinkify(md.linkify)
    # Our own spellings use these schemes; markdown-it would otherwise percent-encode labels.
    return md


def markdown_to_adf(md: str, *, resolver: Resolver | None = None) -> Node:
    """Convert Markdown to an ADF document that validates against the official schema.

    Args:
        md: Markdown text (CommonMark + GFM, plus the Jira spellings listed in `_nodes`).
        resolver: Optional lookup for `adf:N` placeholders (used by `merge_markdown_into_adf`).

    Returns:
        A version-1 ADF `doc`.
    """
    return _convert(md, resolver, "fast")


FrontEnd = Literal["fast", "markdown-it"]


def _convert(md: str, resolver: Resolver | None, front_end: FrontEnd) -> Node:
    """`markdown_to_adf` with the front end chosen: tests and the benchmark run each one.

    "fast" parses with pyromark (pulldown-cmark) when it is installed and the document holds
    nothing it cannot map exactly (`_fast_tokens`), else with markdown-it-py; "markdown-it"
    always uses markdown-it-py, the reference.
    """
    # Imported here, as markdown-it is in `parser`: importing this module must stay cheap, since
    # the server imports it at start-up and may never convert a thing.
    from jiramcp.adf._fast_tokens import fast_tokens

    md = md or ""
    tokens: Any = fast_tokens(md, parser()) if front_end != "markdown-it" else None
    if tokens is None:
        tokens = parser().parse(md)
    builder = _BlockBuilder(resolver, front_end)
    blocks, _ = builder.blocks(tokens, 0, len(tokens))
    return doc(fit_blocks(blocks, "doc"))


class _BlockBuilder:
    def __init__(self, resolver: Resolver | None, front_end: FrontEnd = "fast") -> None:
        self.inline = InlineBuilder(resolver)
        self.resolver = resolver
        self.front_end = front_end
        self.ids = [0]

    def blocks(self, tokens: list[Token], start: int, end: int) -> tuple[list[Node], int]:
        out: list[Node] = []
        i = start
        while i < end:
            tok = tokens[i]
            kind = tok.type
            if kind == "paragraph_open":
                out.extend(self._paragraph(tokens[i + 1].children or []))
                i += 3
                continue
            if kind == "heading_open":
                level = int(tok.tag[1])
                content = self._inline_only(tokens[i + 1].children or [])
                node: Node = {"type": "heading", "attrs": {"level": level}}
                if content:
                    node["content"] = content
                out.append(node)
                i += 3
                continue
            close = _matching_close(tokens, i) if kind.endswith("_open") else i
            if kind == "bullet_list_open":
                out.extend(self._bullet_list(tokens, i + 1, close))
            elif kind == "ordered_list_open":
                items = self._list_items(tokens, i + 1, close)
                node = {"type": "orderedList", "content": items}
                start_at = int(tok.attrs.get("start", 1) or 1)
                if start_at != 1:
                    node["attrs"] = {"order": start_at}
                out.append(node)
            elif kind == "blockquote_open":
                inner, _ = self.blocks(tokens, i + 1, close)
                out.append(_quote_or_panel(inner))
            elif kind in ("fence", "code_block"):
                out.append(_code_block(tok))
            elif kind == "hr":
                out.append({"type": "rule"})
            elif kind == "table_open":
                out.append(self._table(tokens, i + 1, close))
            elif kind == "html_block":
                consumed, nodes = self._html_block(tokens, i, end)
                out.extend(nodes)
                i = consumed
                continue
            i = close + 1
        return out, i

    def _paragraph(self, children: list[Token]) -> list[Node]:
        """A paragraph; external images split it, since ADF media are blocks."""
        out: list[Node] = []
        run: list[Node] = []
        for node in self.inline.build(children):
            if node.get("type") in _SPLITS_PARAGRAPH:
                if run:
                    out.append(paragraph(run))
                    run = []
                out.append(_block_card(node) if node["type"] == "_blockCard" else node)
            else:
                run.append(node)
        if run or not out:
            out.append(paragraph(run))
        return out

    def _inline_only(self, children: list[Token]) -> list[Node]:
        """Inline content where blocks cannot go (headings, task items): media become text."""
        out: list[Node] = []
        for node in self.inline.build(children):
            if node.get("type") == "mediaSingle":
                media = node["content"][0]["attrs"]
                label = media.get("alt") or media.get("url", "")
                link = {"type": "link", "attrs": {"href": media.get("url", "")}}
                out.append(text(label, [link]))
            elif node.get("type") == "_blockCard":
                out.append({"type": "inlineCard", "attrs": {"url": node["url"]}})
            elif _is_block(node):
                out.extend(_plain_inline(node))
            else:
                out.append(node)
        return out

    def _bullet_list(self, tokens: list[Token], start: int, end: int) -> list[Node]:
        """A bullet list; runs of `[ ]`/`[x]` items become task lists."""
        out: list[Node] = []
        i = start
        while i < end:
            close = _matching_close(tokens, i)
            task = self._task_item(tokens, i + 1, close)
            if task is not None:
                if not out or out[-1]["type"] != "taskList":
                    out.append({"type": "taskList", "attrs": {"localId": local_id(self.ids)}, "content": []})
                out[-1]["content"].extend(task)
            else:
                if not out or out[-1]["type"] != "bulletList":
                    out.append({"type": "bulletList", "content": []})
                inner, _ = self.blocks(tokens, i + 1, close)
                out[-1]["content"].append({"type": "listItem", "content": inner})
            i = close + 1
        return out

    def _list_items(self, tokens: list[Token], start: int, end: int) -> list[Node]:
        items: list[Node] = []
        i = start
        while i < end:
            close = _matching_close(tokens, i)
            inner, _ = self.blocks(tokens, i + 1, close)
            items.append({"type": "listItem", "content": inner})
            i = close + 1
        return items

    def _task_item(self, tokens: list[Token], start: int, end: int) -> list[Node] | None:
        if start >= end or tokens[start].type != "paragraph_open":
            return None
        inline_tok = tokens[start + 1]
        match = _TASK.match(inline_tok.content)
        if not match:
            return None
        state = "DONE" if match.group(1) in "xX" else "TODO"
        children = _strip_prefix(inline_tok.children or [], match.end())
        content = self._inline_only(children)
        item: Node = {"type": "taskItem", "attrs": {"localId": local_id(self.ids), "state": state}}
        item["content"] = content
        out = [item]
        rest, _ = self.blocks(tokens, start + 3, end)
        for block in rest:
            if block["type"] == "taskList":
                out.append(block)
            else:
                # A task item holds inline content only: further blocks join it line by line.
                lines = _plain_inline(block)
                if lines:
                    item["content"] = [*item["content"], {"type": "hardBreak"}, *lines]
        return out

    def _table(self, tokens: list[Token], start: int, end: int) -> Node:
        rows: list[Node] = []
        row: list[Node] = []
        for i in range(start, end):
            tok = tokens[i]
            if tok.type == "tr_open":
                row = []
            elif tok.type in ("th_open", "td_open"):
                kind = "tableHeader" if tok.type == "th_open" else "tableCell"
                cell_blocks = self._paragraph(tokens[i + 1].children or [])
                row.append({"type": kind, "attrs": {}, "content": cell_blocks})
            elif tok.type == "tr_close":
                rows.append({"type": "tableRow", "content": row})
        return {"type": "table", "attrs": {"isNumberColumnEnabled": False, "layout": "default"}, "content": rows}

    def _html_block(self, tokens: list[Token], i: int, end: int) -> tuple[int, list[Node]]:
        raw = tokens[i].content
        if _DETAILS_OPEN.match(raw):
            summary = _SUMMARY.search(raw)
            title = html.unescape(_TAGS.sub("", summary.group(1))).strip() if summary else ""
            body_start = summary.end() if summary else _DETAILS_OPEN.match(raw).end()
            head_rest = raw[body_start:]
            if _DETAILS_CLOSE.search(head_rest):
                inner_md = _DETAILS_CLOSE.sub("", head_rest)
                inner = _convert(inner_md, self.resolver, self.front_end)["content"]
                return i + 1, [_expand(title, inner)]
            close = _details_close(tokens, i + 1, end)
            if close is not None:
                lead = _convert(head_rest, self.resolver, self.front_end)["content"] if head_rest.strip() else []
                inner, _ = self.blocks(tokens, i + 1, close)
                return close + 1, [_expand(title, lead + inner)]
        return i + 1, [_raw_html(raw)]


def _expand(title: str, content: list[Node]) -> Node:
    return {"type": "expand", "attrs": {"title": title}, "content": content or [paragraph([])]}


def _details_close(tokens: list[Token], start: int, end: int) -> int | None:
    depth = 0
    for j in range(start, end):
        tok = tokens[j]
        if tok.type != "html_block" or tok.level != 0:
            continue
        if _DETAILS_OPEN.match(tok.content):
            depth += 1
        elif _DETAILS_CLOSE.search(tok.content):
            if depth == 0:
                return j
            depth -= 1
    return None


def _raw_html(raw: str) -> Node:
    """Raw HTML is kept as text, line breaks and all."""
    lines = raw.rstrip("\n").split("\n")
    content: list[Node] = []
    for k, line in enumerate(lines):
        if k:
            content.append({"type": "hardBreak"})
        if line:
            content.append(text(line))
    return paragraph(content)


def _quote_or_panel(inner: list[Node]) -> Node:
    first = inner[0] if inner else None
    if first and first["type"] == "paragraph":
        content = first.get("content", [])
        head = content[0] if content else None
        if head and head.get("type") == "text" and not head.get("marks"):
            marker, _, rest = head["text"].partition(" ")
            match = _ALERT.match(marker)
            if match and match.group(1).upper() in ALERT_TO_PANEL:
                panel_type = ALERT_TO_PANEL[match.group(1).upper()]
                tail = ([text(rest)] if rest.strip() else []) + content[1:]
                while tail and tail[0].get("type") == "text" and not tail[0]["text"].strip():
                    tail = tail[1:]
                body = ([paragraph(tail)] if tail else []) + inner[1:]
                return {"type": "panel", "attrs": {"panelType": panel_type}, "content": body}
    return {"type": "blockquote", "content": inner}


def _code_block(tok: Token) -> Node:
    body = tok.content[:-1] if tok.content.endswith("\n") else tok.content
    node: Node = {"type": "codeBlock"}
    language = tok.info.strip().split(maxsplit=1)[0] if tok.type == "fence" and tok.info.strip() else ""
    if language:
        node["attrs"] = {"language": html.unescape(language)}
    if body:
        node["content"] = [text(body)]
    return node


def _block_card(node: Node) -> Node:
    if node["card"] == "embedCard":
        return {"type": "embedCard", "attrs": {"url": node["url"], "layout": "center"}}
    return {"type": "blockCard", "attrs": {"url": node["url"]}}


_BLOCK_TYPES = frozenset({
    "blockCard", "embedCard", "extension", "bodiedExtension", "table", "panel", "expand", "codeBlock",
    "bulletList", "orderedList", "taskList", "decisionList", "blockquote", "heading", "paragraph", "rule",
    "layoutSection", "syncBlock", "bodiedSyncBlock", "mediaGroup",
})  # fmt: skip
# What an inline run yields that cannot stay inside a paragraph.
_SPLITS_PARAGRAPH = _BLOCK_TYPES | {"mediaSingle", "_blockCard"}


def _is_block(node: Node) -> bool:
    return node.get("type") in _BLOCK_TYPES


def _plain_inline(block: Node) -> list[Node]:
    """Inline content of a block flattened line by line (hard breaks between blocks)."""
    out: list[Node] = []

    def walk(node: Node) -> None:
        kind = node.get("type")
        if kind in ("paragraph", "heading", "taskItem", "decisionItem", "codeBlock"):
            if out:
                out.append({"type": "hardBreak"})
            for child in node.get("content", []):
                if kind == "codeBlock":
                    out.append(text(child.get("text", ""), [{"type": "code"}]))
                else:
                    out.append(child)
            return
        for child in node.get("content", []) or []:
            walk(child)

    walk(block)
    return out


def _strip_prefix(children: list[Token], count: int) -> list[Token]:
    """Drop the first `count` characters (the `[ ] ` box) from an inline token list."""
    out: list[Token] = []
    remaining = count
    for tok in children:
        if remaining > 0 and tok.type in ("text", "text_special"):
            if len(tok.content) <= remaining:
                remaining -= len(tok.content)
                continue
            tok = tok.copy(content=tok.content[remaining:])
            remaining = 0
        out.append(tok)
    return out


def _matching_close(tokens: list[Token], i: int) -> int:
    """Index of the token closing the one at `i` (the last token if none does)."""
    closes = getattr(tokens, "closes", None)  # the fast front end's TokenList knows
    if closes is not None:
        found = closes.get(i)
        if found is not None:
            return found
    level = tokens[i].level
    j = i + 1
    close = tokens[i].type.replace("_open", "_close")
    while j < len(tokens):
        if tokens[j].type == close and tokens[j].level == level:
            return j
        j += 1
    return len(tokens) - 1
