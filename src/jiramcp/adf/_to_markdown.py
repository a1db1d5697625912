"""ADF → Markdown for every node and mark of the schema.

Nodes with a Markdown spelling get it (see `_nodes`); nodes with none (media files, extensions,
sync blocks...) become an `adf:N` placeholder numbered in document order, which
`merge_markdown_into_adf` turns back into the original node. Anything unknown still yields its
text. Adjacent lists of one kind alternate their markers (`-`/`*`, `.`/`)`) so they stay apart.
"""

from __future__ import annotations

import html
from typing import Any

from jiramcp.adf._md_escape import escape_line_start, escape_text, link_target, render_inline
from jiramcp.adf._nodes import PANEL_TO_ALERT, Node

__all__ = ["OPAQUE_BLOCKS", "adf_to_markdown", "opaque_label"]

OPAQUE_BLOCKS = frozenset({"mediaGroup", "extension", "bodiedExtension", "syncBlock", "bodiedSyncBlock", "embedCard"})
_LISTS = frozenset({"bulletList", "orderedList", "taskList", "decisionList"})
_OPAQUE_INLINE = frozenset({"mediaInline", "inlineExtension", "inlineCard"})


def adf_to_markdown(doc: Node) -> str:
    """Render an ADF document as Markdown (the spellings `markdown_to_adf` reads back)."""
    return _Renderer().render(doc)


def opaque_label(node: Node) -> str:
    """A short human label for a node with no Markdown form."""
    attrs = node.get("attrs") or {}
    kind = node.get("type", "node")
    if kind in ("mediaSingle", "mediaGroup"):
        names = [opaque_label(c) for c in node.get("content", []) if c.get("type") == "media"]
        return ", ".join(names) or kind
    if kind in ("media", "mediaInline"):
        return str(attrs.get("alt") or attrs.get("id") or "attachment")
    if kind in ("extension", "bodiedExtension", "inlineExtension"):
        return f"{kind}: {attrs.get('extensionKey', '?')}"
    if attrs.get("url"):
        return str(attrs["url"])
    return kind


class _Renderer:
    def __init__(self) -> None:
        self.opaque_count = 0

    def render(self, doc: Node) -> str:
        lines = self.blocks(doc.get("content", []) if isinstance(doc, dict) else [])
        return "\n".join(lines).strip("\n") + "\n" if lines else ""

    def opaque(self, node: Node, *, image: bool = False) -> str:
        index = self.opaque_count
        self.opaque_count += 1
        label = escape_text(opaque_label(node))
        return f"{'!' if image else ''}[{label}](adf:{index})"

    def inline(self, nodes: list[Node], *, in_table: bool = False, newline: str = "\\\n") -> str:
        return render_inline(nodes, self.opaque, in_table=in_table, newline=newline)

    def blocks(self, nodes: list[Node], *, tight: bool = False) -> list[str]:
        out: list[str] = []
        previous: str | None = None
        toggle = False
        for node in nodes:
            kind = node.get("type")
            if kind in ("bulletList", "orderedList", "taskList", "decisionList"):
                toggle = not toggle if previous == kind or _same_marker(previous, kind) else False
            lines = self.block(node, toggle)
            if not lines:
                continue
            # Inside a list item a nested list may follow its paragraph directly (a tight list).
            # (Except an ordered list not starting at 1: CommonMark would read it as text.)
            interrupts = kind in _LISTS and (kind != "orderedList" or (node.get("attrs") or {}).get("order", 1) == 1)
            if out and not (tight and previous == "paragraph" and interrupts):
                out.append("")
            out.extend(lines)
            previous = kind
        return out

    def block(self, node: Node, alt: bool = False) -> list[str]:
        kind = node.get("type")
        attrs: dict[str, Any] = node.get("attrs") or {}
        content: list[Node] = node.get("content") or []
        if kind == "paragraph":
            return _lines(self.inline(content))
        if kind == "heading":
            level = min(max(int(attrs.get("level", 1)), 1), 6)
            body = self.inline(content, newline="<br>")
            if body.endswith("#"):
                body = body[:-1] + "\\#"  # a trailing # would read as a closing sequence
            return [("#" * level + " " + body).rstrip()]
        if kind in ("bulletList", "decisionList"):
            marker = "*" if alt else "-"
            return self.items(content, lambda _: f"{marker} ")
        if kind == "orderedList":
            start = int(attrs.get("order", 1) or 0) if attrs.get("order") is not None else 1
            delim = ")" if alt else "."
            return self.items(content, lambda k: f"{start + k}{delim} ")
        if kind == "taskList":
            return self.tasks(content, "*" if alt else "-")
        if kind == "blockquote":
            return _quote(self.blocks(content))
        if kind == "panel":
            alert = PANEL_TO_ALERT.get(str(attrs.get("panelType", "info")), "NOTE")
            return _quote([f"[!{alert}]", *self.blocks(content)])
        if kind in ("expand", "nestedExpand"):
            title = html.escape(str(attrs.get("title") or ""), quote=False)
            return ["<details>", f"<summary>{title}</summary>", "", *self.blocks(content), "", "</details>"]
        if kind == "codeBlock":
            return _fence(content, str(attrs.get("language") or ""))
        if kind == "rule":
            return ["---"]
        if kind == "table":
            return self.table(content)
        if kind == "mediaSingle":
            media = next((c for c in content if c.get("type") == "media"), None)
            mattrs = (media or {}).get("attrs") or {}
            if mattrs.get("type") == "external" and mattrs.get("url"):
                alt = escape_text(str(mattrs.get("alt") or ""))
                return [f"![{alt}]({link_target(str(mattrs['url']))})"]
            return [self.opaque(node, image=True)]
        if kind == "blockCard" and attrs.get("url"):
            url = str(attrs["url"])
            return [f"[{escape_text(url)}]({link_target(url, 'blockCard')})"]
        if kind in OPAQUE_BLOCKS or kind == "blockCard":
            return [self.opaque(node, image=kind == "mediaGroup")]
        if kind in ("layoutSection", "layoutColumn", "doc"):
            return self.blocks(content)
        if kind in ("taskItem", "decisionItem", "blockTaskItem"):
            return _lines(self.inline(_flatten_inline(content)))
        if kind in _OPAQUE_INLINE or kind in ("mention", "emoji", "status", "date", "text", "hardBreak"):
            return _lines(self.inline([node]))
        # Unknown node: its text, never silence.
        return _lines(escape_text(_plain_text(node)))

    def items(self, items: list[Node], marker: Any) -> list[str]:
        out: list[str] = []
        for k, item in enumerate(items):
            prefix = marker(k)
            content = item.get("content") or []
            body = self.blocks(content, tight=True) if item.get("type") == "listItem" else self.block(item)
            out.extend(_indent_item(prefix, body))
        return out

    def tasks(self, items: list[Node], bullet: str) -> list[str]:
        out: list[str] = []
        for item in items:
            kind = item.get("type")
            if kind == "taskList":
                out.extend("  " + line if line else "" for line in self.tasks(item.get("content") or [], bullet))
                continue
            box = "[x]" if (item.get("attrs") or {}).get("state") == "DONE" else "[ ]"
            content = item.get("content") or []
            if kind == "blockTaskItem":
                content = _flatten_inline(content)
            body = _lines(self.inline(content))
            out.extend(_indent_item(f"{bullet} {box} ", body, first_raw=True))
        return out

    def table(self, rows: list[Node]) -> list[str]:
        grid: list[list[str]] = []
        for row in rows:
            cells = []
            for cell in row.get("content") or []:
                cells.append(self.cell(cell.get("content") or []))
                span = int((cell.get("attrs") or {}).get("colspan", 1) or 1)
                cells.extend([""] * (span - 1))
            grid.append(cells)
        width = max((len(r) for r in grid), default=0)
        if width == 0:
            return []
        grid = [r + [""] * (width - len(r)) for r in grid]
        out = ["| " + " | ".join(grid[0]) + " |", "|" + "|".join(["---"] * width) + "|"]
        out.extend("| " + " | ".join(r) + " |" for r in grid[1:])
        return out

    def cell(self, blocks: list[Node]) -> str:
        parts: list[str] = []
        for block in blocks:
            kind = block.get("type")
            if kind == "codeBlock":
                code = "".join(c.get("text", "") for c in block.get("content") or [])
                parts.extend(
                    self.inline([{"type": "text", "text": ln, "marks": [{"type": "code"}]}], in_table=True)
                    for ln in code.split("\n")
                    if ln
                )
            elif kind in ("paragraph", "heading"):
                parts.append(self.inline(block.get("content") or [], in_table=True, newline="<br>"))
            elif kind in ("mediaSingle", "mediaGroup", "blockCard", "embedCard", "extension"):
                parts.append(self.block(block)[0].replace("|", "\\|"))
            else:
                for line in _flatten_inline_lines(block):
                    parts.append(self.inline(line, in_table=True, newline="<br>"))
        return "<br>".join(p for p in parts if p)


def _same_marker(previous: str | None, kind: str) -> bool:
    bullets = {"bulletList", "taskList", "decisionList"}
    return previous in bullets and kind in bullets


def _lines(text: str) -> list[str]:
    if not text:
        return []
    lines = text.split("\n")
    return [escape_line_start(line) if k == 0 or lines[k - 1].endswith("\\") else line for k, line in enumerate(lines)]


def _indent_item(prefix: str, body: list[str], *, first_raw: bool = False) -> list[str]:
    pad = " " * len(prefix)
    if not body:
        return [prefix.rstrip()]
    out = []
    first = body[0]
    if first == "":
        out.append(prefix.rstrip())
        out.append("")
    else:
        out.append(prefix + first)
    out.extend(pad + line if line else "" for line in body[1:])
    return out


def _quote(lines: list[str]) -> list[str]:
    return ["> " + line if line else ">" for line in lines] or [">"]


def _fence(content: list[Node], language: str) -> list[str]:
    code = "".join(c.get("text", "") for c in content)
    longest = max((len(run) for run in code.split("\n") if run.startswith("```")), default=0)
    ticks = 3
    for line in code.split("\n"):
        stripped = line.lstrip(" ")
        if stripped.startswith("`"):
            ticks = max(ticks, len(stripped) - len(stripped.lstrip("`")) + 1)
    ticks = max(ticks, longest and 3)
    fence = "`" * ticks
    language = language.replace("`", "").split()[0] if language.strip() else ""
    return [fence + language, *code.split("\n"), fence] if code else [fence + language, fence]


def _flatten_inline(blocks: list[Node]) -> list[Node]:
    out: list[Node] = []
    for block in blocks:
        if block.get("type") in ("paragraph", "heading"):
            if out:
                out.append({"type": "hardBreak"})
            out.extend(block.get("content") or [])
        elif block.get("type") == "text" or block.get("type") not in ("extension",):
            out.append(block)
    return out


def _flatten_inline_lines(block: Node) -> list[list[Node]]:
    lines: list[list[Node]] = []

    def walk(node: Node, bullet: str) -> None:
        kind = node.get("type")
        if kind in ("paragraph", "heading", "taskItem", "decisionItem"):
            prefix = [{"type": "text", "text": bullet}] if bullet else []
            lines.append(prefix + list(node.get("content") or []))
            bullet = ""
            return
        if kind == "codeBlock":
            code = "".join(c.get("text", "") for c in node.get("content") or [])
            lines.extend([{"type": "text", "text": ln, "marks": [{"type": "code"}]}] for ln in code.split("\n") if ln)
            return
        child_bullet = "• " if kind == "listItem" else bullet
        for child in node.get("content") or []:
            walk(child, child_bullet)
            child_bullet = ""

    walk(block, "")
    return lines


def _plain_text(node: Any) -> str:
    if not isinstance(node, dict):
        return ""
    if node.get("type") == "text":
        return str(node.get("text", ""))
    attrs = node.get("attrs") or {}
    own = str(attrs.get("text") or attrs.get("title") or attrs.get("url") or "")
    inner = " ".join(filter(None, (_plain_text(c) for c in node.get("content") or [])))
    return " ".join(filter(None, (own, inner)))
