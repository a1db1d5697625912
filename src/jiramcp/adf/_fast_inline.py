"""The fast front end's inline half: pulldown-cmark events of one inline run → markdown-it tokens.

An inline run is a paragraph, a heading, a table cell, or the text straight inside a tight list
item (which markdown-it wraps in a hidden paragraph and pulldown does not). markdown-it gives each
run an `inline` token whose children are the run's text, marks, links and images; pulldown gives
a flat event sequence with source ranges. The ranges let us rebuild markdown-it's view: backslash
escapes and entities become `text_special` tokens (text_join is off in our parser), a literal
backslash before any other character is a `text_special` too, and only `~~` makes strikethrough.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from jiramcp.adf._mdit_rules import MAY_HOLD_LINK, decode_entity, flanks, linkify, normalize_link
from jiramcp.adf._token_stream import (
    HARDBREAK,
    MARK_TOKENS,
    SOFTBREAK,
    Bail,
    Tok,
    inline_pair,
    text_token,
)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["INLINE_KEYS", "INLINE_TAGS", "InlineReader"]

INLINE_TAGS = frozenset({"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"})
INLINE_KEYS = frozenset({"Text", "Code", "InlineHtml", "FootnoteReference", "InlineMath", "DisplayMath"})
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# A tab in a continuation line's indentation: markdown-it expands it by column, pulldown keeps it.
_TAB_INDENT = re.compile(r"\n[ >]*\t")
# An indented line inside a code span: markdown-it drops a lazy line's indentation, pulldown not.
_INDENTED_LINE = re.compile(r"\n[ \t]")
_OPEN = {"Emphasis": "em_open", "Strong": "strong_open", "Strikethrough": "s_open"}
_CLOSE = {"Emphasis": "em_close", "Strong": "strong_close", "Strikethrough": "s_close", "Link": "link_close"}


class InlineReader:
    """Reads inline runs from `events` (pulldown's, with str offsets into `src`).

    Args:
        src: The normalised Markdown source.
        events: `(event, {"start": ..., "end": ...})` pairs, offsets into `src`.
        parser: The markdown-it instance whose link normalisation and linkify we reproduce.
    """

    def __init__(self, src: str, events: list[Any], parser: MarkdownIt) -> None:
        self.md = parser
        self.src = src
        self.events = events

    def block_inline(self, i: int, start: int, level: int, out: list[Tok], stack: list[str] | None, tag: str) -> int:
        """open + inline + close tokens for the inline run at `i`; returns the index after it.

        `stack` is given for inline content straight inside a tight list item, which markdown-it
        wraps in a paragraph and pulldown does not.
        """
        implicit = stack is not None
        if implicit and (not stack or stack[-1] != "list_item"):
            raise Bail
        pair = inline_pair(tag, level)
        out.append(pair[0])
        events = self.events
        src = self.src
        ev, rng = events[i]
        # Fast path, most runs: one verbatim text, nothing escaped, then the container ends.
        if ev.__class__ is dict and "Text" in ev:
            text = ev["Text"]
            first = rng["start"]
            end = rng["end"]
            after = events[i + 1][0]
            if (
                end - first == len(text)
                and after.__class__ is dict
                and ("End" in after or (implicit and _starts_block(after)))
                and "\\" not in text
                and "~~" not in text
                and (first == 0 or src[first - 1] != "\\")
                and not text[0].isspace()
                and not text[-1].isspace()
            ):
                tok = Tok("text", "", 0, text)
                tok.src = first
                children = [tok]
                i += 1 if implicit else 2
            else:
                children, first, end, i = self.scan(i, len(events), implicit, tag == "th" or tag == "td")
        else:
            children, first, end, i = self.scan(i, len(events), implicit, tag == "th" or tag == "td")
        if start < 0 or start > first:
            start = first
            if start > 0 and src[start - 1] == "\\" and children and children[0].type == "text_special":
                start -= 1  # the content starts with the escape's backslash
        if end > start:
            content = src[start:end]
            if content[0].isspace() or content[-1].isspace():
                content = content.strip()
            if src.find("\t", start, end) >= 0 and _TAB_INDENT.search(src, start, end):
                raise Bail
            # A `~~` pulldown left unpaired (in one text or split over several) may pair in
            # markdown-it: every `~~` must be one end of a strikethrough pulldown read.
            if src.find("~~", start, end) >= 0 and src.count("~~", start, end) != 2 * _strikes(children):
                raise Bail
            if (src.find("//", start, end) >= 0 or src.find(":", start, end) >= 0) and MAY_HOLD_LINK.search(content):
                children = linkify(self.md, src, children, end)
        else:
            content = ""
        out.append(Tok("inline", "", level + 1, content, None, children))
        out.append(pair[1])
        return i

    def scan(self, k: int, bound: int, implicit: bool, in_cell: bool) -> tuple[list[Tok], int, int, int]:
        """Inline tokens from events[k:bound], up to the end of the inline run.

        Returns the tokens, the source offsets of the run's first and last characters, and the
        index of the first event after the run (past the closing End for explicit containers).
        """
        src = self.src
        md = self.md
        events = self.events
        children: list[Tok] = []
        append = children.append
        buf: list[str] = []
        buf_src = -1  # source offset where the pending text starts, or -2 once it is not verbatim
        buf_next = -1
        last = -1  # end of the previous event in the source
        first = -1
        trailing_slash = False
        while k < bound:
            ev, rng = events[k]
            s = rng["start"]
            if ev.__class__ is str:
                if ev == "Rule":
                    if implicit:
                        break
                    raise Bail
                if trailing_slash:
                    raise Bail
                if ev == "SoftBreak":
                    # markdown-it drops one trailing space before a soft break; pulldown drops all
                    # trailing whitespace, tabs included.
                    if last >= 0 and s != last and src[last:s] != " ":
                        raise Bail
                    name = "softbreak"
                else:
                    # markdown-it breaks a line after a backslash or two spaces; pulldown counts
                    # tabs among the spaces too.
                    if src.find("\t", s, rng["end"]) >= 0:
                        raise Bail
                    name = "hardbreak"
                if buf:
                    append(text_token(buf, buf_src))
                    buf = []
                buf_src = -1
                append(SOFTBREAK if name == "softbreak" else HARDBREAK)
                if first < 0:
                    first = s
                last = rng["end"]
                k += 1
                continue
            (key,) = ev  # every event dict has a single key
            val = ev[key]
            if key == "Text":
                if trailing_slash:
                    raise Bail
                if first < 0:
                    first = s
                e = rng["end"]
                text = val
                if src[s:e] != text:
                    if buf:
                        append(text_token(buf, buf_src))
                        buf = []
                    buf_src = -1
                    append(Tok("text_special", content=decode_entity(src[s:e])))
                    last = e
                    k += 1
                    continue
                if s > 0 and src[s - 1] == "\\" and s - 1 >= last:
                    # An escape: pulldown skips the backslash and starts a text at the character.
                    if text[0] not in _ESCAPABLE:
                        raise Bail
                    if in_cell and text[0] == "|":
                        # markdown-it unescapes `\|` while splitting the row: plain text.
                        buf.append("|")
                        buf_src = -2
                    else:
                        if buf:
                            append(text_token(buf, buf_src))
                            buf = []
                        buf_src = -1
                        append(Tok("text_special", content=text[0]))
                    text = text[1:]
                    s += 1
                while text:
                    slash = text.find("\\")
                    piece = text if slash < 0 else text[:slash]
                    if piece:
                        if buf_src == -1 and not buf:
                            buf_src = s
                        elif buf_src >= 0 and buf_next != s:
                            buf_src = -2
                        buf.append(piece)
                        buf_next = s + len(piece)
                    if slash < 0:
                        break
                    # A literal backslash: markdown-it makes it and the next character one token.
                    if slash + 1 < len(text):
                        if buf:
                            append(text_token(buf, buf_src))
                            buf = []
                        buf_src = -1
                        append(Tok("text_special", content=text[slash : slash + 2]))
                        text = text[slash + 2 :]
                        s += slash + 2
                    else:
                        # Literal only as the last character of the run: checked at the next event.
                        buf.append("\\")
                        buf_src = -2
                        trailing_slash = True
                        text = ""
                last = e
                k += 1
                continue
            if key == "Start":
                if val.__class__ is str:
                    tag = val
                else:
                    (tag,) = val
                if tag not in INLINE_TAGS:
                    if implicit:
                        break
                    raise Bail
            elif key == "End":
                tag = val if val.__class__ is str else next(iter(val))
                if tag not in _CLOSE:
                    if implicit:
                        break
                    k += 1  # the container's own End
                    break
            elif key != "Code" and key != "InlineHtml":
                if implicit and key not in INLINE_KEYS:
                    break
                raise Bail
            if trailing_slash:
                raise Bail
            if first < 0:
                first = s
            if buf:
                append(text_token(buf, buf_src))
                buf = []
            buf_src = -1
            if key == "Code":
                last = rng["end"]
                if src.find("\n", s, last) >= 0 and _INDENTED_LINE.search(src, s, last):
                    raise Bail  # pulldown keeps a lazy line's indentation in a code span
                append(Tok("code_inline", "code", content=val))
            elif key == "InlineHtml":
                append(Tok("html_inline", content=val))
                last = rng["end"]
            elif key == "End":
                append(MARK_TOKENS[_CLOSE[tag]])
                last = rng["end"]
            elif tag == "Emphasis" or tag == "Strong":
                append(MARK_TOKENS[_OPEN[tag]])
                last = s
            elif tag == "Strikethrough":
                e = rng["end"]
                span = src[s:e]
                if (
                    not span.startswith("~~")
                    or span.startswith("~~~")
                    or not span.endswith("~~")
                    or span.endswith("~~~")
                    or (s > 0 and src[s - 1] == "~")
                    or src[e : e + 1] == "~"
                    or not flanks(src, s, s + 2)[0]
                    or not flanks(src, e - 2, e)[1]
                ):
                    raise Bail
                append(MARK_TOKENS["s_open"])
                last = s
            elif tag == "Link":
                link = val[tag]
                kind = link["link_type"]
                if kind == "Inline":
                    href = normalize_link(md, link["dest_url"])
                    if not md.validateLink(href):
                        raise Bail
                    attrs: dict[str, Any] = {"href": href}
                    if link["title"]:
                        attrs["title"] = link["title"]
                    append(Tok("link_open", "a", attrs=attrs))
                    last = s
                elif kind == "Autolink" or kind == "Email":
                    url = link["dest_url"]
                    href = normalize_link(md, url if kind == "Autolink" else "mailto:" + url)
                    if not md.validateLink(href):
                        raise Bail
                    append(Tok("link_open", "a", attrs={"href": href}))
                    append(Tok("text", content=md.normalizeLinkText(url)))
                    append(Tok("link_close", "a"))
                    k = _skip_to_end(events, k, "Link")
                    last = rng["end"]
                else:
                    raise Bail  # reference links: rare in what models write
            elif tag == "Image":
                j = _skip_to_end(events, k, "Image")
                if any(_starts_link(ev) for ev, _ in events[k + 1 : j]):
                    raise Bail  # markdown-it flattens a link or image in alt text its own way
                image = val[tag]
                src_url = normalize_link(md, image["dest_url"])
                if image["link_type"] != "Inline" or not md.validateLink(src_url):
                    raise Bail
                attrs = {"src": src_url, "alt": ""}
                if image["title"]:
                    attrs["title"] = image["title"]
                alt: list[Tok] = []
                if j > k + 1:
                    alt, alt_first, alt_end, _ = self.scan(k + 1, j, False, in_cell)
                    if MAY_HOLD_LINK.search(src, alt_first, alt_end):
                        raise Bail  # markdown-it would linkify inside the alt text
                append(Tok("image", "img", attrs=attrs, children=alt))
                k = j
                last = rng["end"]
            else:
                raise Bail
            k += 1
        if buf:
            append(text_token(buf, buf_src))
        if children:
            # markdown-it strips the content with str.strip(): Unicode spaces at the ends go too.
            head, tail = children[0], children[-1]
            if (head.type == "text" and head.content[:1].isspace()) or (
                tail.type == "text" and tail.content[-1:].isspace()
            ):
                raise Bail
        return children, first, last, k


def _strikes(children: list[Tok]) -> int:
    """Strikethroughs opened among `children`, image alt texts included."""
    opened = MARK_TOKENS["s_open"]
    count = 0
    for tok in children:
        if tok is opened:
            count += 1
        elif tok.type == "image" and tok.children:
            count += _strikes(tok.children)
    return count


def _starts_link(ev: Any) -> bool:
    start = ev.get("Start") if ev.__class__ is dict else None
    return start.__class__ is dict and ("Link" in start or "Image" in start)


def _starts_block(ev: dict[str, Any]) -> bool:
    start = ev.get("Start")
    return start.__class__ is dict and "Link" not in start and "Image" not in start


def _skip_to_end(evs: list[Any], k: int, tag: str) -> int:
    """Index of the End matching the Start at `k` (links and images may nest in image alts)."""
    depth = 0
    for j in range(k, len(evs)):
        ev = evs[j][0]
        if ev.__class__ is not dict:
            continue
        ((key, val),) = ev.items()
        if key in ("Start", "End"):
            name = val if val.__class__ is str else next(iter(val))
            if name == tag:
                depth += 1 if key == "Start" else -1
                if depth == 0:
                    return j
    raise Bail
