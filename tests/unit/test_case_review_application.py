"""Days counted in England: applying for an ASB Case Review within the six calendar months
beginning with a complaint, and the day a partner is told a complaint was made."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from asb.case.change import CaseFolder
from asb.case.models import Case, CaseStatus
from asb.case_review.models import CaseReviewApplicationIn
from asb.case_review.process import Arrangement, apply_for_review
from asb.intake.service import new_report, parse_submission
from asb.kernel.errors import RuleBroken
from asb.kernel.staff import StaffMember

SAMPLE = Path(__file__).parents[2] / "events" / "intake-valid-json.json"
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")
# 00:30 on 1 May in London is still 30 April in UTC.
COMPLAINED = datetime(2026, 4, 30, 23, 30, tzinfo=UTC)


def folder(complained: datetime = COMPLAINED) -> CaseFolder:
    data = json.loads(json.loads(SAMPLE.read_text())["body"])
    data["incident"].update(first_occurred="2025-09-20", last_occurred="2025-09-25")
    report = new_report(parse_submission(data, complained), "ASB-2026-000123", "api",
                        complained, "r1")
    case = Case(reference="ASB-2026-000123", status=CaseStatus.OPEN, opened_at=complained,
                updated_at=complained, anonymous=False, behaviours=["noise"],
                hate_incident=False, location_address="12 Orchard Close", category="B",
                officer="o.hughes", team="yeovil")
    return CaseFolder(case, [report])


def application(received_on: date) -> CaseReviewApplicationIn:
    return CaseReviewApplicationIn(received_on=received_on, summary="Nothing has changed.")


def _applied(complained: datetime, on: date) -> str:
    now = datetime.combine(on, datetime.min.time(), UTC) + timedelta(hours=12)
    return apply_for_review(folder(complained), application(on), OFFICER, now,
                            arrangement=Arrangement.lead()).case.reference


def test_the_last_day_of_the_six_months_counts_from_the_complaints_london_day() -> None:
    last_day = date(2026, 10, 31)  # six months beginning with 1 May end on 31 October
    assert _applied(COMPLAINED, last_day) == "ASB-2026-000123"
    with pytest.raises(RuleBroken, match="within 6 months"):
        _applied(COMPLAINED, last_day + timedelta(days=1))


def test_the_six_months_are_calendar_months_not_183_days() -> None:
    """A complaint on 30 September: the six months beginning with it end on 29 March (183 days
    would have run to 31 March)."""
    complained = datetime(2025, 9, 30, 10, 0, tzinfo=UTC)
    assert _applied(complained, date(2026, 3, 29)) == "ASB-2026-000123"
    for late in (date(2026, 3, 30), date(2026, 3, 31)):
        with pytest.raises(RuleBroken, match="within 6 months"):
            _applied(complained, late)


def test_a_partner_is_told_the_day_the_complaint_was_made_in_england() -> None:
    from asb.case.minimisation import build_package

    request = {"disclosure_id": "d-1", "partner_id": "p", "legal_route": "cda_1998_s115",
               "purpose": "A joint visit.", "subject": "perpetrator", "consent": False,
               "data_categories": ["incident_details"]}
    package = build_package(folder(), request, {"data_categories": ["incident_details"]})
    assert [i["reported_on"] for i in package["incidents"]] == ["2026-05-01"]
