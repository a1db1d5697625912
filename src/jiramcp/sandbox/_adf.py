"""Hand-built ADF for the seed data, and ADF → HTML for `expand=renderedFields`.

The builders make only nodes the official schema accepts (the tests validate every seeded
document). The renderer covers the nodes the builders and common clients emit; anything else
renders its text content, the way Jira degrades unknown extensions.
"""

from __future__ import annotations

from html import escape
from typing import Any

Node = dict[str, Any]


def doc(*blocks: Node) -> Node:
    return {"type": "doc", "version": 1, "content": list(blocks)}


def text(value: str, *marks: str, href: str | None = None) -> Node:
    node: Node = {"type": "text", "text": value}
    mark_list: list[Node] = [{"type": mark} for mark in marks]
    if href:
        mark_list.append({"type": "link", "attrs": {"href": href}})
    if mark_list:
        node["marks"] = mark_list
    return node


def mention(account_id: str, display_name: str) -> Node:
    return {"type": "mention", "attrs": {"id": account_id, "text": f"@{display_name}", "accessLevel": ""}}


def para(*inline: Node | str) -> Node:
    return {"type": "paragraph", "content": [text(i) if isinstance(i, str) else i for i in inline]}


def heading(level: int, value: str) -> Node:
    return {"type": "heading", "attrs": {"level": level}, "content": [text(value)]}


def bullets(*items: str) -> Node:
    return {"type": "bulletList", "content": [{"type": "listItem", "content": [para(i)]} for i in items]}


def numbered(*items: str) -> Node:
    return {
        "type": "orderedList",
        "attrs": {"order": 1},
        "content": [{"type": "listItem", "content": [para(i)]} for i in items],
    }


def code(source: str, language: str | None = None) -> Node:
    node: Node = {"type": "codeBlock", "content": [text(source)]}
    if language:
        node["attrs"] = {"language": language}
    return node


def panel(kind: str, *blocks: Node) -> Node:
    return {"type": "panel", "attrs": {"panelType": kind}, "content": list(blocks)}


def table(header: list[str], *rows: list[str]) -> Node:
    def row(cells: list[str], cell_type: str) -> Node:
        return {"type": "tableRow", "content": [{"type": cell_type, "attrs": {}, "content": [para(c)]} for c in cells]}

    return {
        "type": "table",
        "attrs": {"isNumberColumnEnabled": False, "layout": "default"},
        "content": [row(header, "tableHeader"), *(row(r, "tableCell") for r in rows)],
    }


def rule() -> Node:
    return {"type": "rule"}


def plain_text(node: Any) -> str:
    """The text a document holds, blocks separated by newlines (for `~` search and summaries)."""
    if not isinstance(node, dict):
        return ""
    kind = node.get("type")
    if kind == "text":
        return str(node.get("text", ""))
    if kind in ("mention", "emoji"):
        return str((node.get("attrs") or {}).get("text", ""))
    if kind == "hardBreak":
        return "\n"
    parts = [plain_text(child) for child in node.get("content") or []]
    joiner = "" if kind in ("paragraph", "heading") else "\n"
    return joiner.join(part for part in parts if part)


_BLOCK_TAGS = {
    "paragraph": "p",
    "bulletList": "ul",
    "orderedList": "ol",
    "listItem": "li",
    "blockquote": "blockquote",
    "tableRow": "tr",
    "tableHeader": "th",
    "tableCell": "td",
}
_MARK_TAGS = {"strong": "b", "em": "em", "code": "code", "strike": "del", "underline": "ins"}


def to_html(node: Any) -> str:
    """Render a document as Jira's `renderedFields` HTML (close enough for reading)."""
    if not isinstance(node, dict):
        return ""
    kind = node.get("type")
    attrs = node.get("attrs") or {}
    inner = "".join(to_html(child) for child in node.get("content") or [])
    if kind == "doc":
        return inner
    if kind == "text":
        html = escape(str(node.get("text", "")))
        for mark in node.get("marks") or []:
            mark_type = mark.get("type")
            if mark_type == "link":
                href = escape(str((mark.get("attrs") or {}).get("href", "")))
                html = f'<a href="{href}" class="external-link" rel="nofollow">{html}</a>'
            elif mark_type in _MARK_TAGS:
                tag = _MARK_TAGS[mark_type]
                html = f"<{tag}>{html}</{tag}>"
        return html
    if kind == "heading":
        level = int(attrs.get("level", 1))
        return f"<h{level}>{inner}</h{level}>"
    if kind == "codeBlock":
        return f'<div class="code panel"><pre>{inner}</pre></div>'
    if kind == "panel":
        return f'<div class="panel {escape(str(attrs.get("panelType", "info")))}">{inner}</div>'
    if kind == "table":
        return f'<div class="table-wrap"><table class="confluenceTable"><tbody>{inner}</tbody></table></div>'
    if kind == "mention":
        return (
            f'<a class="user-hover" data-account-id="{escape(str(attrs.get("id", "")))}">'
            f"{escape(str(attrs.get('text', '')))}</a>"
        )
    if kind == "hardBreak":
        return "<br/>"
    if kind == "rule":
        return "<hr/>"
    if kind in _BLOCK_TAGS:
        tag = _BLOCK_TAGS[kind]
        return f"<{tag}>{inner}</{tag}>"
    return inner
