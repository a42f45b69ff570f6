"""A person's page and a home's page through the staff handler and moto (issue 21, item 5): a
person in two cases of two teams (an officer sees their team's and a count), a home with two
tenancies and a case, each read audited like a case read, a merged record's pointer."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from asb.dynamo.codec import from_item
from tests.integration.helpers import Staff, case_partition
from tests.landlords_homes import NUMBER_14, TENANCY_14, TENANCY_14_BEFORE

OFFICER = ("o.hughes", "officer", "yeovil")
TAUNTON_OFFICER = ("k.evans", "officer", "taunton")
MANAGER = ("m.jones", "manager", "yeovil")
SAM = {"name": "Sam Lee", "email": "sam.lee@example.org"}


def person_page(staff: Staff, person_id: str,
                who: tuple[str, str, str] = OFFICER) -> tuple[int, dict[str, Any]]:
    return staff.call("case_queries-get-person", path=f"/people/{person_id}", who=who)


def home_page(staff: Staff, uprn: str,
              who: tuple[str, str, str] = OFFICER) -> tuple[int, dict[str, Any]]:
    return staff.call("case_queries-get-home", path=f"/homes/{uprn}", who=who)


def party_with(staff: Staff, reference: str, role: str) -> dict[str, Any]:
    status, answer = staff.get(reference, who=MANAGER)
    assert status == 200
    return next(p for p in answer["parties"] if role in p["roles"])


def to_taunton(staff: Staff, reference: str) -> None:
    version = staff.get(reference, who=MANAGER)[1]["case"]["version"]
    status, body = staff.call("case_work-assign-case", body={"officer": "k.evans",
                                                             "team": "taunton"},
                              if_match=f'"{version}"', who=MANAGER, reference=reference)
    assert status == 200, body


def reads_by(table: str, actor: str) -> list[dict[str, Any]]:
    answer = boto3.client("dynamodb").query(
        TableName=table, IndexName="AccessByActor",
        KeyConditionExpression="access_actor = :a",
        ExpressionAttributeValues={":a": {"S": f"staff:{actor}"}})
    return [from_item(i) for i in answer["Items"]]


@pytest.fixture
def sam_in_two_teams(staff: Staff) -> tuple[str, str, str]:
    """Sam, a witness on a Yeovil case and the alleged perpetrator on a Taunton one."""
    yeovil = staff.open_case()
    taunton = staff.open_case(address="3 Larch Walk, Yeovil")
    assert staff.write(yeovil, "parties", {"roles": ["witness"], "person": SAM})[0] == 200
    sam = party_with(staff, yeovil, "witness")["person_id"]
    status, body = staff.write(taunton, "parties", {"roles": ["alleged_perpetrator"],
                                                    "person_id": sam})
    assert status == 200, body
    to_taunton(staff, taunton)
    return sam, yeovil, taunton


def test_an_officer_sees_their_teams_case_and_a_count_of_the_others(
        staff: Staff, sam_in_two_teams: tuple[str, str, str]) -> None:
    sam, yeovil, taunton = sam_in_two_teams

    status, page = person_page(staff, sam)
    assert status == 200, page
    assert page["name"] == "Sam Lee" and page["email"] == "sam.lee@example.org"
    assert [(c["reference"], c["roles"]) for c in page["cases"]] == [(yeovil, ["witness"])]
    assert page["cases_in_other_teams"] == 1
    assert taunton not in str(page)  # nothing of the other team's case

    status, theirs = person_page(staff, sam, who=TAUNTON_OFFICER)
    assert [c["reference"] for c in theirs["cases"]] == [taunton]
    assert theirs["cases"][0]["roles"] == ["alleged_perpetrator"]
    assert theirs["cases_in_other_teams"] == 1

    status, everything = person_page(staff, sam, who=MANAGER)
    assert {c["reference"] for c in everything["cases"]} == {yeovil, taunton}
    assert everything["cases_in_other_teams"] == 0

    # A team with none of their cases sees nothing of them: not found, like a case.
    status, refused = person_page(staff, sam, who=("a.khan", "officer", "mendip"))
    assert status == 404 and "Sam" not in str(refused)


def test_a_complainants_page_has_their_reports_contact_safety_and_flags(staff: Staff) -> None:
    reference = staff.open_case()
    complainant = party_with(staff, reference, "complainant")

    status, page = person_page(staff, complainant["person_id"])
    assert status == 200, page
    (report,) = page["reports"]
    assert report["case_reference"] == reference and report["behaviours"]
    (safety,) = page["contact_safety"]
    assert safety["report_reference"] == report["reference"]
    assert (safety["preferred_contact"], safety["unsafe_channels"]) == ("email", [])
    stored = next(i for i in case_partition(staff.table, reference) if i["entity"] == "Report")
    assert stored["report_id"] == complainant["report_id"]
    assert page["measures"] == []  # not the alleged perpetrator anywhere
    # The sample's harm answers: it has happened before, and it affects their health.
    harm = [(f["text"], f["source"]) for f in page["vulnerability"] if f["kind"] == "harm_answer"]
    assert harm == [("Has this happened before?", report["reference"]),
                    ("Is it affecting their physical or mental health?", report["reference"])]


def test_each_read_of_a_person_is_audited_in_their_cases(
        staff: Staff, sam_in_two_teams: tuple[str, str, str]) -> None:
    sam, yeovil, taunton = sam_in_two_teams
    person_page(staff, sam)

    (read,) = [i for i in case_partition(staff.table, yeovil) if i.get("action") == "PersonViewed"]
    assert read["access_actor"] == "staff:o.hughes"
    assert read["after"] == {"route": "GET /people/{person_id}", "person_id": sam}
    assert not [i for i in case_partition(staff.table, taunton)
                if i.get("action") == "PersonViewed"]  # not read, so not audited
    assert "PersonViewed" in [r["action"] for r in reads_by(staff.table, "o.hughes")]


def test_a_merged_record_points_at_the_survivor(
        staff: Staff, sam_in_two_teams: tuple[str, str, str]) -> None:
    sam, yeovil, _ = sam_in_two_teams
    other = staff.open_case(address="7 Larch Walk, Yeovil")
    staff.write(other, "parties", {"roles": ["witness"], "person": {"name": "Samuel Lee"}})
    samuel = party_with(staff, other, "witness")["person_id"]
    merge = {"merged_person_id": samuel, "reason": "The same person, recorded twice"}
    # Sam is also on a Taunton case, which a merge changes too: not a Yeovil officer's to do.
    status, body = staff.call("case_work-merge-persons", path=f"/people/{sam}/merger",
                              body=merge, who=OFFICER)
    assert status == 403, body
    status, body = staff.call("case_work-merge-persons", path=f"/people/{sam}/merger",
                              body=merge, who=MANAGER)
    assert status == 200, body

    status, page = person_page(staff, samuel)
    assert status == 200
    assert page["merged_into"] == sam and sam in page["message"]
    assert page["name"] is None and page["cases"] == []
    status, survivor = person_page(staff, sam)
    assert {c["reference"] for c in survivor["cases"]} == {yeovil, other}


def test_a_bad_or_unknown_person_id_is_refused_in_words(staff: Staff) -> None:
    status, answer = person_page(staff, "not-an-id")
    assert status == 422 and answer["errors"][0]["field"] == "person_id"
    status, answer = person_page(staff, "00000000-0000-4000-8000-000000000000")
    assert status == 404 and answer["message"]


def test_a_homes_page_has_its_tenancies_current_first_and_its_case(
        staff: Staff, homes: str) -> None:
    reference = staff.open_case(home=NUMBER_14)

    status, page = home_page(staff, NUMBER_14.uprn)
    assert status == 200, page
    assert (page["address"], page["tenure"], page["landlords"]) == (
        NUMBER_14.address, "general_needs", True)
    assert [(t["reference"], t["current"]) for t in page["tenancies"]] == [
        (TENANCY_14.reference, True), (TENANCY_14_BEFORE.reference, False)]
    assert page["tenancies"][0]["tenants"][0]["name"] == "Sam Carter"
    (case,) = page["cases"]
    assert case["reference"] == reference
    assert [(p["roles"], p["tenancy"]) for p in case["parties"]] == [
        (["alleged_perpetrator"], TENANCY_14.reference)]
    assert page["cases_in_other_teams"] == 0

    status, theirs = home_page(staff, NUMBER_14.uprn, who=TAUNTON_OFFICER)
    assert theirs["cases"] == [] and theirs["cases_in_other_teams"] == 1


def test_each_read_of_a_home_is_audited(staff: Staff, homes: str) -> None:
    reference = staff.open_case(home=NUMBER_14)
    home_page(staff, NUMBER_14.uprn)

    (in_case,) = [i for i in case_partition(staff.table, reference)
                  if i.get("action") == "HomeViewed"]
    assert in_case["after"] == {"route": "GET /homes/{uprn}", "uprn": NUMBER_14.uprn}
    answer = boto3.client("dynamodb").query(  # its reads, apart from the cases at it (CASE#)
        TableName=staff.table, KeyConditionExpression="pk = :pk AND begins_with(sk, :audit)",
        ExpressionAttributeValues={":pk": {"S": f"HOME#{NUMBER_14.uprn}"},
                                   ":audit": {"S": "AUDIT#"}})
    (of_home,) = [from_item(i) for i in answer["Items"]]
    assert of_home["after"]["cases"] == [reference]
    actions = [r["action"] for r in reads_by(staff.table, "o.hughes")]
    assert actions.count("HomeViewed") == 2


def test_a_home_not_in_the_register_is_not_found(staff: Staff, homes: str) -> None:
    status, answer = home_page(staff, "999999999999")
    assert status == 404 and "register" in answer["message"]
    status, answer = home_page(staff, "12 Orchard Close")
    assert status == 422 and answer["errors"][0]["field"] == "uprn"
