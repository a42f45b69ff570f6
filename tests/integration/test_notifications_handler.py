"""The notification consumer with the sample event, against moto: sent once, however often
the event comes."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import boto3

from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import case_partition


def test_a_redelivered_event_sends_nothing_twice(load_handler: Callable[[str], ModuleType],
                                                  aws: Any) -> None:
    intake, triage, notifications = (load_handler(f"{n}Function")
                                     for n in ("Intake", "Triage", "Notification"))
    table = str(aws.ref("CasesTable"))
    answer = intake.lambda_handler(sample_event("intake-valid-json"), LambdaContext())
    reference = json.loads(answer["body"])["reference"]

    def events(kind: str) -> list[dict[str, Any]]:
        return [{k: i[k] for k in ("event_id", "type", "case_reference", "occurred_at", "detail",
                                   "schema_version")}
                for i in case_partition(table, reference)
                if i["entity"] == "Event" and i["type"] == kind]

    sqs_event = sample_event("triage-report-received")
    sqs_event["Records"][0]["body"] = json.dumps(events("ReportReceived")[0])
    triage.lambda_handler(sqs_event, LambdaContext())

    delivery = sample_event("notifications-case-triaged")
    delivery["Records"][0]["body"] = json.dumps(events("CaseTriaged")[0])
    for _ in range(3):
        assert notifications.lambda_handler(delivery, LambdaContext()) == {
            "batchItemFailures": []}
    sent = boto3.client("ses").get_send_quota()["SentLast24Hours"]
    assert sent == 1
    (log,) = [i for i in case_partition(table, reference) if i["entity"] == "Notification"]
    assert (log["template"], log["status"], log["channel"]) == ("acknowledgement", "sent",
                                                                "email")
    assert "alex" not in json.dumps(log).lower()  # the log names the channel, not the address
