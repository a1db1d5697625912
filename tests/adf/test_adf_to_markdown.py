"""adf_to_markdown for each node and mark of the schema, and the text helpers."""

from __future__ import annotations

from typing import Any

import pytest

from jiramcp.adf import adf_to_markdown, adf_to_text, markdown_to_adf, render_markdown_capped, text_to_adf


def _doc(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "doc", "version": 1, "content": list(content)}


def _p(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "content": list(content)}


def _t(value: str, *marks: dict[str, Any]) -> dict[str, Any]:
    return {"type": "text", "text": value, "marks": list(marks)} if marks else {"type": "text", "text": value}


def _media(kind: str = "file") -> dict[str, Any]:
    return {"type": "media", "attrs": {"type": kind, "id": "abc-123", "collection": "c", "alt": "shot.png"}}


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (_p(_t("b", {"type": "strong"}), _t(" "), _t("i", {"type": "em"})), "**b** *i*"),
        (_p(_t("s", {"type": "strike"}), _t(" "), _t("x`y", {"type": "code"})), "~~s~~ ``x`y``"),
        (_p(_t("u", {"type": "underline"})), "<u>u</u>"),
        (_p(_t("2", {"type": "subsup", "attrs": {"type": "sup"}})), "<sup>2</sup>"),
        (_p(_t("r", {"type": "textColor", "attrs": {"color": "#FF0000"}})), '<span style="color:#ff0000">r</span>'),
        (_p(_t("y", {"type": "backgroundColor", "attrs": {"color": "#ffff00"}})),
         '<span style="background-color:#ffff00">y</span>'),
        (_p(_t("l", {"type": "link", "attrs": {"href": "https://e.com/a b"}})), "[l](https://e.com/a%20b)"),
        (_p(_t("x", {"type": "annotation", "attrs": {"id": "1", "annotationType": "inlineComment"}})), "x"),
        (_p({"type": "mention", "attrs": {"id": "5b10", "text": "@Jane"}}), "[@Jane](accountid:5b10)"),
        (_p({"type": "emoji", "attrs": {"shortName": ":tada:", "text": "🎉"}}), ":tada:"),
        (_p({"type": "status", "attrs": {"text": "DONE", "color": "green"}}), "[DONE](status:green)"),
        (_p({"type": "date", "attrs": {"timestamp": "1714521600000"}}), "[2024-05-01](date:)"),
        (_p({"type": "inlineCard", "attrs": {"url": "https://x.y"}}), '[https\\://x.y](https://x.y "inlineCard")'),
        (_p({"type": "placeholder", "attrs": {"text": "Type here"}}), "Type here"),
        (_p(_t("a"), {"type": "hardBreak"}, _t("b")), "a\\\nb"),
        ({"type": "heading", "attrs": {"level": 3}, "content": [_t("H")]}, "### H"),
        ({"type": "rule"}, "---"),
        ({"type": "codeBlock", "attrs": {"language": "py"}, "content": [_t("x = 1")]}, "```py\nx = 1\n```"),
        ({"type": "codeBlock", "content": [_t("```\nfence")]}, "````\n```\nfence\n````"),
        ({"type": "blockquote", "content": [_p(_t("q"))]}, "> q"),
        ({"type": "panel", "attrs": {"panelType": "warning"}, "content": [_p(_t("w"))]}, "> [!WARNING]\n> w"),
        ({"type": "expand", "attrs": {"title": "T<"}, "content": [_p(_t("x"))]},
         "<details>\n<summary>T&lt;</summary>\n\nx\n\n</details>"),
        ({"type": "orderedList", "attrs": {"order": 3}, "content": [
            {"type": "listItem", "content": [_p(_t("a"))]}]}, "3. a"),
        ({"type": "taskList", "attrs": {"localId": "l"}, "content": [
            {"type": "taskItem", "attrs": {"localId": "a", "state": "DONE"}, "content": [_t("done")]}]}, "- [x] done"),
        ({"type": "decisionList", "attrs": {"localId": "d"}, "content": [
            {"type": "decisionItem", "attrs": {"localId": "e", "state": "DECIDED"},
             "content": [_t("ship")]}]}, "- ship"),
        ({"type": "mediaSingle", "attrs": {"layout": "center"}, "content": [
            {"type": "media", "attrs": {"type": "external", "url": "https://e.com/i.png", "alt": "i"}}]},
         "![i](https://e.com/i.png)"),
        ({"type": "mediaSingle", "attrs": {"layout": "center"}, "content": [_media()]}, "![shot.png](adf:0)"),
        ({"type": "mediaGroup", "content": [_media()]}, "![shot.png](adf:0)"),
        ({"type": "blockCard", "attrs": {"url": "https://x.y"}}, '[https\\://x.y](https://x.y "blockCard")'),
        ({"type": "extension", "attrs": {"extensionType": "t", "extensionKey": "k"}}, "[extension: k](adf:0)"),
        ({"type": "layoutSection", "content": [
            {"type": "layoutColumn", "attrs": {"width": 50}, "content": [_p(_t("c"))]}]},
         "c"),
        ({"type": "someFutureNode", "content": [_t("still here")]}, "still here"),
    ],
)  # fmt: skip
def test_each_node_and_mark_has_its_markdown(node: dict[str, Any], expected: str) -> None:
    assert adf_to_markdown(_doc(node)) == expected + "\n"


def test_tables_stay_one_table_when_cells_hold_several_blocks() -> None:
    cell = {
        "type": "tableCell",
        "content": [
            _p(_t("a|b")),
            {"type": "bulletList", "content": [{"type": "listItem", "content": [_p(_t("x"))]}]},
            {"type": "codeBlock", "content": [_t("c|d")]},
        ],
    }
    header = {"type": "tableHeader", "content": [_p(_t("H"))]}
    table = {
        "type": "table",
        "content": [{"type": "tableRow", "content": [header]}, {"type": "tableRow", "content": [cell]}],
    }
    md = adf_to_markdown(_doc(table))
    assert md == "| H |\n|---|\n| a\\|b<br>• x<br>`c\\|d` |\n"
    back = markdown_to_adf(md)["content"][0]["content"][1]["content"][0]["content"][0]["content"]
    assert [n.get("text") for n in back if n["type"] == "text"] == ["a|b", "• x", "c|d"]


def test_adjacent_lists_alternate_markers_so_they_stay_apart() -> None:
    item = {"type": "listItem", "content": [_p(_t("a"))]}
    md = adf_to_markdown(_doc({"type": "bulletList", "content": [item]}, {"type": "bulletList", "content": [item]}))
    assert md == "- a\n\n* a\n"
    assert [b["type"] for b in markdown_to_adf(md)["content"]] == ["bulletList", "bulletList"]


@pytest.mark.parametrize(
    "value",
    ["*not bold*", "_x_", "a_b_c", "# not heading", "1. not a list", "- not a list", "> not quote", "<b>tag</b>",
     ":smile:", "http://e.com/plain", "[x](y)", "`tick`", "&amp;", "back\\slash", "~~x~~", "+ plus", "===", "|a|"],
)  # fmt: skip
def test_plain_text_with_markdown_characters_reads_back_unchanged(value: str) -> None:
    doc = _doc(_p(_t(value)))
    assert markdown_to_adf(adf_to_markdown(doc)) == doc


def test_adf_to_text_reads_like_a_person_would() -> None:
    doc = markdown_to_adf("# T\n\nHi [@Jo](accountid:1) [OK](status:green) :tada:\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert adf_to_text(doc) == "T\nHi @Jo [OK] 🎉\na | b\n1 | 2"


def test_text_to_adf_keeps_every_character_and_line() -> None:
    doc = text_to_adf("*raw* <b>\nline two\n\npara")
    assert doc["content"] == [_p(_t("*raw* <b>"), {"type": "hardBreak"}, _t("line two")), _p(_t("para"))]
    assert adf_to_text(doc) == "*raw* <b>\nline two\npara"


def test_capped_rendering_cuts_at_a_block_boundary_and_says_how_much() -> None:
    doc = markdown_to_adf("\n\n".join(f"Paragraph number {k} with some words." for k in range(50)))
    full = adf_to_markdown(doc)
    capped = render_markdown_capped(doc, 300)
    assert len(capped.markdown) <= 300
    assert capped.cut_chars > 0
    kept = capped.markdown.split("\n[…")[0]
    assert full.startswith(kept) and kept.endswith(".")
    assert f"{capped.cut_chars} more characters" in capped.markdown
    markdown, cut = render_markdown_capped(doc, 10_000)
    assert (markdown, cut) == (full, 0)


def test_capped_rendering_of_one_huge_block_still_returns_something() -> None:
    doc = markdown_to_adf("word " * 2000)
    capped = render_markdown_capped(doc, 200)
    assert 0 < len(capped.markdown) <= 200 and capped.cut_chars > 9000
