"""Leaner tool schemas: every client puts them in the model's context on every turn.

Pydantic's JSON schema repeats a `title` for every property (the name again, title-cased) and
spells each optional parameter as `anyOf: [X, {"type": "null"}]` with `default: null`. Neither
tells a model anything the property name and its absence from `required` don't: dropping them
cuts a tool listing by about a quarter. Validation is unaffected (pydantic still accepts null).
"""

from __future__ import annotations

from typing import Any

# Keys whose values are maps of name -> schema (the names are data, not schema keywords).
_SCHEMA_MAPS = ("properties", "$defs", "definitions", "patternProperties")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_SCHEMA_VALUES = ("items", "additionalProperties", "not", "propertyNames")


def _drop_null_branch(schema: dict[str, Any]) -> dict[str, Any]:
    branches = schema.get("anyOf")
    if not isinstance(branches, list) or len(branches) != 2 or {"type": "null"} not in branches:
        return schema
    if schema.get("default") is not None:
        return schema
    inner = next(b for b in branches if b != {"type": "null"})
    merged = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
    return {**inner, **merged}


def compact_schema(schema: Any) -> Any:
    """A copy of `schema` without titles and with optional-null unions collapsed."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in _drop_null_branch(schema).items():
        if key == "title" and isinstance(value, str):
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: compact_schema(sub) for name, sub in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [compact_schema(sub) for sub in value]
        elif key in _SCHEMA_VALUES:
            out[key] = compact_schema(value)
        else:
            out[key] = value
    return out
