"""A repeat victim, recognised at triage (ASB-REFERENCE section 3: "log from first contact so
repeat and vulnerable callers are flagged"): a report whose complainant reported another case, open
or closed, in the 12 calendar months before it.

The store finds the complainant's earlier reports through their own identifiers' PERSON# lookups
(role reporter only); this decides, from the report, what was found and what the case already
knows. An anonymous report has no identifiers to look under, so it is never a repeat victim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from asb.case.models import Report, ReportedBefore
from asb.case.targets import local_day
from asb.policy.calendar_months import months_after
from asb.policy.config import REPEAT_VICTIM_MONTHS


@dataclass(frozen=True)
class EarlierReport:
    """A report the same complainant made, as the PERSON# lookups and its case's partition find
    it: which case, and when it was received."""

    case_reference: str
    received_at: datetime


def reported_before(report: Report, earlier: Iterable[EarlierReport],
                    known: Sequence[ReportedBefore] = ()) -> list[ReportedBefore]:
    """What the case knows (`known`) with the other cases this report's complainant reported in
    the 12 months before it (the same day a year before counts, the day before that does not),
    each case once with its latest such report, newest first."""
    found = {k.reference: k for k in known}
    if not report.submission.anonymous:
        first_day = months_after(local_day(report.received_at), -REPEAT_VICTIM_MONTHS)
        for other in earlier:
            day = local_day(other.received_at)
            if (other.case_reference != report.case_reference
                    and other.received_at < report.received_at and day >= first_day):
                kept = found.get(other.case_reference)
                if kept is None or kept.reported_on < day:
                    found[other.case_reference] = ReportedBefore(reference=other.case_reference,
                                                                 reported_on=day)
    return sorted(found.values(), key=lambda r: (r.reported_on, r.reference), reverse=True)
