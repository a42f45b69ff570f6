"""The daily digest through its scheduled handler, against moto: each officer's work, once a day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from types import ModuleType
from typing import Any

import boto3

from asb.case.targets import LONDON, local_day
from asb.policy.working_days import add_working_days
from tests.conftest import LambdaContext
from tests.integration.helpers import report_and_triage


def sent_emails() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-2"].sent_messages)


def test_an_officer_gets_their_work_due_today_once(load_handler: Callable[[str], ModuleType],
                                                    aws: Any) -> None:
    intake, triage, digest = (load_handler(f"{n}Function")
                              for n in ("Intake", "Triage", "DailyDigest"))
    table = str(aws.ref("CasesTable"))
    reference = report_and_triage(intake, triage, table)

    due_day = add_working_days(local_day(datetime.now(UTC)), 3)  # first contact, category B
    seven = datetime.combine(due_day, time(7, 0), LONDON).astimezone(UTC)
    event = {"scheduled_time": seven.strftime("%Y-%m-%dT%H:%M:%SZ")}
    assert digest.lambda_handler(event, LambdaContext())["sent"] == 1
    assert digest.lambda_handler(event, LambdaContext())["sent"] == 0  # once a day
    (mail,) = sent_emails()
    assert mail.destinations["ToAddresses"] == ["o.hughes@example.org"]
    assert reference in mail.body and "Make first contact with the reporter" in mail.body
    assert "Alex" not in mail.body
    assert boto3.client("ses").get_send_quota()["SentLast24Hours"] == 1
