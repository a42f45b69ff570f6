"""Which homes a case is at and as what (asb.case.home_cases), and retention's plan dropping the
case's lookups at them."""

from __future__ import annotations

from datetime import UTC, datetime

from asb.case.home_cases import (
    CASE_HOME,
    CaseAtHome,
    HomeRole,
    homes_left,
    homes_of_case,
    homes_of_report,
)
from asb.case.parties import Party, PartyStatus, Role, TenancyTie
from asb.case.retention import StoredRecord
from tests.unit.test_erase_plan import REFERENCE, plan_of, report

PLACE, THEIRS, TIED = (HomeRole.PLACE, HomeRole.ALLEGED_PERPETRATORS_HOME,
                       HomeRole.PARTYS_TENANCY)


def tied_party(uprn: str) -> Party:
    return Party(party_id="p1", case_reference=REFERENCE, person_id="person-1",
                 roles=(Role.ALLEGED_PERPETRATOR,), status=PartyStatus.PROPOSED,
                 tenancy=TenancyTie(reference="T-000114", uprn=uprn),
                 added_at=datetime(2026, 11, 2, tzinfo=UTC), added_by="reporter:api")


def test_a_report_is_at_its_place_and_the_alleged_perpetrators_home_one_entry_a_home() -> None:
    at_16 = report(location={"address": "16 Orchard Close, Yeovil", "postcode": "BA20 1AB",
                             "uprn": "100040001016"}).report
    assert sorted(homes_of_report(at_16, [tied_party("100040001014")]), key=str) == [
        CaseAtHome("100040001014", frozenset({THEIRS, TIED})),
        CaseAtHome("100040001016", frozenset({PLACE}))]

    at_14 = report(location={"address": "14 Orchard Close, Yeovil", "postcode": "BA20 1AB",
                             "uprn": "100040001014"}).report
    assert homes_of_report(at_14) == [CaseAtHome("100040001014", frozenset({PLACE, THEIRS}))]


def test_a_report_naming_no_home_of_the_landlords_is_at_none() -> None:
    stored = report().report
    unchecked = stored.model_copy(update={"perpetrator_home": None})
    assert homes_of_report(unchecked) == []


def test_retention_drops_the_case_at_each_of_its_homes() -> None:
    plan = plan_of(StoredRecord("HOME#100040001016", CASE_HOME, frozenset({"roles", "uprn"})),
                   StoredRecord("HOME#100040001014", CASE_HOME, frozenset({"roles", "uprn"})))
    assert plan.homes == ("100040001016", "100040001014")
    assert not [i for i in plan.items if i.sort_key.startswith("HOME#")]


def test_a_case_stays_at_a_home_only_in_the_roles_what_it_still_holds_gives_it() -> None:
    """What a split leaves: number 14 still the alleged perpetrator's home by the party's tie
    only, number 16 named by nothing left, number 18 as it was."""
    stored = [CaseAtHome("100040001014", frozenset({THEIRS, TIED})),
              CaseAtHome("100040001016", frozenset({PLACE})),
              CaseAtHome("100040001018", frozenset({PLACE}))]
    at_18 = report(location={"address": "18 Orchard Close, Yeovil", "postcode": "BA20 1AB",
                             "uprn": "100040001018"}).report.model_copy(
        update={"perpetrator_home": None})
    still = homes_of_case([at_18], [tied_party("100040001014")])

    assert homes_left(stored, still) == (
        [CaseAtHome("100040001014", frozenset({TIED}))], ["100040001016"])
    assert homes_left(stored[2:], still) == ([], [])
