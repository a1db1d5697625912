"""A fast front end: pulldown-cmark (via pyromark) events → the markdown-it token stream.

`_from_markdown` walks markdown-it-py's flat token stream. markdown-it-py alone parses slower
than our target for the whole conversion, so this module rebuilds the same tokens (only the
fields the converter reads) from pulldown-cmark's events, which pyromark yields ~40× faster.
Both parsers implement CommonMark + GFM tables; where they differ in what they report, the
events' source ranges let us rebuild markdown-it's view exactly:

- backslash escapes and entities become `text_special` tokens (text_join is off in our parser);
  a literal backslash before any other character is a `text_special` too, as markdown-it has it;
- only `~~` makes strikethrough (markdown-it ignores single `~`, pulldown-cmark does not);
- fence info strings are read raw from the source, as markdown-it keeps them;
- linkify (scheme links in prose) runs as markdown-it's core rule does, and is checked against
  markdown-it's inline rule, which reads the raw source.

Whatever cannot be mapped faithfully raises `Bail` and the caller falls back to markdown-it-py
for that document: speed never changes an answer.

This module runs pyromark and maps its byte offsets to str offsets; `_fast_blocks` and
`_fast_inline` turn the events into tokens (`_token_stream`), and `_mdit_rules` reproduces the
markdown-it rules pulldown has no twin for.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from typing import TYPE_CHECKING, Any

from jiramcp.adf._fast_blocks import BlockReader
from jiramcp.adf._token_stream import Bail, TokenList

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["TokenList", "fast_tokens", "pyromark_available", "read_tokens"]

logger = logging.getLogger(__name__)

# The pyromark series the tests compare with markdown-it-py: another pulldown-cmark may report
# some construct differently without anything here noticing, so it is not used.
TESTED_SERIES = "0.10."
_EVENTS: Any = None
try:
    import pyromark
except ImportError:  # exercised in the tests with a fresh import of this module
    pyromark = None
if pyromark is not None and pyromark.__version__.startswith(TESTED_SERIES):
    _OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
    # Task list and GFM alert options stay off: the converter reads `[ ]` and `[!NOTE]` as text.
    _EVENTS = pyromark.Markdown(options=_OPTIONS).events_with_range

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# A line that may start a link reference definition (`[label]: /url`, the label possibly running
# over lines), inside a container too; looked for only where the source holds a `]:`.
_REFERENCE_DEFINITION = re.compile(r"^[ \t>*+\-\d.)]*\[", re.MULTILINE)


def pyromark_available() -> bool:
    """True when a tested pyromark imported, so the fast front end can run."""
    return _EVENTS is not None


def fast_tokens(md: str, parser: MarkdownIt) -> TokenList | None:
    """markdown-it's block token stream for `md` (our parser's settings), or None to fall back.

    Args:
        md: Markdown source.
        parser: The markdown-it instance whose link normalisation and linkify we reproduce.

    Returns:
        The tokens, or None when pyromark is missing or the document holds something this front
        end does not map exactly (the caller then parses it with markdown-it-py).
    """
    if _EVENTS is None:
        return None
    try:
        return read_tokens(md, parser)
    except Bail:
        return None
    except Exception:  # a bug here must cost speed, never a conversion
        logger.debug("fast Markdown front end failed; falling back to markdown-it-py", exc_info=True)
        return None


def read_tokens(md: str, parser: MarkdownIt) -> TokenList:
    """`fast_tokens` without the safety net: raises `Bail`, and any bug (the tests call this)."""
    # markdown-it's own normalisation, so both front ends see the same text.
    src = md.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    if "]:" in src and _REFERENCE_DEFINITION.search(src):
        # markdown-it reads a definition as a block of its own, pulldown as the start of a
        # paragraph, so the line after it may start a list in one and not in the other.
        raise Bail
    events = list(_EVENTS(src)) if src.isascii() else _char_ranges(src)
    return BlockReader(src, events, parser).run()


def _char_ranges(src: str) -> list[Any]:
    """Events with their UTF-8 byte ranges turned into str offsets."""
    # Byte offset of each non-ASCII character and the extra bytes before it: a byte offset maps
    # to a str offset by subtracting the extra bytes of the characters before it.
    starts: list[int] = []
    extra: list[int] = [0]
    total = 0
    for match in _NON_ASCII.finditer(src):
        starts.append(match.start() + total)
        total += len(match.group().encode()) - 1
        extra.append(total)

    def char(offset: int) -> int:
        return offset - extra[bisect_left(starts, offset)]

    return [(ev, {"start": char(r["start"]), "end": char(r["end"])}) for ev, r in _EVENTS(src)]
