"""Warning letters through the handlers, against moto: the officer asks for one on a warning
(case work), the notifications function draws it and posts it (a PDF in the print room's bucket)
or emails it (the PDF attached), logs its delivery, and the case view shows it on the letter."""

from __future__ import annotations

import email
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from types import ModuleType
from typing import Any

import boto3

from asb.case.retention import ERASED
from tests.integration.helpers import Staff, case_partition, outbox_events
from tests.integration.test_notifications_handler import deliver
from tests.pdfs import text_lines

MANAGER = ("m.jones", "manager", "yeovil")
SAM = {"name": "Sam Taylor", "email": "sam.taylor@example.org",
       "address": "Flat 2, 14 Orchard Close, Yeovil", "postcode": "BA20 1AB"}
PARTICULARS = {"what_happened": "Loud music was played from your flat late at night.",
               "happened_on": [(datetime.now(UTC) - timedelta(days=3)).date().isoformat()],
               "must_stop": ["Loud music after 11pm", "Shouting in the shared hallway"]}


def against(staff: Staff, reference: str, person: dict[str, Any]) -> str:
    """A party added as an alleged perpetrator of the case: its id."""
    status, body = staff.write(reference, "parties", {"roles": ["alleged_perpetrator"],
                                                      "person": person})
    assert status == 200, body
    parties = staff.get(reference, who=MANAGER)[1]["parties"]
    return str(next(p["party_id"] for p in parties
                    if p.get("person", {}).get("name") == person["name"]))


def warning(staff: Staff, reference: str, tool: str, party_id: str) -> str:
    status, body = staff.write(reference, "measures", {
        "measure": tool, "party_id": party_id,
        "rationale": "Loud music late at night, after advice and a visit."})
    assert status == 200, body
    return str(next(i["record_id"] for i in case_partition(staff.table, reference)
                    if i["entity"] == "Measure" and i["measure"] == tool))


def send(staff: Staff, reference: str, measure_id: str,
         **body: Any) -> tuple[int, dict[str, Any]]:
    version = staff.get(reference, who=MANAGER)[1]["case"]["version"]
    return staff.call("case_work-send-warning-letter", reference=reference,
                      path=f"/cases/{reference}/measures/{measure_id}/letters",
                      body={"channel": "letter", **PARTICULARS, **body}, if_match=f'"{version}"')


def stored(staff: Staff, reference: str) -> list[dict[str, Any]]:
    """The case's items less the audit of its reads (each GET of the case adds one)."""
    return [i for i in case_partition(staff.table, reference) if i.get("action") != "CaseViewed"]


def letters_on_view(staff: Staff, reference: str, measure_id: str) -> list[dict[str, Any]]:
    timeline = staff.get(reference, who=MANAGER)[1]["timeline"]
    (measure,) = [e["detail"] for e in timeline if e["kind"] == "tool_or_power"
                  and e["detail"]["record_id"] == measure_id]
    return list(measure["letters"])


def test_a_first_written_warning_is_posted_then_a_final_one_emailed_each_logged(
        staff: Staff, load_handler: Callable[[str], ModuleType], aws: Any) -> None:
    notifications = load_handler("NotificationFunction")
    reference = staff.open_case()  # Alex Morgan's report
    party_id = against(staff, reference, SAM)
    first_id = warning(staff, reference, "first_written_warning", party_id)
    final_id = warning(staff, reference, "final_written_warning", party_id)
    before = stored(staff, reference)

    # Proportionate and escalating: no final warning before an earlier one is given.
    status, body = send(staff, reference, final_id)
    assert status == 409 and "proportionate and escalating" in body["message"]
    assert stored(staff, reference) == before  # nothing stored

    status, body = send(staff, reference, first_id)
    assert status == 200, body
    (requested,) = outbox_events(staff.table, reference, "WarningLetterRequested")
    assert "Sam" not in json.dumps(requested) and "Loud" not in json.dumps(requested)
    assert letters_on_view(staff, reference, first_id)[0]["delivery"] == "queued"
    deliver(notifications, staff.table, reference, "WarningLetterRequested")

    s3 = boto3.client("s3")
    bucket = str(aws.ref("LettersBucket"))
    (posted,) = s3.list_objects_v2(Bucket=bucket)["Contents"]
    lines = text_lines(s3.get_object(Bucket=bucket, Key=posted["Key"])["Body"].read())
    assert lines[:4] == ["Sam Taylor", "Flat 2", "14 Orchard Close", "Yeovil"]
    text = "\n".join(lines)
    for said in ("First written warning", "Dear Sam Taylor,", PARTICULARS["what_happened"],
                 "- Shouting in the shared hallway", "we will send you a final written warning"):
        assert said in text, said
    assert "Alex" not in text and "Morgan" not in text and "alex.morgan" not in text
    (log,) = [i for i in case_partition(staff.table, reference) if i["entity"] == "Notification"]
    assert (log["template"], log["status"], log["channel"], log["recipient"]) == (
        "warning_first", "sent", "letter", "alleged_perpetrator")
    assert "Sam" not in json.dumps(log) and "Orchard" not in json.dumps(log)
    (shown,) = letters_on_view(staff, reference, first_id)
    assert (shown["delivery"], shown["document_key"]) == ("posted", posted["Key"])
    assert shown["notification_id"] == log["notification_id"]

    # Redelivered, the request is a replay: no second letter.
    deliver(notifications, staff.table, reference, "WarningLetterRequested")
    assert len(s3.list_objects_v2(Bucket=bucket)["Contents"]) == 1

    status, body = send(staff, reference, final_id, channel="email")
    assert status == 200, body
    deliver(notifications, staff.table, reference, "WarningLetterRequested")
    (mail,) = raw_emails_to("sam.taylor@example.org")
    assert mail["Subject"] == f"Final written warning ({reference})"
    (attachment,) = [part for part in mail.walk() if part.get_content_type() == "application/pdf"]
    assert attachment.get_filename() == f"warning_final-{reference}.pdf"
    attached = "\n".join(text_lines(attachment.get_payload(decode=True)))
    assert "Final written warning" in attached and "injunction" in attached
    assert "Alex" not in attached
    body_text = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
    assert "attached as a PDF" in body_text.get_payload(decode=True).decode()
    shown = letters_on_view(staff, reference, final_id)[0]
    assert shown["delivery"] == "sent" and "document_key" not in shown


def test_a_channel_without_the_persons_details_is_refused_naming_the_field(
        staff: Staff) -> None:
    reference = staff.open_case()
    party_id = against(staff, reference, {"name": "Jo Fields", "address": "3 Ash Lane, Yeovil"})
    first_id = warning(staff, reference, "first_written_warning", party_id)
    before = stored(staff, reference)
    status, body = send(staff, reference, first_id, channel="email")
    assert status == 422 and body["errors"][0]["field"] == "person.email"
    status, body = send(staff, reference, first_id,
                        what_happened="Alex Morgan heard loud music late at night.")
    assert status == 422 and body["errors"][0]["field"] == "what_happened"
    status, body = send(staff, reference, first_id, happened_on=[])
    assert status == 422 and body["errors"][0]["field"] == "happened_on"
    assert stored(staff, reference) == before


def test_retention_erases_a_letters_particulars_and_keeps_what_it_was(
        staff: Staff, load_handler: Callable[[str], ModuleType]) -> None:
    from tests.integration.test_retention import sweep

    reference = staff.open_case()
    first_id = warning(staff, reference, "first_written_warning", against(staff, reference, SAM))
    assert send(staff, reference, first_id, what_happened="Drum practice at 2am, every night.",
                must_stop=["Drum practice at night"])[0] == 200
    assert staff.write(reference, "closure", {
        "outcome": "resolved", "reasons": "No more reports after the warning."})[0] == 200
    keep_until = date.fromisoformat(staff.get(reference, who=MANAGER)[1]["case"]["retain_until"])
    assert sweep(load_handler("RetentionFunction"), keep_until) == [reference]
    (measure,) = [i for i in case_partition(staff.table, reference) if i["entity"] == "Measure"]
    assert "Drum" not in json.dumps(measure)
    (kept,) = measure["letters"]
    assert (kept["what_happened"], kept["must_stop"]) == (ERASED, [ERASED])
    assert (kept["kind"], kept["channel"], kept["happened_on"]) == (
        "first", "letter", PARTICULARS["happened_on"])


def raw_emails_to(address: str) -> list[email.message.Message]:
    """Each raw email moto's SES accepted for the address, parsed, oldest first."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import RawMessage, ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-2"]
    return [email.message_from_string(m.raw_data) for m in backend.sent_messages
            if isinstance(m, RawMessage) and address in json.dumps(m.destinations)]
