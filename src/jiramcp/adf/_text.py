"""Plain text ↔ ADF, and Markdown rendering capped at a size (cut at a block boundary)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jiramcp.adf._fit import fit_inline
from jiramcp.adf._md_escape import iso_date
from jiramcp.adf._nodes import Node, doc, paragraph, text
from jiramcp.adf._to_markdown import adf_to_markdown

__all__ = ["CappedMarkdown", "adf_to_text", "render_markdown_capped", "text_to_adf"]

_BLOCKS_WITH_BREAK = frozenset(
    {
        "paragraph", "heading", "codeBlock", "taskItem", "decisionItem", "rule", "mediaSingle", "mediaGroup",
        "blockCard", "embedCard", "extension",
    }
)  # fmt: skip


def text_to_adf(value: str) -> Node:
    """Plain text to ADF: blank lines separate paragraphs, single newlines become hard breaks.

    Nothing is interpreted as markup, so every character arrives as typed.
    """
    blocks: list[Node] = []
    for chunk in (value or "").replace("\r\n", "\n").split("\n\n"):
        if not chunk.strip("\n"):
            continue
        content: list[Node] = []
        for k, line in enumerate(chunk.strip("\n").split("\n")):
            if k:
                content.append({"type": "hardBreak"})
            if line:
                content.append(text(line))
        blocks.append(paragraph(fit_inline(content)))
    return doc(blocks)


def adf_to_text(doc_node: Any) -> str:
    """Plain text of a document for snippets: one line per block, inline nodes as people read them."""
    parts: list[str] = []
    _walk(doc_node, parts)
    lines = "".join(parts).split("\n")
    cleaned: list[str] = []
    for line in lines:
        line = line.rstrip()
        if line or (cleaned and cleaned[-1]):
            cleaned.append(line)
    return "\n".join(cleaned).strip("\n")


def _walk(node: Any, parts: list[str]) -> None:
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    attrs = node.get("attrs") or {}
    if kind == "text":
        parts.append(str(node.get("text", "")))
    elif kind == "hardBreak":
        parts.append("\n")
    elif kind == "mention":
        name = str(attrs.get("text") or attrs.get("id") or "")
        parts.append(name if name.startswith("@") else f"@{name}")
    elif kind == "emoji":
        parts.append(str(attrs.get("text") or attrs.get("shortName") or ""))
    elif kind == "status":
        parts.append(f"[{attrs.get('text', '')}]")
    elif kind == "date":
        parts.append(iso_date(str(attrs.get("timestamp", ""))) or str(attrs.get("timestamp", "")))
    elif kind in ("inlineCard", "blockCard", "embedCard") and attrs.get("url"):
        parts.append(str(attrs["url"]))
    elif kind == "placeholder":
        parts.append(str(attrs.get("text", "")))
    elif kind in ("media", "mediaInline"):
        parts.append(f"[{attrs.get('alt') or 'attachment'}]")
    elif kind == "tableRow":
        cells = [" ".join(adf_to_text(cell).split()) for cell in node.get("content") or []]
        parts.append(" | ".join(cells) + "\n")
        return
    if kind in ("expand", "nestedExpand") and attrs.get("title"):
        parts.append(f"{attrs['title']}\n")
    if kind == "taskItem":
        parts.append("[x] " if attrs.get("state") == "DONE" else "[ ] ")
    for child in node.get("content") or []:
        _walk(child, parts)
    if kind in _BLOCKS_WITH_BREAK:
        parts.append("\n")


@dataclass(frozen=True, slots=True)
class CappedMarkdown:
    """Markdown cut to a size. `cut_chars` is how many characters were left out (0 if none)."""

    markdown: str
    cut_chars: int

    def __iter__(self):  # type: ignore[no-untyped-def]
        # Lets callers unpack `markdown, cut = render_markdown_capped(...)`.
        return iter((self.markdown, self.cut_chars))


def render_markdown_capped(doc_node: Node, max_chars: int) -> CappedMarkdown:
    """Render Markdown no longer than `max_chars`, cutting only between top-level blocks.

    When even the first block is too long, it is cut at a line (or, failing that, a character)
    boundary so the caller always gets something. A cut is followed by a note saying how much
    was left out; the note counts toward `max_chars`.
    """
    full = adf_to_markdown(doc_node)
    if len(full) <= max_chars:
        return CappedMarkdown(full, 0)
    blocks = [adf_to_markdown({"type": "doc", "version": 1, "content": [b]}) for b in doc_node.get("content") or []]
    kept: list[str] = []
    size = 0
    budget = max(max_chars - 48, 0)  # room for the note
    for block in blocks:
        extra = len(block) + (1 if kept else 0)
        if size + extra > budget:
            break
        kept.append(block)
        size += extra
    body = "\n".join(kept)
    if not kept:
        head = full[:budget]
        cut_at = head.rfind("\n")
        body = head[: cut_at + 1] if cut_at > 0 else head
    cut = max(len(full) - len(body), 0)
    note = f"\n[… {cut} more characters not shown]\n"
    if len(body) + len(note) > max_chars:
        body = body[: max(max_chars - len(note), 0)]
        cut = len(full) - len(body)
        note = f"\n[… {cut} more characters not shown]\n"
    return CappedMarkdown((body.rstrip("\n") + note)[:max_chars] if max_chars > 0 else "", cut)
