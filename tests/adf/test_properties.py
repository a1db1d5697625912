"""Properties over generated Markdown: always valid ADF, no visible text lost, stable round trip."""

from __future__ import annotations

import html
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from jiramcp.adf import adf_to_markdown, adf_to_text, markdown_to_adf

# Words mix prose with the characters Markdown and our escaper care about.
_WORD = st.one_of(
    st.from_regex(r"[A-Za-z][a-z0-9]{0,7}", fullmatch=True),
    st.sampled_from(["a_b", "x*y", "<tag>", "[br]", "50%", "C#", "#1", "a|b", "~x~", "&amp;", "10:30", "+1"]),
    st.sampled_from([":smile:", "http://e.com/p", "don't", "→ünï", "`", "\\", "!"]),
)
_PHRASE = st.lists(_WORD, min_size=1, max_size=6).map(" ".join)


@st.composite
def _inline(draw: st.DrawFn) -> str:
    phrase = draw(_PHRASE)
    kind = draw(st.sampled_from(["plain", "strong", "em", "strike", "code", "link", "mention", "status", "mix"]))
    safe = re.sub(r"[^A-Za-z0-9 ]", "", phrase).strip() or "word"
    return {
        "plain": phrase,
        "strong": f"**{safe}**",
        "em": f"*{safe}*",
        "strike": f"~~{safe}~~",
        "code": f"`{safe}`",
        "link": f"[{safe}](https://example.com/{safe.replace(' ', '-')})",
        "mention": f"[@{safe}](accountid:5b10{len(safe)})",
        "status": f"[{safe.upper()}](status:green)",
        "mix": f"{phrase} **{safe}** and *{safe}*",
    }[kind]


@st.composite
def _block(draw: st.DrawFn, depth: int = 0) -> str:
    choices = ["para", "heading", "bullets", "ordered", "tasks", "code", "quote", "table", "rule", "panel"]
    if depth < 1:
        choices += ["nested", "details", "quote_heading"]
    kind = draw(st.sampled_from(choices))
    line = draw(_inline())
    lines = draw(st.lists(_inline(), min_size=1, max_size=3))
    if kind == "para":
        return "\n".join(lines)
    if kind == "heading":
        return "#" * draw(st.integers(1, 6)) + " " + line
    if kind == "bullets":
        return "\n".join(f"- {x}" for x in lines)
    if kind == "ordered":
        start = draw(st.integers(1, 5))
        return "\n".join(f"{start + k}. {x}" for k, x in enumerate(lines))
    if kind == "tasks":
        return "\n".join(f"- [{draw(st.sampled_from([' ', 'x']))}] {x}" for x in lines)
    if kind == "code":
        lang = draw(st.sampled_from(["", "python", "java"]))
        return f"```{lang}\n" + "\n".join(lines) + "\n```"
    if kind == "quote":
        return "\n".join(f"> {x}" for x in lines)
    if kind == "quote_heading":
        return f"> # {line}\n>\n> - {lines[0]}"
    if kind == "panel":
        alert = draw(st.sampled_from(["NOTE", "TIP", "WARNING", "CAUTION", "IMPORTANT"]))
        return f"> [!{alert}]\n> " + "\n> ".join(lines)
    if kind == "table":
        cols = draw(st.integers(1, 3))
        cells = [re.sub(r"[|\\`]", "", x) or "c" for x in lines]
        head = "| " + " | ".join(f"H{c}" for c in range(cols)) + " |"
        rows = ["| " + " | ".join(cells[(r + c) % len(cells)] for c in range(cols)) + " |" for r in range(2)]
        return "\n".join([head, "|" + "---|" * cols, *rows])
    if kind == "rule":
        return "---"
    if kind == "nested":
        inner = draw(_block(depth + 1))
        return f"- {line}\n\n" + "\n".join("  " + x if x else "" for x in inner.split("\n"))
    inner = draw(_block(depth + 1))
    return f"<details>\n<summary>{re.sub(r'[<>&]', '', line)}</summary>\n\n{inner}\n\n</details>"


_DOC = st.lists(_block(), min_size=1, max_size=5).map("\n\n".join)

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _visible_words(md: str) -> list[str]:
    """Alphanumeric words a reader sees (markup and URLs removed)."""
    md = html.unescape(re.sub(r"\]\([^)]*\)", "]", md))  # link targets are not visible text
    md = re.sub(r"https?://\S+", " ", md)
    md = re.sub(r"<summary>|</summary>|<details>|</details>|\[!(NOTE|TIP|WARNING|CAUTION|IMPORTANT)\]", " ", md)
    md = re.sub(r":smile:|```\w*", " ", md)
    md = re.sub(r"(?m)^(?:\s*(?:\d+[.)]|[-*+>]|#+)(?=\s))+", " ", md)  # list, quote, heading markers
    return re.findall(r"[A-Za-z0-9]+", md)


@_SETTINGS
@given(md=_DOC)
def test_every_generated_document_validates_against_the_official_schema(
    md: str, official_validator: Draft4Validator
) -> None:
    doc = markdown_to_adf(md)
    if not official_validator.is_valid(doc):
        errors = [e.message[:200] for e in official_validator.iter_errors(doc)]
        raise AssertionError((errors, md))


@_SETTINGS
@given(md=_DOC)
def test_every_visible_word_of_the_input_is_in_the_document(md: str) -> None:
    words = _visible_words(adf_to_text(markdown_to_adf(md)))
    haystack = " ".join(words)
    for word in _visible_words(md):
        assert word in haystack, (word, md)


@_SETTINGS
@given(md=_DOC)
def test_round_trip_is_idempotent_after_one_trip(md: str) -> None:
    first = markdown_to_adf(md)
    again = markdown_to_adf(adf_to_markdown(first))
    assert _strip_ids(again) == _strip_ids(first), adf_to_markdown(first)


def _strip_ids(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_ids(v) for k, v in node.items() if k != "localId"}
    if isinstance(node, list):
        return [_strip_ids(v) for v in node]
    return node
