"""Golden files: realistic issue descriptions in Markdown (→ ADF, → wiki) and wiki (→ Markdown).

To accept a deliberate change of output, regenerate the expected files and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft4Validator

from jiramcp.adf import adf_to_markdown, markdown_to_adf, markdown_to_wiki, wiki_to_adf, wiki_to_markdown

GOLDEN = Path(__file__).parent / "golden"


def test_bug_report_markdown_converts_to_the_expected_valid_adf(official_validator: Draft4Validator) -> None:
    doc = markdown_to_adf((GOLDEN / "bug_report.md").read_text(encoding="utf-8"))
    assert official_validator.is_valid(doc)
    assert doc == json.loads((GOLDEN / "bug_report.adf.json").read_text(encoding="utf-8"))


def test_bug_report_adf_renders_back_to_the_expected_markdown() -> None:
    doc = json.loads((GOLDEN / "bug_report.adf.json").read_text(encoding="utf-8"))
    expected = (GOLDEN / "bug_report.roundtrip.md").read_text(encoding="utf-8")
    assert adf_to_markdown(doc) == expected
    assert markdown_to_adf(expected) == doc


def test_bug_report_markdown_converts_to_the_expected_wiki() -> None:
    md = (GOLDEN / "bug_report.md").read_text(encoding="utf-8")
    assert markdown_to_wiki(md) == (GOLDEN / "bug_report.wiki").read_text(encoding="utf-8")


def test_server_ticket_wiki_converts_to_the_expected_markdown(official_validator: Draft4Validator) -> None:
    wiki = (GOLDEN / "server_ticket.wiki").read_text(encoding="utf-8")
    assert official_validator.is_valid(wiki_to_adf(wiki))
    assert wiki_to_markdown(wiki) == (GOLDEN / "server_ticket.md").read_text(encoding="utf-8")
