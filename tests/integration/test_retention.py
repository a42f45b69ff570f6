"""Retention through its scheduled handler, against moto: anonymised once, never on hold."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from types import ModuleType
from typing import Any

import boto3
import pytest

from asb.case.retention import ERASED
from asb.casework import commands as casework
from asb.casework.store import DynamoDBCaseStore
from asb.dynamo.sealing import KmsSealer
from asb.kernel.staff import StaffMember
from tests.conftest import LambdaContext
from tests.integration.helpers import case_partition
from tests.integration.test_staff_api import Staff


@pytest.fixture
def closed_case(load_handler: Callable[[str], ModuleType], aws: Any) -> tuple[Staff, str]:
    handlers = {name: load_handler(f"{name}Function")
                for name in ("Intake", "Triage", "CaseQueries", "CaseWork")}
    staff = Staff(handlers, str(aws.ref("CasesTable")))
    reference = staff.open_case()
    assert staff.write(reference, "diary-entries", {"text": "Alex rang about number 14."})[0] == 200
    assert staff.write(reference, "closure", {
        "outcome": "resolved", "reasons": "Alex says the music stopped after our letter."})[0] == 200
    return staff, reference


def sweep(retention: ModuleType, day: date) -> list[str]:
    moment = datetime.combine(day, time(2, 0), UTC)
    event = {"scheduled_time": moment.strftime("%Y-%m-%dT%H:%M:%SZ")}
    return list(retention.lambda_handler(event, LambdaContext())["anonymised"])


def test_a_case_past_retention_is_anonymised_once(
    closed_case: tuple[Staff, str], load_handler: Callable[[str], ModuleType]
) -> None:
    staff, reference = closed_case
    retention = load_handler("RetentionFunction")
    case = staff.get(reference)[1]["case"]
    keep_until = date.fromisoformat(case["retain_until"])
    assert keep_until.year == datetime.now(UTC).year + 6
    assert sweep(retention, keep_until - timedelta(days=1)) == []
    assert sweep(retention, keep_until) == [reference]
    assert sweep(retention, keep_until + timedelta(days=1)) == []  # nothing else to do

    items = case_partition(staff.table, reference)
    text = json.dumps(items)
    for personal in ("Alex", "Morgan", "alex.morgan", "07700", "12 Orchard Close",
                     "14 Orchard Close"):
        assert personal not in text, personal
    case_item = next(i for i in items if i["sk"] == "CASE")
    assert case_item["location_address"] == ERASED and case_item["postcode"] == "BA20"
    assert case_item["outcome"] == "resolved" and case_item["category"] == "B"
    assert [i["action"] for i in items if i.get("action") == "CaseAnonymised"] == [
        "CaseAnonymised"]
    assert "due_kind" not in case_item


def test_a_legal_hold_keeps_the_case(closed_case: tuple[Staff, str],
                                     load_handler: Callable[[str], ModuleType]) -> None:
    staff, reference = closed_case
    retention = load_handler("RetentionFunction")
    key = os.environ["DATA_KEY_ID"]  # the handlers' environment, from the template
    store = DynamoDBCaseStore(boto3.client("dynamodb"), staff.table,
                              KmsSealer(boto3.client("kms"), key))
    records = store.load(reference)
    assert records
    dpo = StaffMember("d.price", frozenset({"dpo"}), None)
    store.apply(casework.set_legal_hold(records.folder, "Disrepair claim names this case.", dpo,
                                        datetime.now(UTC)))
    far_future = date(datetime.now(UTC).year + 10, 1, 1)
    assert sweep(retention, far_future) == []
    assert "Alex" in json.dumps(case_partition(staff.table, reference))
