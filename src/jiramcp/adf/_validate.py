"""Check a document against the official ADF JSON schema, with messages a person can act on.

The schema (Atlassian's `full.json`, draft-04) ships inside the package, so a check needs no
network and no `shared/` folder. It is compiled once, on first use.

Most ADF content rules are `anyOf` lists of node kinds, and jsonschema's own message for a
failed `anyOf` is the whole instance followed by "is not valid under any of the given schemas".
We descend instead into the one branch whose `type` matches the node and report what is wrong
there ("$.content[0].content[1].attrs.level: 7 is greater than the maximum of 6"), or, when no
branch has that type, name the node kinds allowed at that place.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Imported where used: the pure-Python validator costs start-up time and most processes
    # (the MCP server answering reads) never validate a document.
    from jsonschema import Draft4Validator
    from jsonschema.exceptions import ValidationError

__all__ = ["adf_schema", "is_valid_adf", "validate_adf"]

logger = logging.getLogger(__name__)

# Messages quote the offending value; a whole table pasted into an error helps nobody.
_MAX_REPR = 80
_COMBINATORS = frozenset({"anyOf", "oneOf"})


@cache
def adf_schema() -> dict[str, Any]:
    """Return the packaged official ADF schema (parsed once, shared; do not mutate)."""
    text = resources.files("jiramcp.adf").joinpath("schema", "full.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _validator() -> Draft4Validator:
    from jsonschema import Draft4Validator

    return Draft4Validator(adf_schema())


@cache
def _fast_check() -> Callable[[Any], bool]:
    """The yes/no check: jsonschema-rs where installed (about 10,000× faster on ADF's deep
    `anyOf` trees: 0.1 ms instead of seconds), else the pure-Python validator."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - platforms without a wheel
        logger.info("jsonschema-rs not available; validating ADF with the pure-Python validator")
        return _validator().is_valid
    return jsonschema_rs.Draft4Validator(adf_schema()).is_valid


def is_valid_adf(doc: Any) -> bool:
    """Return True when `doc` validates against the official ADF schema (no messages built)."""
    return _fast_check()(doc)


def validate_adf(doc: Any) -> list[str]:
    """Validate a document against the official ADF schema.

    Args:
        doc: The candidate ADF document (normally a dict with `type: "doc"`).

    Returns:
        Human-readable error messages, each starting with a JSON path (`$.content[2].attrs`);
        an empty list means the document is valid.
    """
    if _fast_check()(doc):
        return []
    validator = _validator()  # slow, but only invalid documents get here, for the messages
    messages: list[str] = []
    for error in sorted(validator.iter_errors(doc), key=lambda e: _path_text(e.absolute_path)):
        for message in _explain(error):
            if message not in messages:
                messages.append(message)
    return messages


def _explain(error: ValidationError) -> list[str]:
    if error.validator not in _COMBINATORS or not error.context:
        return [f"{_path_text(error.absolute_path)}: {_short_message(error)}"]
    branches = _branches(error)
    node_type = error.instance.get("type") if isinstance(error.instance, dict) else None
    matching = [errs for errs in branches.values() if not any(_fails_type(e) for e in errs)]
    if matching:
        # Several branches may share a type (heading, heading_with_alignment...): report the one
        # that came closest, i.e. with the fewest complaints.
        best = min(matching, key=len)
        out: list[str] = []
        for sub in best:
            out.extend(_explain(sub))
        return out
    allowed = sorted({t for errs in branches.values() for t in _expected_types(errs)})
    where = _path_text(error.absolute_path)
    if node_type is None:
        return [f"{where}: expected a node object with a 'type' (one of: {', '.join(allowed)})"]
    return [f"{where}: node type {node_type!r} is not allowed here (allowed: {', '.join(allowed)})"]


def _branches(error: ValidationError) -> dict[int, list[ValidationError]]:
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        index = sub.schema_path[0] if sub.schema_path else -1
        branches.setdefault(int(index), []).append(sub)
    return branches


def _fails_type(error: ValidationError) -> bool:
    """True when this branch rejected the node because of its `type` (wrong kind of node)."""
    rel = list(error.relative_path)
    if rel == ["type"]:
        return True
    return not rel and error.validator in ("type", "required") and _is_type_required(error)


def _is_type_required(error: ValidationError) -> bool:
    if error.validator == "type":
        return True  # not even an object
    return "'type'" in error.message


def _expected_types(errors: Iterable[ValidationError]) -> set[str]:
    found: set[str] = set()
    for sub in errors:
        if list(sub.relative_path) == ["type"] and sub.validator == "enum":
            found.update(str(v) for v in sub.validator_value)
    return found


def _short_message(error: ValidationError) -> str:
    instance = error.instance
    text = repr(instance)
    if len(text) <= _MAX_REPR:
        return error.message
    shown = text[: _MAX_REPR - 3] + "..."
    message = error.message.replace(text, shown, 1)
    if len(message) > 4 * _MAX_REPR:
        message = message[: 4 * _MAX_REPR - 3] + "..."
    return message


def _path_text(path: Iterable[Any]) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
