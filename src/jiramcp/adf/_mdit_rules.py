"""markdown-it's own rules, where the fast front end must see what markdown-it would.

pulldown-cmark and markdown-it-py both implement CommonMark and GFM tables, but a few of
markdown-it's rules decide differently or run where pulldown has none: its entity decoding, its
test for a table's head, and linkify (scheme links in prose), which markdown-it runs twice: as a
core rule over text tokens, and as an inline rule reading the raw source at each `://`. These
reproduce them on the fast front end's tokens, or raise `Bail` where the two could disagree.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from markdown_it.common.entities import entities
from markdown_it.common.utils import fromCodePoint, isMdAsciiPunct, isPunctChar, isValidEntityCode, isWhiteSpace
from markdown_it.rules_block.table import escapedSplit

from jiramcp.adf._token_stream import Bail, Tok

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["MAY_HOLD_LINK", "decode_entity", "flanks", "is_table_head", "linkify", "normalize_link"]

MAY_HOLD_LINK = re.compile(r"//|mailto:", re.IGNORECASE)
_DIGITAL = re.compile(r"&#((?:x[a-f0-9]{1,6}|[0-9]{1,7}));", re.IGNORECASE)
_NAMED = re.compile(r"&([a-z][a-z0-9]{1,31});", re.IGNORECASE)
_SCHEME = re.compile(r"(?:^|[^a-z0-9.+-])([a-z][a-z0-9.+-]*)$", re.IGNORECASE)
_DELIM_CELL = re.compile(r"^:?-+:?$")
# A URL markdown-it's `normalizeLink` gives back unchanged: an http(s) URL with a lowercase ASCII
# host and nothing mdurl would percent-encode (no `%` either). Its parse and format cost 7% of
# a conversion, for what is most links' answer.
_PLAIN_URL = re.compile(
    r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::[0-9]{1,5})?"
    r"(?:[/?#][A-Za-z0-9._~!$&'()*+,;=:@/?#-]*)?\Z"
)
_HTML_A = re.compile(r"^(?:<a[>\s]|</a\s*>)", re.IGNORECASE)


def normalize_link(md: MarkdownIt, url: str) -> str:
    """`md.normalizeLink(url)`, without its work where the answer is `url` itself."""
    if len(url) <= 200 and _PLAIN_URL.match(url):
        return url
    return md.normalizeLink(url)


def decode_entity(raw: str) -> str:
    """markdown-it's decoding of an entity pulldown decoded; bail where markdown-it would not."""
    match = _DIGITAL.fullmatch(raw)
    if match:
        code = match.group(1)
        value = int(code[1:], 16) if code[0] in "xX" else int(code)
        return fromCodePoint(value) if isValidEntityCode(value) else "\ufffd"
    match = _NAMED.fullmatch(raw)
    if match and match.group(1) in entities:
        return entities[match.group(1)]
    raise Bail


def flanks(src: str, start: int, end: int) -> tuple[bool, bool]:
    """markdown-it's (left, right) flanking of the delimiter run `src[start:end]` (`scanDelims`).

    pulldown's strikethrough pairs runs markdown-it would not. At an inline run's ends the source
    holds whitespace or a container marker (punctuation) where markdown-it sees the content's
    start or end (a space): both give the same answer.
    """
    before = src[start - 1] if start > 0 else " "
    after = src[end] if end < len(src) else " "
    before_punct = isMdAsciiPunct(ord(before)) or isPunctChar(before)
    after_punct = isMdAsciiPunct(ord(after)) or isPunctChar(after)
    before_space = isWhiteSpace(ord(before))
    after_space = isWhiteSpace(ord(after))
    left = not (after_space or (after_punct and not (before_space or before_punct)))
    right = not (before_space or (before_punct and not (after_space or after_punct)))
    return left, right


def is_table_head(head: str, delim: str) -> bool:
    """markdown-it's test for a header row and delimiter row (rules_block/table.py)."""
    delim = delim.rstrip("\n")
    if len(delim) < 2 or delim[0] not in "|-:" or (delim[1] not in "|-:" and delim[1] not in " \t"):
        return False
    if (delim[0] == "-" and delim[1] in " \t") or delim.strip("|-: \t"):
        return False
    columns = delim.split("|")
    aligns = 0
    for k, column in enumerate(columns):
        cell = column.strip(" \t")
        if not cell:
            if k == 0 or k == len(columns) - 1:
                continue
            return False
        if not _DELIM_CELL.match(cell):
            return False
        aligns += 1
    head = head.strip(" \t")
    if "|" not in head:
        return False
    cells = escapedSplit(head)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return 0 < len(cells) == aligns


def linkify(md: MarkdownIt, src: str, children: list[Tok], end: int) -> list[Tok]:
    """markdown-it's linkify over text outside links, checked against its inline rule.

    `end` is where the inline run ends in `src`: the inline rule reads the raw source up to it.
    """
    finder = md.linkify
    out: list[Tok] = []
    depth = 0
    has_html_a = any(t.type == "html_inline" and _HTML_A.match(t.content) for t in children)
    for index, tok in enumerate(children):
        kind = tok.type
        if kind == "link_open":
            depth += 1
        elif kind == "link_close":
            depth -= 1
        if depth or kind != "text" or not MAY_HOLD_LINK.search(tok.content):
            out.append(tok)
            continue
        if has_html_a or tok.src < 0:
            raise Bail
        value = tok.content
        links = list(finder.match(value) or []) if finder.test(value) else []
        if links and links[0].index == 0 and index > 0 and children[index - 1].type == "text_special":
            links = links[1:]
        _check_inline_rule(md, src, tok, links, end)
        if not links:
            out.append(tok)
            continue
        last = 0
        for link in links:
            href = normalize_link(md, link.url)
            if not md.validateLink(href):
                continue
            label = link.text
            if link.schema == "mailto:" and label.lower().startswith("mailto:"):
                label = md.normalizeLinkText("mailto:" + label)[len("mailto:") :]
            else:
                label = md.normalizeLinkText(label)
            if link.index > last:
                out.append(Tok("text", content=value[last : link.index]))
            out.append(Tok("link_open", "a", attrs={"href": href}))
            out.append(Tok("text", content=label))
            out.append(Tok("link_close", "a"))
            last = link.last_index
        if last < len(value):
            out.append(Tok("text", content=value[last:]))
    return out


def _check_inline_rule(md: MarkdownIt, src: str, tok: Tok, links: list[Any], end: int) -> None:
    """Bail unless markdown-it's inline linkify (raw source, at each `://`) finds the same links."""
    value = tok.content
    at = {link.index: link for link in links}
    cut = 0
    pos = value.find("://")
    while pos >= 0:
        if pos >= cut:
            scheme = _SCHEME.search(value, cut, pos)
            if scheme:
                begin = pos - len(scheme.group(1))
                found = md.linkify.match_at_start(src[tok.src + begin : end])
                if found:
                    url = found.url.rstrip("*")
                    if md.validateLink(normalize_link(md, url)):
                        core = at.get(begin)
                        if core is None or core.url != url:
                            raise Bail
                        cut = begin + len(url)
        pos = value.find("://", pos + 1)
