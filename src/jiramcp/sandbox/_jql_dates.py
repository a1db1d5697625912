"""Dates for JQL evaluation: Jira's timestamp formats, date operands and the date functions.

Jira reads a date operand as one of `yyyy/MM/dd HH:mm`, `yyyy-MM-dd HH:mm`, `yyyy/MM/dd`,
`yyyy-MM-dd`, or a period relative to now (`-7d`, `4w 2d`, `-1h`, `30m`). The `startOf*` and
`endOf*` functions take an optional increment (`"-1"`, `"+1M"`, `-7d`) in the units
`y M w d h m`; a bare number counts in the function's own unit. Day, week, month and year
boundaries are taken in the time zone of `now` (the searching user's zone in Jira).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache

from jiramcp.sandbox._jql_errors import JqlValueError

__all__ = [
    "DATE_FUNCTIONS",
    "add_months",
    "date_function",
    "parse_date_operand",
    "parse_jira_timestamp",
]

_PERIOD = re.compile(r"\s*(\d+)\s*([wdhm])\s*")
_INCREMENT = re.compile(r"^\s*([+-]?)\s*(\d+)\s*([yMwdhm]?)\s*$")
_ABSOLUTE = ("%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d", "%Y-%m-%d")
_FORMATS_HINT = (
    "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', "
    "or a period format e.g. '-5d', '4w 2d'."
)
_UNIT_SECONDS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60}


@lru_cache(maxsize=65536)
def parse_jira_timestamp(text: str) -> datetime | date:
    """Parse a value as Jira sends it: `2024-01-17T12:34:00.000+0000`, or `2024-01-31` (a date)."""
    if len(text) == 10:
        return date.fromisoformat(text)
    # fromisoformat (3.11+) reads both "+0000" and "+00:00" offsets and the milliseconds.
    return datetime.fromisoformat(text)


def as_datetime(value: datetime | date, tz: tzinfo) -> datetime:
    """A date-only value (due date) stands for the start of that day in the user's zone, as in Jira."""
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=tz)


def parse_date_operand(text: str, now: datetime, field_name: str) -> datetime:
    """Read a literal date operand; raise Jira's error for anything else."""
    stripped = text.strip()
    for fmt in _ABSOLUTE:
        try:
            return datetime.strptime(stripped, fmt).replace(tzinfo=now.tzinfo)
        except ValueError:
            continue
    sign = -1 if stripped.startswith("-") else 1
    body = stripped.lstrip("+-")
    pos, seconds = 0, 0
    while body and pos < len(body):
        match = _PERIOD.match(body, pos)
        if match is None:
            break
        seconds += int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if body and pos == len(body):
        return now + timedelta(seconds=sign * seconds)
    raise JqlValueError(f"Date value '{text}' for field '{field_name}' is invalid. {_FORMATS_HINT}")


def add_months(moment: datetime, months: int) -> datetime:
    """Shift by calendar months, clamping the day (31 Jan + 1 month = 28/29 Feb)."""
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_first - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def _shift(moment: datetime, amount: int, unit: str) -> datetime:
    if unit == "y":
        return add_months(moment, 12 * amount)
    if unit == "M":
        return add_months(moment, amount)
    return moment + timedelta(seconds=amount * _UNIT_SECONDS[unit])


def _start_of(moment: datetime, unit: str, week_start: int) -> datetime:
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "d":
        return day
    if unit == "w":
        return day - timedelta(days=(day.weekday() - week_start) % 7)
    if unit == "M":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def _end_of(moment: datetime, unit: str, week_start: int) -> datetime:
    start = _start_of(moment, unit, week_start)
    following = _shift(start, 1, {"d": "d", "w": "w", "M": "M", "y": "y"}[unit])
    # Jira's endOf* is the last millisecond of the period.
    return following - timedelta(milliseconds=1)


_FUNCTION_UNITS = {"day": "d", "week": "w", "month": "M", "year": "y"}
DATE_FUNCTIONS = frozenset(["now"] + [f"{edge}of{period}" for edge in ("start", "end") for period in _FUNCTION_UNITS])


def date_function(name: str, args: tuple[str, ...], now: datetime, week_start: int) -> datetime:
    """Evaluate `now()`, `startOfDay/Week/Month/Year(inc?)` or `endOf...(inc?)`."""
    lowered = name.lower()
    if lowered == "now":
        if args:
            raise JqlValueError("Function 'now' expected '0' arguments but received '1'.")
        return now
    edge, _, period = lowered.partition("of")
    unit = _FUNCTION_UNITS[period]
    if len(args) > 1:
        raise JqlValueError(f"Function '{name}' expected between '0' and '1' arguments but received '{len(args)}'.")
    amount, inc_unit = 0, unit
    if args:
        match = _INCREMENT.match(args[0])
        if match is None:
            raise JqlValueError(
                f"Function '{name}' expected an increment like '-1', '+1M' or '-7d' but received '{args[0]}'."
            )
        amount = int(match.group(2)) * (-1 if match.group(1) == "-" else 1)
        inc_unit = match.group(3) or unit
    bound = _start_of if edge == "start" else _end_of
    if inc_unit == unit:
        # Shift first, then take the boundary: endOfMonth(+1) is the end of next month even when
        # this month is longer than the next.
        return bound(_shift(now, amount, unit), unit, week_start)
    return _shift(bound(now, unit, week_start), amount, inc_unit)
