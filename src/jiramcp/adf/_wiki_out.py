"""ADF → Jira wiki markup (Server/Data Center), and Markdown → wiki through ADF.

Going through ADF means the wiki side gets the same parsing, the same Jira spellings and the
same degradation rules as Cloud. Mentions become `[~name]`, where name is the id the Markdown
carried (`[@Jane](accountid:jsmith)` → `[~jsmith]`; on Server/DC that id is the username).
"""

from __future__ import annotations

import re
from typing import Any

from jiramcp.adf._from_markdown import markdown_to_adf
from jiramcp.adf._md_escape import iso_date
from jiramcp.adf._nodes import Node

__all__ = ["PANEL_COLOURS", "adf_to_wiki", "markdown_to_wiki"]

PANEL_COLOURS = {
    "info": "#deebff",
    "note": "#eae6ff",
    "tip": "#e6fcff",
    "success": "#e3fcef",
    "warning": "#fffae6",
    "error": "#ffebe6",
    "custom": "#f4f5f7",
}
# Always special: braces, brackets, pipes, backslash, sub/superscript (they work inside words).
# Mark characters only where a mark could open or close (a word boundary); `!` only before text
# (an image); `?` only doubled (a citation).
_WIKI_SPECIAL = re.compile(r"([{}\[\]|\\^~])|(?<![0-9A-Za-z])([*_+\-])|([*_+\-])(?![0-9A-Za-z])|(!)(?=\S)|(\?)(?=\?)")
_MARK_WRAP = {"strong": "*", "em": "_", "strike": "-", "underline": "+"}


def markdown_to_wiki(md: str) -> str:
    """Convert Markdown to Jira wiki markup (tables, nested lists, code, panels, quotes, links)."""
    return adf_to_wiki(markdown_to_adf(md))


def adf_to_wiki(doc: Node) -> str:
    """Render an ADF document as Jira wiki markup."""
    return "\n\n".join(b for b in (_block(n, "") for n in doc.get("content") or []) if b) + "\n"


def _escape(value: str) -> str:
    return _WIKI_SPECIAL.sub(lambda m: "\\" + m.group(0), value)


def _block(node: Node, list_prefix: str) -> str:
    kind = node.get("type")
    attrs: dict[str, Any] = node.get("attrs") or {}
    content: list[Node] = node.get("content") or []
    if kind == "paragraph":
        return _inline(content)
    if kind == "heading":
        return f"h{attrs.get('level', 1)}. {_inline(content)}"
    if kind in ("bulletList", "orderedList", "taskList", "decisionList"):
        return "\n".join(_list(node, list_prefix))
    if kind == "blockquote":
        return "{quote}\n" + _blocks(content) + "\n{quote}"
    if kind == "panel":
        colour = PANEL_COLOURS.get(str(attrs.get("panelType", "info")), "#deebff")
        return f"{{panel:bgColor={colour}}}\n" + _blocks(content) + "\n{panel}"
    if kind in ("expand", "nestedExpand"):
        title = str(attrs.get("title") or "").replace("|", " ").replace("}", ")")
        head = f"{{panel:title={title}}}" if title else "{panel}"
        return head + "\n" + _blocks(content) + "\n{panel}"
    if kind == "codeBlock":
        code = "".join(c.get("text", "") for c in content)
        language = str(attrs.get("language") or "")
        opener = f"{{code:{language}}}" if language else "{code}"
        return f"{opener}\n{code}\n{{code}}"
    if kind == "rule":
        return "----"
    if kind == "table":
        return "\n".join(_row(r) for r in content)
    if kind == "mediaSingle" or kind == "mediaGroup":
        return " ".join(_media(c) for c in content if c.get("type") == "media")
    if kind in ("blockCard", "embedCard") and attrs.get("url"):
        return f"[{attrs['url']}]"
    if kind in ("layoutSection", "layoutColumn", "bodiedExtension"):
        return _blocks(content)
    return _inline(content) if content else ""


def _blocks(nodes: list[Node]) -> str:
    return "\n\n".join(b for b in (_block(n, "") for n in nodes) if b)


def _list(node: Node, prefix: str) -> list[str]:
    kind = node.get("type")
    marker = prefix + ("#" if kind == "orderedList" else "*")
    lines: list[str] = []
    for item in node.get("content") or []:
        item_kind = item.get("type")
        if item_kind == "taskList":
            lines.extend(_list(item, marker))
            continue
        if item_kind in ("taskItem", "decisionItem"):
            box = "\\[x\\] " if (item.get("attrs") or {}).get("state") == "DONE" else "\\[ \\] "
            box = box if item_kind == "taskItem" else ""
            lines.append(f"{marker} {box}{_inline(item.get('content') or [])}".rstrip())
            continue
        first = True
        for child in item.get("content") or []:
            if child.get("type") in ("bulletList", "orderedList", "taskList"):
                lines.extend(_list(child, marker))
                continue
            text = _block(child, marker)
            if first:
                lines.append(f"{marker} {text}".rstrip())
                first = False
            elif text:
                # A continuation block of one item: Jira joins it with a line break.
                lines[-1] += "\\\\" + text.replace("\n", "\\\\")
        if first:
            lines.append(marker)
    return lines


def _row(row: Node) -> str:
    cells = []
    for cell in row.get("content") or []:
        sep = "||" if cell.get("type") == "tableHeader" else "|"
        body = " \\\\ ".join(_block(b, "").replace("\n", " \\\\ ") for b in cell.get("content") or [])
        cells.append(sep + (body or " "))
    closing = "||" if row.get("content") and row["content"][-1].get("type") == "tableHeader" else "|"
    return "".join(cells) + closing


def _media(media: Node) -> str:
    attrs = media.get("attrs") or {}
    if attrs.get("type") == "external" and attrs.get("url"):
        return f"!{attrs['url']}!"
    return f"!{attrs.get('alt') or attrs.get('id') or 'attachment'}!"


def _inline(nodes: list[Node]) -> str:
    out: list[str] = []
    for node in nodes:
        kind = node.get("type")
        attrs = node.get("attrs") or {}
        if kind == "text":
            out.append(_text(node))
        elif kind == "hardBreak":
            out.append("\\\\")
        elif kind == "mention":
            out.append(f"[~{attrs.get('id', '')}]")
        elif kind == "emoji":
            out.append(str(attrs.get("text") or attrs.get("shortName") or ""))
        elif kind == "status":
            out.append(f"*{_escape('[' + str(attrs.get('text', '')) + ']')}*")
        elif kind == "date":
            out.append(iso_date(str(attrs.get("timestamp", ""))) or "")
        elif kind == "inlineCard" and attrs.get("url"):
            out.append(f"[{attrs['url']}]")
        elif kind in ("mediaInline", "media"):
            out.append(_media(node))
        else:
            out.append(_escape(str(attrs.get("text") or "")))
    return "".join(out)


def _text(node: Node) -> str:
    marks = node.get("marks") or []
    value = node.get("text", "")
    kinds = {m.get("type"): m for m in marks}
    body = "{{" + value.replace("}}", "} }") + "}}" if "code" in kinds else _escape(value)
    for kind in ("strong", "em", "strike", "underline"):
        if kind in kinds:
            body = f"{_MARK_WRAP[kind]}{body}{_MARK_WRAP[kind]}"
    if "subsup" in kinds:
        wrap = "~" if (kinds["subsup"].get("attrs") or {}).get("type") == "sub" else "^"
        body = f"{wrap}{body}{wrap}"
    if "textColor" in kinds:
        body = f"{{color:{(kinds['textColor'].get('attrs') or {}).get('color', '#000000')}}}{body}{{color}}"
    if "link" in kinds:
        href = str((kinds["link"].get("attrs") or {}).get("href", ""))
        body = f"[{href}]" if value == href else f"[{body}|{href}]"
    return body
