"""What a reporter is told once their report is in, through the intake handler's events/ samples:
exactly what we will send and how (the notifier's own channel choice), or, when nothing can reach
them, that the page's link is all they have and the team's phone number - and the officer's case
view says so, so nobody waits for a reply. An emergency is told what will happen, and by when."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from asb.case.targets import local_day, long_date
from asb.policy.config import LANDLORD_PHONE
from asb.policy.working_days import add_working_days
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff, case_of_report, outbox_events, queue_delivery

ONLY_WAY = "Keep this page's link: it is the only way to follow your report."


def json_report(change: Any) -> dict[str, Any]:
    event = sample_event("intake-valid-json")
    event["headers"].pop("Idempotency-Key")
    data = json.loads(event["body"])
    change(data["reporter"])
    event["body"] = json.dumps(data)
    return event


def no_contact_details(reporter: dict[str, Any]) -> None:
    for detail in ("email", "phone", "preferred_contact"):
        reporter.pop(detail)


def only_an_unsafe_phone(reporter: dict[str, Any]) -> None:
    reporter.pop("email")
    reporter.pop("preferred_contact")
    reporter["unsafe_channels"] = ["sms"]  # someone else can see the phone


def submitted(staff: Staff, event: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The intake's answer, and the case it went to once triaged (as the queue would)."""
    answer = staff.handlers["Intake"].lambda_handler(event, LambdaContext())
    assert answer["statusCode"] == 201, answer["body"]
    body = answer["body"]
    told = {"page": body} if body.lstrip().startswith("<") else json.loads(body)
    reference = told.get("reference") or re.search(r'id="reference">([^<]+)<', body)[1]  # type: ignore[index]
    case = case_of_report(staff.table, reference)
    (received,) = outbox_events(staff.table, case, "ReportReceived")
    assert staff.handlers["Triage"].lambda_handler(
        queue_delivery("triage-report-received", received), LambdaContext()) == {
        "batchItemFailures": []}
    return {**told, "reference": reference}, case


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("&#39;", "'")


def test_a_reporter_who_gave_an_email_is_told_it_comes_by_email_with_the_link(
        staff: Staff) -> None:
    answer, _ = submitted(staff, json_report(lambda reporter: None))
    told = answer["next_steps"]
    assert "We will write to you by email to say we have your report, with the link" in told
    assert "If that does not reach you, we will try by text message." in told
    assert ONLY_WAY not in told


def test_a_reporter_with_no_contact_details_keeps_the_link_and_the_officer_is_told(
        staff: Staff) -> None:
    answer, case = submitted(staff, json_report(no_contact_details))
    told = answer["next_steps"]
    assert ONLY_WAY in told and LANDLORD_PHONE in told
    assert "contact you by" not in told and "We will write to you" not in told
    flagged = staff.get(case)[1]["case"]["reporters_cannot_be_reached"]
    assert flagged == [{"report_id": flagged[0]["report_id"], "reference": answer["reference"],
                        "why": "no safe way to contact them"}]


def test_a_reporter_whose_only_phone_is_unsafe_is_treated_as_unreachable(staff: Staff) -> None:
    answer, case = submitted(staff, json_report(only_an_unsafe_phone))
    assert ONLY_WAY in answer["next_steps"]
    assert "text message" not in answer["next_steps"]
    assert [r["reference"] for r in staff.get(case)[1]["case"]["reporters_cannot_be_reached"]] \
        == [answer["reference"]]


def test_a_reachable_reporter_is_not_flagged(staff: Staff) -> None:
    _, case = submitted(staff, json_report(lambda reporter: None))
    assert staff.get(case)[1]["case"]["reporters_cannot_be_reached"] == []


def form_report(**changes: str) -> dict[str, Any]:
    event = sample_event("intake-form-encoded")
    fields = [tuple(pair.split("=", 1)) for pair in event["body"].split("&")]
    from urllib.parse import unquote_plus

    values = [(k, unquote_plus(v)) for k, v in fields if k not in changes]
    values += [(k, v) for k, v in changes.items()]
    values = [(k, v) for k, v in values if k != "idempotency_key"]
    event["body"] = urlencode(values)
    return event


def test_the_confirmation_page_says_the_link_is_the_only_way_and_gives_the_phone(
        staff: Staff) -> None:
    event = form_report(**{"reporter.email": "", "reporter.preferred_contact": ""})
    answer, _ = submitted(staff, event)
    shown = text_of(answer["page"])
    assert ONLY_WAY in shown and LANDLORD_PHONE in shown
    assert "We have also sent it to you" not in shown


def test_an_emergency_is_told_what_will_happen_and_by_when(staff: Staff) -> None:
    # The sample: harassment and threats, "yes" to threats or violence - category A.
    event = form_report()
    before = datetime.now().astimezone()
    answer, _ = submitted(staff, event)
    shown = text_of(answer["page"])
    due = long_date(add_working_days(local_day(before), 1))
    assert ("Because you told us about harassment and threats, we are treating it as urgent. "
            f"The duty officer will be told now and we will contact you by {due}.") in shown
    assert "call 999" in shown
    assert "5 working days" not in shown
    assert "We will write to you by email" in shown
