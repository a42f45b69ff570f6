"""A case's parties through the staff handlers and moto (issue 21, item 3): add, link, unlink
(refused for the last complainant), confirm, tie to a tenancy in the register, merge two records
of one person across two cases; the case answer lists them, and its read is audited."""

from __future__ import annotations

import copy
import json
from datetime import date
from types import ModuleType
from typing import Any

import boto3
import pytest

from asb.case.homes import Tenancy, TenancyType, Tenant
from asb.dynamo.codec import from_item
from tests.conftest import LambdaContext, sample_event
from tests.fakes import FakeHomesRegister
from tests.integration.helpers import Staff, case_of_report, case_partition

TENANCY = Tenancy(reference="T-000123", uprn="100040001234", tenancy_type=TenancyType.SECURE,
                  start_date=date(2019, 4, 1), tenants=(Tenant("Jo Bloggs"),))
SAM = {"name": "Sam Lee", "email": "sam.lee@example.org"}


def add(staff: Staff, reference: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return staff.write(reference, "parties", body)


def parties(staff: Staff, reference: str,
            who: tuple[str, str, str] = ("o.hughes", "officer", "yeovil")) -> list[dict[str, Any]]:
    status, answer = staff.get(reference, who=who)
    assert status == 200
    return list(answer["parties"])


def merge(staff: Staff, survivor: str, merged: str,
          who: tuple[str, str, str] = ("o.hughes", "officer", "yeovil")) -> tuple[int, Any]:
    event = copy.deepcopy(sample_event("case_work-merge-persons"))
    event["path"] = f"/people/{survivor}/merger"
    event["pathParameters"] = {"person_id": survivor}
    event["body"] = json.dumps({"merged_person_id": merged,
                                "reason": "The same tenant, recorded twice"})
    event["requestContext"]["authorizer"]["claims"].update(
        {"cognito:username": who[0], "cognito:groups": who[1], "custom:team": who[2]})
    answer = staff.handlers["CaseWork"].lambda_handler(event, LambdaContext())
    return answer["statusCode"], json.loads(answer["body"])


def person_partition(table: str, person_id: str) -> list[dict[str, Any]]:
    answer = boto3.client("dynamodb").query(
        TableName=table, KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"PERSONID#{person_id}"}})
    return [from_item(i) for i in answer["Items"]]


def audit_actions(table: str, reference: str) -> list[str]:
    return [i["action"] for i in case_partition(table, reference) if i["entity"] == "AuditEntry"]


def test_an_officer_adds_a_complainant_and_the_case_answer_lists_them(staff: Staff) -> None:
    reference = staff.open_case()
    status, changed = add(staff, reference, {"roles": ["complainant", "victim"], "person": SAM})
    assert status == 200, changed

    (party,) = [p for p in parties(staff, reference) if p["added_by"] == "staff:o.hughes"]
    assert party["roles"] == ["complainant", "victim"] and party["status"] == "confirmed"
    assert party["person"]["name"] == "Sam Lee"
    assert party["version"] == 1
    # The read of the parties is the case read, audited as such.
    assert "CaseViewed" in audit_actions(staff.table, reference)
    assert "PartyAdded" in audit_actions(staff.table, reference)
    (lookup,) = [i for i in person_partition(staff.table, party["person_id"])
                 if i["sk"].startswith("PARTY#")]
    assert lookup["case_reference"] == reference and lookup["roles"] == ["complainant", "victim"]


def test_a_bad_party_is_refused_naming_the_field_and_nothing_is_stored(staff: Staff) -> None:
    reference = staff.open_case()
    version = staff.get(reference)[1]["case"]["version"]
    before = len(case_partition(staff.table, reference))
    status, answer = staff.write(reference, "parties", {"roles": ["neighbour"], "person": SAM},
                                 version)
    assert status == 422
    assert [e["field"] for e in answer["errors"]] == ["roles.0"]
    assert len(case_partition(staff.table, reference)) == before


def by_role(staff: Staff, reference: str) -> dict[str, dict[str, Any]]:
    return {p["roles"][0]: p for p in parties(staff, reference)}


def test_the_last_complainant_cannot_be_unlinked_and_a_witness_can(staff: Staff) -> None:
    reference = staff.open_case()  # intake made the reporter its complainant
    add(staff, reference, {"roles": ["witness"], "person": {"name": "Ola Ade"}})
    found = by_role(staff, reference)
    version = staff.get(reference)[1]["case"]["version"]

    status, refused = staff.write(reference, f"parties/{found['complainant']['party_id']}/unlinking",
                                  {"reason": "Added to the wrong case"}, version)
    assert status == 409 and "no complainant" in refused["message"]
    assert staff.get(reference)[1]["case"]["version"] == version  # nothing stored

    status, _ = staff.write(reference, f"parties/{found['witness']['party_id']}/unlinking",
                            {"reason": "Not a witness after all"}, version)
    assert status == 200
    witness = by_role(staff, reference)["witness"]
    assert witness["unlinked"]["reason"] == "Not a witness after all"
    status, again = staff.write(reference, f"parties/{witness['party_id']}/confirmation", {})
    assert status == 409 and "unlinked" in again["message"]


def test_a_party_the_report_named_is_confirmed_by_an_officer(staff: Staff) -> None:
    reference = staff.open_case()
    perpetrator = by_role(staff, reference)["alleged_perpetrator"]
    assert perpetrator["status"] == "proposed"
    status, _ = staff.write(reference, f"parties/{perpetrator['party_id']}/confirmation",
                            {"note": "Checked with the housing officer"})
    assert status == 200
    assert by_role(staff, reference)["alleged_perpetrator"]["status"] == "confirmed"
    assert "PartyConfirmed" in audit_actions(staff.table, reference)


def test_intake_makes_the_parties_and_proposes_a_match_never_merging(staff: Staff) -> None:
    first = staff.open_case()
    second = staff.open_case(address="3 Larch Walk, Yeovil")  # the same reporter's email
    complainant = by_role(staff, first)["complainant"]
    assert complainant["person"]["email"] == "alex.morgan@example.org"
    assert complainant["status"] == "confirmed" and complainant["report_id"]
    perpetrator = by_role(staff, first)["alleged_perpetrator"]
    assert perpetrator["person"]["address"] == "next to 12 Orchard Close, Yeovil"

    again = by_role(staff, second)["complainant"]
    assert again["person_id"] != complainant["person_id"]  # proposed, not merged
    assert again["proposed_matches"] == [{"person_id": complainant["person_id"],
                                          "reasons": ["same_email", "same_phone"]}]


def test_an_anonymous_report_has_a_complainant_without_a_person(staff: Staff,
                                                               intake: ModuleType) -> None:
    answer = intake.lambda_handler(sample_event("intake-anonymous-json"), LambdaContext())
    reference = case_of_report(staff.table, json.loads(answer["body"])["reference"])
    manager = ("m.jones", "manager", "yeovil")  # not triaged yet: on no officer's team
    (complainant,) = [p for p in parties(staff, reference, manager)
                      if "complainant" in p["roles"]]
    assert "person_id" not in complainant and "person" not in complainant


@pytest.fixture
def register(handlers: dict[str, ModuleType]) -> FakeHomesRegister:
    homes = FakeHomesRegister(tenancies=[TENANCY])
    handlers["CaseWork"].homes_register = homes
    return homes


def test_a_party_is_tied_to_a_tenancy_in_the_register(staff: Staff,
                                                       register: FakeHomesRegister) -> None:
    reference = staff.open_case()
    add(staff, reference, {"roles": ["household_member"], "person": {"name": "Jo Bloggs"}})
    party = by_role(staff, reference)["household_member"]

    status, answer = staff.write(reference, f"parties/{party['party_id']}/tenancy",
                                 {"tenancy_reference": "T-999999"})
    assert status == 422 and answer["errors"][0]["field"] == "tenancy_reference"
    status, _ = staff.write(reference, f"parties/{party['party_id']}/tenancy",
                            {"tenancy_reference": "T-000123"})
    assert status == 200
    (tied,) = [p for p in parties(staff, reference) if p["party_id"] == party["party_id"]]
    assert tied["tenancy"] == {"reference": "T-000123", "uprn": "100040001234"}
    assert "PartyTiedToTenancy" in audit_actions(staff.table, reference)


def test_two_records_of_one_person_are_merged_across_two_cases(staff: Staff) -> None:
    first = staff.open_case()
    second = staff.open_case(address="3 Larch Walk, Yeovil")
    add(staff, first, {"roles": ["witness"], "person": SAM})
    add(staff, second, {"roles": ["witness"], "person": {"name": "Samuel Lee"}})
    sam = by_role(staff, first)["witness"]["person_id"]
    samuel = by_role(staff, second)["witness"]["person_id"]

    status, answer = merge(staff, sam, samuel, who=("a.khan", "officer", "taunton"))
    assert status == 403  # not an officer of the cases' team
    status, answer = merge(staff, sam, samuel)
    assert status == 200, answer
    assert sorted(c["reference"] for c in answer["cases"]) == sorted([first, second])

    moved = by_role(staff, second)["witness"]
    assert moved["person_id"] == sam and moved["person"]["name"] == "Sam Lee"
    # Audited on both cases: whom each case's party is changed on both.
    assert "PersonsMerged" in audit_actions(staff.table, first)
    assert "PersonsMerged" in audit_actions(staff.table, second)
    assert {i["case_reference"] for i in person_partition(staff.table, sam)
            if i["sk"].startswith("PARTY#")} == {first, second}
    (old,) = person_partition(staff.table, samuel)
    assert old["merged_into"] == sam
    # The merged record keeps its ids only: the name is the survivor's record's to hold.
    assert set(old) == {"pk", "sk", "entity", "person_id", "merged_into", "created_at", "version"}
    status, again = merge(staff, sam, samuel)
    assert status == 409 and "already merged" in again["message"]


def test_an_officer_cannot_link_another_teams_person_to_read_them(staff: Staff) -> None:
    """A Taunton-only person's id (seen, say, in a proposed match) linked to a Yeovil case would
    show a Yeovil officer their name and contact: refused as a person unknown, nothing stored."""
    manager = ("m.jones", "manager", "yeovil")
    theirs = staff.open_case(address="3 Larch Walk, Yeovil")
    version = staff.get(theirs, who=manager)[1]["case"]["version"]
    assert staff.call("case_work-assign-case", body={"officer": "k.evans", "team": "taunton"},
                      if_match=f'"{version}"', who=manager, reference=theirs)[0] == 200
    assert staff.write(theirs, "parties", {"roles": ["witness"], "person": SAM},
                       who=("k.evans", "officer", "taunton"))[0] == 200
    sam = next(p["person_id"] for p in parties(staff, theirs, manager) if "witness" in p["roles"])
    ours = staff.open_case()
    version = staff.get(ours)[1]["case"]["version"]

    refused = add(staff, ours, {"roles": ["witness"], "person_id": sam})
    unknown = add(staff, ours, {"roles": ["witness"], "person_id": "8e0c2b1a-5f4d-4c3b-9a2e-7d6f5e4c3b2a"})
    assert refused == unknown
    assert refused[1]["errors"][0]["field"] == "person_id"
    assert "There is no person with this id" in str(refused[1])
    assert staff.get(ours)[1]["case"]["version"] == version  # nothing stored
    assert "Sam Lee" not in str(parties(staff, ours))

    # A manager, who may read the Taunton case, may link them.
    status, answer = staff.write(ours, "parties", {"roles": ["witness"], "person_id": sam},
                                 who=manager)
    assert status == 200, answer
