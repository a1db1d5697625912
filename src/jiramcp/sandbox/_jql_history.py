"""`WAS` and `CHANGED` over an issue's changelog (`expand=changelog` shape).

The field's past values are rebuilt backwards from its current value, undoing each changelog
item (oldest first order is not trusted; histories are sorted by `created`). A value is a set of
lowercased atoms (id and display string), like current values, so operands resolve the same way.
Three changelog styles: `single` (from/to are whole values: status, assignee), `delta` (one
version added or removed per item: Fix Version) and `set` (comma-separated lists: Sprint).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from jiramcp.jql import Empty, FunctionCall, HistoryKeyword, HistoryPredicate, Value, ValueList
from jiramcp.sandbox._jql_dates import as_datetime, date_function, parse_date_operand, parse_jira_timestamp
from jiramcp.sandbox._jql_errors import JqlValueError
from jiramcp.sandbox._jql_functions import check_known, function_atoms
from jiramcp.sandbox._jql_specs import AtomSpec

if TYPE_CHECKING:
    from jiramcp.sandbox._jql_fields import Env

__all__ = ["compile_changed", "compile_was"]

Issue = Mapping[str, Any]
Test = Callable[["_Change"], bool]


@dataclass(frozen=True, slots=True)
class _Change:
    at: datetime
    author: str
    before: frozenset[str]
    after: frozenset[str]


def _split(raw: Any, mode: str) -> frozenset[str]:
    if raw in (None, ""):
        return frozenset()
    parts = str(raw).split(",") if mode == "set" else [str(raw)]
    return frozenset(p.strip().lower() for p in parts if p.strip())


def _changes(spec: AtomSpec, issue: Issue, env: Env) -> list[_Change]:
    wanted = {h.lower() for h in spec.history}
    tz = env.ctx.now.tzinfo
    assert tz is not None
    found: list[_Change] = []
    histories = sorted((issue.get("changelog") or {}).get("histories") or (), key=lambda h: h.get("created", ""))
    for history in histories:
        at = as_datetime(parse_jira_timestamp(history["created"]), tz)
        author = str((history.get("author") or {}).get("accountId", "")).lower()
        for item in history.get("items") or ():
            if str(item.get("fieldId", "")).lower() in wanted or str(item.get("field", "")).lower() in wanted:
                mode = spec.history_mode
                before = _split(item.get("from"), mode) | _split(item.get("fromString"), mode)
                after = _split(item.get("to"), mode) | _split(item.get("toString"), mode)
                found.append(_Change(at, author, before, after))
    return found


def _intervals(
    spec: AtomSpec, issue: Issue, env: Env
) -> list[tuple[datetime | None, datetime | None, frozenset[str], str]]:
    """(start, end, value atoms, who set it) for each period the field held one value."""
    changes = _changes(spec, issue, env)
    fields = issue.get("fields") or {}
    creator = str((fields.get("creator") or fields.get("reporter") or {}).get("accountId", "")).lower()
    state = spec.extract(issue)
    periods = []
    end: datetime | None = None
    for change in reversed(changes):
        periods.append((change.at, end, state, change.author))
        state = (state - change.after) | change.before if spec.history_mode == "delta" else change.before
        end = change.at
    created = fields.get("created")
    start = as_datetime(parse_jira_timestamp(created), env.ctx.now.tzinfo) if created else None  # type: ignore[arg-type]
    periods.append((start, end, state, creator))
    return periods


def _moment(operand: Any, env: Env, name: str) -> datetime:
    if isinstance(operand, FunctionCall):
        if check_known(operand) != "date":
            raise JqlValueError(f"The function '{operand.name}' is not supported in a date predicate of '{name}'.")
        return date_function(operand.name, operand.args, env.ctx.now, env.ctx.week_start)
    if isinstance(operand, Value):
        return parse_date_operand(operand.text, env.ctx.now, name)
    raise JqlValueError(f"A date is expected in the history predicate of field '{name}'.")


def _users(operand: Any, env: Env, name: str) -> frozenset[str]:
    items = operand.items if isinstance(operand, ValueList) else (operand,)
    atoms: set[str] = set()
    for item in items:
        if isinstance(item, FunctionCall):
            if check_known(item) != "user":
                raise JqlValueError(f"The function '{item.name}' is not supported by the BY predicate.")
            atoms |= function_atoms(item, env)
        elif isinstance(item, Value):
            atoms |= env.user_atoms(item.text, name)
        else:
            raise JqlValueError(f"EMPTY is not a valid user for the BY predicate of field '{name}'.")
    return frozenset(atoms)


def _span(predicate: HistoryPredicate, env: Env, name: str) -> tuple[datetime | None, datetime | None]:
    """The time window a date predicate admits, as [low, high] (None: unbounded)."""
    keyword, operand = predicate.keyword, predicate.operand
    if keyword is HistoryKeyword.DURING:
        if not isinstance(operand, ValueList) or len(operand.items) != 2:
            raise JqlValueError(f"DURING expects two dates for field '{name}': DURING (start, end).")
        return _moment(operand.items[0], env, name), _moment(operand.items[1], env, name)
    moment = _moment(operand, env, name)
    if keyword is HistoryKeyword.ON:
        day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        return day, day + timedelta(days=1) - timedelta(microseconds=1)
    if keyword is HistoryKeyword.AFTER:
        return moment, None
    return None, moment  # BEFORE


def _value_atoms(spec: AtomSpec, operand: Any, env: Env) -> tuple[frozenset[str], bool]:
    items = operand.items if isinstance(operand, ValueList) else (operand,)
    atoms: set[str] = set()
    empty = False
    for item in items:
        if spec.is_empty_word(item) or isinstance(item, Empty):
            empty = True
        else:
            atoms |= spec.item_atoms(item, env)
    return frozenset(atoms), empty


def compile_was(
    spec: AtomSpec, operand: Any, predicates: tuple[HistoryPredicate, ...], env: Env
) -> Callable[[Issue], bool]:
    """`field WAS [IN] value [AFTER|BEFORE|ON|DURING|BY …]` (negation is the caller's)."""
    atoms, empty = _value_atoms(spec, operand, env)
    windows: list[tuple[datetime | None, datetime | None]] = []
    by: frozenset[str] | None = None
    for predicate in predicates:
        if predicate.keyword is HistoryKeyword.BY:
            by = _users(predicate.operand, env, spec.name)
        elif predicate.keyword in (HistoryKeyword.FROM, HistoryKeyword.TO):
            raise JqlValueError(f"The predicate '{predicate.keyword.upper()}' is not supported by the 'was' operator.")
        else:
            windows.append(_span(predicate, env, spec.name))

    def held(start: datetime | None, end: datetime | None, value: frozenset[str], setter: str) -> bool:
        if not ((value & atoms) or (empty and not value)):
            return False
        if by is not None and setter not in by:
            return False
        for low, high in windows:
            if low is not None and end is not None and end <= low:
                return False
            if high is not None and start is not None and start > high:
                return False
        return True

    return lambda issue: any(held(*period) for period in _intervals(spec, issue, env))


def compile_changed(spec: AtomSpec, predicates: tuple[HistoryPredicate, ...], env: Env) -> Callable[[Issue], bool]:
    """`field CHANGED [FROM a] [TO b] [AFTER|BEFORE|ON|DURING …] [BY u]`."""
    tests: list[Test] = []
    for predicate in predicates:
        keyword = predicate.keyword
        if keyword in (HistoryKeyword.FROM, HistoryKeyword.TO):
            atoms, empty = _value_atoms(spec, predicate.operand, env)
            side = "before" if keyword is HistoryKeyword.FROM else "after"
            tests.append(lambda c, a=atoms, e=empty, s=side: bool(getattr(c, s) & a) or (e and not getattr(c, s)))
        elif keyword is HistoryKeyword.BY:
            users = _users(predicate.operand, env, spec.name)
            tests.append(lambda c, u=users: c.author in u)
        else:
            low, high = _span(predicate, env, spec.name)
            tests.append(lambda c, lo=low, hi=high: (lo is None or c.at >= lo) and (hi is None or c.at <= hi))
    return lambda issue: any(all(t(c) for t in tests) for c in _changes(spec, issue, env))
