"""merge_markdown_into_adf: ADF-only nodes survive an edit or are reported, never silently lost."""

from __future__ import annotations

from typing import Any

from jiramcp.adf import adf_to_markdown, merge_markdown_into_adf, validate_adf

_MEDIA = {
    "type": "mediaSingle",
    "attrs": {"layout": "wide", "width": 80},
    "content": [{"type": "media", "attrs": {"type": "file", "id": "f-1", "collection": "jira-1", "alt": "shot.png"}}],
}
_EXTENSION = {"type": "extension", "attrs": {"extensionType": "com.x", "extensionKey": "roadmap"}}
_MEDIA_INLINE = {"type": "mediaInline", "attrs": {"id": "f-2", "collection": "jira-1", "type": "file"}}


def _old() -> dict[str, Any]:
    return {
        "type": "doc",
        "version": 1,
        "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "Intro "}, _MEDIA_INLINE]},
            _MEDIA,
            {"type": "layoutSection", "content": [
                {"type": "layoutColumn", "attrs": {"width": 50}, "content": [{"type": "paragraph", "content": [
                    {"type": "text", "text": "left", "marks": [{"type": "annotation", "attrs": {
                        "id": "a1", "annotationType": "inlineComment"}}]}]}]},
                {"type": "layoutColumn", "attrs": {"width": 50}, "content": [_EXTENSION]},
            ]},
        ],
    }  # fmt: skip


def test_placeholders_in_the_markdown_point_at_the_original_nodes() -> None:
    md = adf_to_markdown(_old())
    assert "(adf:0)" in md and "![shot.png](adf:1)" in md and "[extension: roadmap](adf:2)" in md


def test_an_edit_that_keeps_the_placeholders_restores_the_nodes_untouched() -> None:
    old = _old()
    md = adf_to_markdown(old).replace("Intro", "Introduction, edited")
    result = merge_markdown_into_adf(old, md)
    assert validate_adf(result.doc) == []
    blocks = result.doc["content"]
    assert blocks[0]["content"][0]["text"] == "Introduction, edited "
    assert blocks[0]["content"][1] == _MEDIA_INLINE
    assert blocks[1] == _MEDIA  # width and layout included
    assert _EXTENSION in blocks
    assert len(result.preserved) == 3


def test_removed_placeholders_and_flattened_features_are_reported() -> None:
    old = _old()
    md = "\n".join(line for line in adf_to_markdown(old).splitlines() if "adf:1" not in line)
    result = merge_markdown_into_adf(old, md)
    assert validate_adf(result.doc) == []
    assert any(entry.startswith("mediaSingle: shot.png (adf:1 not in the new text)") for entry in result.lost)
    assert any(entry.startswith("layoutSection ×1") for entry in result.lost)
    assert any(entry.startswith("annotation mark ×1") for entry in result.lost)


def test_an_unchanged_round_trip_of_plain_markdown_loses_nothing() -> None:
    old = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": [{"type": "text", "text": "x"}]}]}
    result = merge_markdown_into_adf(old, adf_to_markdown(old))
    assert result.doc == old and result.lost == [] and result.preserved == []


def test_a_placeholder_number_that_does_not_exist_stays_text() -> None:
    result = merge_markdown_into_adf(_old(), "see [thing](adf:99)")
    assert result.doc["content"] == [{"type": "paragraph", "content": [{"type": "text", "text": "see thing"}]}]
    assert len(result.lost) >= 3
