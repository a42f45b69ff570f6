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


class CountingClient:
    """The moto client, counting the lookups each Query returns."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.queried_items = 0

    def query(self, **arguments: Any) -> Any:
        page = self._client.query(**arguments)
        self.queried_items += len(page["Items"])
        return page

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def test_a_complainant_with_many_cases_is_read_a_bounded_number_a_hundred_cases_a_call(
        table: str) -> None:
    """The store through moto: three identifiers with 100 cases each around the case triaged
    (ASB-2026-000450, whose own 25 reports under the phone are left out), a perpetrator's lookup
    (not a case reported on): per identifier only the 20 newest lookups before it and the 20
    opened soonest after it are read - 119 cases, their dates by BatchGetItem (moto refuses
    more than 100 keys). Unbounded, it read all 300."""
    from asb.dynamo.codec import to_item
    from asb.dynamo.sealing import Sealer
    from asb.triage.repeat_victim import EarlierCase
    from asb.triage.store import DynamoDBTriageStore

    client = boto3.client("dynamodb")
    identifiers = ["phone-key", "email-key", "address-key"]
    besides = "ASB-2026-000450"
    put = [{"pk": "PERSON#phone-key", "sk": "ASB-2026-000449#p#alleged perpetrator",
            "entity": "PersonIndex", "case_reference": "ASB-2026-000449", "report_id": "p",
            "role": "alleged perpetrator"}]
    put += [{"pk": "PERSON#phone-key", "sk": f"{besides}#own{k}#{REPORTER}", "entity": "PersonIndex",
             "case_reference": besides, "report_id": f"own{k}", "role": REPORTER}
            for k in range(25)]
    for number in range(300, 600):
        reference = f"ASB-2026-{number:06d}"
        put += [{"pk": f"PERSON#{identifiers[number % 3]}", "sk": f"{reference}#r{number}#{REPORTER}",
                 "entity": "PersonIndex", "case_reference": reference,
                 "report_id": f"r{number}", "role": REPORTER},
                {"pk": f"CASE#{reference}", "sk": "CASE", "entity": "Case", "reference": reference,
                 "opened_at": f"2026-{1 + number % 12:02d}-01T09:00:00+00:00",
                 **({"closed_at": "2026-11-01T09:00:00+00:00"} if number % 2 else {})}]
    for item in put:
        client.put_item(TableName=table, Item=to_item(item))
    counting = CountingClient(client)
    store = DynamoDBTriageStore(cast(Any, counting), table, cast(Sealer, None))
    found = store.cases_reported_by(identifiers, besides=besides)

    wanted = set()
    for first in range(3):
        numbers = [n for n in range(300, 600) if n % 3 == first and n != 450]
        # the phone's perpetrator lookup (case 449) is one of the 20 newest it reads
        wanted |= set([n for n in numbers if n < 450][-19 if first == 0 else -20:])
        wanted |= set(sorted(n for n in numbers if n > 450)[:20])
    assert sorted(c.reference for c in found) == [f"ASB-2026-{n:06d}" for n in sorted(wanted)]
    assert len(found) == 119
    assert counting.queried_items <= 20 * 2 * 3
    assert EarlierCase("ASB-2026-000451", datetime(2026, 8, 1, 9, tzinfo=UTC),
                       datetime(2026, 11, 1, 9, tzinfo=UTC)) in found
