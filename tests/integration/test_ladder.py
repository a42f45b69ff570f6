"""The escalation at a glance (issue 22, item 5) through the staff handlers and moto: a first
written warning, an Acceptable Behaviour Agreement and an injunction to its order against Sam,
shown as the ladder on the case, on Sam's page, and counted in the year's figures - the GET
/figures answer and the monthly CSV - from the ByReportingYear index."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest

from asb.dynamo.codec import from_item
from asb.policy.reporting_year import year_of
from tests.conftest import LambdaContext
from tests.integration.helpers import Staff, case_partition

MANAGER = ("m.jones", "manager", "yeovil")
SAM = {"name": "Sam Lee", "email": "sam.lee@example.org"}
RATIONALE = {"rationale": "Threats to the family at number 12 after a written warning.",
             "equality_impact": "No known disability; the household's needs were screened."}


def measure_id(staff: Staff, reference: str, measure: str) -> str:
    return str(next(i["record_id"] for i in case_partition(staff.table, reference)
                    if i["entity"] == "Measure" and i["measure"] == measure))


def record(staff: Staff, reference: str, body: dict[str, Any]) -> str:
    status, answer = staff.write(reference, "measures", body)
    assert status == 200, answer
    return measure_id(staff, reference, body["measure"])


def step(staff: Staff, reference: str, measure: str, body: dict[str, Any]) -> None:
    status, answer = staff.write(reference, f"measures/{measure}/steps", body)
    assert status == 200, answer


@pytest.fixture
def escalated(staff: Staff) -> tuple[str, str, str]:
    """Sam's case: a first written warning, an ABA, an injunction granted today."""
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/London")).date()
    reference = staff.open_case()
    status, answer = staff.write(reference, "parties", {"roles": ["alleged_perpetrator"],
                                                        "person": SAM})
    assert status == 200, answer
    sams = next(p for p in staff.get(reference)[1]["parties"]
                if p.get("person", {}).get("name") == "Sam Lee")
    party = {"party_id": sams["party_id"]}
    record(staff, reference, {"measure": "first_written_warning", **party, **RATIONALE})
    record(staff, reference, {"measure": "acceptable_behaviour_agreement", **party, **RATIONALE,
                              "agreement": {"terms": ["No contact with number 12"],
                                            "signatories": ["Sam Lee", "O Hughes"],
                                            "starts_on": today.isoformat(),
                                            "review_on": (today + timedelta(days=90)).isoformat()}})
    injunction = record(staff, reference, {"measure": "civil_injunction", **party, **RATIONALE})
    status, answer = staff.write(reference, f"measures/{injunction}/decision", {
        "approved": True, "reason": "Proportionate: the ABA was broken within a week."},
        who=MANAGER)
    assert status == 200, answer
    step(staff, reference, injunction, {"step": "applied", "applied_on": today.isoformat(),
                                        "court": "Yeovil County Court",
                                        "respondent_born_on": "1990-05-01"})
    midnight = datetime.combine(today, datetime.min.time(), ZoneInfo("Europe/London"))
    step(staff, reference, injunction, {"step": "hearing_listed", "at": midnight.isoformat(),
                                        "court": "Yeovil County Court", "purpose": "first"})
    (item,) = [i for i in case_partition(staff.table, reference)
               if i["entity"] == "Measure" and i["measure"] == "civil_injunction"]
    step(staff, reference, injunction, {
        "step": "hearing_held", "hearing_id": item["hearings"][0]["hearing_id"],
        "outcome": "order made", "note": "Granted for a year.",
        "order": {"kind": "injunction", "terms": ["Not to enter Orchard Close"],
                  "expires_on": (today + timedelta(days=365)).isoformat()}})
    return reference, str(sams["person_id"]), today.isoformat()


def test_the_case_shows_its_ladder_in_order_against_its_party(
        staff: Staff, escalated: tuple[str, str, str]) -> None:
    reference, _, today = escalated
    status, view = staff.get(reference)
    assert status == 200
    ladder = view["ladder"]
    assert [(r["measure"], r["stage"], r["against"]) for r in ladder] == [
        ("first_written_warning", 2, "Sam Lee"),
        ("acceptable_behaviour_agreement", 3, "Sam Lee"),
        ("civil_injunction", 4, "Sam Lee")]
    assert [r["skips"] for r in ladder] == [None, None, None]
    injunction = ladder[2]
    assert [e["kind"] for e in injunction["events"]] == [
        "recorded", "approved", "applied", "hearing held", "order made", "order expires"]
    assert injunction["outcome"].startswith(f"Injunction made on {today}, in force until")
    assert injunction["status"] == "granted" and injunction["held_by"] == "the landlord"
    assert ladder[1]["outcome"].startswith("Agreement in force, next review")


def test_sams_page_shows_his_ladder(staff: Staff, escalated: tuple[str, str, str]) -> None:
    reference, sam, _ = escalated
    status, page = staff.call("case_queries-get-person", path=f"/people/{sam}")
    assert status == 200, page
    assert [(r["case_reference"], r["name"]) for r in page["ladder"]] == [
        (reference, "First written warning"), (reference, "Acceptable Behaviour Agreement"),
        (reference, "Civil injunction (ASBCPA 2014 Part 1)")]


def test_the_years_figures_count_the_enforcement_outcomes(
        staff: Staff, escalated: tuple[str, str, str], table: str,
        load_handler: Callable[[str], ModuleType], aws: Any) -> None:
    _, _, today = escalated
    year = year_of(datetime.fromisoformat(today).date())
    indexed = boto3.client("dynamodb").query(
        TableName=table, IndexName="ByReportingYear", KeyConditionExpression="year_list = :y",
        ExpressionAttributeValues={":y": {"S": f"Measure#{year}"}})["Items"]
    assert sorted(from_item(i)["measure"] for i in indexed) == [
        "acceptable_behaviour_agreement", "civil_injunction", "first_written_warning"]
    status, figures = staff.call("case_queries-figures", query={"year": str(year)}, who=MANAGER)
    assert status == 200, figures
    enforcement = figures["enforcement"]
    assert enforcement["warnings"] == {"verbal": 0, "first_written": 1, "final_written": 0,
                                       "written_before_kinds": 0, "letters_issued": 0}
    assert enforcement["acceptable_behaviour_agreements"]["made"] == 1
    assert enforcement["injunctions"] == {
        "considered": 1, "not_approved": 0, "applied": 1, "granted": 1, "refused": 0,
        "withdrawn": 0, "with_power_of_arrest": 0, "breached": 0}
    assert enforcement["possession"]["considered"] == 0
    assert enforcement["community_protection_notices"]["requested"] == 0
    assert staff.call("case_queries-figures", query={"year": str(year - 1)}, who=MANAGER)[1][
        "enforcement"]["injunctions"]["considered"] == 0
    monthly = load_handler("RegulatorFiguresFunction")
    tomorrow = datetime.fromisoformat(today) + timedelta(days=1, hours=6)
    answer = monthly.lambda_handler({"scheduled_time": f"{tomorrow:%Y-%m-%dT%H:%M:%SZ}"},
                                    LambdaContext())
    body = boto3.client("s3").get_object(Bucket=str(aws.ref("FiguresBucket")),
                                         Key=answer["key"])["Body"].read().decode()
    assert ('injunctions: granted,1,"tools and powers recorded in the year, as they stand"'
            in body)
    assert "warnings: first written,1," in body


def test_a_measure_recorded_before_is_counted_once_the_backfill_has_run(
        staff: Staff, table: str) -> None:
    from infra.backfill_measure_years import backfill

    reference = staff.open_case()
    client = boto3.client("dynamodb")
    client.put_item(TableName=table, Item={  # as a warning was stored before measures had a year
        "pk": {"S": f"CASE#{reference}"}, "sk": {"S": "MEASURE#m-old"},
        "entity": {"S": "Measure"}, "record_id": {"S": "m-old"},
        "at": {"S": "2026-05-04T23:30:00+00:00"}, "case_reference": {"S": reference},
        "measure": {"S": "final_written_warning"}, "name": {"S": "Final written warning"},
        "legal": {"BOOL": False}, "rationale": {"S": "Noise every night."},
        "equality_impact": {"NULL": True}, "subject": {"S": "perpetrator"},
        "status": {"S": "applied"}, "approval": {"S": "not needed"}, "by": {"S": "o.hughes"},
        "recorded_at": {"S": "2026-05-04T23:30:00+00:00"}, "history": {"L": []}})

    def final_warnings() -> int:
        status, figures = staff.call("case_queries-figures", query={"year": "2026"}, who=MANAGER)
        assert status == 200, figures
        return int(figures["enforcement"]["warnings"]["final_written"])

    assert final_warnings() == 0
    assert backfill(client, table) == 1
    assert final_warnings() == 1
    assert backfill(client, table) == 0  # once only
    (item,) = [i for i in case_partition(table, reference) if i["entity"] == "Measure"]
    # Recorded at 00:30 on 5 May in London: that is its day.
    assert (item["reporting_year"], item["year_on"]) == (2026, "2026-05-05")
    assert staff.get(reference)[1]["ladder"][0]["outcome"] == "Given"
