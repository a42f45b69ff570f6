"""Faults at each boundary: a report is either acknowledged and completed later, or refused with
a 503 and Retry-After and nothing half-written; retries converge; nobody is told twice.

Each fault stands for what is left once botocore's own retries are spent: the call raises.
"""

from __future__ import annotations

import base64
import copy
import html
import io
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from asb import bootstrap
from infra.local import streams
from infra.local.filters import passes
from infra.local.template import function
from tests.conftest import LambdaContext, sample_event
from tests.failing_clients import FailingClient
from tests.integration.helpers import (
    case_partition,
    outbox_events,
    queue_delivery,
    queue_messages,
    report_and_triage,
    table_items,
)

CASE_DATA = {"Case", "Report", "Audit", "Event", "Idempotency", "PersonLookup", "MatterClaim"}


def client_error(code: str, operation: str, **extra: Any) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}, **extra}, operation)


THROTTLED = client_error("ProvisionedThroughputExceededException", "TransactWriteItems")
CONFLICT = client_error("TransactionCanceledException", "TransactWriteItems",
                        CancellationReasons=[{"Code": "None"}, {"Code": "TransactionConflict"}])
READS_THROTTLED = client_error("ThrottlingException", "BatchGetItem")
KMS_DOWN = EndpointConnectionError(endpoint_url="https://kms.eu-west-2.amazonaws.com")
# Another report claimed the place first: the matter claim's condition failed.
MATTER_TAKEN = client_error("TransactionCanceledException", "TransactWriteItems",
                            CancellationReasons=[{"Code": "None"},
                                                 {"Code": "ConditionalCheckFailed"}])


def failing(service: str, operation: str, error: Exception, times: int = 1,
            when: Callable[[dict[str, Any]], bool] | None = None
            ) -> tuple[bootstrap.Clients, FailingClient]:
    """Clients for the composition root whose `service` fails at `operation` (see
    tests/failing_clients.py); the handler's service is rebuilt with them, as at cold start."""
    client = FailingClient(boto3.client(service), operation, error, times, when)
    return bootstrap.Clients(**{service: client}), client


def submitted(key: str = "fault-report-1") -> dict[str, Any]:
    event = copy.deepcopy(sample_event("intake-valid-json"))
    event["headers"]["Idempotency-Key"] = key
    return event


def header(answer: dict[str, Any], name: str) -> str | None:
    values = (answer.get("multiValueHeaders") or {}).get(name)
    return values[0] if values else (answer.get("headers") or {}).get(name)


def case_data(table: str) -> list[dict[str, Any]]:
    return [i for i in table_items(table) if i.get("entity") in CASE_DATA]


# ---------------------------------------------------------------------- intake
INTAKE_FAULTS = {
    "table throttled": ("dynamodb", "transact_write_items", THROTTLED),
    "transaction conflict": ("dynamodb", "transact_write_items", CONFLICT),
    "reads throttled": ("dynamodb", "batch_get_item", READS_THROTTLED),
    "key service unreachable": ("kms", "encrypt", KMS_DOWN),
}


def intake_failing(intake: ModuleType, monkeypatch: pytest.MonkeyPatch, service: str,
                   operation: str, error: Exception, times: int = 1) -> FailingClient:
    clients, client = failing(service, operation, error, times)
    monkeypatch.setattr(intake, "service", bootstrap.intake_service(clients=clients))
    return client


@pytest.mark.parametrize("fault", list(INTAKE_FAULTS))
def test_a_fault_while_saving_is_a_503_with_retry_after_and_nothing_half_written(
    fault: str, intake: ModuleType, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = intake_failing(intake, monkeypatch, *INTAKE_FAULTS[fault])

    refused = intake.lambda_handler(submitted(), LambdaContext())
    assert refused["statusCode"] == 503
    assert header(refused, "Retry-After") == "5"
    assert json.loads(refused["body"]) == {
        "message": "We could not save your report just now. Please try again in a few minutes."}
    assert case_data(table) == []
    assert client.calls >= 1  # the fault was met, not stepped round

    # The client does what the answer says: the same report, the same key, a moment later.
    accepted = intake.lambda_handler(submitted(), LambdaContext())
    again = intake.lambda_handler(submitted(), LambdaContext())
    assert (accepted["statusCode"], again["statusCode"]) == (201, 201)
    reference = json.loads(accepted["body"])["reference"]
    assert json.loads(again["body"])["reference"] == reference
    assert header(again, "Idempotent-Replayed") == "true"
    cases = [i for i in case_data(table) if i["entity"] == "Case"]
    assert [c["reference"] for c in cases] == [reference]
    assert len(outbox_events(table, reference, "ReportReceived")) == 1


def test_reports_racing_for_the_same_place_past_every_attempt_are_a_503_not_a_500(
    intake: ModuleType, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = intake_failing(intake, monkeypatch, "dynamodb", "transact_write_items",
                            MATTER_TAKEN, times=99)
    refused = intake.lambda_handler(submitted(), LambdaContext())
    assert client.calls > 1  # tried again, with the matter read afresh, before giving up
    assert (refused["statusCode"], header(refused, "Retry-After")) == (503, "5")
    assert case_data(table) == []


def test_the_web_form_gets_the_same_refusal_as_a_page(
    intake: ModuleType, table: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake_failing(intake, monkeypatch, "dynamodb", "transact_write_items", THROTTLED)
    form = sample_event("intake-form-encoded")
    refused = intake.lambda_handler(form, LambdaContext())
    assert (refused["statusCode"], header(refused, "Retry-After")) == (503, "5")
    page = refused["body"]
    assert "Your report has not been sent yet" in page
    assert "Traceback" not in page
    assert case_data(table) == []
    # Nothing the resident typed is lost, and sending it again is the same report.
    fields = parse_qs(base64.b64decode(form["body"]).decode() if form["isBase64Encoded"]
                      else form["body"])
    assert html.escape(fields["incident.description"][0], quote=True) in page
    assert f'value="{fields["idempotency_key"][0]}"' in page
    accepted = intake.lambda_handler(form, LambdaContext())
    assert accepted["statusCode"] == 201


# ---------------------------------------------------------------------- the outbox relay
def test_a_queue_send_failing_is_retried_from_the_stream_and_the_report_is_triaged_once(
    load_handler: Callable[[str], ModuleType], aws: Any, intake: ModuleType, table: str,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    publisher, triage = load_handler("StreamPublisherFunction"), load_handler("TriageFunction")
    reference = json.loads(intake.lambda_handler(submitted(), LambdaContext())["body"])[
        "reference"]
    trigger = next(t for t in function("StreamPublisherFunction").triggers if t.kind == "DynamoDB")
    filters = trigger.properties["FilterCriteria"]["Filters"]
    records = [r for r in streams.read_all(boto3.client("dynamodbstreams"),
                                           aws.attribute("CasesTable", "StreamArn"))
               if passes(filters, r)]
    clients, _ = failing("sqs", "send_message", client_error("ServiceUnavailable", "SendMessage"))
    monkeypatch.setattr(publisher, "relay", bootstrap.outbox_relay(clients=clients))

    failed = publisher.lambda_handler({"Records": records}, LambdaContext())
    assert failed == {"batchItemFailures": [
        {"itemIdentifier": records[0]["dynamodb"]["SequenceNumber"]}]}
    queue = str(aws.ref("TriageQueue"))
    assert queue_messages(queue) == []

    # Lambda retries the stream batch from the failed record.
    assert publisher.lambda_handler({"Records": records}, LambdaContext()) == {
        "batchItemFailures": []}
    (message,) = queue_messages(queue)
    delivery = queue_delivery("triage-report-received", json.loads(message["Body"]))
    for _ in range(2):  # and SQS may deliver it twice: triage is idempotent
        assert triage.lambda_handler(delivery, LambdaContext()) == {"batchItemFailures": []}
    assert len(outbox_events(table, reference, "CaseTriaged")) == 1


# ---------------------------------------------------------------------- triage
def test_triage_crashing_after_its_commit_is_retried_without_a_second_triage(
    load_handler: Callable[[str], ModuleType], intake: ModuleType, table: str,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    triage = load_handler("TriageFunction")
    answer = intake.lambda_handler(submitted(), LambdaContext())
    reference = json.loads(answer["body"])["reference"]
    (received,) = outbox_events(table, reference, "ReportReceived")
    delivery = queue_delivery("triage-report-received", received)
    real_triage = triage.service.triage

    def crashes_after_commit(*args: Any) -> Any:
        real_triage(*args)
        raise RuntimeError("the function's container died here")

    monkeypatch.setattr(triage.service, "triage", crashes_after_commit)
    message_id = delivery["Records"][0]["messageId"]
    lines = io.StringIO()
    triage.logger.registered_handler.setStream(lines)
    assert triage.lambda_handler(delivery, LambdaContext()) == {
        "batchItemFailures": [{"itemIdentifier": message_id}]}
    (failed,) = [json.loads(line) for line in lines.getvalue().splitlines()
                 if "record failed" in line]
    assert (failed["level"], failed["error_type"], failed["record_id"]) == (
        "ERROR", "RuntimeError", message_id)  # why, and which: not what the record said
    monkeypatch.setattr(triage.service, "triage", real_triage)

    assert triage.lambda_handler(delivery, LambdaContext()) == {"batchItemFailures": []}
    (case,) = [i for i in case_partition(table, reference) if i["entity"] == "Case"]
    assert case["status"] == "triaged"
    assert len(outbox_events(table, reference, "CaseTriaged")) == 1


# ---------------------------------------------------------------------- notifications
@pytest.fixture
def notifications(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("NotificationFunction")


def _triaged(load_handler: Callable[[str], ModuleType], intake: ModuleType, table: str,
             reporter: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    event = submitted()
    body = json.loads(event["body"])
    body["reporter"].update(reporter)
    event["body"] = json.dumps(body)
    reference = report_and_triage(intake, load_handler("TriageFunction"), table, event)
    (triaged,) = outbox_events(table, reference, "CaseTriaged")
    return reference, queue_delivery("notifications-case-triaged", triaged)


def _delivery_log(table: str, reference: str) -> list[dict[str, Any]]:
    return [i for i in case_partition(table, reference) if i["entity"] == "Notification"]


def _emails_sent() -> int:
    return int(boto3.client("ses").get_send_quota()["SentLast24Hours"])


REJECTED = client_error("MessageRejected", "SendEmail")


def notifications_failing(notifications: ModuleType, monkeypatch: pytest.MonkeyPatch,
                          service: str, operation: str, error: Exception,
                          times: int = 99) -> FailingClient:
    clients, client = failing(service, operation, error, times)
    monkeypatch.setattr(notifications, "service", bootstrap.notification_service(clients=clients))
    return client


def test_an_address_ses_rejects_falls_back_to_a_letter_and_both_attempts_are_logged(
    load_handler: Callable[[str], ModuleType], intake: ModuleType, table: str,
    notifications: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference, delivery = _triaged(load_handler, intake, table, {
        "preferred_contact": "email", "phone": None, "address": "12 Orchard Close, Yeovil"})
    notifications_failing(notifications, monkeypatch, "sesv2", "send_email", REJECTED)
    assert notifications.lambda_handler(delivery, LambdaContext()) == {"batchItemFailures": []}
    (log,) = _delivery_log(table, reference)
    assert (log["status"], log["channel"]) == ("sent", "letter")
    assert [(a["channel"], a["status"], a.get("why")) for a in log["attempts"]] == [
        ("email", "failed", "ClientError"), ("letter", "sent", None)]


def test_an_address_ses_rejects_with_no_other_channel_is_retried_then_dead_lettered(
    load_handler: Callable[[str], ModuleType], intake: ModuleType, table: str,
    notifications: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference, delivery = _triaged(load_handler, intake, table, {
        "preferred_contact": "email", "phone": None})
    notifications_failing(notifications, monkeypatch, "sesv2", "send_email", REJECTED)
    message_id = delivery["Records"][0]["messageId"]
    answer = notifications.lambda_handler(delivery, LambdaContext())
    # Reported failed: SQS offers it again (later each time) and, after maxReceiveCount, moves
    # it to the dead-letter queue, whose alarm tells operations (tests/e2e/test_faults_flow.py).
    assert answer == {"batchItemFailures": [{"itemIdentifier": message_id}]}
    (log,) = _delivery_log(table, reference)
    assert log["status"] == "failed"
    assert _emails_sent() == 0


def test_a_crash_after_the_email_went_never_sends_it_twice(
    load_handler: Callable[[str], ModuleType], intake: ModuleType, table: str,
    notifications: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, delivery = _triaged(load_handler, intake, table, {"preferred_contact": "email"})
    # The delivery log is an UpdateItem of the case's partition (the idempotency record is not).
    log = notifications_failing(notifications, monkeypatch, "dynamodb", "update_item",
                                client_error("ProvisionedThroughputExceededException",
                                             "UpdateItem"))
    for _ in range(3):  # however often the queue offers the event again
        assert notifications.lambda_handler(delivery, LambdaContext()) == {
            "batchItemFailures": []}
    assert _emails_sent() == 1
    assert log.calls >= 1


def _two_held(load_handler: Callable[[str], ModuleType], intake: ModuleType, table: str,
              notifications: ModuleType) -> tuple[Any, list[str]]:
    """Two reports whose reporters are texted only from two hours from now (on 07700 900001
    and 900002): the hour their messages wait for, and the two cases."""
    from datetime import UTC, datetime, timedelta

    from asb.case.targets import LONDON

    start = (datetime.now(UTC).astimezone(LONDON) + timedelta(hours=2)).replace(
        minute=0, second=0, microsecond=0)
    phones = ("07700 900001", "07700 900002")
    references = []
    for n, phone in enumerate(phones):
        event = submitted(f"waiting-{n}")
        body = json.loads(event["body"])
        body["reporter"].update(phone=phone, preferred_contact="sms", unsafe_channels=["email"],
                                safe_from=f"{start:%H:%M}",
                                safe_until=f"{start + timedelta(hours=2):%H:%M}")
        body["location"]["address"] = f"{n + 1} Quiet Lane, Yeovil"
        body["perpetrator"]["address"] = f"{n + 10} Quiet Lane, Yeovil"
        event["body"] = json.dumps(body)
        reference = report_and_triage(intake, load_handler("TriageFunction"), table, event)
        (triaged,) = outbox_events(table, reference, "CaseTriaged")
        delivery = queue_delivery("notifications-case-triaged", triaged)
        assert notifications.lambda_handler(delivery, LambdaContext()) == {
            "batchItemFailures": []}
        references.append(reference)
    assert all(log["status"] == "waiting" for r in references for log in _delivery_log(table, r))
    return start, references


def _tick(at: Any) -> dict[str, str]:
    from datetime import UTC

    return {"scheduled_time": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}


def test_a_waiting_message_that_cannot_be_sent_does_not_hold_up_the_others(
    load_handler: Callable[[str], ModuleType], intake: ModuleType, table: str,
    notifications: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    start, references = _two_held(load_handler, intake, table, notifications)
    sweep = load_handler("NotificationSweepFunction")
    clients, sns = failing("sns", "publish", client_error("Throttling", "Publish"), times=99,
                           when=lambda sms: sms["PhoneNumber"].endswith("900001"))
    monkeypatch.setattr(sweep, "service", bootstrap.notification_service(clients=clients))
    tick = _tick(start + timedelta(minutes=5))
    with pytest.raises(sweep.NotSent):  # the run fails, so the sweep's error alarm counts it
        sweep.lambda_handler(tick, LambdaContext())
    first, second = ({log["status"] for log in _delivery_log(table, r)} for r in references)
    assert "sent" not in first and "failed" in first
    assert second == {"sent"}

    sns.heal()
    answer = sweep.lambda_handler(tick, LambdaContext())  # the next run sends what was left
    assert len(answer["sent"]) == 1
    assert [{log["status"] for log in _delivery_log(table, r)} for r in references] == [
        {"sent"}, {"sent"}]


def test_a_waiting_message_failing_for_a_day_is_given_up_and_one_no_longer_planned_ends(
    load_handler: Callable[[str], ModuleType], intake: ModuleType, table: str,
    notifications: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither waits for ever: each run every five minutes would try the one again (and fail,
    and sound the alarm) and read the other's case for nothing."""
    from datetime import timedelta

    from asb.dynamo import keys
    from asb.dynamo.codec import to_item

    start, (failing_sms, gone) = _two_held(load_handler, intake, table, notifications)
    boto3.client("dynamodb").delete_item(TableName=table, Key=to_item(keys.case_key(gone)))
    sweep = load_handler("NotificationSweepFunction")
    clients, _ = failing("sns", "publish", client_error("Throttling", "Publish"), times=999,
                         when=lambda sms: sms["PhoneNumber"].endswith("900001"))
    monkeypatch.setattr(sweep, "service", bootstrap.notification_service(clients=clients))
    with pytest.raises(sweep.NotSent):
        sweep.lambda_handler(_tick(start + timedelta(minutes=5)), LambdaContext())
    ((ended),) = _delivery_log(table, gone)
    assert ended["status"] == "not needed" and "due_kind" not in ended
    ((tried),) = _delivery_log(table, failing_sms)
    assert tried["status"] == "failed" and tried["due_kind"]  # tried again at the next run
    with pytest.raises(sweep.NotSent):  # a day on: given up, and counted once more
        sweep.lambda_handler(_tick(start + timedelta(days=1, minutes=5)), LambdaContext())
    ((given_up),) = _delivery_log(table, failing_sms)
    assert given_up["status"] == "given up" and "due_kind" not in given_up
    assert given_up["attempts"][0]["status"] == "failed"  # why, on the case's timeline
    answer = sweep.lambda_handler(_tick(start + timedelta(days=1, minutes=10)), LambdaContext())
    assert answer["sent"] == []  # nothing waits any more


# ---------------------------------------------------------------------- partner disclosures
def test_a_conflict_recording_a_disclosure_step_is_retried_not_taken_as_done() -> None:
    from asb.partners.store import _already_done

    done_before = client_error(
        "TransactionCanceledException", "TransactWriteItems",
        CancellationReasons=[{"Code": "ConditionalCheckFailed"}, {"Code": "None"}])
    assert _already_done(done_before)
    # A conflict or throttle cancels the transaction too: recorded as done, a disclosure that
    # went would stay "approved" with no line in the disclosure log.
    assert not _already_done(CONFLICT)
    assert not _already_done(THROTTLED)


# ---------------------------------------------------------------------- the due-work sweep
def test_a_due_task_that_cannot_be_acted_on_does_not_hold_up_the_others(
    load_handler: Callable[[str], ModuleType], intake: ModuleType, table: str,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    triage, reviews = load_handler("TriageFunction"), load_handler("ReviewSweepFunction")
    for n in range(2):
        event = submitted(f"sweep-{n}")
        body = json.loads(event["body"])
        body["location"]["address"] = f"{n + 1} Sweep Street, Yeovil"
        body["perpetrator"]["address"] = f"{n + 10} Sweep Street, Yeovil"
        event["body"] = json.dumps(body)
        report_and_triage(intake, triage, table, event)
    tick = {"scheduled_time": (datetime.now(UTC) + timedelta(days=10)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")}
    clients, _ = failing("dynamodb", "transact_write_items",
                         client_error("ThrottlingException", "TransactWriteItems"))
    monkeypatch.setattr(reviews, "store", bootstrap.review_store(clients=clients))

    with pytest.raises(reviews.SweepIncomplete):  # counted by the sweep's error alarm
        reviews.lambda_handler(tick, LambdaContext())
    overdue = [i for i in table_items(table) if i.get("type") == "FirstContactOverdue"]
    assert len(overdue) == 1  # the other case's task was acted on
    answer = reviews.lambda_handler(tick, LambdaContext())  # the next run catches up
    assert answer["events"] == {"FirstContactOverdue": 1}
    assert len([i for i in table_items(table) if i.get("type") == "FirstContactOverdue"]) == 2


# ---------------------------------------------------------------------- the daily digest
def test_a_digest_that_could_not_be_sent_is_sent_by_the_next_run(
    load_handler: Callable[[str], ModuleType], intake: ModuleType, table: str,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, time

    from asb.case.targets import LONDON, local_day
    from asb.policy.working_days import add_working_days

    report_and_triage(intake, load_handler("TriageFunction"), table)
    digest = load_handler("DailyDigestFunction")
    due_day = add_working_days(local_day(datetime.now(UTC)), 3)  # first contact, category B
    seven = datetime.combine(due_day, time(7, 0), LONDON).astimezone(UTC)
    event = {"scheduled_time": seven.strftime("%Y-%m-%dT%H:%M:%SZ")}
    clients, _ = failing("sesv2", "send_email", client_error("Throttling", "SendEmail"))
    monkeypatch.setattr(digest, "send_digests", bootstrap.daily_digest(clients=clients))

    with pytest.raises(digest.DigestsNotSent):  # counted by the digest's error alarm
        digest.lambda_handler(event, LambdaContext())
    assert _emails_sent() == 0
    assert digest.lambda_handler(event, LambdaContext())["sent"] == 1  # not lost: sent now
    assert digest.lambda_handler(event, LambdaContext())["sent"] == 0  # and once a day
    assert _emails_sent() == 1


# ---------------------------------------------------------------------- retention
def test_a_case_that_cannot_be_anonymised_does_not_keep_the_others_data(
    staff: Any, load_handler: Callable[[str], ModuleType], monkeypatch: pytest.MonkeyPatch
) -> None:
    references = [staff.open_case(address=f"{n} Retention Row, Yeovil") for n in range(2)]
    for reference in references:
        assert staff.write(reference, "closure", {
            "outcome": "resolved", "reasons": "Quiet for six weeks after the letter."})[0] == 200
    retention = load_handler("RetentionFunction")
    event = {"scheduled_time": "2033-12-01T02:00:00Z"}
    # The first case's first erasure fails; the other case is still anonymised.
    clients, _ = failing("dynamodb", "update_item", client_error("Throttling", "UpdateItem"))
    monkeypatch.setattr(retention, "store", bootstrap.retention_store(clients=clients))

    with pytest.raises(retention.RetentionIncomplete):  # counted by the retention alarm
        retention.lambda_handler(event, LambdaContext())
    assert len(retention.lambda_handler(event, LambdaContext())["anonymised"]) == 1
    assert retention.lambda_handler(event, LambdaContext())["anonymised"] == []
