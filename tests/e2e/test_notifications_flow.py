"""Notifications through the local runtime: what residents and the duty officer receive."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from asb.case.targets import LONDON, local_day
from asb.policy.working_days import add_working_days
from infra.local.outbox import Sent, sent
from infra.local.pollers import wait_until
from infra.local.runtime import LocalRuntime
from infra.local.template import ROOT
from tests.conftest import sample_event
from tests.e2e.test_local_service import http
from tests.integration.test_intake_handler import PERSONAL


def report(service: LocalRuntime, street: str, change: Any = None) -> str:
    data = json.loads(sample_event("intake-valid-json")["body"])
    data["location"]["address"] = f"7 {street}, Yeovil"
    data["perpetrator"] = {"known": True, "address": f"9 {street}, Yeovil"}
    if change:
        change(data)
    status, _, answer = http(service, "POST", "/reports", json.dumps(data),
                             {"Content-Type": "application/json"})
    assert status == 201, answer
    return str(json.loads(answer)["reference"])


def outbox_for(service: LocalRuntime, reference: str) -> list[Sent]:
    return [m for m in sent(service.aws_endpoint) if reference in m.summary + m.body + m.to]


def delivery_log(service: LocalRuntime, reference: str) -> list[dict[str, Any]]:
    from asb.dynamo.codec import from_item

    items = boto3.client("dynamodb", endpoint_url=service.aws_endpoint).query(
        TableName="asb-local-CasesTable", KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CASE#{reference}"}})["Items"]
    return [from_item(i) for i in items if i["entity"]["S"] == "Notification"]


def test_a_category_a_report_acknowledges_the_reporter_and_alerts_the_duty_officer(
    service: LocalRuntime,
) -> None:
    def threatened(data: dict[str, Any]) -> None:
        data["incident"]["behaviours"] = ["threats"]

    reference = report(service, "Fir Close", threatened)
    assert wait_until(lambda: len(outbox_for(service, reference)) >= 3, seconds=40)
    messages = outbox_for(service, reference)
    (email,) = [m for m in messages if m.to == "alex.morgan@example.org"]
    assert email.kind == "email"
    due = add_working_days(local_day(datetime.now(UTC)), 1)
    assert f"{due:%A} {due.day} {due:%B %Y}" in email.body  # one working day ahead
    (sms,) = [m for m in messages if m.to == "+447700900000"]
    assert sms.kind == "sms", messages
    for personal in [*PERSONAL, "Alex", "Morgan", "Fir Close"]:
        assert personal not in sms.body
    # The link opens the console's page of the case, at this deployment's own address.
    assert f"{service.api_url}/console?case={reference}" in sms.body
    # The duty officer by SMS and by email, as the README says, each in the delivery log.
    (alert,) = [m for m in messages if m.to == "duty-officer@example.org"]
    assert alert.kind == "email" and f"{service.api_url}/console?case={reference}" in alert.body
    statuses = sorted((n["template"], n["status"], n["channel"])
                      for n in delivery_log(service, reference))
    assert statuses == [("acknowledgement", "sent", "email"), ("emergency_alert", "sent", "email"),
                        ("emergency_alert", "sent", "sms")]


def test_an_anonymous_reporter_is_sent_nothing(service: LocalRuntime) -> None:
    def anonymous(data: dict[str, Any]) -> None:
        data.pop("reporter")

    reference = report(service, "Gorse Close", anonymous)
    dynamodb = boto3.client("dynamodb", endpoint_url=service.aws_endpoint)

    def triaged() -> bool:
        item = dynamodb.get_item(TableName="asb-local-CasesTable",
                                 Key={"pk": {"S": f"CASE#{reference}"}, "sk": {"S": "CASE"}})
        return item.get("Item", {}).get("status", {}).get("S") == "triaged"

    assert wait_until(triaged, seconds=20)
    wait_until(lambda: False, seconds=3)  # time for a notification, were one (wrongly) due
    assert outbox_for(service, reference) == []
    assert delivery_log(service, reference) == []


def test_sms_waits_for_the_safe_window_then_goes(service: LocalRuntime) -> None:
    now = datetime.now(UTC).astimezone(LONDON)
    start = (now + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    end = start + timedelta(hours=2)

    def evenings_only(data: dict[str, Any]) -> None:
        data["reporter"].update(preferred_contact="sms", unsafe_channels=["email"],
                                safe_from=f"{start:%H:%M}", safe_until=f"{end:%H:%M}")

    reference = report(service, "Hazel Close", evenings_only)
    assert wait_until(lambda: any(n["status"] == "waiting"
                                  for n in delivery_log(service, reference)), seconds=25)
    assert outbox_for(service, reference) == []  # nothing outside the window

    at = start.astimezone(UTC) + timedelta(minutes=1)
    done = subprocess.run(
        [sys.executable, "-m", "infra.local.tick"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PORT": str(service.api_port), "SCHEDULE": "NotificationSweep",
             "AT": at.strftime("%Y-%m-%dT%H:%M:%SZ")}, check=True, timeout=60)
    assert "NotificationSweepFunction" in done.stdout
    messages = outbox_for(service, reference)
    assert [(m.kind, m.to) for m in messages] == [("sms", "+447700900123")]
    assert {n["status"] for n in delivery_log(service, reference)} == {"sent"}


def test_no_log_line_of_a_whole_flow_carries_personal_data(service: LocalRuntime) -> None:
    lines = io.StringIO()
    for function in service.loaded.values():
        handler = getattr(getattr(function.module, "logger", None), "registered_handler", None)
        if handler is not None:
            handler.setStream(lines)
    reference = report(service, "Juniper Close",
                       lambda d: d["incident"].update(behaviours=["harassment"]))
    assert wait_until(lambda: len(outbox_for(service, reference)) >= 2, seconds=25)
    token = subprocess.run([sys.executable, "-m", "infra.local.token", "--role", "officer"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout
    http(service, "GET", f"/cases/{reference}",
         headers={"Authorization": f"Bearer {token.strip().splitlines()[-1]}"})
    logs = lines.getvalue()
    assert "report accepted" in logs and "notification" in logs
    for personal in [*PERSONAL, "Juniper Close", "07700900123", "+447700900123"]:
        assert personal not in logs, personal


def test_make_tick_moves_the_clock_and_the_sweep_escalates_and_updates(
    service: LocalRuntime,
) -> None:
    """A report, then the due-work sweep as of later days: first contact overdue reaches the
    managers; the customer's update goes out when it falls due."""
    reference = report(service, "Laurel Close")
    dynamodb = boto3.client("dynamodb", endpoint_url=service.aws_endpoint)

    def triaged() -> dict[str, Any]:
        from asb.dynamo.codec import from_item

        item = dynamodb.get_item(TableName="asb-local-CasesTable",
                                 Key={"pk": {"S": f"CASE#{reference}"}, "sk": {"S": "CASE"}})
        return from_item(item.get("Item", {}))

    assert wait_until(lambda: triaged().get("status") == "triaged", seconds=20)
    targets = triaged()["targets"]

    def tick(day: str, schedule: str = "ReviewSweep", at: str = "18:00") -> str:
        return subprocess.run(
            [sys.executable, "-m", "infra.local.tick"], cwd=ROOT, capture_output=True,
            text=True, check=True, timeout=60,
            env={**os.environ, "PORT": str(service.api_port), "SCHEDULE": schedule,
                 "AT": f"{day}T{at}:00Z"}).stdout

    assert "ReviewSweepFunction" in tick(targets["first_contact_due"])
    assert wait_until(lambda: any(m.to == "asb-managers@example.org"
                                  for m in outbox_for(service, reference)), seconds=25)
    case_page = f"{service.api_url}/console?case={reference}"
    (escalation,) = [m for m in outbox_for(service, reference)
                     if m.to == "asb-managers@example.org"]
    assert case_page in escalation.body
    tick(targets["first_contact_due"], "DailyDigest", "07:00")
    (digest,) = [m for m in outbox_for(service, reference) if m.to == "o.hughes@example.org"]
    assert case_page in digest.body and f"Your work: {service.api_url}/console" in digest.body
    tick(targets["next_contact_due"])
    assert wait_until(lambda: any("update on case" in m.body.lower()
                                  for m in outbox_for(service, reference)
                                  if m.to == "alex.morgan@example.org"), seconds=25)


def test_make_outbox_lists_newest_first_across_channels_and_prints_one_whole(
    service: LocalRuntime,
) -> None:
    def outbox(number: str = "") -> str:
        return subprocess.run(
            [sys.executable, "-m", "infra.local.outbox"], cwd=ROOT, capture_output=True,
            text=True, check=True, timeout=60,
            env={**os.environ, "LOCAL_AWS_PORT": str(service.aws_port), "N": number}).stdout

    def threatened(data: dict[str, Any]) -> None:
        data["incident"]["behaviours"] = ["threats"]

    emergency = report(service, "Rowan Close", threatened)  # the duty SMS, then emails
    assert wait_until(lambda: len(outbox_for(service, emergency)) >= 3, seconds=40)
    later = report(service, "Spruce Close")  # an email only, sent after that SMS
    assert wait_until(lambda: outbox_for(service, later) != [], seconds=40)

    listed = outbox().splitlines()
    assert [line.split()[0] for line in listed] == [str(n) for n in range(1, len(listed) + 1)]
    messages = sent(service.aws_endpoint)
    assert [m.at for m in messages] == sorted((m.at for m in messages), reverse=True)
    assert all(m.at for m in messages if m.kind != "letter")
    newest = next(n for n, m in enumerate(messages, start=1) if later in m.summary)
    duty_sms = next(n for n, m in enumerate(messages, start=1)
                    if m.kind == "sms" and emergency in m.body)
    assert newest < duty_sms  # an email sent later is listed above an earlier SMS
    assert f"We have your report ({later})" in listed[newest - 1]

    whole = outbox(str(newest))
    assert whole.startswith(f"Message {newest}, email\nTo:      alex.morgan@example.org\n")
    assert f"Subject: We have your report ({later})" in whole
    assert "Dear Alex,\n\nThank you for telling us" in whole and "<p>" not in whole
    assert f"Your reference is {later}." in whole and "call 999" in whole
    sms = outbox(str(duty_sms))
    assert f"{service.api_url}/console?case={emergency}" in sms
    assert "there is no message 999" in outbox("999")
