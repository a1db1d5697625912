"""Make a block tree fit ADF's content rules, degrading what a container forbids.

Markdown nests anything in anything; ADF does not (no heading in a list item, no table in a
table cell, no panel in a panel...). Each forbidden child is replaced by the nearest form the
container accepts, keeping every character of its text: a heading becomes a bold paragraph, a
quote or panel gives up its frame and keeps its blocks, a nested table becomes one paragraph per
row with cells joined by " | ", a task list becomes a bullet list with `[ ]`/`[x]` prefixes.
"""

from __future__ import annotations

from typing import Any

from jiramcp.adf._nodes import Node, mark_key, paragraph, text

_TABLE_CELL = frozenset(
    {
        "paragraph", "panel", "blockquote", "orderedList", "bulletList", "rule", "heading", "codeBlock",
        "mediaSingle", "mediaGroup", "decisionList", "taskList", "blockCard", "embedCard", "extension",
        "nestedExpand",
    }
)  # fmt: skip

ALLOWED: dict[str, frozenset[str]] = {
    "doc": frozenset(
        {
            "blockCard", "blockquote", "bodiedExtension", "bodiedSyncBlock", "bulletList", "codeBlock",
            "decisionList", "embedCard", "expand", "extension", "heading", "layoutSection", "mediaGroup",
            "mediaSingle", "orderedList", "panel", "paragraph", "rule", "syncBlock", "table", "taskList",
        }
    ),
    "blockquote": frozenset(
        {"paragraph", "orderedList", "bulletList", "codeBlock", "mediaSingle", "mediaGroup", "extension"}
    ),
    "listItem": frozenset(
        {"paragraph", "bulletList", "orderedList", "taskList", "mediaSingle", "codeBlock", "extension"}
    ),
    "panel": frozenset(
        {
            "paragraph", "heading", "bulletList", "orderedList", "blockCard", "mediaGroup", "mediaSingle",
            "codeBlock", "taskList", "rule", "decisionList", "extension",
        }
    ),
    "expand": frozenset(
        {
            "paragraph", "panel", "blockquote", "orderedList", "bulletList", "rule", "heading", "codeBlock",
            "mediaGroup", "mediaSingle", "decisionList", "taskList", "table", "blockCard", "embedCard",
            "extension", "nestedExpand",
        }
    ),
    "nestedExpand": frozenset(
        {
            "paragraph", "heading", "mediaSingle", "mediaGroup", "codeBlock", "bulletList", "orderedList",
            "taskList", "decisionList", "rule", "panel", "blockquote", "extension",
        }
    ),
    "tableCell": _TABLE_CELL,
    "tableHeader": _TABLE_CELL,
}  # fmt: skip

_CODE_COMPATIBLE = frozenset({"code", "link", "annotation"})
# ProseMirror (which Jira runs behind the JSON schema) wants a list item to open with one of these.
_LIST_ITEM_FIRST = frozenset({"paragraph", "mediaSingle", "codeBlock"})


def fit_blocks(blocks: list[Node], container: str, *, pad: bool = True) -> list[Node]:
    """Return `blocks` made valid as the content of a `container` node (recursively).

    `pad` adds the empty paragraph a container needs when it would be empty or would open
    with a list; it is off for blocks that replace a degraded child.
    """
    allowed = ALLOWED[container]
    out: list[Node] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "expand" and "expand" not in allowed and "nestedExpand" in allowed:
            block = {**block, "type": "nestedExpand", "attrs": block.get("attrs") or {"title": ""}}
            kind = "nestedExpand"
        if kind in allowed:
            out.append(_fit_node(block))
        else:
            out.extend(fit_blocks(_degrade(block), container, pad=False))
    if not pad:
        return out
    if container == "listItem" and (not out or out[0].get("type") not in _LIST_ITEM_FIRST):
        out.insert(0, paragraph([]))
    if not out and container != "doc":
        out.append(paragraph([]))
    return out


def _fit_node(node: Node) -> Node:
    kind = node.get("type")
    if kind in ALLOWED and kind != "doc":
        node["content"] = fit_blocks(node.get("content", []), kind)
    elif kind in ("paragraph", "heading", "taskItem", "decisionItem"):
        content = _trim(fit_inline(node.get("content", [])))
        if content:
            node["content"] = content
        elif kind in ("paragraph", "heading"):
            node.pop("content", None)
        else:
            node["content"] = []
    elif kind in ("bulletList", "orderedList"):
        node["content"] = [_fit_node(item) for item in node.get("content", [])]
    elif kind == "listItem":
        node["content"] = fit_blocks(node.get("content", []), "listItem")
    elif kind == "taskList":
        node["content"] = [_fit_node(item) for item in node.get("content", [])]
    elif kind == "table":
        for row in node.get("content", []):
            for cell in row.get("content", []):
                cell["content"] = fit_blocks(cell.get("content", []), cell.get("type", "tableCell"))
    return node


def _trim(content: list[Node]) -> list[Node]:
    """Strip whitespace at the ends of a text block: Markdown cannot carry it."""
    for index, step in ((0, str.lstrip), (-1, str.rstrip)):
        while content:
            node = content[index]
            if node.get("type") != "text" or _has_code(node):
                break
            value = step(node["text"])
            if value:
                if value != node["text"]:  # most ends have nothing to strip: keep the node
                    content[index] = {**node, "text": value}
                break
            content.pop(index)
    return content


def _has_code(node: Node) -> bool:
    # A plain loop, not any() over a generator: this runs for every text node's ends.
    for mark in node.get("marks") or ():  # noqa: SIM110
        if mark.get("type") == "code":
            return True
    return False


def _degrade(block: Node) -> list[Node]:
    """Replace a block its container forbids by blocks that carry the same text."""
    kind = block.get("type")
    content: list[Node] = block.get("content", [])
    if kind == "heading":
        bold: list[Node] = []
        for node in content:
            bold.extend(_with_mark(node, {"type": "strong"}))
        return [paragraph(bold)]
    if kind in ("expand", "nestedExpand"):
        title = (block.get("attrs") or {}).get("title")
        head = [paragraph([text(title, [{"type": "strong"}])])] if title else []
        return head + content
    if kind == "table":
        return _table_rows_as_blocks(block)
    if kind == "taskList":
        return [{"type": "bulletList", "content": _tasks_as_items(block)}]
    if kind == "rule":
        return []  # a rule has no text; a container that forbids it loses nothing readable
    if kind in ("blockquote", "panel", "layoutSection", "layoutColumn", "bodiedExtension"):
        return content
    if kind in ("tableRow", "tableCell", "tableHeader"):
        return content
    return [paragraph(_inline_text_of(block))]


def _tasks_as_items(task_list: Node) -> list[Node]:
    items: list[Node] = []
    for child in task_list.get("content", []):
        if child.get("type") == "taskList":
            nested = {"type": "bulletList", "content": _tasks_as_items(child)}
            if items:
                items[-1]["content"].append(nested)
            else:
                items.append({"type": "listItem", "content": [paragraph([]), nested]})
            continue
        box = "[x] " if (child.get("attrs") or {}).get("state") == "DONE" else "[ ] "
        items.append({"type": "listItem", "content": [paragraph([text(box), *child.get("content", [])])]})
    return items


def _table_rows_as_blocks(table: Node) -> list[Node]:
    out: list[Node] = []
    for row in table.get("content", []):
        cells = row.get("content", [])
        if all(len(c.get("content", [])) <= 1 and _is_para(c.get("content", [])) for c in cells):
            inline: list[Node] = []
            for i, cell in enumerate(cells):
                if i:
                    inline.append(text(" | "))
                for block in cell.get("content", []):
                    inline.extend(block.get("content", []))
            out.append(paragraph(inline))
        else:
            for cell in cells:
                out.extend(cell.get("content", []))
    return out


def _is_para(blocks: list[Node]) -> bool:
    return all(b.get("type") == "paragraph" for b in blocks)


def _inline_text_of(node: Node) -> list[Node]:
    parts: list[str] = []
    _collect_text(node, parts)
    joined = " ".join(p for p in parts if p)
    return [text(joined)] if joined else []


def _collect_text(node: Any, parts: list[str]) -> None:
    if not isinstance(node, dict):
        return
    if node.get("type") == "text" and node.get("text"):
        parts.append(node["text"])
    for child in node.get("content", []) or []:
        _collect_text(child, parts)


def _with_mark(node: Node, mark: Node) -> list[Node]:
    """Add `mark` to a text node; edge whitespace stays outside, as Markdown emphasis requires."""
    if node.get("type") != "text":
        return [node]
    marks = node.get("marks", [])
    if any(m.get("type") == "code" for m in marks) or any(m.get("type") == mark["type"] for m in marks):
        return [node]
    value: str = node["text"]
    core = value.strip()
    if not core:
        return [node]
    start = value.index(core)
    out = [text(value[:start], marks)] if start else []
    out.append({**node, "text": core, "marks": sorted([*marks, mark], key=mark_key)})
    if start + len(core) < len(value):
        out.append(text(value[start + len(core) :], marks))
    return out


def fit_inline(nodes: list[Node]) -> list[Node]:
    """Drop empty text, keep only marks ADF allows together, merge equal neighbours."""
    out: list[Node] = []
    for node in nodes:
        if node.get("type") == "text":
            if not node.get("text"):
                continue
            marks = node.get("marks")
            if marks and len(marks) == 1 and len(node) == 3:
                pass  # one mark is unique and sorted already; the node has no other keys to drop
            elif marks:
                if any(m.get("type") == "code" for m in marks):
                    marks = [m for m in marks if m.get("type") in _CODE_COMPATIBLE]
                unique: dict[str, Node] = {}
                for m in marks:
                    unique.setdefault(m.get("type", ""), m)
                marks = sorted(unique.values(), key=mark_key)
                node = {"type": "text", "text": node["text"], "marks": marks}
            prev = out[-1] if out else None
            if prev is not None and prev.get("type") == "text" and prev.get("marks") == node.get("marks"):
                out[-1] = {**prev, "text": prev["text"] + node["text"]}
                continue
        out.append(node)
    while out and out[-1].get("type") == "hardBreak":
        out.pop()  # a trailing break renders as nothing and Markdown cannot spell it
    return out
