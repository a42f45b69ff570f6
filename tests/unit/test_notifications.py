"""Notifications as plain functions: who hears what, through which safe channel, when; and
every customer template in plain English."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
import textstat

from asb.case.models import Case, CaseStatus, Report
from asb.case.tasks import DueTask
from asb.due_work.digest import digests
from asb.intake.service import new_report, parse_submission
from asb.notifications.channels import ChannelFailed, uk_e164
from asb.notifications.digest_mail import digest_email
from asb.notifications.plan import (
    CUSTOMER_TEMPLATES,
    DutyOfficer,
    Message,
    messages_for,
    messages_without_case,
)
from asb.notifications.render import render, template_names
from asb.notifications.service import NotDelivered, NotificationService
from tests.conftest import sample_event

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
DUTY = DutyOfficer("duty@example.org", "+447700900000",
                   service_url="https://asb.example.org/prod")

FULL_CONTEXT: dict[str, Any] = {
    "reference": "ASB-2026-000123", "landlord": "The ASB team", "phone": "0300 123 4567",
    "first_name": "Alex", "first_contact_due": "Thursday 26 November 2026", "working_days": 1,
    "joined": False, "plan": {"landlord_actions": ["Write to the tenant at number 14"],
                              "customer_actions": ["Keep a diary"],
                              "contact_every_working_days": 5, "review_on": "2027-01-15"},
    "case_review_url": "https://example.org/review", "complaints_url": "https://example.org/c",
    "survey_url": "https://example.org/s", "outcome": "The behaviour has stopped",
    "reasons": "No more reports for six weeks.", "category": "A", "team": "yeovil",
    "link": "https://staff.example.org/cases/ASB-2026-000123", "reasons_list": [],
}
REQUIRED = {"reference", "landlord", "phone"}


def report(anonymous: bool = False, **reporter: Any) -> Report:
    data = json.loads(sample_event("intake-valid-json")["body"])
    data["reporter"].update(reporter)
    if anonymous:
        data.pop("reporter")
    return new_report(parse_submission(data, NOW), "ASB-2026-000123", "api", NOW, "report-1")


def case(behaviours: list[str] | None = None, anonymous: bool = False) -> Case:
    return Case(reference="ASB-2026-000123", status=CaseStatus.TRIAGED, opened_at=NOW,
                updated_at=NOW, anonymous=anonymous, behaviours=behaviours or ["noise"],
                hate_incident=False, location_address="12 Orchard Close", category="A",
                targets={"first_contact_due": "2026-11-26"})


def triaged(report_id: str = "report-1") -> dict[str, Any]:
    return {"event_id": "e-1", "type": "CaseTriaged", "case_reference": "ASB-2026-000123",
            "detail": {"report_id": report_id, "retriage": False}}


@pytest.mark.parametrize("name", template_names())
def test_every_template_renders_with_every_optional_field_absent(name: str) -> None:
    template, channel, _ = name.split(".")
    rendered = render(template, channel, {k: FULL_CONTEXT[k] for k in REQUIRED})
    assert "ASB-2026-000123" in rendered.text or template == "digest"  # many cases, or none
    assert "None" not in rendered.text and "Undefined" not in rendered.text


def reading_age(text: str) -> float:
    words = re.sub(r"https?://\S+|ASB-\d{4}-\d{6}|\d[\d ]+\d", "it", text)
    return float(textstat.flesch_kincaid_grade(words)) + 5


@pytest.mark.parametrize("name", [n for n in template_names() if n.split(".")[0]
                                  in CUSTOMER_TEMPLATES])
def test_every_customer_template_has_a_reading_age_of_11_or_less(name: str) -> None:
    template, channel, _ = name.split(".")
    text = render(template, channel, FULL_CONTEXT).text
    assert reading_age(text) <= 11, f"{name}: reading age {reading_age(text):.1f}"


def test_the_acknowledgement_says_what_the_issue_asks() -> None:
    text = render("acknowledgement", "email", FULL_CONTEXT).text
    for needed in ("ASB-2026-000123", "Thursday 26 November 2026", "diary", "999",
                   "What we mean by anti-social behaviour"):
        assert needed in text


def test_html_bodies_escape_what_people_typed() -> None:
    context = {**FULL_CONTEXT, "reasons": "<script>alert(1)</script>"}
    rendered = render("closure", "email", context)
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert "<script>alert(1)</script>" in rendered.text  # plain text stays as written


def test_an_acknowledgement_goes_to_the_preferred_channel_first() -> None:
    (message,) = messages_for(triaged(), case(), [report(preferred_contact="sms")], DUTY, NOW)
    assert message.template == "acknowledgement"
    assert message.channels == ("sms", "email")
    assert message.context["first_contact_due"] == "Thursday 26 November 2026"


def test_an_anonymous_reporter_is_never_contacted() -> None:
    assert messages_for(triaged(), case(anonymous=True), [report(anonymous=True)], DUTY,
                        NOW) == []


def test_an_unsafe_channel_is_never_used() -> None:
    chosen = report(phone="07700 900123", unsafe_channels=["email"], preferred_contact="sms")
    (message,) = messages_for(triaged(), case(), [chosen], DUTY, NOW)
    assert "email" not in message.channels


def test_domestic_abuse_keeps_letters_away_unless_asked_for() -> None:
    with_address = report(address="PO Box 12, Yeovil")
    (message,) = messages_for(triaged(), case(["domestic_abuse"]), [with_address], DUTY, NOW)
    assert "letter" not in message.channels


def test_a_message_waits_for_the_safe_window() -> None:
    window = report(preferred_contact="sms", safe_from=time(18, 0), safe_until=time(20, 0))
    (message,) = messages_for(triaged(), case(), [window], DUTY, NOW)  # 10:00 is outside
    assert message.not_before == datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    evening = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)
    (later,) = messages_for(triaged(), case(), [window], DUTY, evening)
    assert later.not_before is None
    assert later.notification_id == message.notification_id


def test_the_duty_officers_alert_carries_no_reporter_data() -> None:
    event = {"event_id": "e-2", "type": "EmergencyRaised", "case_reference": "ASB-2026-000123",
             "detail": {"reasons": ["threats reported"]}}
    # Both, as separate messages: each sent and logged under its own id, not one a fallback.
    sms_alert, email_alert = messages_for(event, case(["threats"]), [report()], DUTY, NOW)
    assert (sms_alert.channels, email_alert.channels) == (("sms",), ("email",))
    assert sms_alert.notification_id != email_alert.notification_id
    for alert in (sms_alert, email_alert):
        assert alert.recipient.kind == "duty_officer" and alert.template == "emergency_alert"
        (channel,) = alert.channels
        text = render(alert.template, channel, alert.context).text
        assert "https://asb.example.org/prod/console?case=ASB-2026-000123" in text
        for personal in ("Alex", "Morgan", "07700 900123", "Orchard", "alex.morgan"):
            assert personal not in text + json.dumps(alert.context)


def test_uk_numbers_become_e164() -> None:
    assert uk_e164("07700 900123") == "+447700900123"
    assert uk_e164("+44 7700 900123") == "+447700900123"


class FakeChannel:
    def __init__(self, fails: bool = False) -> None:
        self.fails = fails
        self.sent: list[str] = []

    def send(self, message: Message, rendered: Any, now: datetime) -> str:
        if self.fails:
            raise ChannelFailed("bounced")
        self.sent.append(rendered.text)
        return "id-1"


class FakeStore:
    def __init__(self, reports: list[Report]) -> None:
        self.reports = reports
        self.logged: dict[str, tuple[str, list[dict[str, str]]]] = {}
        self.held: list[str] = []

    def case_and_reports(self, reference: str) -> tuple[Case, list[Report]]:
        return case(), self.reports

    def sent(self, reference: str, notification_id: str) -> bool:
        return self.logged.get(notification_id, ("", []))[0] == "sent"

    def log(self, message: Message, status: str, attempts: list[dict[str, str]],
            at: datetime) -> None:
        self.logged[message.notification_id] = (status, attempts)

    def hold(self, message: Message, event: Any, at: datetime) -> None:
        self.held.append(message.notification_id)

    def due(self, now: datetime) -> list[tuple[str, str, dict[str, Any], datetime]]:
        return []

    def end_hold(self, reference: str, notification_id: str, status: str,
                 at: datetime) -> None:
        self.logged[notification_id] = (status, self.logged.get(notification_id, ("", []))[1])


class Clock:
    def now(self) -> datetime:
        return NOW


def test_a_failed_channel_falls_back_to_the_next_safe_one_and_sends_once() -> None:
    store = FakeStore([report(preferred_contact="email", phone="07700 900123")])
    email, sms = FakeChannel(fails=True), FakeChannel()
    service = NotificationService(store, {"email": email, "sms": sms, "letter": FakeChannel()},
                                  DUTY, Clock())
    (message,) = service.plan(triaged())
    assert service.handle(triaged(), message).channel == "sms"
    assert service.handle(triaged(), message).status == "already sent"
    assert len(sms.sent) == 1
    status, attempts = store.logged[message.notification_id]
    assert status == "sent" and [a["status"] for a in attempts] == ["failed", "sent"]


def test_when_every_channel_fails_the_event_is_retried() -> None:
    store = FakeStore([report()])
    broken = {name: FakeChannel(fails=True) for name in ("email", "sms", "letter")}
    service = NotificationService(store, broken, DUTY, Clock())
    (message,) = service.plan(triaged())
    with pytest.raises(NotDelivered):
        service.handle(triaged(), message)
    assert store.logged[message.notification_id][0] == "failed"


def test_a_large_print_letter_is_a_pdf() -> None:
    from asb.notifications.channels import letter_pdf

    rendered = render("closure", "letter", FULL_CONTEXT)
    pdf = letter_pdf("Alex Morgan", "12 Orchard Close, Yeovil, BA20 1AB", rendered, NOW, True)
    assert pdf.startswith(b"%PDF")
    assert date(2026, 11, 25)


def test_a_contact_due_update_goes_to_the_first_reporter() -> None:
    event = {"event_id": "e-3", "type": "ContactDue", "case_reference": "ASB-2026-000123",
             "detail": {}}
    (message,) = messages_for(event, case(), [report()], DUTY, NOW)
    assert message.template == "contact_due" and message.recipient.report_id == "report-1"


def test_the_case_review_applicant_is_told_the_decision_and_why() -> None:
    event = {"event_id": "e-4", "type": "CaseReviewThresholdDecided",
             "case_reference": "ASB-2026-000123",
             "detail": {"report_id": "report-1", "met": False,
                        "reasons": "One complaint in six months."}}
    (message,) = messages_for(event, case(), [report()], DUTY, NOW)
    assert message.template == "case_review_update"
    text = render(message.template, "email", message.context).text
    assert "does not meet the rules" in text and "One complaint in six months." in text
    assert "look again" in text  # how to appeal
    assert messages_for(event, case(anonymous=True), [report(anonymous=True)], DUTY, NOW) == []


def test_an_overdue_case_review_step_is_escalated_with_what_it_is() -> None:
    duty = DutyOfficer("duty@example.org", None, "managers@example.org")
    event = {"event_id": "e-5", "type": "CaseReviewStepOverdue",
             "case_reference": "ASB-2026-000123",
             "detail": {"step": "Hold the ASB Case Review meeting", "officer": "o.hughes",
                        "team": "yeovil", "due_at": "2026-12-23T17:00:00+00:00"}}
    (message,) = messages_for(event, case(), [report()], duty, NOW)
    assert message.template == "escalation" and message.recipient.kind == "managers"
    assert "Hold the ASB Case Review meeting" in render("escalation", "email", message.context).text


def test_a_supporter_the_reporter_chose_gets_a_copy_and_an_interpreter_is_promised() -> None:
    supported = report(supporter={"name": "Sam Taylor", "email": "sam@example.org",
                                  "relationship": "sister", "reporter_agrees": True},
                       language="Polish", interpreter=True)
    to_reporter, to_supporter = messages_for(triaged(), case(), [supported], DUTY, NOW)
    assert to_supporter.recipient.kind == "supporter" and to_supporter.channels == ("email",)
    assert to_supporter.notification_id != to_reporter.notification_id
    text = render(to_supporter.template, "email", to_supporter.context).text
    assert text.startswith("Dear Sam,") and "as Alex asked us to keep you informed" in text
    assert "Polish interpreter" in render(to_reporter.template, "email",
                                          to_reporter.context).text
    unagreed = report(supporter={"name": "Sam Taylor", "email": "sam@example.org",
                                 "relationship": "sister", "reporter_agrees": False})
    assert len(messages_for(triaged(), case(), [unagreed], DUTY, NOW)) == 1


# ------------------------------------------------------------------ every message, as sent
# A date or time as a computer writes it: 2026-12-01, 23:59:59, T17:00.
MACHINE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}|T\d{2}:\d{2}")
# Words run together: a capital straight after a letter, digit or full stop ("days.We",
# "Category: ATeam").
RUN_TOGETHER = re.compile(r"(?<=[a-zA-Z0-9.,])[A-Z][a-z]")
STAFF = DutyOfficer("duty@example.org", "+447700900000", "managers@example.org",
                    "dpo@example.org", "example.org", service_url="https://asb.example.org/prod")


def every_message_of_one_case() -> dict[str, list[tuple[str, str, str]]]:
    """What each kind of event sends about one case, as rendered on each of its channels:
    kind -> [(channel, subject, text)], from the events and the stored data the notifier reads
    (ISO dates, as stored), through messages_for and the digest's own rendering."""
    planned = case().model_copy(update={
        "officer": "o.hughes", "team": "yeovil", "outcome": "resolved",
        "closure_reasons": "No more reports for six weeks.",
        "action_plan": {"landlord_actions": ["Write to the tenant at number 14"],
                        "customer_actions": ["Keep a diary"], "contact_every_working_days": 5,
                        "review_on": "2027-01-15", "agreed_with": "report-1"}})
    overdue = {"officer": "o.hughes", "team": "yeovil"}
    events: dict[str, tuple[str, dict[str, Any]]] = {
        "acknowledgement": ("CaseTriaged", {"report_id": "report-1", "retriage": False}),
        "emergency": ("EmergencyRaised", {"reasons": ["threats reported"]}),
        "first contact overdue": ("FirstContactOverdue",
                                  {**overdue, "due_at": "2026-11-30T17:00:00+00:00"}),
        "emergency not considered": ("EmergencyConsiderationOverdue",
                                     {**overdue, "due_at": "2026-12-01T23:59:59.999999+00:00"}),
        "no activity": ("NoRecentActivity", {**overdue, "due_at": "2026-12-29T17:00:00+00:00"}),
        "review step overdue": ("CaseReviewStepOverdue", {
            **overdue, "step": "Hold the ASB Case Review meeting",
            "due_at": "2026-12-23T17:00:00+00:00"}),
        "plan": ("ActionPlanAgreed", {"agreed_with": "report-1"}),
        "update": ("ContactDue", {}),
        "review right": ("CaseReviewThresholdMet", {"report_id": "report-1"}),
        "review acknowledged": ("CaseReviewAcknowledged", {
            "report_id": "report-1", "run_by": None, "decide_by": "2026-12-22",
            "meet_by": "2026-12-31", "outcome_by": "2027-01-08"}),
        "review referred": ("CaseReviewReferred", {
            "report_id": "report-1", "run_by": "South Somerset District Council",
            "how_to_reach": "asbcasereview@council.example or 01935 462 462",
            "decide_by": "2026-12-22", "meet_by": "2026-12-31", "outcome_by": "2027-01-08"}),
        "review met": ("CaseReviewThresholdDecided", {"report_id": "report-1", "met": True,
                                                      "reasons": "A hate incident."}),
        "review not met": ("CaseReviewThresholdDecided", {
            "report_id": "report-1", "met": False,
            "reasons": "1 qualifying complaint in the 6 months before Tuesday 1 December 2026"}),
        "appeal upheld": ("CaseReviewAppealDecided", {"report_id": "report-1", "upheld": True}),
        "appeal refused": ("CaseReviewAppealDecided", {"report_id": "report-1",
                                                       "upheld": False}),
        "review outcome": ("CaseReviewOutcome", {"report_id": "report-1",
                                                 "summary": "Mediation is offered."}),
        "closure": ("CaseClosed", {}),
        "assigned": ("OfficerAssigned", {"officer": "o.hughes", "team": "yeovil",
                                         "by": "m.jones"}),
    }
    found: dict[str, list[tuple[str, str, str]]] = {}
    for kind, (event_type, detail) in events.items():
        event = {"event_id": f"e-{kind}", "type": event_type,
                 "case_reference": "ASB-2026-000123", "detail": detail}
        messages = messages_for(event, planned, [report()], STAFF, NOW)
        assert messages, kind
        found[kind] = [(channel, rendered.subject, rendered.text)
                       for message in messages for channel in message.channels
                       for rendered in [render(message.template, channel, message.context)]]
    sar = {"event_id": "e-sar", "type": "SubjectAccessOverdue", "case_reference": "SAR-1",
           "detail": {"due_at": "2026-12-01T00:00:00+00:00"}}
    found["subject access overdue"] = [
        ("email", r.subject, r.text) for m in messages_without_case(sar, STAFF)
        for r in [render(m.template, "email", m.context)]]
    tasks = [DueTask("ASB-2026-000123", kind, due) for kind, due in (
        ("FIRST_CONTACT:escalated", datetime(2026, 11, 30, 17, tzinfo=UTC)),
        ("PLAN_REVIEW", datetime(2026, 12, 1, 17, tzinfo=UTC)))]
    (digest,) = digests([replace(t, officer="o.hughes") for t in tasks],
                        datetime(2026, 12, 1, 7, tzinfo=UTC))
    rendered = digest_email(digest, STAFF.service_url)
    found["digest"] = [("email", rendered.subject, rendered.text)]
    return found


def test_no_message_shows_a_date_or_time_as_a_computer_writes_it() -> None:
    for kind, sent in every_message_of_one_case().items():
        for channel, subject, text in sent:
            assert not MACHINE_DATE.search(subject + "\n" + text), (kind, channel, text)
            assert not RUN_TOGETHER.search(text), (kind, channel, text)
    escalations = every_message_of_one_case()
    (_, _, late), = escalations["emergency not considered"]
    assert "It was due by the end of Tuesday 1 December 2026." in late
    (_, _, plan), *_ = escalations["plan"]
    assert "\n\nWe will contact you every 5 working days.\n\n" \
           "We will look at the plan again on Friday 15 January 2027." in plan
    (_, _, digest), = escalations["digest"]
    assert "(was due Monday 30 November 2026)" in digest
    assert "\n\nDue today\n" in digest


def test_each_kind_of_message_about_a_case_has_a_subject_of_its_own() -> None:
    subjects = {kind: {subject for channel, subject, _ in sent if channel != "sms"}
                for kind, sent in every_message_of_one_case().items()}
    emailed = {kind: found for kind, found in subjects.items() if found}
    assert all(len(found) == 1 for found in emailed.values()), emailed
    seen = [next(iter(found)) for found in emailed.values()]
    assert len(set(seen)) == len(seen), sorted(seen)
