"""Response targets and due dates: working days from the category, contact and review from risk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from asb.case.models import Case
from asb.policy.config import (
    CONTACT_EVERY_WORKING_DAYS,
    DA_SPECIALIST_REFERRAL_WORKING_DAYS,
    EMERGENCY_CONSIDERATION_DUE_HOUR,
    FIRST_RESPONSE_WORKING_DAYS,
    FIRST_REVIEW_DAYS,
    LOCAL_TIMEZONE,
    NO_ACTIVITY_WORKING_DAYS,
    Category,
    RiskLevel,
)
from asb.policy.working_days import add_working_days, is_working_day, on_or_after

LONDON = ZoneInfo(LOCAL_TIMEZONE)
END_OF_WORKING_DAY = time(17, 0)


@dataclass(frozen=True)
class Targets:
    first_contact_due: date
    next_contact_due: date
    review_due: date

    def as_dict(self) -> dict[str, str]:
        return {name: value.isoformat() for name, value in self.__dict__.items()}


def local_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def long_date(day: date) -> str:
    """A day as a letter says it: Monday 30 November 2026."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def end_of_day(day: date) -> datetime:
    """17:00 London time on the day, in UTC: when a task due that day becomes overdue."""
    return datetime.combine(day, END_OF_WORKING_DAY, LONDON).astimezone(UTC)


def targets_for(category: Category, risk: RiskLevel, opened_at: datetime) -> Targets:
    opened = local_day(opened_at)
    first_contact = add_working_days(opened, FIRST_RESPONSE_WORKING_DAYS[category])
    return Targets(
        first_contact_due=first_contact,
        next_contact_due=add_working_days(first_contact, CONTACT_EVERY_WORKING_DAYS[risk]),
        review_due=on_or_after(opened + timedelta(days=FIRST_REVIEW_DAYS[risk])),
    )


NO_ACTIVITY = "NO_ACTIVITY"
NO_ACTIVITY_TITLE = f"No activity for {NO_ACTIVITY_WORKING_DAYS} working days"


def no_activity_due(last_change: datetime) -> datetime:
    """A case nobody has touched for this many working days is raised with a manager."""
    return end_of_day(add_working_days(local_day(last_change), NO_ACTIVITY_WORKING_DAYS))


def contact_every(case: Case) -> int:
    """Working days between updates: as agreed in the action plan, else by risk."""
    level = (case.risk or {}).get("level", "standard")
    return case.contact_every_working_days or CONTACT_EVERY_WORKING_DAYS[level]


def emergency_consideration_due(now: datetime) -> datetime:
    """The same day: by 17:00 London time, or by midnight if raised after that."""
    local = now.astimezone(LONDON)
    due = local.replace(hour=EMERGENCY_CONSIDERATION_DUE_HOUR, minute=0, second=0, microsecond=0)
    if local >= due:
        # The day's last instant: raised at 23:59:59.5, it is not already late.
        due = local.replace(hour=23, minute=59, second=59, microsecond=999999)
    return due.astimezone(UTC)


def specialist_referral_due(now: datetime) -> datetime:
    """The end of the working day it is now (of the next, after 17:00 or on a day off), plus the
    policy's working days."""
    today = local_day(now)
    open_today = is_working_day(today) and now < end_of_day(today)
    working_day = today if open_today else add_working_days(today, 1)
    return end_of_day(add_working_days(working_day, DA_SPECIALIST_REFERRAL_WORKING_DAYS))
