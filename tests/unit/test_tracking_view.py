"""A reporter's page shows their own part of a case only: a report that joined a case is shown
what it would have been shown had it opened one - no other reference, no plan agreed with
someone else, no contact date but its own - and an anonymous reporter is promised no contact."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from asb.case.models import Case, CaseStatus, Report
from asb.intake.service import new_report, parse_submission
from asb.policy.config import EVIDENCE_KINDS
from asb.tracking.reporter_page import RECEIVED, WORKING, tracking_view
from asb.web.pages import render_tracking
from tests.conftest import sample_event

OPENED = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)    # Monday
JOINED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)   # Friday
CASE = "ASB-2026-000042"
PLAN = {"landlord_actions": ["Visit number 14"], "customer_actions": ["Keep a diary of the music"],
        "review_on": "2027-01-15", "version": 1}


def report(report_id: str, received_at: datetime, reference: str,
           anonymous: bool = False) -> Report:
    data = json.loads(sample_event("intake-valid-json")["body"])
    if anonymous:
        data.pop("reporter")
    submission = parse_submission(data, datetime(2026, 11, 25, tzinfo=UTC))
    return new_report(submission, CASE, "api", received_at, report_id, reference)


FIRST = report("report-1", OPENED, CASE)
SECOND = report("report-2", JOINED, "ASB-2026-000077")
NAMELESS = report("report-3", JOINED, "ASB-2026-000078", anonymous=True)
REPORTS = [FIRST, SECOND, NAMELESS]


def case(status: CaseStatus = CaseStatus.OPEN, plan: dict[str, Any] | None = None,
         triaged: tuple[str, ...] = ("report-1", "report-2", "report-3")) -> Case:
    return Case(reference=CASE, status=status, opened_at=OPENED, updated_at=JOINED,
                anonymous=False, behaviours=["noise"], hate_incident=False,
                location_address="12 Orchard Close", category="B", officer="o.hughes",
                team="yeovil", first_contact_at=OPENED,
                targets={"first_contact_due": "2026-11-05", "next_contact_due": "2026-12-01",
                         "review_due": "2027-01-15"},
                triaged_report_ids=list(triaged), action_plan=plan,
                outcome="resolved" if status == CaseStatus.CLOSED else None)


def view(of: Case, mine: Report) -> dict[str, Any]:
    return tracking_view(of, mine, REPORTS, [])


def test_the_plans_complainant_sees_the_plan_and_the_cases_next_contact() -> None:
    shown = view(case(plan={**PLAN, "agreed_with": "report-1"}), FIRST)
    assert shown["plan"]["you_will"] == ["Keep a diary of the music"]
    assert shown["next_contact"] == "Tuesday 1 December 2026"
    assert shown["reference"] == CASE


def test_a_joining_reporter_sees_no_plan_no_case_reference_and_only_their_own_date() -> None:
    shown = view(case(plan={**PLAN, "agreed_with": "report-1"}), SECOND)
    assert shown["reference"] == "ASB-2026-000077"
    assert shown["plan"] is None
    # Their own first contact: 3 working days (category B) from the Friday they reported.
    assert shown["next_contact"] == "Wednesday 25 November 2026"
    text = json.dumps(shown)
    for theirs in (CASE, "1 December", "Visit number 14", "Keep a diary of the music"):
        assert theirs not in text


def test_the_plan_goes_with_the_complainant_it_was_agreed_with() -> None:
    agreed_with_second = case(plan={**PLAN, "agreed_with": "report-2"})
    assert view(agreed_with_second, SECOND)["plan"] is not None
    assert view(agreed_with_second, SECOND)["next_contact"] == "Tuesday 1 December 2026"
    assert view(agreed_with_second, FIRST)["plan"] is None
    assert view(agreed_with_second, FIRST)["next_contact"] == "Thursday 5 November 2026"


def test_a_later_complainant_is_never_shown_a_date_from_before_they_reported() -> None:
    no_contact_yet = case(plan={**PLAN, "agreed_with": "report-2"}).model_copy(
        update={"first_contact_at": None})
    assert view(no_contact_yet, SECOND)["next_contact"] == "Wednesday 25 November 2026"
    assert view(no_contact_yet, FIRST)["next_contact"] == "Thursday 5 November 2026"


def test_a_plan_recorded_before_plans_named_anyone_is_the_first_reporters() -> None:
    older = case(plan=PLAN)
    assert view(older, FIRST)["plan"] is not None
    assert view(older, SECOND)["plan"] is None


def test_joined_or_new_the_status_reads_the_same() -> None:
    # Waiting for triage: a joining report on an open case reads as a new case does.
    waiting = view(case(triaged=("report-1",)), SECOND)
    new_case = view(case(CaseStatus.NEW, triaged=()), FIRST)
    for shown in (waiting, new_case):
        assert (shown["status"], shown["officer"], shown["next_contact"], shown["plan"]) == (
            RECEIVED, None, None, None)
    # Triaged or open: one and the same wording.
    assert view(case(CaseStatus.TRIAGED), SECOND)["status"] == WORKING
    assert view(case(CaseStatus.OPEN), SECOND)["status"] == WORKING
    assert view(case(CaseStatus.OPEN), SECOND)["officer"] == "Olivia"


def test_no_contact_date_once_the_case_is_closed() -> None:
    closed = case(CaseStatus.CLOSED, plan={**PLAN, "agreed_with": "report-1"})
    for mine in REPORTS:
        shown = view(closed, mine)
        assert shown["closed"] and shown["next_contact"] is None and shown["outcome"]


def test_a_closed_cases_page_looks_at_no_plan_again_and_says_how_to_ask_for_more() -> None:
    kinds = {k: (name, size) for k, (name, size, _) in EVIDENCE_KINDS.items()}
    closed = case(CaseStatus.CLOSED, plan={**PLAN, "agreed_with": "report-1"})
    shown = view(closed, FIRST)
    assert shown["plan"]["review_on"] is None
    page = text_of(render_tracking(shown, "secret", "", kinds))
    assert "Visit number 14" in page  # what was agreed, still there to read
    for stale in ("look at the plan again", "will contact you", "agree a plan with you"):
        assert stale not in page, stale
    assert "Why we closed it: The behaviour has stopped." in page
    assert "ASB Case Review" in page and "complain" in page
    open_page = text_of(render_tracking(view(case(plan={**PLAN, "agreed_with": "report-1"}),
                                             FIRST), "secret", "", kinds))
    assert "We will look at the plan again by Friday 15 January 2027" in open_page
    assert "ASB Case Review" not in open_page


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_an_anonymous_reporters_page_never_promises_contact() -> None:
    # Even with a plan recorded before plans named anyone, on a case they opened.
    first_anonymous = report("report-1", OPENED, CASE, anonymous=True)
    shown = tracking_view(case(plan=PLAN), first_anonymous, [first_anonymous, SECOND], [])
    assert shown["next_contact"] is None and shown["plan"] is None
    kinds = {k: (name, size) for k, (name, size, _) in EVIDENCE_KINDS.items()}
    page = text_of(render_tracking(shown, "secret", "", kinds))
    assert "we cannot contact you" in page
    for promise in ("will contact", "contact you by", "agree a plan with you when"):
        assert promise not in page, promise
    named = text_of(render_tracking(view(case(), SECOND), "secret", "", kinds))
    assert "We will contact you by" in named
