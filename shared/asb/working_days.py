"""Working days in England and Wales: no weekends, no bank holidays (from `holidays`)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from holidays import country_holidays


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The working day that is `days` working days after `start` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def on_or_after(day: date) -> date:
    """The day itself if it is a working day, else the next one."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day
