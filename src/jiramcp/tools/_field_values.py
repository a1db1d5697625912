"""A model's field values turned into the JSON shapes Jira expects, decided by the field's schema.

Pure and synchronous: users are resolved (an async lookup) before conversion and handed in as a
map, and rich text is converted by a callable the caller picks for the deployment (ADF on Cloud,
wiki markup on Server/Data Center). Every problem is a `FieldValueError` naming the parameter as
the model wrote it and, where Jira has a list, the values that are allowed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jiramcp.tools._duration import DurationError, parse_duration
from jiramcp.tools._field_spec import FieldSpec

# Allowed values shown in one error before "… and N more" (a long list costs tokens, not clarity).
MAX_LISTED = 25
# Jira's single-line text fields hold at most 255 characters.
SINGLE_LINE_MAX = 255

_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*-[0-9]+$")


class FieldValueError(ValueError):
    """One value Jira would refuse; the message starts with the parameter's name."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param


@dataclass(frozen=True, slots=True)
class Converters:
    """What conversion needs from outside: rich text and users, both deployment-specific."""

    text: Callable[[str], Any]
    users: Mapping[str, Mapping[str, Any]]


def _listing(spec: FieldSpec) -> str:
    names = [label(a) for a in spec.allowed or ()]
    shown = ", ".join(names[:MAX_LISTED])
    more = f" … and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else ""
    return shown + more


def label(allowed: Mapping[str, Any]) -> str:
    """How an allowed value is shown to the model: its name (or option value), else its id."""
    return str(allowed.get("name") or allowed.get("value") or allowed.get("key") or allowed.get("id"))


def _pick(spec: FieldSpec, raw: Any, param: str) -> Mapping[str, Any] | None:
    """The allowed value `raw` names (by id, name, value or key; case-insensitive), if Jira listed any."""
    if spec.allowed is None:
        return None
    if isinstance(raw, Mapping):
        wanted = [str(raw[k]) for k in ("id", "name", "value", "key") if raw.get(k) is not None]
    else:
        wanted = [str(raw)]
    for text in wanted:
        lowered = text.strip().lower()
        for allowed in spec.allowed:
            if str(allowed.get("id")) == text.strip():
                return allowed
            if any(str(allowed.get(k) or "").lower() == lowered for k in ("name", "value", "key")):
                return allowed
    if not spec.allowed:
        raise FieldValueError(param, f"{spec.name} takes no values here (Jira lists none for this project)")
    raise FieldValueError(param, f"{_show(raw)} is not allowed for {spec.name}; allowed: {_listing(spec)}")


def _show(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 80 else text[:77] + "..."


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _number(spec: FieldSpec, raw: Any, param: str) -> int | float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise FieldValueError(param, f"{spec.name} takes a number (got {_show(raw)})")
    try:
        number = float(raw)
    except ValueError:
        raise FieldValueError(param, f"{spec.name} takes a number (got {_show(raw)})") from None
    return int(number) if number.is_integer() and not isinstance(raw, float) else number


def _date(spec: FieldSpec, raw: Any, param: str) -> str:
    try:
        return dt.date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError:
        raise FieldValueError(param, f"{spec.name} takes a date as YYYY-MM-DD (got {_show(raw)})") from None


def jira_datetime(raw: Any, param: str, what: str = "a date-time") -> str:
    """ISO 8601 (`2026-11-20T14:30`, `2026-11-20 14:30+01:00`, a bare date) → Jira's
    `2026-11-20T14:30:00.000+0000`; without an offset the time is taken as UTC."""
    text = str(raw).strip()
    try:
        if len(text) == 10:
            parsed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        else:
            parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise FieldValueError(param, f"{what} as ISO 8601, e.g. 2026-11-20T14:30 (got {_show(raw)})") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.") + f"{parsed.microsecond // 1000:03d}" + parsed.strftime("%z")


def _string(spec: FieldSpec, raw: Any, param: str) -> str:
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise FieldValueError(param, f"{spec.name} takes text (got {_show(raw)})")
    text = str(raw)
    if spec.id != "summary" and "\n" in text:
        raise FieldValueError(param, f"{spec.name} is a single-line text field; remove the line breaks")
    if len(text) > SINGLE_LINE_MAX:
        raise FieldValueError(param, f"{spec.name} holds at most {SINGLE_LINE_MAX} characters (got {len(text)})")
    return text


def _user(spec: FieldSpec, raw: Any, param: str, conv: Converters) -> Mapping[str, Any]:
    if isinstance(raw, Mapping) and ("accountId" in raw or "name" in raw):
        return {k: raw[k] for k in ("accountId", "name") if k in raw}
    found = conv.users.get(str(raw))
    if found is None:
        raise FieldValueError(param, f"no user found for {_show(raw)}; look them up with jira_find_users")
    return found


def _option(spec: FieldSpec, raw: Any, param: str) -> Mapping[str, Any]:
    picked = _pick(spec, raw, param)
    if picked is not None:
        return {"id": str(picked["id"])} if "id" in picked else {"value": label(picked)}
    if isinstance(raw, Mapping):
        return dict(raw)
    return {"value": str(raw)}


def _named(spec: FieldSpec, raw: Any, param: str) -> Mapping[str, Any]:
    picked = _pick(spec, raw, param)
    if picked is not None:
        return {"id": str(picked["id"])} if "id" in picked else {"name": label(picked)}
    if isinstance(raw, Mapping):
        return dict(raw)
    return {"name": str(raw)}


def _cascade(spec: FieldSpec, raw: Any, param: str) -> Mapping[str, Any]:
    if isinstance(raw, Mapping):
        return dict(raw)
    parent, _, child = str(raw).partition("/")
    parent_value = _option(spec, parent.strip(), param)
    if not child.strip():
        return parent_value
    picked = _pick(spec, parent.strip(), param)
    if picked is not None:
        children = FieldSpec(spec.id, f"{spec.name} / {label(picked)}", {}, allowed=tuple(picked.get("children") or ()))
        return {**parent_value, "child": _option(children, child.strip(), param)}
    return {**parent_value, "child": {"value": child.strip()}}


def _item(kind: str, spec: FieldSpec, raw: Any, param: str, conv: Converters) -> Any:
    if kind == "string":
        return _string(spec, raw, param)
    if kind == "number":
        return _number(spec, raw, param)
    if kind == "date":
        return _date(spec, raw, param)
    if kind == "datetime":
        return jira_datetime(raw, param, f"{spec.name} takes a date-time")
    if kind == "option":
        return _option(spec, raw, param)
    if kind == "named":
        return _named(spec, raw, param)
    if kind == "user":
        return _user(spec, raw, param, conv)
    return raw


def _labels(raw: Any, param: str) -> list[str]:
    labels = [str(item).strip() for item in _as_list(raw)]
    bad = [item for item in labels if not item or any(c.isspace() for c in item)]
    if bad:
        raise FieldValueError(
            param,
            f"labels cannot be empty or contain spaces: {', '.join(map(repr, bad))} (use a dash or underscore instead)",
        )
    return list(dict.fromkeys(labels))


def to_jira(spec: FieldSpec, raw: Any, param: str, conv: Converters) -> Any:
    """`raw` (as a model wrote it) in the shape Jira takes for `spec`; None clears the field."""
    if raw is None:
        return [] if spec.kind == "array" else None
    kind = spec.kind
    if kind == "text":
        if not isinstance(raw, str):
            raise FieldValueError(param, f"{spec.name} takes Markdown text (got {_show(raw)})")
        return conv.text(raw)
    if kind == "array":
        item_kind = spec.item_kind
        if (item_kind == "string" and spec.id == "labels") or spec.schema.get("system") == "labels":
            return _labels(raw, param)
        return [_item(item_kind, spec, item, param, conv) for item in _as_list(raw)]
    if kind == "cascade":
        return _cascade(spec, raw, param)
    if kind in ("parent", "epic"):
        text = str(raw.get("key") if isinstance(raw, Mapping) else raw).strip().upper()
        if not _KEY.match(text):
            raise FieldValueError(param, f"{spec.name} takes an issue key like PROJ-12 (got {_show(raw)})")
        return {"key": text} if kind == "parent" else text
    if kind == "sprint":
        if isinstance(raw, bool) or not str(raw).strip().isdigit():
            raise FieldValueError(
                param, f"{spec.name} takes a sprint id (a number; list sprints with the agile tools) (got {_show(raw)})"
            )
        return int(str(raw).strip())
    if kind == "timetracking":
        return _timetracking(raw, param)
    if kind == "project":
        return {"key": str(raw).upper()} if not isinstance(raw, Mapping) else dict(raw)
    return _item(kind, spec, raw, param, conv)


def _timetracking(raw: Any, param: str) -> Mapping[str, str]:
    if not isinstance(raw, Mapping):
        raw = {"originalEstimate": raw}
    out = {}
    for key in ("originalEstimate", "remainingEstimate"):
        if raw.get(key) is not None:
            try:
                parse_duration(str(raw[key]))
            except DurationError as error:
                raise FieldValueError(f"{param}.{key}", str(error)) from None
            out[key] = str(raw[key]).strip()
    if not out:
        raise FieldValueError(param, "time tracking takes originalEstimate and/or remainingEstimate, e.g. '2d 4h'")
    return out


def user_inputs(spec: FieldSpec, raw: Any) -> list[str]:
    """The user names/emails/ids in `raw` that need a lookup before `to_jira` can convert it."""
    if raw is None:
        return []
    if spec.kind == "user" or (spec.kind == "array" and spec.item_kind == "user"):
        return [str(item) for item in _as_list(raw) if not isinstance(item, Mapping)]
    return []


def missing_required(specs: Mapping[str, FieldSpec], given: Sequence[str]) -> list[FieldSpec]:
    """Required fields without a default that the call does not set (project and type aside)."""
    return [
        spec
        for spec in specs.values()
        if spec.required and not spec.has_default and spec.id not in given and spec.id not in ("project", "issuetype")
    ]


def describe_spec(spec: FieldSpec) -> str:
    """One line for an error: `Team (customfield_10050, option): Phoenix, Atlas`."""
    type_ = spec.schema.get("items") if spec.kind == "array" else spec.schema.get("type")
    head = f"{spec.name} ({spec.id}{', ' + str(type_) if type_ else ''})"
    return f"{head}: one of {_listing(spec)}" if spec.allowed else head
