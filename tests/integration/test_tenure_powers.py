"""Tenure decides the powers (issue 21, item 6), through the staff API on moto: possession and
demotion are recorded on a case whose alleged perpetrator is tied to a tenancy of the landlord's
(intake tied them from the home the reporter chose), and refused in words (409), with nothing
stored, on a case whose alleged perpetrator is not."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from types import ModuleType
from typing import Any

import boto3
import pytest

from tests.conftest import sample_event
from tests.integration.helpers import Staff, case_partition, report_and_triage
from tests.landlords_homes import NUMBER_14, TENANCY_14, TENANCY_14_BEFORE, living_at

POSSESSION = {"measure": "possession_ground_14",
              "rationale": "Warnings, an ABA and an injunction have not stopped the abuse.",
              "equality_impact": "No known disability in the household; support was offered."}


@pytest.fixture
def triage(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("TriageFunction")


def about_our_tenant(intake: ModuleType, triage: ModuleType, table: str) -> str:
    """The sample report, its alleged perpetrator chosen from the landlord's homes (14 Orchard
    Close, a current tenancy)."""
    event = sample_event("intake-valid-json")
    event["headers"].pop("Idempotency-Key", None)
    data = json.loads(event["body"])
    data["perpetrator"] = living_at(NUMBER_14)
    event["body"] = json.dumps(data)
    return report_and_triage(intake, triage, table, event)


def measures(table: str, reference: str) -> list[dict[str, Any]]:
    return [i for i in case_partition(table, reference) if i["entity"] == "Measure"]


def test_possession_and_demotion_are_open_against_a_tenant_of_ours(
        intake: ModuleType, triage: ModuleType, homes: str, table: str, staff: Staff) -> None:
    reference = about_our_tenant(intake, triage, table)
    status, body = staff.write(reference, "measures", POSSESSION)
    assert status == 200, body
    status, body = staff.write(reference, "measures", {**POSSESSION, "measure": "demoted_tenancy"})
    assert status == 200, body
    assert sorted(m["measure"] for m in measures(table, reference)) == [
        "demoted_tenancy", "possession_ground_14"]


def test_possession_and_demotion_are_refused_when_the_perpetrator_is_not_our_tenant(
        staff: Staff, table: str) -> None:
    reference = staff.open_case()  # the alleged perpetrator described in words only
    for measure in ("possession_ground_14", "possession_absolute_ground", "demoted_tenancy"):
        status, body = staff.write(reference, "measures", {**POSSESSION, "measure": measure})
        assert status == 409, body
        assert "only open against a tenant of ours" in body["message"]
    assert measures(table, reference) == []
    warning = {"measure": "first_written_warning", "rationale": "A first written warning about the noise."}
    assert staff.write(reference, "measures", warning)[0] == 200


def end_tenancy(homes_table: str, reference: str, on: date) -> None:
    """The landlord's next file says the tenancy ended, loaded as an import loads it."""
    from asb.homes.register_import import Register
    from asb.homes.store import DynamoDBRegisterStore

    store = DynamoDBRegisterStore(boto3.client("dynamodb"), homes_table)
    stored = store.current()
    tenancies = dict(stored.register.tenancies)
    tenancies[reference] = replace(tenancies[reference], end_date=on)
    store.replace(stored, Register(dict(stored.register.homes), tenancies), datetime.now(UTC))


def test_possession_and_demotion_are_refused_once_the_tied_tenancy_has_ended(
        intake: ModuleType, triage: ModuleType, homes: str, table: str, staff: Staff) -> None:
    reference = about_our_tenant(intake, triage, table)  # tied to T-000114 at intake
    end_tenancy(homes, TENANCY_14.reference, date.today() - timedelta(days=1))
    for measure in ("possession_ground_14", "demoted_tenancy"):
        status, body = staff.write(reference, "measures", {**POSSESSION, "measure": measure})
        assert status == 409, body
        assert "current" in body["message"]
    assert measures(table, reference) == []


def test_a_party_is_not_tied_to_a_tenancy_that_has_ended(homes: str, staff: Staff) -> None:
    reference = staff.open_case()
    perpetrator = next(p for p in staff.get(reference)[1]["parties"]
                       if "alleged_perpetrator" in p["roles"])
    route = f"parties/{perpetrator['party_id']}/tenancy"
    status, body = staff.write(reference, route,
                               {"tenancy_reference": TENANCY_14_BEFORE.reference})
    assert status == 409, body
    assert body["message"] == ("Tenancy T-000014 is not current (it ended on 2025-05-30): tie a "
                               "party only to a current tenancy")
    assert staff.write(reference, route, {"tenancy_reference": TENANCY_14.reference})[0] == 200
