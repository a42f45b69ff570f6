"""The notification consumer with the sample event, against moto: sent once, however often
the event comes."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import boto3

from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import (
    Staff,
    case_partition,
    outbox_events,
    queue_delivery,
    report_and_triage,
    report_of,
)
from tests.landlords_homes import NUMBER_14, living_at


def test_a_redelivered_event_sends_nothing_twice(load_handler: Callable[[str], ModuleType],
                                                  aws: Any) -> None:
    intake, triage, notifications = (load_handler(f"{n}Function")
                                     for n in ("Intake", "Triage", "Notification"))
    table = str(aws.ref("CasesTable"))
    reference = report_and_triage(intake, triage, table)
    (triaged,) = outbox_events(table, reference, "CaseTriaged")
    delivery = queue_delivery("notifications-case-triaged", triaged)
    for _ in range(3):
        assert notifications.lambda_handler(delivery, LambdaContext()) == {
            "batchItemFailures": []}
    sent = boto3.client("ses").get_send_quota()["SentLast24Hours"]
    assert sent == 1
    (log,) = [i for i in case_partition(table, reference) if i["entity"] == "Notification"]
    assert (log["template"], log["status"], log["channel"]) == ("acknowledgement", "sent",
                                                                "email")
    assert "alex" not in json.dumps(log).lower()  # the log names the channel, not the address


def emails_to(address: str) -> list[tuple[str, str]]:
    """(subject, body) of each email moto's SES accepted for the address, oldest first."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-2"]
    return [(m.subject, m.body) for m in backend.sent_messages
            if address in json.dumps(m.destinations)]


def joined_report(staff: Staff) -> tuple[str, str, str]:
    """A case opened by Alex (the sample), and a report by someone else about the same tenant
    (number 14, chosen from the landlord's homes): the case's reference, the joining report's
    own reference and its id (triaged). Needs the `homes` fixture."""
    case = staff.open_case(home=NUMBER_14)
    event = sample_event("intake-valid-json")
    event["headers"].pop("Idempotency-Key")
    data = json.loads(event["body"])
    data["reporter"].update(name="Sam Stranger", email="sam@example.org")
    data["perpetrator"] = living_at(NUMBER_14)
    event["body"] = json.dumps(data)
    answer = staff.handlers["Intake"].lambda_handler(event, LambdaContext())
    reference = json.loads(answer["body"])["reference"]
    on_case, report_id = report_of(staff.table, reference)
    assert on_case == case and reference != case
    (received,) = [e for e in outbox_events(staff.table, case, "ReportReceived")
                   if e["detail"]["report_id"] == report_id]
    assert staff.handlers["Triage"].lambda_handler(
        queue_delivery("triage-report-received", received), LambdaContext()) == {
        "batchItemFailures": []}
    return case, reference, report_id


def deliver(notifications: ModuleType, table: str, case: str, kind: str,
            report_id: str | None = None) -> None:
    for event in outbox_events(table, case, kind):
        if report_id is None or event["detail"].get("report_id") == report_id:
            assert notifications.lambda_handler(queue_delivery(
                "notifications-case-triaged", event), LambdaContext()) == {"batchItemFailures": []}


def test_a_joining_reporters_acknowledgement_carries_their_own_reference_only(
        staff: Staff, load_handler: Callable[[str], ModuleType], homes: str) -> None:
    notifications = load_handler("NotificationFunction")
    case, reference, report_id = joined_report(staff)
    deliver(notifications, staff.table, case, "CaseTriaged", report_id)
    ((subject, body),) = emails_to("sam@example.org")
    assert reference in subject and reference in body
    assert f"/track/{reference}?secret=" in body
    assert case not in subject + body
    assert "already" not in body and "added your report" not in body
    assert emails_to("alex.morgan@example.org") == []


PLAN = {"landlord_actions": ["Write to the tenant at number 14"],
        "customer_actions": ["Keep a diary of the music at night"],
        "contact_channel": "phone", "contact_every_working_days": 5,
        "review_on": "2027-01-15", "customer_agreed": True}


def test_the_action_plan_goes_only_to_the_complainant_it_was_agreed_with(
        staff: Staff, load_handler: Callable[[str], ModuleType], homes: str) -> None:
    notifications = load_handler("NotificationFunction")
    case, reference, report_id = joined_report(staff)
    assert staff.write(case, "action-plan", {**PLAN, "agreed_with": report_id})[0] == 200
    deliver(notifications, staff.table, case, "ActionPlanAgreed")
    ((subject, body),) = emails_to("sam@example.org")
    assert reference in subject and "Keep a diary of the music" in body and case not in body
    assert emails_to("alex.morgan@example.org") == []
    # A plan that names nobody is the first reporter's, and goes to them alone.
    assert staff.write(case, "action-plan", {**PLAN, "review_on": "2027-02-15"})[0] == 200
    deliver(notifications, staff.table, case, "ActionPlanAgreed")
    ((subject, body),) = emails_to("alex.morgan@example.org")
    assert case in subject and "Keep a diary of the music" in body
    assert len(emails_to("sam@example.org")) == 1


def test_a_letter_to_the_print_room_names_the_reporter_as_they_typed_it(
        load_handler: Callable[[str], ModuleType], aws: Any) -> None:
    from tests.pdfs import font_sizes, text_lines

    intake, triage, notifications = (load_handler(f"{n}Function")
                                     for n in ("Intake", "Triage", "Notification"))
    table = str(aws.ref("CasesTable"))
    event = sample_event("intake-valid-json")
    data = json.loads(event["body"])
    data["reporter"].update(name="Łucja Wąsowska", address="Łąka, ул. Ленина 5, Yeovil BA20 1AB",
                            preferred_contact="letter", large_print=True)
    event["body"] = json.dumps(data)
    reference = report_and_triage(intake, triage, table, event)
    (triaged,) = outbox_events(table, reference, "CaseTriaged")
    assert notifications.lambda_handler(queue_delivery("notifications-case-triaged", triaged),
                                        LambdaContext()) == {"batchItemFailures": []}
    s3 = boto3.client("s3")
    bucket = str(aws.ref("LettersBucket"))
    (letter,) = s3.list_objects_v2(Bucket=bucket)["Contents"]
    pdf = s3.get_object(Bucket=bucket, Key=letter["Key"])["Body"].read()
    assert text_lines(pdf)[:4] == ["Łucja Wąsowska", "Łąka", "ул. Ленина 5", "Yeovil BA20 1AB"]
    assert font_sizes(pdf) == {18.0}
