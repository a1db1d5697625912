"""ADF (Atlassian Document Format): validate, convert to and from Markdown, wiki markup for Server/DC.

Knows nothing of MCP. The Markdown spellings of Jira-only nodes (mentions, status, dates, panels,
expand, placeholders for nodes Markdown cannot carry) are listed in `jiramcp.adf._nodes`.
"""

from jiramcp.adf._from_markdown import markdown_to_adf
from jiramcp.adf._merge import MergeResult, merge_markdown_into_adf, opaque_nodes
from jiramcp.adf._text import CappedMarkdown, adf_to_text, render_markdown_capped, text_to_adf
from jiramcp.adf._to_markdown import adf_to_markdown
from jiramcp.adf._validate import adf_schema, is_valid_adf, validate_adf
from jiramcp.adf._wiki_in import wiki_to_adf, wiki_to_markdown
from jiramcp.adf._wiki_out import adf_to_wiki, markdown_to_wiki

__all__ = [
    "CappedMarkdown",
    "MergeResult",
    "adf_schema",
    "adf_to_markdown",
    "adf_to_text",
    "adf_to_wiki",
    "is_valid_adf",
    "markdown_to_adf",
    "markdown_to_wiki",
    "merge_markdown_into_adf",
    "opaque_nodes",
    "render_markdown_capped",
    "text_to_adf",
    "validate_adf",
    "wiki_to_adf",
    "wiki_to_markdown",
]
