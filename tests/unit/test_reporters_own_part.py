"""A reporter whose report joined a case is told only their own part of it: a first contact
promised by their own report's category, not the case's; the right to an ASB Case Review goes
to the case's complainant, not to whoever crossed the threshold; the officer's closure reasons
go to the complainant alone."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from asb.case.categorise import report_category
from asb.case.complainants import contact_promised, own_first_contact_due
from asb.case.models import Case, CaseStatus, Report
from asb.case.targets import long_date
from asb.intake.service import new_report, parse_submission
from asb.notifications.plan import DutyOfficer, Message, messages_for
from asb.notifications.render import render
from asb.policy.config import CASE_REVIEW_URL, CLOSURE_OUTCOMES, COMPLAINTS_URL
from tests.conftest import sample_event

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # a Wednesday
LATER = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)
CASE = "ASB-2026-000123"
DUTY = DutyOfficer("duty@example.org", "+447700900000")
CASE_DATE = long_date(date(2026, 11, 26))  # category A: 1 working day
OWN_DATE = long_date(date(2026, 12, 2))  # category C: 5 working days
REASONS = "Number 14's tenant was evicted after the assault on the first floor."


def report(report_id: str, name: str, behaviours: list[str], at: datetime = NOW,
           anonymous: bool = False, **harm: Any) -> Report:
    data = json.loads(sample_event("intake-valid-json")["body"])
    data["reporter"].update(name=name, email=f"{name.split()[0].lower()}@example.org")
    data["incident"]["behaviours"] = behaviours
    data["harm"] = {"feels_unsafe": False, "affects_health": False, "happened_before": False,
                    "threats_or_violence": False, "vulnerable_household": False, **harm}
    if anonymous:
        data.pop("reporter")
    own = CASE if report_id == "report-1" else f"ASB-2026-00012{report_id[-1]}"
    return new_report(parse_submission(data, at), CASE, "api", at, report_id, own)


def serious() -> Report:  # opened the case: violence, threats, race hate
    return report("report-1", "Alex Morgan", ["violence"], targeted_for_identity=["race"],
                  threats_or_violence=True, feels_unsafe=True)


def low_priority() -> Report:  # joined it later: fly-tipping, no harm
    return report("report-2", "Sam Stranger", ["rubbish_and_fly_tipping"], LATER)


def case(**changes: Any) -> Case:
    fields: dict[str, Any] = {
        "reference": CASE, "status": CaseStatus.TRIAGED, "opened_at": NOW, "updated_at": LATER,
        "anonymous": False, "behaviours": ["violence", "rubbish_and_fly_tipping"], "hate_incident": True,
        "location_address": "12 Orchard Close", "category": "A",
        "targets": {"first_contact_due": "2026-11-26"}}
    return Case(**{**fields, **changes})


def event(kind: str, **detail: Any) -> dict[str, Any]:
    return {"event_id": "e-1", "type": kind, "case_reference": CASE, "detail": detail}


def to(messages: list[Message], template: str) -> dict[str | None, Message]:
    return {m.recipient.report_id: m for m in messages
            if m.template == template and m.recipient.kind == "reporter"}


def test_a_joining_reporter_is_promised_contact_by_their_own_reports_category() -> None:
    first, joined = serious(), low_priority()
    assert report_category(joined.submission) == "C"
    assert own_first_contact_due(case(), joined) == date(2026, 12, 2)  # not the case's A
    assert contact_promised(case(), joined, [first, joined]) == date(2026, 12, 2)
    assert contact_promised(case(), first, [first, joined]) == date(2026, 11, 26)
    # Their own report's seriousness counts: a joining report of violence is category A.
    urgent = report("report-3", "Jo Neighbour", ["violence"], LATER, threats_or_violence=True)
    assert own_first_contact_due(case(category="C"), urgent) == date(2026, 11, 26)


def test_the_acknowledgement_of_a_joining_report_gives_its_own_date_and_working_days() -> None:
    first, joined = serious(), low_priority()
    sent = to(messages_for(event("CaseTriaged", report_id="report-2"), case(),
                           [first, joined], DUTY, LATER), "acknowledgement")
    assert list(sent) == ["report-2"]
    assert sent["report-2"].context["first_contact_due"] == OWN_DATE
    assert sent["report-2"].context["working_days"] == 5
    assert OWN_DATE in render("acknowledgement", "email", sent["report-2"].context).text
    opened = to(messages_for(event("CaseTriaged", report_id="report-1"), case(),
                             [first, joined], DUTY, NOW), "acknowledgement")
    assert opened["report-1"].context["first_contact_due"] == CASE_DATE
    assert opened["report-1"].context["working_days"] == 1


def test_the_case_review_right_goes_to_the_complainant_not_the_report_that_crossed() -> None:
    first, joined = serious(), low_priority()
    crossed = event("CaseReviewThresholdMet", report_id="report-2")
    sent = to(messages_for(crossed, case(), [first, joined], DUTY, LATER), "case_review_right")
    assert list(sent) == ["report-1"]
    # The plan was agreed with the later reporter: they are the complainant.
    agreed = case(action_plan={"agreed_with": "report-2"})
    sent = to(messages_for(crossed, agreed, [first, joined], DUTY, LATER), "case_review_right")
    assert list(sent) == ["report-2"]


def test_an_anonymous_complainant_is_never_sent_the_case_review_right_nor_is_a_newcomer() -> None:
    anonymous = report("report-1", "Alex Morgan", ["violence"], anonymous=True)
    crossed = event("CaseReviewThresholdMet", report_id="report-2")
    assert messages_for(crossed, case(), [anonymous, low_priority()], DUTY, LATER) == []
    assert messages_for(event("CaseReviewThresholdMet", report_id="report-1"), case(),
                        [anonymous, low_priority()], DUTY, LATER) == []


def test_closure_reasons_go_to_the_complainant_only() -> None:
    first, joined = serious(), low_priority()
    closed = case(status=CaseStatus.CLOSED, outcome="resolved_by_legal_action",
                  closure_reasons=REASONS)
    sent = to(messages_for(event("CaseClosed"), closed, [first, joined], DUTY, LATER), "closure")
    assert sent["report-1"].context["reasons"] == REASONS
    assert REASONS in render("closure", "email", sent["report-1"].context).text
    other = sent["report-2"].context
    assert other["reasons"] is None
    assert other["outcome"] == CLOSURE_OUTCOMES["resolved_by_legal_action"]
    body = render("closure", "email", other).text
    assert REASONS not in body and "Why we closed it" not in body
    assert CASE_REVIEW_URL in body and COMPLAINTS_URL in body
