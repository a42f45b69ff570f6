"""Faults in the running service (`make dev`'s runtime): a report acknowledged while a queue is
failing is completed later; a poison message lands in its dead-letter queue, which an alarm
watches."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from asb import bootstrap
from asb.bootstrap import Clients
from infra.local.pollers import first_messages, wait_until
from infra.local.runtime import LocalRuntime
from infra.local.template import load_template
from tests.conftest import sample_event
from tests.e2e.test_local_service import http
from tests.failing_clients import FailingClient


def _case(service: LocalRuntime, reference: str) -> dict[str, Any]:
    item = boto3.client("dynamodb", endpoint_url=service.aws_endpoint).get_item(
        TableName="asb-local-CasesTable",
        Key={"pk": {"S": f"CASE#{reference}"}, "sk": {"S": "CASE"}})
    return item.get("Item", {})


def test_a_report_acknowledged_while_the_queue_fails_is_triaged_once_the_queue_is_back(
    service: LocalRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    publisher = service.loaded["StreamPublisherFunction"].module
    sqs = FailingClient(boto3.client("sqs"), "send_message",
                        ClientError({"Error": {"Code": "ServiceUnavailable"}}, "SendMessage"),
                        times=3)
    monkeypatch.setattr(publisher, "relay", bootstrap.outbox_relay(clients=Clients(sqs=sqs)))
    body = json.loads(sample_event("intake-valid-json")["body"])
    body["location"]["address"] = "3 Outage Row, Yeovil"
    status, _, answer = http(service, "POST", "/reports", json.dumps(body),
                             {"Content-Type": "application/json"})
    assert status == 201
    reference = json.loads(answer)["reference"]

    assert wait_until(lambda: _case(service, reference).get("status", {}).get("S") == "triaged",
                      seconds=60)
    assert sqs.failed == 3


def test_a_poison_message_goes_to_the_dead_letter_queue_that_an_alarm_watches(
    service: LocalRuntime,
) -> None:
    sqs = boto3.client("sqs", endpoint_url=service.aws_endpoint)
    triage = sqs.get_queue_url(QueueName="asb-local-TriageQueue")["QueueUrl"]
    dead = sqs.get_queue_url(QueueName="asb-local-TriageDeadLetterQueue")["QueueUrl"]
    poison = sample_event("triage-malformed-message")["Records"][0]["body"]
    sqs.send_message(QueueUrl=triage, MessageBody=poison)

    assert first_messages(sqs, dead, seconds=60) == [poison]

    resources = load_template()["Resources"]
    watching = [alarm for alarm in resources.values()
                if alarm["Type"] == "AWS::CloudWatch::Alarm"
                and {"Name": "QueueName", "Value": {"Fn::GetAtt": [
                    "TriageDeadLetterQueue", "QueueName"]}} in alarm["Properties"]["Dimensions"]]
    (alarm,) = watching
    properties = alarm["Properties"]
    assert (properties["MetricName"], properties["Threshold"],
            properties["ComparisonOperator"]) == (
        "ApproximateNumberOfMessagesVisible", 0, "GreaterThanThreshold")
    assert properties["AlarmActions"] == [{"Ref": "OperationsAlertsTopic"}]
