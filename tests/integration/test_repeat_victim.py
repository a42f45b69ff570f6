"""A repeat victim through intake and the triage event from events/, against moto: the second
case of a complainant is flagged at triage through their own PERSON# lookups, its risk raised,
and the staff API's case answer says why."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest

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
