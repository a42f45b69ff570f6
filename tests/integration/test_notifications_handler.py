"""The notification consumer with the sample event, against moto: sent once, however often
the event comes."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import boto3

from tests.conftest import LambdaContext
from tests.integration.helpers import (
    case_partition,
    outbox_events,
    queue_delivery,
    report_and_triage,
)


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
