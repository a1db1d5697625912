"""The token stream `_from_markdown` walks, as the fast front end builds it.

markdown-it-py's `Token` is a dataclass with a dozen fields; the converter reads six of them.
`Tok` carries just those, and the tokens the converter only reads (never mutates) are shared
between documents: building them was a third of the front end's cost.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "HARDBREAK",
    "MARK_TOKENS",
    "SOFTBREAK",
    "Bail",
    "Tok",
    "TokenList",
    "block_token",
    "inline_pair",
    "text_token",
]


class Bail(Exception):
    """The events hold something the fast front end does not map exactly: use markdown-it-py."""


class TokenList(list):  # type: ignore[type-arg]
    """The token list, plus where each container token's close is (the converter's lookup)."""

    __slots__ = ("closes",)

    def __init__(self) -> None:
        super().__init__()
        self.closes: dict[int, int] = {}


class Tok:
    """The fields of a markdown-it `Token` the converter reads, without dataclass overhead."""

    __slots__ = ("attrs", "children", "content", "info", "level", "src", "tag", "type")

    def __init__(
        self,
        type: str,
        tag: str = "",
        level: int = 0,
        content: str = "",
        attrs: dict[str, Any] | None = None,
        children: list[Tok] | None = None,
        info: str = "",
    ) -> None:
        self.type = type
        self.tag = tag
        self.level = level
        self.content = content
        self.attrs = attrs if attrs is not None else {}
        self.children = children
        self.info = info
        # Source offset of a text token whose content is the source verbatim, else -1 (linkify).
        self.src = -1

    def copy(self, **changes: Any) -> Tok:
        """A shallow copy with some fields replaced (as `Token.copy`)."""
        new = Tok(self.type, self.tag, self.level, self.content, self.attrs, self.children, self.info)
        for key, value in changes.items():
            setattr(new, key, value)
        return new

    def __repr__(self) -> str:
        return f"Tok({self.type!r}, content={self.content!r})"


_SHARED: dict[tuple[str, str, int], Tok] = {}


def block_token(kind: str, tag: str, level: int) -> Tok:
    """The shared token of a block open or close (`bullet_list_open`, `tr_close`, ...)."""
    tok = _SHARED.get((kind, tag, level))
    if tok is None:
        tok = _SHARED[kind, tag, level] = Tok(kind, tag, level)
    return tok


SOFTBREAK = Tok("softbreak", "br")
HARDBREAK = Tok("hardbreak", "br")
MARK_TOKENS = {name: Tok(name) for name in ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close")}
MARK_TOKENS["link_close"] = Tok("link_close", "a")
_PARA_KIND = {"p": "paragraph", "th": "th", "td": "td"}
_PAIRS: dict[tuple[str, int], tuple[Tok, Tok]] = {}


def inline_pair(tag: str, level: int) -> tuple[Tok, Tok]:
    """The shared open and close tokens of an inline container (`p`, `h1`.., `th`, `td`)."""
    pair = _PAIRS.get((tag, level))
    if pair is None:
        kind = _PARA_KIND.get(tag, "heading")
        pair = _PAIRS[tag, level] = (Tok(kind + "_open", tag, level), Tok(kind + "_close", tag, level))
    return pair


def text_token(buf: list[str], buf_src: int) -> Tok:
    """A text token from buffered pieces; `buf_src` is its source offset when it is verbatim."""
    tok = Tok("text", content=buf[0] if len(buf) == 1 else "".join(buf))
    if buf_src >= 0:
        tok.src = buf_src
    return tok
