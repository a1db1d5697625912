"""The fast front end's block half: pulldown-cmark events → markdown-it's block token stream.

Lists, items, quotes, code, HTML blocks and tables open and close as markdown-it's tokens do,
with the nesting `level` it gives them; each inline run is handed to `InlineReader`. Where the
two parsers can draw a block's edges differently (a table markdown-it would continue into the
next line, tabs in indentation, a GFM alert), the reader raises `Bail`.
"""

from __future__ import annotations

import re
from typing import Any

from jiramcp.adf._fast_inline import INLINE_KEYS, INLINE_TAGS, InlineReader
from jiramcp.adf._mdit_rules import is_table_head
from jiramcp.adf._token_stream import Bail, Tok, TokenList, block_token

__all__ = ["BlockReader"]

# A line that could be a table's delimiter row (found first: rarer than lines with a pipe).
_DELIM_ROW = re.compile(r"^[ \t>]*[|:-][-|: \t]*$", re.MULTILINE)
# A fence-like line with a tab in it.
_FENCE_WITH_TAB = re.compile(r"^[ >]*(?:`{3,}|~{3,})[^\n]*\t", re.MULTILINE)
# A table row starting like another block: where markdown-it's and pulldown's table ends may differ.
_ROW_RISK = re.compile(r"[ \t]*(?:[>#<*+_=~`-]|\d+[.)])")


class BlockReader(InlineReader):
    """The whole document's token stream (`run`), from the events `InlineReader` holds."""

    def run(self) -> TokenList:
        # Source spans markdown-it's table rule cannot start a table in: the tables pulldown read
        # (checked row for row), and the inside of code and HTML blocks.
        self.tables: list[tuple[int, int]] = []
        self.opaque: list[tuple[int, int]] = []
        events = self.events
        out = TokenList()
        closes = out.closes
        opens: list[int] = []  # index in `out` of each open container in `stack`
        append = out.append
        stack: list[str] = []
        level = 0
        in_head = False
        tbody = False
        i = 0
        n = len(events)
        while i < n:
            ev, rng = events[i]
            if ev.__class__ is str:
                if ev == "Rule":
                    append(block_token("hr", "hr", level))
                    i += 1
                    continue
                i = self.block_inline(i, -1, level, out, stack, "p")
                continue
            (key,) = ev  # every event dict has a single key
            val = ev[key]
            if key == "Start":
                if val.__class__ is str:
                    tag = val
                else:
                    (tag,) = val
                if tag == "Paragraph":
                    i = self.block_inline(i + 1, rng["start"], level, out, None, "p")
                    continue
                if tag == "Heading":
                    h = "h" + val[tag]["level"][1]
                    # The inline content starts at its first character, not at the `#`s.
                    i = self.block_inline(i + 1, -1, level, out, None, h)
                    continue
                if tag == "TableCell":
                    i = self.block_inline(i + 1, rng["start"], level, out, None, "th" if in_head else "td")
                    continue
                if tag in INLINE_TAGS:
                    i = self.block_inline(i, -1, level, out, stack, "p")
                    continue
                if tag == "List":
                    start = val[tag]
                    if start is None:
                        append(block_token("bullet_list_open", "ul", level))
                        stack.append("bullet_list")
                        opens.append(len(out) - 1)
                    else:
                        append(Tok("ordered_list_open", "ol", level, attrs={"start": start} if start != 1 else {}))
                        stack.append("ordered_list")
                        opens.append(len(out) - 1)
                elif tag == "Item":
                    if events[i + 1][0] == {"End": "Item"}:
                        raise Bail  # an empty item before blank lines: markdown-it may end the list there
                    append(block_token("list_item_open", "li", level))
                    stack.append("list_item")
                    opens.append(len(out) - 1)
                elif tag == "BlockQuote":
                    # A GFM alert kind, or an empty quote (markdown-it may run it on into the next line).
                    if val[tag] is not None or events[i + 1][0] == {"End": {"BlockQuote": None}}:
                        raise Bail
                    append(block_token("blockquote_open", "blockquote", level))
                    stack.append("blockquote")
                    opens.append(len(out) - 1)
                elif tag == "CodeBlock":
                    body, j = _block_text(events, i, "Text", "CodeBlock")
                    append(self._code(val[tag], body, rng, level, bool(stack)))
                    self.opaque.append((rng["start"], rng["end"]))
                    i = j + 1
                    continue
                elif tag == "HtmlBlock":
                    body, j = _block_text(events, i, "Html", "HtmlBlock")
                    append(Tok("html_block", "", level, content=body))
                    self.opaque.append((rng["start"], rng["end"]))
                    i = j + 1
                    continue
                elif tag == "Table":
                    self._check_table(i, rng)
                    append(block_token("table_open", "table", level))
                    stack.append("table")
                    opens.append(len(out) - 1)
                    tbody = False
                elif tag == "TableHead":
                    append(block_token("thead_open", "thead", level))
                    append(block_token("tr_open", "tr", level + 1))
                    stack.append("thead")
                    opens.append(len(out) - 2)
                    in_head = True
                    level += 1
                elif tag == "TableRow":
                    if not tbody:
                        append(block_token("tbody_open", "tbody", level))
                        level += 1
                        tbody = True
                    append(block_token("tr_open", "tr", level))
                    stack.append("tr")
                    opens.append(len(out) - 1)
                else:
                    raise Bail
                level += 1
                i += 1
                continue
            if key == "End":
                if not stack:
                    raise Bail
                kind = stack.pop()
                opened = opens.pop()
                level -= 1
                if kind == "thead":
                    append(block_token("tr_close", "tr", level))
                    closes[opened + 1] = len(out) - 1
                    level -= 1
                    append(block_token("thead_close", "thead", level))
                    in_head = False
                elif kind == "tr":
                    append(block_token("tr_close", "tr", level))
                elif kind == "table":
                    if tbody:
                        append(block_token("tbody_close", "tbody", level))
                        level -= 1
                        tbody = False
                    append(block_token("table_close", "table", level))
                else:
                    append(block_token(kind + "_close", "", level))
                closes[opened] = len(out) - 1
                i += 1
                continue
            if key in INLINE_KEYS:
                i = self.block_inline(i, -1, level, out, stack, "p")
                continue
            raise Bail
        if stack:
            raise Bail
        if "|" in self.src:
            self._check_no_other_table()
        return out

    def _check_table(self, i: int, rng: Any) -> None:
        """Bail unless markdown-it's table rule would see the same table, row for row."""
        src = self.src
        start = rng["start"]
        head_start = src.rfind("\n", 0, start) + 1
        lead = src[head_start:start]
        head_end = src.find("\n", start)
        if head_end < 0 or "\t" in lead:
            raise Bail
        delim_end = src.find("\n", head_end + 1)
        delim = src[head_end + 1 : delim_end if delim_end >= 0 else len(src)]
        if not delim.startswith(lead) or not is_table_head(src[start:head_end], delim[len(lead) :]):
            raise Bail
        self.tables.append((head_start, rng["end"]))
        events = self.events
        j = i + 1
        depth = 0
        while True:
            ev, row = events[j]
            if ev.__class__ is dict:
                if ev.get("Start") == "TableRow" and depth == 0:
                    row_start = row["start"]
                    if src[src.rfind("\n", 0, row_start) + 1 : row_start] != lead or _ROW_RISK.match(src, row_start):
                        raise Bail
                elif ev.get("End") == "Table":
                    break
            j += 1
        # markdown-it runs a table on into any following line that starts no other block.
        end = rng["end"]
        if end < len(src) and src[end - 1] == "\n":
            line_end = src.find("\n", end)
            line = src[end : line_end if line_end >= 0 else len(src)]
            if line.strip(" \t>"):
                raise Bail

    def _check_no_other_table(self) -> None:
        """Bail where markdown-it may read a table pulldown did not.

        markdown-it tries its table rule before any other block rule, so a line with a pipe over
        a line shaped like a delimiter row can be a table's head there, where pulldown reads a
        quote, a setext heading or a paragraph.
        """
        src = self.src
        for match in _DELIM_ROW.finditer(src):
            row = match.start()
            if row == 0:
                continue
            at = src.rfind("\n", 0, row - 1) + 1  # the line above: a table's head if it has a pipe
            if (
                src.find("|", at, row) >= 0
                and not any(start <= at < end for start, end in self.tables)
                and not any(start < at < end for start, end in self.opaque)
            ):
                raise Bail

    def _code(self, kind: Any, body: str, rng: Any, level: int, nested: bool) -> Tok:
        if kind == "Indented":
            if "\t" in body:
                raise Bail  # tab expansion in indentation is where the two parsers may differ
            return Tok("code_block", "code", level, content=body)
        src = self.src
        start = rng["start"]
        line_end = src.find("\n", start)
        line = src[start : line_end if line_end >= 0 else len(src)]
        fence = line.lstrip(" ")
        if not fence or fence[0] not in "`~" or ("\t" in body and (nested or len(fence) != len(line))):
            raise Bail
        # A fence-like line with a tab in it: the two parsers disagree on whether it closes.
        end = rng["end"]
        if src.find("\t", start, end) >= 0 and _FENCE_WITH_TAB.search(src, src.rfind("\n", 0, start) + 1, end):
            raise Bail
        return Tok("fence", "code", level, content=body, info=fence.lstrip(fence[0]))


def _block_text(events: list[Any], i: int, key: str, tag: str) -> tuple[str, int]:
    """The text of the code or HTML block opened at `i`, and the index of its End event."""
    j = i + 1
    parts = []
    while (event := events[j][0]).__class__ is dict and key in event:
        parts.append(event[key])
        j += 1
    if events[j][0] != {"End": tag}:
        raise Bail
    return "".join(parts), j
