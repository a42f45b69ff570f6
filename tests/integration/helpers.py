"""Reading what the handlers left in moto, the way an operator would look."""

from __future__ import annotations

import json
from typing import Any

import boto3

from asb.store.codec import from_item


def table_items(table_name: str) -> list[dict[str, Any]]:
    """Every item of a table. Tests only: the service itself never scans."""
    client = boto3.client("dynamodb")
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table_name):
        items += [from_item(item) for item in page["Items"]]
    return items


def case_partition(table_name: str, reference: str) -> list[dict[str, Any]]:
    client = boto3.client("dynamodb")
    answer = client.query(
        TableName=table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CASE#{reference}"}},
    )
    return [from_item(item) for item in answer["Items"]]


def queue_messages(queue_url: str, most: int = 10) -> list[dict[str, Any]]:
    answer = boto3.client("sqs").receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=most, MessageAttributeNames=["All"],
        WaitTimeSeconds=0,
    )
    return answer.get("Messages", [])


EVENT_FIELDS = ("event_id", "type", "case_reference", "occurred_at", "detail", "schema_version")


def outbox_events(table_name: str, reference: str, kind: str) -> list[dict[str, Any]]:
    """The case's outbox events of one type, as the stream publisher would send them."""
    return [{k: item[k] for k in EVENT_FIELDS} for item in case_partition(table_name, reference)
            if item["entity"] == "Event" and item["type"] == kind]


def queue_delivery(sample: str, body: dict[str, Any]) -> dict[str, Any]:
    """A sample SQS event from events/ carrying the given domain event."""
    from tests.conftest import sample_event

    event = sample_event(sample)
    event["Records"][0]["body"] = json.dumps(body)
    return event


def report_and_triage(intake: Any, triage: Any, table_name: str) -> str:
    """The sample report through intake, and its ReportReceived event through triage."""
    from tests.conftest import LambdaContext, sample_event

    answer = intake.lambda_handler(sample_event("intake-valid-json"), LambdaContext())
    reference = str(json.loads(answer["body"])["reference"])
    (received,) = outbox_events(table_name, reference, "ReportReceived")
    result = triage.lambda_handler(queue_delivery("triage-report-received", received),
                                   LambdaContext())
    assert result == {"batchItemFailures": []}
    return reference
