"""Working days in England and Wales: no weekends, no bank holidays.

Bank holidays come from the `holidays` library, through a table made from it
(`bank_holidays.json`, by `python -m infra.bank_holidays`; a test keeps the two equal): reading
the table costs nothing at cold start, where importing the library and building a year costs
about 0.2 s. A year outside the table is asked of the library.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import cache
from importlib import resources


@cache
def _table() -> dict[str, list[str]]:
    years: dict[str, list[str]] = json.loads(
        resources.files("asb").joinpath("bank_holidays.json").read_text())["years"]
    return years


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    listed = _table().get(str(year))
    if listed is not None:
        return frozenset(date.fromisoformat(day) for day in listed)
    from holidays import country_holidays

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
