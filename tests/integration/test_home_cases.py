"""A home's page shows every case at the home (issue 21, item 5): the place a report names and
the alleged perpetrator's home, not only a party's tenancy - through intake, triage, the staff
API and retention's schedule, on moto. Each (home, case) is one lookup, whatever brings it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from types import ModuleType
from typing import Any

import boto3

from asb.dynamo.codec import from_item
from tests.integration.helpers import Staff, case_partition
from tests.integration.test_people_pages import (
    MANAGER,
    TAUNTON_OFFICER,
    home_page,
    party_with,
    to_taunton,
)
from tests.integration.test_retention import sweep
from tests.integration.test_split_and_join import regroup
from tests.landlords_homes import NUMBER_14, NUMBER_16, TENANCY_14


def cases_at(table: str, uprn: str) -> list[dict[str, Any]]:
    answer = boto3.client("dynamodb").query(
        TableName=table, KeyConditionExpression="pk = :pk AND begins_with(sk, :case)",
        ExpressionAttributeValues={":pk": {"S": f"HOME#{uprn}"}, ":case": {"S": "CASE#"}})
    return [from_item(i) for i in answer["Items"]]


def test_a_report_naming_a_home_as_the_place_puts_its_case_on_the_homes_page(
        staff: Staff, homes: str) -> None:
    """Number 16 has no current tenancy: nobody is tied to it, yet the case is at it."""
    reference = staff.open_case(place=NUMBER_16)

    status, page = home_page(staff, NUMBER_16.uprn)

    assert status == 200, page
    (case,) = page["cases"]
    assert (case["reference"], case["home_roles"], case["parties"]) == (
        reference, ["place"], [])
    assert page["cases_in_other_teams"] == 0


def test_the_same_case_at_a_home_three_ways_is_listed_once_with_each_role(
        staff: Staff, homes: str) -> None:
    reference = staff.open_case(home=NUMBER_14)  # intake ties the perpetrator to its tenancy
    # A neighbour's further report about number 14, happening there: it joins the case.
    assert staff.open_case(home=NUMBER_14, place=NUMBER_14) == reference
    complainant = party_with(staff, reference, "complainant")["party_id"]
    status, body = staff.write(reference, f"parties/{complainant}/tenancy",
                               {"tenancy_reference": TENANCY_14.reference})
    assert status == 200, body

    status, page = home_page(staff, NUMBER_14.uprn)

    assert status == 200, page
    (case,) = page["cases"]
    assert case["reference"] == reference
    assert case["home_roles"] == ["alleged_perpetrators_home", "partys_tenancy", "place"]
    (lookup,) = cases_at(staff.table, NUMBER_14.uprn)
    assert lookup["case_reference"] == reference
    assert len([i for i in case_partition(staff.table, reference)
                if i["entity"] == "CaseHome"]) == 1


def test_an_officer_tying_a_party_to_a_tenancy_puts_the_case_at_its_home(
        staff: Staff, homes: str) -> None:
    reference = staff.open_case()  # next to 12 Orchard Close: no home of the landlord's named
    assert cases_at(staff.table, NUMBER_14.uprn) == []
    complainant = party_with(staff, reference, "complainant")["party_id"]
    status, body = staff.write(reference, f"parties/{complainant}/tenancy",
                               {"tenancy_reference": TENANCY_14.reference})
    assert status == 200, body

    status, page = home_page(staff, NUMBER_14.uprn)

    assert [(c["reference"], c["home_roles"]) for c in page["cases"]] == [
        (reference, ["partys_tenancy"])]


def test_a_case_of_another_team_at_the_home_is_counted_not_shown(
        staff: Staff, homes: str) -> None:
    ours = staff.open_case(place=NUMBER_16)
    theirs = staff.open_case(address="3 Larch Walk, Yeovil", place=NUMBER_16)
    to_taunton(staff, theirs)

    status, page = home_page(staff, NUMBER_16.uprn)

    assert status == 200, page
    assert [c["reference"] for c in page["cases"]] == [ours]
    assert page["cases_in_other_teams"] == 1
    assert theirs not in str(page)
    status, manager = home_page(staff, NUMBER_16.uprn, who=MANAGER)
    assert {c["reference"] for c in manager["cases"]} == {ours, theirs}
    status, taunton = home_page(staff, NUMBER_16.uprn, who=TAUNTON_OFFICER)
    assert [c["reference"] for c in taunton["cases"]] == [theirs]


def test_a_case_anonymised_past_retention_leaves_no_lookup_at_its_homes(
        staff: Staff, homes: str, load_handler: Callable[[str], ModuleType]) -> None:
    reference = staff.open_case(home=NUMBER_14, place=NUMBER_16)
    kept = staff.open_case(place=NUMBER_16, address="3 Larch Walk, Yeovil")
    assert staff.write(reference, "closure", {
        "outcome": "resolved", "reasons": "The music stopped after our letter."})[0] == 200
    keep_until = date.fromisoformat(staff.get(reference, who=MANAGER)[1]["case"]["retain_until"])
    assert len(cases_at(staff.table, NUMBER_16.uprn)) == 2

    assert sweep(load_handler("RetentionFunction"), keep_until) == [reference]

    assert cases_at(staff.table, NUMBER_14.uprn) == []
    assert [i["case_reference"] for i in cases_at(staff.table, NUMBER_16.uprn)] == [kept]
    assert not [i for i in case_partition(staff.table, reference) if i["entity"] == "CaseHome"]
    assert sweep(load_handler("RetentionFunction"), keep_until + timedelta(days=1)) == []


def roles_at(staff: Staff, uprn: str) -> dict[str, list[str]]:
    status, page = home_page(staff, uprn, who=MANAGER)
    assert status == 200, page
    return {c["reference"]: c["home_roles"] for c in page["cases"]}


def test_a_split_out_report_takes_the_homes_it_names_to_its_new_case(
        staff: Staff, homes: str) -> None:
    first = staff.open_case(home=NUMBER_14)  # the perpetrator's home, his party tied there
    # A further report about him, happening at number 16: it joins the case.
    assert staff.open_case(home=NUMBER_14, place=NUMBER_16) == first
    assert roles_at(staff, NUMBER_16.uprn) == {first: ["place"]}
    further = next(r["report_id"] for r in staff.get(first, who=MANAGER)[1]["people"]
                   if r.get("reference") not in (None, first))

    status, answer = regroup(staff, "case_work-split-report", first, {
        "report_id": further, "reason": "A different matter at number 16"})

    assert status == 200, answer
    new = answer["other"]["reference"]
    # Both cases at number 14, each in its own roles: the tenancy tie is the first's party's.
    assert roles_at(staff, NUMBER_14.uprn) == {
        first: ["alleged_perpetrators_home", "partys_tenancy"],
        new: ["alleged_perpetrators_home"]}
    # Number 16 was named only by the report split out: its lookups follow it, both of them.
    assert roles_at(staff, NUMBER_16.uprn) == {new: ["place"]}
    assert [i["uprn"] for i in case_partition(staff.table, first)
            if i["entity"] == "CaseHome"] == [NUMBER_14.uprn]
    assert {i["uprn"] for i in case_partition(staff.table, new)
            if i["entity"] == "CaseHome"} == {NUMBER_14.uprn, NUMBER_16.uprn}


def test_a_join_gives_the_first_case_the_joined_cases_homes_and_the_joined_keeps_its_own(
        staff: Staff, homes: str) -> None:
    first = staff.open_case(home=NUMBER_14)
    second = staff.open_case(address="3 Larch Walk, Yeovil", place=NUMBER_16)
    assert first != second
    version = staff.get(second, who=MANAGER)[1]["case"]["version"]

    status, answer = regroup(staff, "case_work-join-cases", first, {
        "case_reference": second, "case_version": version,
        "reason": "The same household: one matter"})

    assert status == 200, answer
    # The joined case, closed, still shows at the home: its history is there.
    assert roles_at(staff, NUMBER_16.uprn) == {first: ["place"], second: ["place"]}
    assert roles_at(staff, NUMBER_14.uprn) == {
        first: ["alleged_perpetrators_home", "partys_tenancy"]}
