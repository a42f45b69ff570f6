"""The regulator's reporting year: 1 April to 31 March, named by the year it starts in."""

from __future__ import annotations

from datetime import date


def reporting_year(starting: int) -> tuple[date, date]:
    """The year that starts on 1 April `starting` and ends on 31 March the year after."""
    return date(starting, 4, 1), date(starting + 1, 3, 31)


def year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1
