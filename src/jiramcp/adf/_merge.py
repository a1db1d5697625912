"""Rewrite a document from Markdown without silently losing what Markdown cannot carry.

`adf_to_markdown(old)` writes each node that has no Markdown form (media files, extensions,
smart cards without a URL, sync blocks...) as an `adf:N` placeholder. When the edited Markdown
comes back, each placeholder still present is replaced by the original node, untouched; every
one that is gone, and every ADF-only feature whose count dropped (layouts, decision lists,
colours, annotations...), is reported in `lost` so the caller can warn or refuse.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from jiramcp.adf._from_markdown import markdown_to_adf
from jiramcp.adf._nodes import Node
from jiramcp.adf._to_markdown import OPAQUE_BLOCKS, opaque_label

__all__ = ["MergeResult", "merge_markdown_into_adf", "opaque_nodes"]

# Node kinds and marks markdown_to_adf can produce; a drop in any other is a loss to report.
_MARKDOWN_NODES = frozenset(
    {
        "doc", "paragraph", "text", "heading", "bulletList", "orderedList", "listItem", "taskList", "taskItem",
        "blockquote", "panel", "expand", "nestedExpand", "codeBlock", "rule", "hardBreak", "table", "tableRow",
        "tableHeader", "tableCell", "mention", "emoji", "status", "date", "inlineCard", "blockCard", "embedCard",
        "mediaSingle", "media",
    }
)  # fmt: skip
_MARKDOWN_MARKS = frozenset(
    {"strong", "em", "strike", "code", "link", "underline", "subsup", "textColor", "backgroundColor"}
)


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged document and an account of the ADF-only content.

    Attributes:
        doc: The new document (valid ADF).
        preserved: Labels of original nodes restored from `adf:N` placeholders.
        lost: What the old document had that the new one does not (one line each); empty when
            nothing Markdown cannot express was dropped.
    """

    doc: Node
    preserved: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


def opaque_nodes(doc: Node) -> list[Node]:
    """The nodes `adf_to_markdown` writes as `adf:N`, in the same order (index = N)."""
    found: list[Node] = []

    def walk(node: Any) -> None:
        if not isinstance(node, dict):
            return
        kind = node.get("type")
        attrs = node.get("attrs") or {}
        if kind == "mediaSingle":
            media = next((c for c in node.get("content") or [] if c.get("type") == "media"), {})
            if (media.get("attrs") or {}).get("type") != "external" or not media["attrs"].get("url"):
                found.append(node)
            return
        if kind in OPAQUE_BLOCKS or kind == "mediaInline" or kind == "inlineExtension":
            found.append(node)
            return
        if kind in ("inlineCard", "blockCard") and not attrs.get("url"):
            found.append(node)
            return
        for child in node.get("content") or []:
            walk(child)

    walk(doc)
    return found


def merge_markdown_into_adf(old_doc: Node, new_md: str) -> MergeResult:
    """Build the document for `new_md`, restoring `adf:N` placeholders from `old_doc`.

    Args:
        old_doc: The document as it is in Jira now.
        new_md: The edited Markdown (normally derived from `adf_to_markdown(old_doc)`).

    Returns:
        A `MergeResult`; `lost` lists every ADF-only node or feature not carried over.
    """
    originals = opaque_nodes(old_doc)
    used: set[int] = set()

    def resolve(index: int) -> Node | None:
        if 0 <= index < len(originals):
            used.add(index)
            return copy.deepcopy(originals[index])
        return None

    new_doc = markdown_to_adf(new_md, resolver=resolve)
    kept = opaque_nodes(new_doc)
    kept_ids = {id(n) for n in kept}
    preserved = [f"{originals[i].get('type')}: {opaque_label(originals[i])}" for i in sorted(used)]
    lost: list[str] = []
    for index, node in enumerate(originals):
        if index not in used:
            lost.append(f"{node.get('type')}: {opaque_label(node)} (adf:{index} not in the new text)")
    if len(kept_ids) < len(used):
        lost.append(f"{len(used) - len(kept_ids)} restored node(s) could not stand where they were placed")
    old_nodes, old_marks = _census(old_doc)
    new_nodes, new_marks = _census(new_doc)
    for kind, count in sorted(old_nodes.items()):
        if kind in _MARKDOWN_NODES:
            continue
        dropped = count - new_nodes.get(kind, 0)
        if dropped > 0 and not _counted_as_opaque(kind):
            lost.append(f"{kind} ×{dropped} (no Markdown form; its text was kept)")
    for kind, count in sorted(old_marks.items()):
        if kind in _MARKDOWN_MARKS:
            continue
        dropped = count - new_marks.get(kind, 0)
        if dropped > 0:
            lost.append(f"{kind} mark ×{dropped}")
    return MergeResult(doc=new_doc, preserved=preserved, lost=lost)


def _counted_as_opaque(kind: str) -> bool:
    # These are reported one by one through their placeholders.
    return kind in OPAQUE_BLOCKS or kind in ("mediaInline", "inlineExtension", "media", "caption")


def _census(doc: Node) -> tuple[Counter[str], Counter[str]]:
    nodes: Counter[str] = Counter()
    marks: Counter[str] = Counter()

    def walk(node: Any) -> None:
        if not isinstance(node, dict):
            return
        nodes[str(node.get("type"))] += 1
        for mark in node.get("marks") or []:
            marks[str(mark.get("type"))] += 1
        for child in node.get("content") or []:
            walk(child)

    walk(doc)
    return nodes, marks
