"""Field specs: how one JQL field reads an issue and an operand (see `_jql_fields` for the map)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from jiramcp.jql import Empty, FunctionCall, Operator, Value
from jiramcp.sandbox._jql_dates import as_datetime, date_function, parse_date_operand, parse_jira_timestamp
from jiramcp.sandbox._jql_errors import JqlValueError
from jiramcp.sandbox._jql_functions import check_known, function_atoms

if TYPE_CHECKING:
    from jiramcp.sandbox._jql_fields import Env

Issue = Mapping[str, Any]
Item = Value | Empty | FunctionCall

EQ_OPS = frozenset({Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN, Operator.IS, Operator.IS_NOT})
ORDER_OPS = frozenset({Operator.GT, Operator.GE, Operator.LT, Operator.LE})
HISTORY_OPS = frozenset({Operator.WAS, Operator.WAS_NOT, Operator.WAS_IN, Operator.WAS_NOT_IN})
TEXT_OPS = frozenset({Operator.CONTAINS, Operator.NOT_CONTAINS, Operator.IS, Operator.IS_NOT})


class Spec:
    """What every field shape shares: a name for messages, operators, sorting and history."""

    def __init__(
        self,
        name: str,
        operators: frozenset[Operator],
        *,
        sort: Callable[[Issue], Any] | None = None,
        default_desc: bool = False,
        history: tuple[str, ...] = (),
        sortable: bool = True,
    ) -> None:
        self.name = name
        self.operators = operators | (HISTORY_OPS if history else frozenset())
        self.sort_key = sort if sortable else None
        self.default_desc = default_desc
        self.history = history
        self.history_mode = "single"
        self.empty_words: frozenset[str] = frozenset()

    def is_empty(self, issue: Issue) -> bool:
        raise NotImplementedError

    def is_empty_word(self, item: Item) -> bool:
        return isinstance(item, Empty) or (isinstance(item, Value) and item.text.lower() in self.empty_words)


class AtomSpec(Spec):
    """A field whose values are compared by identity, as sets of lowercased atoms."""

    def __init__(
        self,
        name: str,
        operators: frozenset[Operator],
        *,
        extract: Callable[[Issue], frozenset[str]],
        resolve: Callable[[str], frozenset[str]],
        function_kinds: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(name, operators, **kwargs)
        self.extract = extract
        self.resolve = resolve
        self.function_kinds = function_kinds
        self.order_value: Callable[[Issue], Any] | None = None
        self.order_operand: Callable[[str], Any] | None = None
        self.relative: Callable[[Issue, Any], Any] | None = None

    def ordered(
        self,
        value: Callable[[Issue], Any],
        operand: Callable[[str], Any],
        relative: Callable[[Issue, Any], Any] | None = None,
    ) -> None:
        """Allow `> >= < <=` (priority by rank, keys within a project)."""
        self.operators = self.operators | ORDER_OPS
        self.order_value, self.order_operand, self.relative = value, operand, relative

    def is_empty(self, issue: Issue) -> bool:
        return not self.extract(issue)

    def item_atoms(self, item: Item, env: Env) -> frozenset[str]:
        """Atoms of one operand item (EMPTY is handled by the caller)."""
        if isinstance(item, FunctionCall):
            kind = check_known(item)
            if kind not in self.function_kinds:
                raise JqlValueError(f"The function '{item.name}' is not supported by the '{self.name}' field.")
            return function_atoms(item, env)
        assert isinstance(item, Value)
        return self.resolve(item.text)


class ScalarSpec(Spec):
    """Dates and numbers: one comparable value or None."""

    def __init__(
        self,
        name: str,
        value: Callable[[Issue], Any],
        operand: Callable[[Item, Env], Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(name, EQ_OPS | ORDER_OPS, sort=kwargs.pop("sort", value), **kwargs)
        self.value = value
        self.operand = operand

    def is_empty(self, issue: Issue) -> bool:
        return self.value(issue) is None


class TextSpec(Spec):
    """A text field (ADF or plain), searched with `~`."""

    def __init__(self, name: str, texts: Callable[[Issue], list[str]], sort: Callable[[Issue], Any] | None) -> None:
        super().__init__(name, TEXT_OPS, sort=sort, sortable=sort is not None)
        self.texts = texts

    def is_empty(self, issue: Issue) -> bool:
        return not self.texts(issue)


def _atoms(obj: Any, keys: Iterable[str]) -> frozenset[str]:
    if not isinstance(obj, Mapping):
        return frozenset()
    return frozenset(str(obj[k]).lower() for k in keys if obj.get(k) not in (None, ""))


def named(
    name: str,
    getter: Callable[[Issue], list[Any]],
    keys: tuple[str, ...],
    catalog: frozenset[str] | None,
    *,
    resolve: Callable[[str], frozenset[str]] | None = None,
    function_kinds: tuple[str, ...] = (),
    **kwargs: Any,
) -> AtomSpec:
    """A field holding Jira objects (status, version, select option …) matched by id or name."""

    def extract(issue: Issue) -> frozenset[str]:
        found: set[str] = set()
        for obj in getter(issue):
            found |= _atoms(obj, keys)
        return frozenset(found)

    def by_name(text: str) -> frozenset[str]:
        if catalog is not None and text.lower() not in catalog:
            raise JqlValueError(f"The value '{text}' does not exist for the field '{name}'.")
        return frozenset({text.lower()})

    spec = AtomSpec(name, EQ_OPS, extract=extract, resolve=resolve or by_name, function_kinds=function_kinds, **kwargs)
    if spec.history and spec.history[0] in ("fixVersions", "versions"):
        spec.history_mode = "delta"
    return spec


def date_spec(env: Env, name: str, field_id: str, default_desc: bool = False) -> ScalarSpec:
    """A date or date-time field; a date-only value is the start of its day in the user's zone."""
    tz = env.ctx.now.tzinfo
    assert tz is not None

    def value(issue: Issue) -> Any:
        raw = (issue.get("fields") or {}).get(field_id)
        return as_datetime(parse_jira_timestamp(raw), tz) if raw else None

    def operand(item: Item, env_: Env) -> Any:
        if isinstance(item, FunctionCall):
            if check_known(item) != "date":
                raise JqlValueError(f"The function '{item.name}' is not supported by the '{name}' field.")
            return date_function(item.name, item.args, env_.ctx.now, env_.ctx.week_start)
        assert isinstance(item, Value)
        return parse_date_operand(item.text, env_.ctx.now, name)

    return ScalarSpec(name, value, operand, default_desc=default_desc)


_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([wdhm]?)\s*")
# Jira's default time tracking: a day is 8 hours, a week 5 days; a bare number counts minutes.
_DURATION_SECONDS = {"w": 5 * 8 * 3600, "d": 8 * 3600, "h": 3600, "m": 60, "": 60}


def _parse_duration(text: str, name: str) -> float:
    pos, total = 0, 0.0
    while pos < len(text):
        match = _DURATION.match(text, pos)
        if match is None or match.end() == pos:
            raise JqlValueError(f"The value '{text}' for field '{name}' is not a valid duration.")
        total += float(match.group(1)) * _DURATION_SECONDS[match.group(2)]
        pos = match.end()
    return total


def number_spec(
    name: str, getter: Callable[[Issue], Any], *, duration: bool = False, default_desc: bool = False
) -> ScalarSpec:
    """A number field (Story Points, votes) or a time-tracking duration held in seconds."""

    def value(issue: Issue) -> float | None:
        raw = getter(issue)
        return None if raw is None or isinstance(raw, bool) else float(raw)

    def operand(item: Item, env: Env) -> float:
        if isinstance(item, FunctionCall):
            raise JqlValueError(f"The function '{item.name}' is not supported by the '{name}' field.")
        assert isinstance(item, Value)
        if duration:
            return _parse_duration(item.text, name)
        try:
            return float(item.text)
        except ValueError:
            raise JqlValueError(f"The value '{item.text}' is not a valid number for the field '{name}'.") from None

    return ScalarSpec(name, value, operand, default_desc=default_desc)
