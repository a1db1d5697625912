"""Jira's duration notation (`1w 2d 3h 30m`), checked locally so a typo costs no request."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Jira's defaults (Cloud and Server): a working day of 8 hours, a working week of 5 days.
HOURS_PER_DAY = 8
DAYS_PER_WEEK = 5

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhm])", re.IGNORECASE)
_UNIT_ORDER = "wdhm"


class DurationError(ValueError):
    """Text that is not a Jira duration; the message shows the accepted notation."""


@dataclass(frozen=True, slots=True)
class Duration:
    """A parsed duration: the normalised text Jira reads, and its seconds at Jira's default
    working day (8 h) and week (5 d)."""

    text: str
    seconds: int
    uses_days: bool


def parse_duration(text: str) -> Duration:
    """Parse `1h 30m`, `2d`, `1w 2d`, `1.5h`, `90m` (units w, d, h, m; each at most once, largest first).

    Raises:
        DurationError: The text is empty, lacks units, repeats or misorders a unit, or is zero.
    """
    compact = text.strip().lower()
    if not compact:
        raise DurationError("time is empty; write it as Jira does, e.g. '1h 30m', '2d' or '1w 2d'")
    parts = list(_PART.finditer(compact))
    leftover = _PART.sub("", compact).strip()
    if not parts or leftover:
        hint = " (a bare number needs a unit: m, h, d or w)" if re.fullmatch(r"[\d.]+", compact) else ""
        raise DurationError(f"{text.strip()!r} is not a Jira duration{hint}; write it like '1h 30m', '2d' or '1w 2d'")
    units = [p.group(2) for p in parts]
    if len(set(units)) != len(units) or units != sorted(units, key=_UNIT_ORDER.index):
        raise DurationError(f"{text.strip()!r}: give each unit once, largest first, e.g. '1d 4h 30m'")
    factor = {"w": DAYS_PER_WEEK * HOURS_PER_DAY * 3600, "d": HOURS_PER_DAY * 3600, "h": 3600, "m": 60}
    seconds = round(sum(float(p.group(1)) * factor[p.group(2)] for p in parts))
    if seconds < 60:
        raise DurationError(f"{text.strip()!r} is less than a minute; Jira records at least 1m")
    normalised = " ".join(f"{_number(p.group(1))}{p.group(2)}" for p in parts)
    return Duration(text=normalised, seconds=seconds, uses_days=any(u in "wd" for u in units))


def _number(text: str) -> str:
    value = float(text)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def format_seconds(seconds: int) -> str:
    """Seconds as Jira shows them (`1d 2h 30m`), at the default working day and week."""
    out = []
    remaining = seconds // 60
    for unit, minutes in (("w", DAYS_PER_WEEK * HOURS_PER_DAY * 60), ("d", HOURS_PER_DAY * 60), ("h", 60), ("m", 1)):
        count, remaining = divmod(remaining, minutes)
        if count:
            out.append(f"{count}{unit}")
    return " ".join(out) or "0m"
