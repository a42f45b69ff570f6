"""The ASB Case Review threshold (ASBCPA 2014 s104, s105), suggested on every report.

The Act counts qualifying complaints about the behaviour the application relates to, made by
anyone (the victim, or others about the same behaviour), not one person's complaints about
anything. Here that behaviour is the case's matter: every report on the case, and the reports
of the closed case it follows (`linked_to`, the same matter reported again after closure).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from asb.case.targets import local_day, long_date
from asb.policy.calendar_months import within_period
from asb.policy.config import (
    BEHAVIOUR_CATALOGUE,
    CASE_REVIEW_APPLICATION_MONTHS,
    CASE_REVIEW_COMPLAINT_MONTHS,
    CASE_REVIEW_QUALIFYING_COMPLAINTS,
    CASE_REVIEW_SINGLE_HATE_INCIDENT,
    LEGACY_BEHAVIOURS,
)

_CAUSES_HARM = frozenset(name for name, behaviour in {**BEHAVIOUR_CATALOGUE,
                                                      **LEGACY_BEHAVIOURS}.items()
                         if behaviour.case_review)


@dataclass(frozen=True)
class Complaint:
    """One report about the matter, as the threshold sees it."""

    received_at: datetime
    incident_on: date | None
    behaviours: tuple[str, ...]
    hate_incident: bool = False


def about_harassment_alarm_or_distress(complaint: Complaint) -> bool:
    """s105: behaviour causing harassment, alarm or distress; nuisance alone does not qualify.
    A hate incident is harassment, alarm or distress however it was reported."""
    return complaint.hate_incident or not _CAUSES_HARM.isdisjoint(complaint.behaviours)


def made_in_time(complaint: Complaint) -> bool:
    """s104(11): made within the month beginning with the day of the behaviour (a calendar
    month: behaviour on 31 January, a complaint up to 28 February, or 29 in a leap year). Both
    are days in England; a report that gives no date is about now."""
    if complaint.incident_on is None:
        return True
    return within_period(complaint.incident_on, CASE_REVIEW_COMPLAINT_MONTHS,
                         local_day(complaint.received_at))


def qualifies(complaint: Complaint) -> bool:
    return made_in_time(complaint) and about_harassment_alarm_or_distress(complaint)


def counts_on(complaint: Complaint, applied_on: date) -> bool:
    """An application on `applied_on` is made within the six months beginning with the day of
    the complaint (a complaint on 15 May counts up to an application on 14 November)."""
    return within_period(local_day(complaint.received_at), CASE_REVIEW_APPLICATION_MONTHS,
                         applied_on)


@dataclass(frozen=True)
class ThresholdDecision:
    met: bool
    qualifying_complaints: int
    reasons: tuple[str, ...]


def threshold(complaints: Iterable[Complaint], applied_on: date) -> ThresholdDecision:
    """Whether an application on `applied_on` would meet the threshold, and what was counted."""
    counted = [c for c in complaints if qualifies(c) and counts_on(c, applied_on)]
    window = f"in the {CASE_REVIEW_APPLICATION_MONTHS} months before {long_date(applied_on)}"
    reasons = []
    if len(counted) >= CASE_REVIEW_QUALIFYING_COMPLAINTS:
        reasons.append(f"{len(counted)} qualifying complaints about this behaviour {window}")
    if CASE_REVIEW_SINGLE_HATE_INCIDENT and any(c.hate_incident for c in counted):
        reasons.append(f"a qualifying complaint of a hate incident {window}")
    return ThresholdDecision(bool(reasons), len(counted), tuple(reasons))
