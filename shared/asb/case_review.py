"""The ASB Case Review threshold (ASBCPA 2014 s104): counted on every report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from asb.config import (
    CASE_REVIEW_DIFFERENT_PEOPLE,
    CASE_REVIEW_QUALIFYING_DAYS,
    CASE_REVIEW_SAME_PERSON,
    CASE_REVIEW_SINGLE_HATE_INCIDENT,
    CASE_REVIEW_WINDOW_DAYS,
)
from asb.targets import LONDON, local_day


@dataclass(frozen=True)
class Complaint:
    reporter_key: str | None
    received_at: datetime
    incident_on: date | None
    hate_incident: bool = False


def qualifies(complaint: Complaint) -> bool:
    """Made within a month of the incident (a report with no date is about now). Both are days in
    England: a report at 00:30 in summer is made the day the reporter calls today."""
    if complaint.incident_on is None:
        return True
    gap = local_day(complaint.received_at) - complaint.incident_on
    return timedelta(0) <= gap <= timedelta(days=CASE_REVIEW_QUALIFYING_DAYS)


@dataclass(frozen=True)
class ThresholdDecision:
    met: bool
    by_reporter: int
    people_at_location: int
    reasons: tuple[str, ...]


def window_start(now: datetime) -> datetime:
    """The first moment complaints are counted from: the start of the London day 183 days ago,
    so that a complaint on the first day of the six months counts whatever its hour."""
    first_day = local_day(now) - timedelta(days=CASE_REVIEW_WINDOW_DAYS)
    return datetime.combine(first_day, time(0), LONDON).astimezone(UTC)


def threshold(by_reporter: Iterable[Complaint], at_location: Iterable[Complaint],
              this_report: Complaint, now: datetime) -> ThresholdDecision:
    since = window_start(now)
    mine = [c for c in by_reporter if c.received_at >= since and qualifies(c)]
    nearby = [c for c in at_location if c.received_at >= since and qualifies(c)]
    people = {c.reporter_key for c in nearby if c.reporter_key}
    reasons = []
    if this_report.reporter_key and len(mine) >= CASE_REVIEW_SAME_PERSON:
        reasons.append(f"{len(mine)} qualifying complaints by the reporter in 6 months")
    if len(people) >= CASE_REVIEW_DIFFERENT_PEOPLE:
        reasons.append(f"complaints from {len(people)} different people about this place")
    if CASE_REVIEW_SINGLE_HATE_INCIDENT and this_report.hate_incident and qualifies(this_report):
        reasons.append("a hate incident")
    return ThresholdDecision(bool(reasons), len(mine), len(people), tuple(reasons))
