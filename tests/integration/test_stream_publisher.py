"""The outbox relay: committed events reach their queues; a failure is retried, never dropped."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import boto3
import pytest

from asb import bootstrap
from asb.bootstrap import Clients
from infra.local import streams
from infra.local.filters import passes
from infra.local.template import function
from tests.conftest import LambdaContext, sample_event
from tests.failing_clients import FailingClient
from tests.integration.helpers import queue_messages


@pytest.fixture
def publisher(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("StreamPublisherFunction")


@pytest.fixture
def triage_queue(aws: Any) -> str:
    return str(aws.ref("TriageQueue"))


def stream_filters() -> list[dict[str, Any]]:
    trigger = next(t for t in function("StreamPublisherFunction").triggers if t.kind == "DynamoDB")
    return list(trigger.properties["FilterCriteria"]["Filters"])


def test_each_event_in_the_batch_goes_to_the_triage_queue(
    publisher: ModuleType, triage_queue: str
) -> None:
    answer = publisher.lambda_handler(sample_event("stream_publisher-report-received"),
                                      LambdaContext())
    assert answer == {"batchItemFailures": []}
    messages = queue_messages(triage_queue)
    bodies = sorted((json.loads(m["Body"]) for m in messages), key=lambda b: b["case_reference"])
    assert [b["case_reference"] for b in bodies] == ["ASB-2026-000042", "ASB-2026-000043"]
    assert all(b["type"] == "ReportReceived" for b in bodies)
    assert bodies[0]["detail"] == {"report_id": "0e6d9b0a-8f1c-4b5e-a2d3-7c4f5e6a7b8c",
                                   "channel": "api"}
    assert {m["MessageAttributes"]["event_type"]["StringValue"] for m in messages} == {
        "ReportReceived"
    }


def test_a_record_that_cannot_be_sent_is_reported_for_retry_and_the_rest_go(
    publisher: ModuleType, triage_queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqs = boto3.client("sqs")
    missing = sqs.exceptions.QueueDoesNotExist(
        {"Error": {"Code": "AWS.SimpleQueueService.NonExistentQueue"}}, "SendMessage")
    flaky = FailingClient(sqs, "send_message", missing, times=99,
                          when=lambda sent: "ASB-2026-000042" in sent["MessageBody"])
    monkeypatch.setattr(publisher, "relay", bootstrap.outbox_relay(clients=Clients(sqs=flaky)))
    event = sample_event("stream_publisher-report-received")
    answer = publisher.lambda_handler(event, LambdaContext())
    failed_sequence = event["Records"][0]["dynamodb"]["SequenceNumber"]
    assert answer == {"batchItemFailures": [{"itemIdentifier": failed_sequence}]}
    assert [json.loads(m["Body"])["case_reference"] for m in queue_messages(triage_queue)] == [
        "ASB-2026-000043"
    ]


def test_the_template_filter_lets_only_new_events_through() -> None:
    record = sample_event("stream_publisher-report-received")["Records"][0]
    assert passes(stream_filters(), record)
    modified = copy.deepcopy(record)
    modified["eventName"] = "MODIFY"
    assert not passes(stream_filters(), modified)
    case_item = copy.deepcopy(record)
    case_item["dynamodb"]["NewImage"]["entity"] = {"S": "Case"}
    assert not passes(stream_filters(), case_item)


def test_an_accepted_report_reaches_the_triage_queue_through_the_table_stream(
    load_handler: Callable[[str], ModuleType], aws: Any, triage_queue: str
) -> None:
    intake = load_handler("IntakeFunction")
    publisher = load_handler("StreamPublisherFunction")
    answer = intake.lambda_handler(sample_event("intake-valid-json"), LambdaContext())
    reference = json.loads(answer["body"])["reference"]

    stream_arn = aws.attribute("CasesTable", "StreamArn")
    records = streams.read_all(boto3.client("dynamodbstreams"), stream_arn)
    delivered = [r for r in records if passes(stream_filters(), r)]
    written = {r["dynamodb"]["Keys"]["sk"]["S"].split("#")[0] for r in records}
    assert {"CASE", "REPORT", "AUDIT", "EVENT", "IDEMPOTENCY"} <= written
    assert [r["dynamodb"]["Keys"]["sk"]["S"].split("#")[0] for r in delivered] == ["EVENT"]

    result = publisher.lambda_handler({"Records": delivered}, LambdaContext())
    assert result == {"batchItemFailures": []}
    (message,) = queue_messages(triage_queue)
    body = json.loads(message["Body"])
    assert (body["type"], body["case_reference"]) == ("ReportReceived", reference)
    assert "Alex" not in message["Body"]
