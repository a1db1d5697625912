"""markdown_to_adf, construct by construct, and the degradations ADF forces."""

from __future__ import annotations

from typing import Any

import pytest

from jiramcp.adf import adf_to_text, markdown_to_adf, validate_adf


def _blocks(md: str) -> list[dict[str, Any]]:
    doc = markdown_to_adf(md)
    assert validate_adf(doc) == []
    return doc["content"]


def _t(value: str, *marks: dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": value}
    if marks:
        node["marks"] = list(marks)
    return node


def _p(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "content": list(content)}


STRONG, EM, STRIKE, CODE = {"type": "strong"}, {"type": "em"}, {"type": "strike"}, {"type": "code"}


@pytest.mark.parametrize(
    ("md", "expected"),
    [
        ("hello", [_p(_t("hello"))]),
        ("## Title", [{"type": "heading", "attrs": {"level": 2}, "content": [_t("Title")]}]),
        ("**b** *i* ~~s~~ `c`", [_p(_t("b", STRONG), _t(" "), _t("i", EM), _t(" "), _t("s", STRIKE), _t(" "),
                                     _t("c", CODE))]),
        ("[x](https://e.com)", [_p(_t("x", {"type": "link", "attrs": {"href": "https://e.com"}}))]),
        ("a\\\nb", [_p(_t("a"), {"type": "hardBreak"}, _t("b"))]),
        ("a\nb", [_p(_t("a b"))]),
        ("---", [{"type": "rule"}]),
        ("```js\nx\n```", [{"type": "codeBlock", "attrs": {"language": "js"}, "content": [_t("x")]}]),
        ("    indented", [{"type": "codeBlock", "content": [_t("indented")]}]),
        ("```\n```", [{"type": "codeBlock"}]),
        ("> q", [{"type": "blockquote", "content": [_p(_t("q"))]}]),
        ("3. a\n4. b", [{"type": "orderedList", "attrs": {"order": 3}, "content": [
            {"type": "listItem", "content": [_p(_t("a"))]}, {"type": "listItem", "content": [_p(_t("b"))]}]}]),
        (":smile:", [_p({"type": "emoji", "attrs": {"shortName": ":smile:", "id": "1f604", "text": "😄"}})]),
        ("\\:smile:", [_p(_t(":smile:"))]),
        ("10:30:45", [_p(_t("10:30:45"))]),
        ("[@Jane Doe](accountid:5b10)", [_p({"type": "mention", "attrs": {"id": "5b10", "text": "@Jane Doe"}})]),
        ("[DONE](status:green)", [_p({"type": "status", "attrs": {"text": "DONE", "color": "green"}})]),
        ("[WAT](status:pink)", [_p({"type": "status", "attrs": {"text": "WAT", "color": "neutral"}})]),
        ("[2024-05-01](date:)", [_p({"type": "date", "attrs": {"timestamp": "1714521600000"}})]),
        ('[https://x.y](https://x.y "inlineCard")', [_p({"type": "inlineCard", "attrs": {"url": "https://x.y"}})]),
        ('[https://x.y](https://x.y "blockCard")', [{"type": "blockCard", "attrs": {"url": "https://x.y"}}]),
        ("a <u>u</u> H<sub>2</sub>O", [_p(_t("a "), _t("u", {"type": "underline"}), _t(" H"),
                                         _t("2", {"type": "subsup", "attrs": {"type": "sub"}}), _t("O"))]),
        ('<span style="color:#FF0000">r</span>', [_p(_t("r", {"type": "textColor", "attrs": {"color": "#ff0000"}}))]),
        ("a <b>raw</b>", [_p(_t("a <b>raw</b>"))]),
        ("<div>\nblock html\n</div>", [_p(_t("<div>"), {"type": "hardBreak"}, _t("block html"),
                                          {"type": "hardBreak"}, _t("</div>"))]),
        ("see http://e.com/x now", [_p(_t("see "), _t("http://e.com/x", {"type": "link", "attrs": {"href": "http://e.com/x"}}),
                                      _t(" now"))]),
        ("see example.com", [_p(_t("see example.com"))]),
    ],
)  # fmt: skip
def test_each_construct_converts_to_its_adf_node(md: str, expected: list[dict[str, Any]]) -> None:
    assert _blocks(md) == expected


@pytest.mark.parametrize(
    ("alert", "panel_type"),
    [("NOTE", "info"), ("IMPORTANT", "note"), ("TIP", "tip"), ("SUCCESS", "success"), ("WARNING", "warning"),
     ("CAUTION", "error"), ("INFO", "info"), ("ERROR", "error")],
)  # fmt: skip
def test_github_alerts_become_panels(alert: str, panel_type: str) -> None:
    [panel] = _blocks(f"> [!{alert}]\n> Mind the gap")
    assert panel == {"type": "panel", "attrs": {"panelType": panel_type}, "content": [_p(_t("Mind the gap"))]}


def test_details_becomes_expand_with_markdown_inside() -> None:
    [expand] = _blocks("<details>\n<summary>Logs &amp; more</summary>\n\n- **a**\n\n</details>")
    assert expand["type"] == "expand"
    assert expand["attrs"] == {"title": "Logs & more"}
    assert expand["content"][0]["type"] == "bulletList"


def test_single_block_details_is_parsed_too() -> None:
    [expand] = _blocks("<details><summary>T</summary>body</details>")
    assert expand == {"type": "expand", "attrs": {"title": "T"}, "content": [_p(_t("body"))]}


def test_task_lists_get_states_and_distinct_local_ids() -> None:
    [tasks] = _blocks("- [ ] one\n- [x] two\n  - [ ] nested")
    assert tasks["type"] == "taskList"
    items = tasks["content"]
    assert [i["type"] for i in items] == ["taskItem", "taskItem", "taskList"]
    assert [i["attrs"]["state"] for i in items[:2]] == ["TODO", "DONE"]
    ids = {tasks["attrs"]["localId"], items[0]["attrs"]["localId"], items[1]["attrs"]["localId"]}
    assert len(ids) == 3


def test_a_mixed_list_splits_into_task_and_bullet_lists() -> None:
    assert [b["type"] for b in _blocks("- [ ] task\n- plain")] == ["taskList", "bulletList"]


def test_table_header_row_becomes_table_headers() -> None:
    [table] = _blocks("| A | B |\n|---|---|\n| 1 | |")
    header, row = table["content"]
    assert [c["type"] for c in header["content"]] == ["tableHeader", "tableHeader"]
    assert [c["type"] for c in row["content"]] == ["tableCell", "tableCell"]
    assert row["content"][1]["content"] == [{"type": "paragraph"}]


def test_external_image_splits_its_paragraph_into_media_single() -> None:
    blocks = _blocks("before ![shot](https://e.com/s.png) after")
    assert [b["type"] for b in blocks] == ["paragraph", "mediaSingle", "paragraph"]
    assert blocks[1]["content"][0]["attrs"] == {"type": "external", "url": "https://e.com/s.png", "alt": "shot"}


@pytest.mark.parametrize(
    ("md", "words"),
    [
        ("- # Heading in a list", ["Heading in a list"]),
        ("> ## Heading in a quote", ["Heading in a quote"]),
        ("[![alt text](https://e.com/i.png)](https://e.com)", ["alt text"]),
        ("> [!NOTE]\n> > nested quote in panel", ["nested quote in panel"]),
        ("> - [ ] task in quote", ["task in quote"]),
        ("1. item\n\n   | a | b |\n   |---|---|\n   | c | d |", ["item", "a | b", "c | d"]),
        ("- item\n\n  ---\n\n  after", ["item", "after"]),
        ("> [!TIP]\n> | h |\n> |---|\n> | v |", ["h", "v"]),
        ("- [ ] task\n\n  second paragraph\n\n  - plain nested", ["task", "second paragraph", "plain nested"]),
        ("<details><summary>Out</summary>\n\n<details><summary>In</summary>deep</details>\n\n</details>",
         ["Out", "In", "deep"]),
    ],
)  # fmt: skip
def test_forbidden_nesting_degrades_to_valid_adf_keeping_the_text(md: str, words: list[str]) -> None:
    doc = markdown_to_adf(md)
    assert validate_adf(doc) == []
    plain = adf_to_text(doc)
    for word in words:
        assert word in plain


def test_a_heading_in_a_list_becomes_a_bold_paragraph() -> None:
    [bullets] = _blocks("- # Title")
    assert bullets["content"][0]["content"] == [_p(_t("Title", STRONG))]


def test_empty_and_whitespace_input_give_an_empty_valid_document() -> None:
    assert markdown_to_adf("") == {"type": "doc", "version": 1, "content": []}
    assert markdown_to_adf("  \n\n ")["content"] == []


def test_the_same_markdown_always_gives_the_same_document() -> None:
    md = "- [ ] a\n- [x] b"
    assert markdown_to_adf(md) == markdown_to_adf(md)
