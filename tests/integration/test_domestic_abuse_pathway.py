"""The domestic abuse pathway (issue 23, item 3) through the handlers on moto: a report that
discloses it takes its own pathway with the specialist referral due, is never joined with a
neighbour case about the same home (at intake, by an officer's join, after an officer's move),
is never in its alleged perpetrator's subject access export, and is counted apart from NM01."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import boto3

from asb.dynamo.codec import to_item
from asb.policy.reporting_year import year_of
from tests.integration.helpers import Staff, case_of_report, case_partition
from tests.integration.test_data_protection import access
from tests.integration.test_split_and_join import audit, regroup
from tests.integration.test_tracking import about_number_14, report
from tests.landlords_homes import NUMBER_14

MANAGER = ("m.jones", "manager", "yeovil")
DPO = ("d.price", "dpo", None)
MOVE = {"pathway": "domestic_abuse",
        "reason": "At the visit she said her partner at number 14 hits her."}


def disclosing(data: dict[str, Any]) -> None:
    """Alex, living with Dan at number 14, discloses domestic abuse."""
    about_number_14(data)
    data["perpetrator"]["name"] = "Dan Partner"
    data["incident"].update(behaviours=["domestic_abuse"],
                            description="My partner shouts at me and pushes me around.")


def neighbour(data: dict[str, Any]) -> None:  # about the same home: joins its ASB case
    about_number_14(data)
    data["reporter"].update(name="Sam Stranger", email="sam@example.org")


def case_of(staff: Staff, reference: str) -> dict[str, Any]:
    status, body = staff.get(case_of_report(staff.table, reference), who=MANAGER)
    assert status == 200, body
    return body


def tasks(staff: Staff, reference: str) -> dict[str, dict[str, Any]]:
    return {i["kind"]: i for i in case_partition(staff.table, reference)
            if i["entity"] == "Task"}


def move(staff: Staff, reference: str, body: dict[str, Any] = MOVE,
         who: tuple[str, str, str | None] = ("o.hughes", "officer", "yeovil"),
         ) -> tuple[int, dict[str, Any]]:
    version = staff.get(reference, who=MANAGER)[1]["case"]["version"]
    return staff.call("case_work-move-to-pathway", body=body, if_match=f'"{version}"',
                      reference=reference, who=who)  # type: ignore[arg-type]


def test_a_disclosure_takes_its_own_pathway_and_a_neighbour_report_never_joins_it(
        staff: Staff, homes: str) -> None:
    abuse, _ = report(staff, disclosing)
    shown = case_of(staff, abuse)["case"]
    assert shown["pathway"] == "domestic_abuse"
    referral = tasks(staff, abuse)["DA_SPECIALIST_REFERRAL"]
    assert referral["title"] == "Refer to the domestic abuse specialist service"
    assert referral["due_kind"] == "DA_SPECIALIST_REFERRAL"  # due work: the sweep, the digest

    first, _ = report(staff, neighbour)
    second, _ = report(staff, neighbour)
    neighbours = case_of_report(staff.table, first)
    assert case_of_report(staff.table, second) == neighbours != abuse  # joined each other only
    assert case_of(staff, first)["case"]["linked_to"] is None
    assert "DA_SPECIALIST_REFERRAL" not in tasks(staff, neighbours)

    status, page = staff.call("case_queries-list-team", query={"team": "yeovil"}, who=MANAGER)
    assert status == 200, page
    assert {c["reference"]: c["pathway"] for c in page["cases"]} == {
        abuse: "domestic_abuse", neighbours: "asb"}

    # An officer's join either way round: refused with the reason, nothing stored.
    before = [staff.get(r, who=MANAGER)[1]["case"]["version"] for r in (abuse, neighbours)]
    for into, joined in ((abuse, neighbours), (neighbours, abuse)):
        version = staff.get(joined, who=MANAGER)[1]["case"]["version"]
        status, body = regroup(staff, "case_work-join-cases", into, {
            "case_reference": joined, "case_version": version,
            "reason": "The same address: one matter"})
        assert status == 409, body
        assert "never joined" in body["message"]
    assert [staff.get(r, who=MANAGER)[1]["case"]["version"] for r in (abuse, neighbours)] == \
        before
    assert not audit(staff.table, abuse, "CaseJoined") + audit(staff.table, neighbours,
                                                               "CaseJoined")


def test_an_officer_moves_a_case_to_the_pathway_and_no_later_report_joins_it(
        staff: Staff, homes: str) -> None:
    first, _ = report(staff, neighbour)
    reference = case_of_report(staff.table, first)
    status, body = move(staff, reference)
    assert status == 200, body
    assert staff.get(reference, who=MANAGER)[1]["case"]["pathway"] == "domestic_abuse"
    (moved,) = audit(staff.table, reference, "PathwayChanged")
    assert moved["actor"] == "staff:o.hughes" and moved["before"] == {"pathway": "asb"}
    assert moved["after"] == MOVE
    assert "DA_SPECIALIST_REFERRAL" in tasks(staff, reference)
    matter = boto3.client("dynamodb").get_item(TableName=staff.table, Key=to_item(
        {"pk": f"MATTER#TENANCY#{_tenancy_of(staff, reference)}", "sk": "MATTER"}))
    assert "Item" not in matter  # no report finds the case by it

    later, _ = report(staff, neighbour)
    new = case_of_report(staff.table, later)
    assert new != reference and case_of(staff, later)["case"]["linked_to"] is None

    # Moved once; a move back, or anywhere else, is not offered; a DPO changes no case.
    assert move(staff, reference)[0] == 409
    for bad in ({**MOVE, "pathway": "asb"}, {"pathway": "domestic_abuse", "reason": "no"}):
        status, body = move(staff, new, bad)
        assert status == 422, body
    assert move(staff, new, who=DPO)[0] == 403
    assert staff.get(new, who=MANAGER)[1]["case"]["pathway"] == "asb"  # nothing stored


def _tenancy_of(staff: Staff, reference: str) -> str:
    (report_item,) = [i for i in case_partition(staff.table, reference)
                      if i["entity"] == "Report"]
    return str(report_item["perpetrator_tenancy"])


def test_a_case_joined_with_another_is_not_moved(staff: Staff, homes: str) -> None:
    first, _ = report(staff, neighbour)
    other = staff.open_case("3 Quarry Road, Yeovil")
    into = case_of_report(staff.table, first)
    version = staff.get(other, who=MANAGER)[1]["case"]["version"]
    assert regroup(staff, "case_work-join-cases", into, {
        "case_reference": other, "case_version": version,
        "reason": "The same household: one matter"})[0] == 200
    status, body = move(staff, into)
    assert status == 409 and "Split their reports out first" in body["message"]


def test_the_alleged_perpetrator_never_sees_the_case_and_the_dpo_sees_why(
        staff: Staff, homes: str) -> None:
    abuse, _ = report(staff, disclosing)
    reference = case_of_report(staff.table, abuse)
    status, body = access(staff, {"name": "Dan Partner", "address": NUMBER_14.address})
    assert status == 200, body
    assert body["cases"] == [] and body["your_places_in_cases"] == []
    (withheld,) = body["withheld"]
    assert withheld["case_reference"] == reference
    assert "Schedule 2 Part 3 paragraph 16" in withheld["why"]
    (why,) = audit(staff.table, reference, "SubjectAccessWithheld")
    assert why["actor"] == "staff:d.price"
    assert not audit(staff.table, reference, "SubjectAccessExported")

    status, pdf = staff.call("data_protection-subject-access", who=DPO, query={
        "name": "Dan Partner", "address": NUMBER_14.address, "format": "pdf"})
    assert status == 200 and reference not in str(pdf)

    # The victim's own export has her case in it.
    status, hers = access(staff, {"email": "alex.morgan@example.org"})
    assert status == 200 and [c["case_reference"] for c in hers["cases"]] == [reference]
    assert hers["withheld"] == []


def test_nm01_leaves_the_pathway_out_and_counts_it_apart(staff: Staff, homes: str) -> None:
    report(staff, disclosing)
    report(staff, neighbour)
    year = str(year_of(datetime.now(UTC).date()))
    status, body = staff.call("case_queries-figures", query={"year": year}, who=MANAGER)
    assert status == 200, body
    assert body["cases_opened"] == 1
    assert body["counted_apart"]["domestic_abuse"]["cases_opened"] == 1
    assert "not in NM01" in body["counted_apart"]["domestic_abuse"]["notes"]


def test_his_subject_access_request_is_released_without_it_and_the_release_records_why(
        staff: Staff, homes: str) -> None:
    from tests.integration.test_data_protection import (
        OPEN_REQUESTS,
        RECEIVE,
        request_partition,
        request_step,
    )

    abuse, _ = report(staff, disclosing)
    reference = case_of_report(staff.table, abuse)
    today = datetime.now(UTC).date().isoformat()
    status, body = staff.call(RECEIVE, who=DPO, body={  # type: ignore[arg-type]
        "received_on": today, "name": "Dan Partner", "address": NUMBER_14.address})
    assert status == 201, body
    request = body["request"]["reference"]
    status, read = staff.call(OPEN_REQUESTS, path=f"/subject-access-requests/{request}",
                              who=DPO)  # type: ignore[arg-type]
    assert status == 200 and read["request"]["cases"] == []
    assert [w["case_reference"] for w in read["request"]["withheld"]] == [reference]

    decide = {"cases": [{"case_reference": reference, "free_text": "redact"}]}
    assert request_step(staff, request, "review", 1, decide)[0] == 200
    status, released = request_step(staff, request, "release", 2)
    assert status == 200, released
    export = {k: v for k, v in released.items() if k != "released"}  # what goes to him
    assert export["cases"] == [] and reference not in json.dumps(export)
    assert released["released"]["release"]["cases_withheld"] == [reference]
    (entry,) = [i for i in request_partition(staff.table, request)
                if i.get("action") == "SubjectAccessReleased"]
    assert entry["after"]["cases_withheld"] == [reference]


def test_a_referral_not_made_in_time_is_escalated_once_by_the_sweep(
        staff: Staff, homes: str, load_handler: Callable[[str], ModuleType]) -> None:
    from datetime import timedelta

    from tests.conftest import LambdaContext, sample_event

    abuse, _ = report(staff, disclosing)
    reference = case_of_report(staff.table, abuse)
    due = datetime.fromisoformat(tasks(staff, reference)["DA_SPECIALIST_REFERRAL"]["due_at"])
    sweep = load_handler("ReviewSweepFunction")

    def swept(at: datetime) -> dict[str, int]:
        event = {**sample_event("review_sweep-scheduled"),
                 "scheduled_time": at.strftime("%Y-%m-%dT%H:%M:%SZ")}
        return dict(sweep.lambda_handler(event, LambdaContext())["events"])

    assert "SpecialistReferralOverdue" not in swept(due - timedelta(minutes=15))
    assert swept(due + timedelta(minutes=15)).get("SpecialistReferralOverdue") == 1
    assert "SpecialistReferralOverdue" not in swept(due + timedelta(minutes=30))  # once
    referral = tasks(staff, reference)["DA_SPECIALIST_REFERRAL"]
    assert referral["due_kind"] == "DA_SPECIALIST_REFERRAL:escalated"  # still on the lists


def test_a_move_without_its_version_or_with_a_stale_one_stores_nothing(
        staff: Staff, homes: str) -> None:
    first, _ = report(staff, neighbour)
    reference = case_of_report(staff.table, first)
    version = staff.get(reference, who=MANAGER)[1]["case"]["version"]
    status, body = staff.call("case_work-move-to-pathway", body=MOVE, reference=reference)
    assert status == 428, body
    status, body = staff.call("case_work-move-to-pathway", body=MOVE, reference=reference,
                              if_match=f'"{version - 1}"')
    assert status == 412 and body["current_version"] == version
    status, body = staff.call("case_work-move-to-pathway", body={**MOVE, "officer": "me"},
                              reference=reference, if_match=f'"{version}"')
    assert status == 422 and body["errors"][0]["field"] == "officer"
    assert staff.get(reference, who=MANAGER)[1]["case"]["pathway"] == "asb"
    assert not audit(staff.table, reference, "PathwayChanged")


def test_a_case_from_before_pathways_that_discloses_it_is_withheld_and_counted_apart(
        staff: Staff, homes: str) -> None:
    """Stored before pathways: behaviour domestic_abuse, no pathway of its own nor in targets."""
    from infra.backfill_domestic_abuse_pathway import backfill

    abuse, _ = report(staff, disclosing)
    reference = case_of_report(staff.table, abuse)
    client = boto3.client("dynamodb")
    client.update_item(TableName=staff.table, Key=to_item({"pk": f"CASE#{reference}",
                                                           "sk": "CASE"}),
                       UpdateExpression="REMOVE pathway, targets.pathway")
    assert case_of(staff, abuse)["case"]["pathway"] == "asb"  # as it was stored then

    status, body = access(staff, {"name": "Dan Partner", "address": NUMBER_14.address})
    assert status == 200 and body["cases"] == [] and body["your_places_in_cases"] == []
    assert [w["case_reference"] for w in body["withheld"]] == [reference]

    year = str(year_of(datetime.now(UTC).date()))

    def counted() -> tuple[int, int]:
        status, body = staff.call("case_queries-figures", query={"year": year}, who=MANAGER)
        assert status == 200, body
        return body["cases_opened"], body["counted_apart"]["domestic_abuse"]["cases_opened"]

    assert counted() == (1, 0)  # the index row says nothing of it until the backfill
    assert backfill(client, staff.table) == 1
    assert counted() == (0, 1)
    assert backfill(client, staff.table) == 0  # once only
    assert case_of(staff, abuse)["case"]["pathway"] == "asb"  # an officer still moves it
    status, _ = move(staff, reference)
    assert status == 200 and counted() == (0, 1)
