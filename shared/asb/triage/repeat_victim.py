"""A repeat victim, recognised at triage (ASB-REFERENCE section 3: "log from first contact so
repeat and vulnerable callers are flagged"): a report whose complainant had another case - one
they reported on, open or closed - in the 12 calendar months before it.

The store finds the complainant's other cases through their own identifiers' PERSON# lookups
(role reporter only) and reads each case's opening and closing dates; this decides, from the
report, what was found and what the case already knows. An anonymous report has no identifiers
to look under, so it is never a repeat victim.
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
class EarlierCase:
    """Another case the same complainant reported on, as the store finds it: when it opened, and
    when it closed (None: still open)."""

    reference: str
    opened_at: datetime
    closed_at: datetime | None = None


def earlier_case(reference: str, opened_at: datetime, closed_at: datetime | None,
                 pathway: str | None, asb_opened_at: datetime | None) -> EarlierCase | None:
    """A case as the rule counts it: a good-neighbour request is not an ASB case, so it is no
    earlier case (None); one an officer moved to ASB counts from that day (asb_opened_at)."""
    if pathway == "good_neighbour":
        return None
    return EarlierCase(reference, asb_opened_at or opened_at, closed_at)


def reported_before(report: Report, earlier: Iterable[EarlierCase],
                    known: Sequence[ReportedBefore] = ()) -> list[ReportedBefore]:
    """What the case knows (`known`) with the other cases of this report's complainant that were
    open at some time in the 12 months before it: opened before the report, and still open or
    closed on or after the same day a year before (closed the day before that: not counted),
    newest first; each says whose it is (the report here, `report_id`): the repeat victim is
    that report's complainant, not the case's other complainants."""
    found = {(k.reference, k.report_id): k for k in known}
    if not report.submission.anonymous:
        first_day = months_after(local_day(report.received_at), -REPEAT_VICTIM_MONTHS)
        for other in earlier:
            if (other.reference != report.case_reference
                    and other.opened_at < report.received_at
                    and (other.closed_at is None or local_day(other.closed_at) >= first_day)):
                found.pop((other.reference, None), None)  # kept before whose was: now known
                found[other.reference, report.report_id] = ReportedBefore(
                    reference=other.reference, opened_on=local_day(other.opened_at),
                    report_id=report.report_id)
    return sorted(found.values(), key=lambda r: (r.opened_on, r.reference), reverse=True)
