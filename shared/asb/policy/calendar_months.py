"""Periods of calendar months, as statutes count them ("within the period of one month beginning
with the date on which ..."), not 31 or 183 days.

A period of N months *beginning with* a day includes that day and ends the day before the same
day-number N months later (1 March → 31 March). When that month has no such day (31 January →
"31 February"), the period ends on the last day of that month: 28 February, or 29 in a leap
year (the corresponding date rule, Dodds v Walker [1981] 1 WLR 1027).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def months_after(day: date, months: int) -> date:
    """The same day-number `months` later (or earlier, if negative), or that month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def last_day_of_period(first_day: date, months: int) -> date:
    """The last day of the period of `months` calendar months beginning with `first_day`."""
    corresponding = months_after(first_day, months)
    if corresponding.day != first_day.day:  # no such day that month: the period runs to its end
        return corresponding
    return corresponding - timedelta(days=1)


def within_period(first_day: date, months: int, day: date) -> bool:
    """Whether `day` falls in the period of `months` calendar months beginning with `first_day`."""
    return first_day <= day <= last_day_of_period(first_day, months)
