"""A repeat victim through intake and the triage event from events/, against moto: the second
case of a complainant is flagged at triage through their own PERSON# lookups, its risk raised,
and the staff API's case answer says why."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType
from typing import Any, cast

import boto3
import pytest

from asb.case.people import REPORTER
from tests.conftest import sample_event
from tests.integration.helpers import Staff, case_partition, report_and_triage

MANAGER = ("m.jones", "manager", "yeovil")


@pytest.fixture
def triage(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("TriageFunction")


def elsewhere(change: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    """The sample report about another matter (another street, another neighbour), so it opens
    a case of its own."""
    event = sample_event("intake-valid-json")
    event["headers"].pop("Idempotency-Key", None)
    data = json.loads(event["body"])
    data["location"] = {"address": "3 Mill Lane, Taunton", "postcode": "TA1 1AA"}
    data["perpetrator"] = {"known": True, "address": "5 Mill Lane, Taunton", "postcode": "TA1 1AA"}
    if change:
        change(data)
    event["body"] = json.dumps(data)
    return event


def case_item(table: str, reference: str) -> dict[str, Any]:
    return next(i for i in case_partition(table, reference) if i["sk"] == "CASE")


def test_a_complainants_second_case_is_flagged_at_triage_with_its_risk_raised(
        intake: ModuleType, triage: ModuleType, table: str, staff: Staff) -> None:
    first = report_and_triage(intake, triage, table)
    assert case_item(table, first)["risk"]["level"] == "standard"
    assert "reported_before" not in case_item(table, first)

    second = report_and_triage(intake, triage, table, elsewhere())
    assert second != first
    month = f"{datetime.now(UTC):%B %Y}"
    case = case_item(table, second)
    assert [r["reference"] for r in case["reported_before"]] == [first]
    assert case["risk"]["level"] == "medium"  # standard on its answers alone, as the first
    assert case["risk"]["reasons"][-1] == {"question": "repeat_victim", "source": "records",
                                           "text": f"Reported before: {first}, opened in {month}"}

    status, answer = staff.get(second, who=MANAGER)
    assert status == 200
    assert [r["reference"] for r in answer["case"]["reported_before"]] == [first]
    assert f"Reported before: {first}, opened in {month}" in [
        r["text"] for r in answer["case"]["risk"]["reasons"]]
    # Nothing of the first case's people comes with it.
    assert "Orchard" not in json.dumps(answer["case"]["reported_before"])


def test_someone_else_and_an_anonymous_reporter_are_not_repeat_victims(
        intake: ModuleType, triage: ModuleType, table: str) -> None:
    report_and_triage(intake, triage, table)

    def another_person(data: dict[str, Any]) -> None:
        data["reporter"].update(name="Sam Lee", email="sam.lee@example.org", phone="07700 900456")

    def anonymous(data: dict[str, Any]) -> None:
        data.pop("reporter")
        data["anonymous"] = True
        data["location"]["address"] = "7 Mill Lane, Taunton"
        data["perpetrator"]["address"] = "9 Mill Lane, Taunton"

    for change in (another_person, anonymous):
        reference = report_and_triage(intake, triage, table, elsewhere(change))
        case = case_item(table, reference)
        assert "reported_before" not in case
        assert case["risk"]["level"] == "standard"


def test_a_complainant_with_many_cases_is_read_a_hundred_cases_a_call(table: str) -> None:
    """The store through moto: 150 other cases under one phone (and a perpetrator's lookup and
    the case itself, left out), their dates by BatchGetItem (moto refuses more than 100 keys)."""
    from asb.dynamo.codec import to_item
    from asb.dynamo.sealing import Sealer
    from asb.triage.repeat_victim import EarlierCase
    from asb.triage.store import DynamoDBTriageStore

    client = boto3.client("dynamodb")
    phone = "phone-key"
    put = [{"pk": f"PERSON#{phone}", "sk": f"ASB-2026-000999#r0#{REPORTER}", "entity": "PersonIndex",
            "case_reference": "ASB-2026-000999", "report_id": "r0", "role": REPORTER},
           {"pk": f"PERSON#{phone}", "sk": "ASB-2026-000998#r0#alleged perpetrator",
            "entity": "PersonIndex", "case_reference": "ASB-2026-000998", "report_id": "r0",
            "role": "alleged perpetrator"}]
    for n in range(150):
        reference = f"ASB-2026-{n:06d}"
        put += [{"pk": f"PERSON#{phone}", "sk": f"{reference}#r{n}#{REPORTER}",
                 "entity": "PersonIndex", "case_reference": reference, "report_id": f"r{n}",
                 "role": REPORTER},
                {"pk": f"CASE#{reference}", "sk": "CASE", "entity": "Case", "reference": reference,
                 "opened_at": f"2026-{1 + n % 12:02d}-01T09:00:00+00:00",
                 **({"closed_at": "2026-11-01T09:00:00+00:00"} if n % 2 else {})}]
    for item in put:
        client.put_item(TableName=table, Item=to_item(item))
    store = DynamoDBTriageStore(client, table, cast(Sealer, None))
    found = store.cases_reported_by([phone], besides="ASB-2026-000999")
    assert len(found) == 150
    assert found[1] == EarlierCase("ASB-2026-000001", datetime(2026, 2, 1, 9, tzinfo=UTC),
                                   datetime(2026, 11, 1, 9, tzinfo=UTC))
    assert found[0].closed_at is None
