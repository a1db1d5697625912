"""Jira wiki markup → ADF (and so → Markdown), for Server/Data Center text.

A line-based block pass (headings, lists of any nesting and mix, tables, `{code}`, `{noformat}`,
`{quote}`, `bq.`, `{panel}` and the `{info}`/`{note}`/`{tip}`/`{warning}` macros, rules) and a
small recursive inline pass (marks, `{{mono}}`, `{color}`, links, `[~mentions]`, images,
escapes). We checked `jira2markdown` first: it leaves `{info}`-style panels as raw text, turns
`{code}` without a language into Java, drops a mention's identity, and takes about a second
per 3 KB, so it did not fit.
"""

from __future__ import annotations

import re
from typing import Any

from jiramcp.adf._fit import fit_blocks
from jiramcp.adf._nodes import Node, doc, paragraph, text
from jiramcp.adf._to_markdown import adf_to_markdown
from jiramcp.adf._wiki_out import PANEL_COLOURS

__all__ = ["wiki_to_adf", "wiki_to_markdown"]

_HEADING = re.compile(r"^h([1-6])\.\s*(.*)$")
_LIST = re.compile(r"^([*#-]+)\s+(.*)$")
_MACRO = re.compile(r"^\{(code|noformat|quote|panel|info|note|tip|warning)(?::([^}]*))?\}(.*)$")
_RULE = re.compile(r"^-{4,}\s*$")
_MACRO_PANEL = {"info": "info", "note": "note", "tip": "tip", "warning": "warning"}
_COLOUR_PANEL = {v: k for k, v in PANEL_COLOURS.items()}

_INLINE = re.compile(
    r"(?P<esc>\\[^\\])|(?P<br>\\\\)|(?P<mono>\{\{(?P<mono_body>.+?)\}\})"
    r"|(?P<color>\{color:(?P<colour>[^}]*)\}(?P<color_body>.*?)\{color\})"
    r"|(?P<link>\[(?P<link_body>[^\]\n]+)\])|(?P<img>!(?P<img_src>[^\s!|][^!\n|]*)(?:\|[^!\n]*)?!)"
    r"|(?P<mark>(?<![\w\\])(?P<d>\*|_|\?\?|-|\+)(?=\S)(?P<body>.+?)(?<=\S)(?P=d)(?![\w]))"
    # Jira reads sub/superscript inside words (H~2~O, x^2^).
    r"|(?P<subsup>(?<!\\)(?P<sd>\^|~)(?P<sbody>[^\s^~](?:[^\n^~]*?[^\s^~])?)(?P=sd))"
)
_TASK_BOX = re.compile(r"^\\?\[([ xX])\\?\]\s+")
_MARKS = {
    "*": {"type": "strong"},
    "_": {"type": "em"},
    "-": {"type": "strike"},
    "+": {"type": "underline"},
    "^": {"type": "subsup", "attrs": {"type": "sup"}},
    "~": {"type": "subsup", "attrs": {"type": "sub"}},
    "??": {"type": "em"},
}
_NAMED_COLOURS = {
    "red": "#ff0000", "green": "#008000", "blue": "#0000ff", "black": "#000000", "white": "#ffffff",
    "yellow": "#ffff00", "orange": "#ffa500", "purple": "#800080", "gray": "#808080", "grey": "#808080",
}  # fmt: skip


def wiki_to_markdown(wiki: str) -> str:
    """Convert Jira wiki markup to Markdown (the same spellings `adf_to_markdown` writes)."""
    return adf_to_markdown(wiki_to_adf(wiki))


def wiki_to_adf(wiki: str) -> Node:
    """Convert Jira wiki markup to a valid ADF document."""
    lines = (wiki or "").replace("\r\n", "\n").split("\n")
    blocks, _ = _blocks(lines, 0, None)
    return doc(fit_blocks(blocks, "doc"))


def _blocks(lines: list[str], i: int, until: str | None) -> tuple[list[Node], int]:
    out: list[Node] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(paragraph(_inline("\n".join(para), [])))
            para.clear()

    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if until and stripped.startswith("{" + until) and stripped.rstrip("}").split(":")[0] == "{" + until:
            flush()
            return out, i + 1
        macro = _MACRO.match(stripped)
        if macro:
            flush()
            name, params, rest = macro.group(1), macro.group(2) or "", macro.group(3)
            if name in ("code", "noformat"):
                body, i = _raw_until(lines, i, rest, name)
                node: Node = {"type": "codeBlock"}
                language = params.split("|")[0] if params and "=" not in params.split("|")[0] else ""
                if name == "code" and language:
                    node["attrs"] = {"language": language.strip()}
                if body:
                    node["content"] = [text(body)]
                out.append(node)
                continue
            inner_lines = [rest] if rest.strip() else []
            end_inline = rest.find("{" + name + "}")
            if end_inline >= 0:
                inner, i = _blocks([rest[:end_inline]], 0, None)[0], i + 1
            else:
                inner, i = _blocks(lines[: i + 1] + inner_lines + lines[i + 1 :], i + 1 + len(inner_lines), name)
                i -= len(inner_lines)
            out.append(_container(name, params, inner))
            continue
        heading = _HEADING.match(stripped)
        if heading:
            flush()
            out.append({"type": "heading", "attrs": {"level": int(heading.group(1))},
                        "content": _inline(heading.group(2), [])})  # fmt: skip
        elif stripped.startswith("bq. "):
            flush()
            out.append({"type": "blockquote", "content": [paragraph(_inline(stripped[4:], []))]})
        elif _RULE.match(stripped):
            flush()
            out.append({"type": "rule"})
        elif _LIST.match(stripped) and not stripped.startswith("-- "):
            flush()
            items = []
            while i < len(lines) and _LIST.match(lines[i].strip()):
                found = _LIST.match(lines[i].strip())
                items.append((found.group(1), found.group(2)))
                i += 1
            out.extend(_tasks_to_task_lists(n) for n in _list(items))
            continue
        elif stripped.startswith("|"):
            flush()
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(lines[i].strip())
                i += 1
            out.append(_table(rows))
            continue
        elif not stripped:
            flush()
        else:
            para.append(line)
        i += 1
    flush()
    return out, i


def _raw_until(lines: list[str], i: int, rest: str, name: str) -> tuple[str, int]:
    closing = "{" + name + "}"
    if closing in rest:
        return rest[: rest.index(closing)].strip("\n"), i + 1
    body = [rest] if rest else []
    i += 1
    while i < len(lines):
        if closing in lines[i]:
            before = lines[i][: lines[i].index(closing)]
            if before:
                body.append(before)
            return "\n".join(body), i + 1
        body.append(lines[i])
        i += 1
    return "\n".join(body), i


def _container(name: str, params: str, inner: list[Node]) -> Node:
    if name == "quote":
        return {"type": "blockquote", "content": inner}
    options = dict(p.split("=", 1) for p in params.split("|") if "=" in p)
    panel_type = _MACRO_PANEL.get(name) or _COLOUR_PANEL.get(options.get("bgColor", "").lower(), "info")
    title = options.get("title")
    if title:
        inner = [{"type": "heading", "attrs": {"level": 6}, "content": [text(title)]}, *inner]
    return {"type": "panel", "attrs": {"panelType": panel_type}, "content": inner}


def _list(items: list[tuple[str, str]]) -> list[Node]:
    """Build nested lists from (marker, text) pairs; `#*` is a bullet inside a numbered list."""
    roots: list[Node] = []
    stack: list[tuple[str, Node]] = []  # (marker, list node)
    for marker, body in items:
        marker = marker.replace("-", "*")
        while stack and not (marker.startswith(stack[-1][0]) and len(marker) >= len(stack[-1][0])):
            stack.pop()
        kind = "orderedList" if marker[-1] == "#" else "bulletList"
        if stack and stack[-1][0] == marker and stack[-1][1]["type"] == kind:
            target = stack[-1][1]
        else:
            target = {"type": kind, "content": []}
            if stack and stack[-1][1]["content"]:
                last = stack[-1][1]["content"][-1]
                # Under a task item the nested list is its sibling (ADF task lists nest so).
                holder = stack[-1][1]["content"] if last["type"] == "taskItem" else last["content"]
                holder.append(target)
            else:
                roots.append(target)
            stack.append((marker, target))
        box = _TASK_BOX.match(body) if kind == "bulletList" else None
        if box:
            state = "DONE" if box.group(1) in "xX" else "TODO"
            task = {
                "type": "taskItem",
                "attrs": {"localId": f"task-{len(items)}-{len(target['content'])}", "state": state},
                "content": _inline(body[box.end() :], []),
            }
            target["content"].append(task)
            continue
        target["content"].append({"type": "listItem", "content": [paragraph(_inline(body, []))]})
    return roots


def _tasks_to_task_lists(node: Node) -> Node:
    """A bullet list whose items are `[ ]`/`[x]` tasks becomes a task list (mixed ones split)."""
    for item in node.get("content") or []:
        for child in item.get("content") or []:
            if child.get("type") in ("bulletList", "orderedList"):
                _tasks_to_task_lists(child)
    items = node.get("content") or []
    for item in items:
        if item["type"] in ("bulletList", "orderedList"):
            _tasks_to_task_lists(item)
    if node.get("type") == "bulletList" and items and all(i["type"] in ("taskItem", "taskList") for i in items):
        node["type"] = "taskList"
        node["attrs"] = {"localId": f"tasks-{id(node):x}"}
    elif any(i["type"] == "taskItem" for i in items):
        fixed: list[Node] = []
        for i in items:
            if i["type"] == "taskItem":
                box = "[x] " if i["attrs"]["state"] == "DONE" else "[ ] "
                fixed.append({"type": "listItem", "content": [paragraph([text(box), *i.get("content", [])])]})
            elif i["type"] == "listItem":
                fixed.append(i)
            elif fixed:
                fixed[-1]["content"].append(i)
            else:
                fixed.append({"type": "listItem", "content": [paragraph([]), i]})
        node["content"] = fixed
    return node


def _table(rows: list[str]) -> Node:
    out = []
    for row in rows:
        cells: list[Node] = []
        for sep, body in re.findall(r"(\|\|?)((?:\\\||\[[^\]]*\]|\{\{.*?\}\}|[^|])*)", row):
            if not body and sep == row[-len(sep) :] and len(cells) and row.endswith(sep):
                continue
            kind = "tableHeader" if sep == "||" else "tableCell"
            parts = body.strip().split("\\\\")
            content = [paragraph(_inline(p.strip(), [])) for p in parts if p.strip()] or [paragraph([])]
            cells.append({"type": kind, "attrs": {}, "content": content})
        if cells:
            out.append({"type": "tableRow", "content": cells})
    return {"type": "table", "attrs": {"isNumberColumnEnabled": False, "layout": "default"}, "content": out}


def _inline(value: str, marks: list[Node]) -> list[Node]:
    out: list[Node] = []
    pos = 0
    for match in _INLINE.finditer(value):
        if match.start() > pos:
            out.append(text(value[pos : match.start()].replace("\n", " "), list(marks)))
        pos = match.end()
        out.extend(_token(match, marks))
    if pos < len(value):
        out.append(text(value[pos:].replace("\n", " "), list(marks)))
    return out


def _token(match: re.Match[str], marks: list[Node]) -> list[Node]:
    if match.group("esc"):
        return [text(match.group("esc")[1], list(marks))]
    if match.group("br"):
        return [{"type": "hardBreak"}]
    if match.group("mono"):
        link = [m for m in marks if m["type"] == "link"]
        return [text(match.group("mono_body"), [*link, {"type": "code"}])]
    if match.group("color"):
        colour = match.group("colour").strip().lower()
        colour = _NAMED_COLOURS.get(colour, colour)
        extra: list[Node] = []
        if re.fullmatch(r"#[0-9a-f]{6}", colour):
            extra = [{"type": "textColor", "attrs": {"color": colour}}]
        return _inline(match.group("color_body"), [*marks, *extra])
    if match.group("link"):
        return _link(match.group("link_body"), marks)
    if match.group("img"):
        src = match.group("img_src").strip()
        if re.match(r"^[a-z][a-z0-9+.-]*://", src):
            return [text(src, [*marks, {"type": "link", "attrs": {"href": src}}])]
        return [text(src, list(marks))]
    if match.group("subsup"):
        return _inline(match.group("sbody"), [*marks, _MARKS[match.group("sd")]])
    delim = match.group("d")
    return _inline(match.group("body"), [*marks, _MARKS[delim]])


def _link(body: str, marks: list[Node]) -> list[Node]:
    if body.startswith("~"):
        user = body[1:].removeprefix("accountid:")
        return [{"type": "mention", "attrs": {"id": user, "text": f"@{user}"}}]
    label, _, href = body.rpartition("|") if "|" in body else ("", "", body)
    href = href.strip()
    if not re.match(r"^([a-z][a-z0-9+.-]*:|/|#|mailto:)", href):
        return [text(f"[{body}]", list(marks))]
    link: dict[str, Any] = {"type": "link", "attrs": {"href": href}}
    if not label:
        return [text(href, [*marks, link])]
    return _inline(label, [*marks, link])
