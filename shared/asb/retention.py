"""Retention: when a closed case's personal data is erased, and what is kept for statistics."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from asb.config import RETENTION_YEARS
from asb.targets import local_day

ERASED = "[erased under the retention policy]"
RETENTION = "RETENTION"
# An order with no end date (or one past what a calendar holds, like 9999-12-31) keeps the case
# until this, plus the retention years: until someone records a real end.
OPEN_ENDED = date(9000 - RETENTION_YEARS, 12, 31)


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retain_until(closed_at: datetime, measures: Iterable[dict[str, Any]]) -> date:
    """Six years from closure (its day in England), or six years from the end of the last legal
    order it led to."""
    latest = local_day(closed_at)
    for measure in measures:
        if measure.get("legal") and measure.get("status") in ("granted", "breached"):
            ends = measure.get("expires_on")
            latest = max(latest, min(date.fromisoformat(ends), OPEN_ENDED) if ends else OPEN_ENDED)
    return years_after(latest, RETENTION_YEARS)


def anonymised_submission(submission: dict[str, Any]) -> dict[str, Any]:
    """What a report keeps once its case is past retention: the facts NM01 counts
    (behaviours, when it started, whether it was a hate incident), and nothing about anyone."""
    incident = submission.get("incident") or {}
    kept: dict[str, Any] = {"behaviours": incident.get("behaviours") or ["other"],
                            "description": ERASED}
    if incident.get("first_occurred"):
        kept["first_occurred"] = incident["first_occurred"]
    strands = (submission.get("harm") or {}).get("targeted_for_identity") or []
    return {"anonymous": True, "location": {"address": ERASED}, "incident": kept,
            "harm": {"targeted_for_identity": strands}, "consent_to_share": False}


# Free-text fields of case-work records that can hold personal data.
ERASABLE_FIELDS = {
    "DiaryEntry": ("text", "effect"),
    "Contact": ("summary",),
    "Referral": ("notes",),
    "Measure": ("rationale", "equality_impact"),
    "CaseReview": ("summary", "meeting", "recommendations", "outcome", "appeal", "threshold"),
    "Survey": ("comments",),
    "Disclosure": ("package", "purpose", "necessity", "signed_off_by"),
    "DisclosureLog": ("purpose", "necessity", "requesting_officer", "received_by", "reason"),
}
