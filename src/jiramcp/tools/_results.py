"""How a tool answers: a typed model for programs, a compact text for the model.

The SDK's default answer repeats the structured result as indented JSON text. jiramcp instead
sends the structured content once, for clients that read it, and a text written to be cheap in
tokens and easy to act on, which is what a model is shown.
"""

from __future__ import annotations

from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel


def answer(model: BaseModel, text: str) -> CallToolResult:
    """A successful tool result: `model` as structured content, `text` as what the model reads."""
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content=model.model_dump(mode="json", exclude_none=True, by_alias=True),
    )
