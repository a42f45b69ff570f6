"""A day or a moment any record could mean, and near enough that every date counted from it (a
notice's year in force, the six years of retention after an order ends, a moment in London) is
still a date: a year 9999 or 0001 would overflow them, a 500 where a 422 naming the field is due.
Shared by what staff send (asb.enforcement.models) and what partners send (asb.partners.models)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime

FIRST_YEAR, LAST_YEAR = 1900, 2199


def _plausible(moment: date) -> date:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"Enter a date between {FIRST_YEAR} and {LAST_YEAR}")
    return moment


def _plausible_moment(moment: datetime) -> datetime:
    _plausible(moment)
    return moment


Day = Annotated[date, AfterValidator(_plausible)]
Moment = Annotated[AwareDatetime, AfterValidator(_plausible_moment)]
