"""validate_adf: the packaged schema is the official one and its messages point at the fault."""

from __future__ import annotations

from typing import Any

import pytest

from jiramcp.adf import adf_schema, is_valid_adf, validate_adf


def _doc(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "doc", "version": 1, "content": list(content)}


def _para(text: str) -> dict[str, Any]:
    return {"type": "paragraph", "content": [{"type": "text", "text": text}]}


def test_packaged_schema_is_the_official_one(official_schema: dict[str, Any]) -> None:
    assert adf_schema() == official_schema


def test_a_valid_document_has_no_errors() -> None:
    assert validate_adf(_doc(_para("hello"))) == []
    assert is_valid_adf(_doc(_para("hello")))


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            _doc({"type": "heading", "attrs": {"level": 7}, "content": [{"type": "text", "text": "x"}]}),
            "$.content[0].attrs.level: 7 is greater than the maximum of 6",
        ),
        (_doc(_para("")), "$.content[0].content[0].text: '' should be non-empty"),
        (_doc({"type": "bulletList", "content": []}), "$.content[0].content: [] should be non-empty"),
        ({"type": "doc", "content": []}, "$: 'version' is a required property"),
        (
            _doc({"type": "paragraph", "content": [{"type": "text", "text": "x", "marks": [{"type": "link"}]}]}),
            "$.content[0].content[0].marks[0]: 'attrs' is a required property",
        ),
    ],
)
def test_errors_name_the_path_and_the_fault(doc: dict[str, Any], expected: str) -> None:
    assert validate_adf(doc) == [expected]
    assert not is_valid_adf(doc)


def test_a_node_in_the_wrong_place_names_what_is_allowed_there() -> None:
    doc = _doc({"type": "blockquote", "content": [{"type": "heading", "attrs": {"level": 1}}]})
    [message] = validate_adf(doc)
    assert message.startswith("$.content[0].content[0]: node type 'heading' is not allowed here (allowed: ")
    assert "paragraph" in message and "bulletList" in message


def test_an_unknown_node_type_is_reported_by_name() -> None:
    [message] = validate_adf(_doc({"type": "foo"}))
    assert "node type 'foo' is not allowed here" in message


def test_long_values_are_shortened_in_messages() -> None:
    messages = validate_adf(_doc({"type": "paragraph", "content": "x" * 5000}))
    assert messages and all(len(m) < 400 for m in messages)


def test_a_non_object_is_rejected() -> None:
    assert validate_adf([]) == ["$: [] is not of type 'object'"]
