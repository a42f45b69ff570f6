"""The rules of a case's parties (asb.people.parties), on in-memory folders: add, link, confirm,
unlink (never the last complainant), tie to a tenancy in the register, merge two persons."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from asb.case.change import CaseFolder
from asb.case.homes import Tenancy, TenancyType, Tenant
from asb.case.models import Case, CaseStatus
from asb.case.parties import (
    MatchReason,
    Party,
    PartyStatus,
    Person,
    ProposedMatch,
    Role,
    TenancyTie,
    contact_match_keys,
    proposed_matches,
    tenancy_match_key,
)
from asb.case.report_parties import report_parties, wanted_match_keys
from asb.case.submission import ReportSubmission
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import NotAllowed, StaffMember
from asb.people.models import (
    ConfirmationIn,
    MergerIn,
    PartyIn,
    PersonIn,
    TenancyTieIn,
    UnlinkingIn,
)
from asb.people.parties import (
    NO_COMPLAINANT_LEFT,
    add_party,
    confirm_party,
    merge_persons,
    tie_to_tenancy,
    unlink_party,
)
from tests.fakes import FakeHomesRegister

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")
ELSEWHERE = StaffMember("a.khan", frozenset({"officer"}), "taunton")
MANAGER = StaffMember("m.jones", frozenset({"manager"}), "yeovil")
PERSON_A = "aaaaaaaa-0000-4000-8000-000000000001"
PERSON_B = "bbbbbbbb-0000-4000-8000-000000000002"


def new_ids() -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"id-{next(counter)}"


def a_case(reference: str = "ASB-2026-000001", team: str = "yeovil", version: int = 3,
           status: CaseStatus = CaseStatus.OPEN) -> Case:
    return Case(reference=reference, status=status, opened_at=NOW, updated_at=NOW,
                version=version, anonymous=False, behaviours=["noise"], hate_incident=False,
                location_address="12 Orchard Close, Yeovil", team=team)


def a_party(party_id: str, person_id: str | None, *roles: Role, reference: str = "ASB-2026-000001",
            status: PartyStatus = PartyStatus.CONFIRMED, **more: object) -> Party:
    return Party(party_id=party_id, case_reference=reference, person_id=person_id,
                 roles=roles, status=status, added_at=NOW, added_by="reporter:web_form",
                 **more)


def folder(*parties: Party, case: Case | None = None) -> CaseFolder:
    return CaseFolder(case or a_case(), [], parties={p.party_id: p for p in parties})


def a_person(person_id: str, **details: object) -> Person:
    return Person(person_id=person_id, created_at=NOW, **details)


COMPLAINANT = a_party("p-1", PERSON_A, Role.COMPLAINANT, Role.VICTIM)
PERPETRATOR = a_party("p-2", None, Role.ALLEGED_PERPETRATOR, status=PartyStatus.PROPOSED)


def test_an_officer_adds_a_new_person_as_a_confirmed_party_with_their_match_keys() -> None:
    body = PartyIn(roles=[Role.WITNESS, Role.WITNESS],
                   person=PersonIn(name="Sam Lee", email="Sam@Example.org"))
    change = add_party(folder(COMPLAINANT), None, body, OFFICER, NOW, new_ids())

    (person,) = [w.person for w in change.persons]
    (written,) = change.parties
    assert written.expected_version is None
    assert written.party.person_id == person.person_id
    assert written.party.roles == (Role.WITNESS,)
    assert written.party.status == PartyStatus.CONFIRMED
    assert written.party.added_by == "staff:o.hughes"
    assert [(k.key, k.added) for k in change.match_keys] == [
        (contact_match_keys(person)[MatchReason.SAME_EMAIL], (person.person_id,))]
    assert change.case.version == 4 and change.expected_version == 3
    assert change.audit.action == "PartyAdded"
    assert "Sam" not in str(change.audit.after) and "Sam" not in str(change.events[0].detail)
    assert change.events[0].type == "PartyAdded"


def test_an_officer_links_a_known_person_and_not_twice() -> None:
    known = a_person(PERSON_B, name="Jo Bloggs")
    change = add_party(folder(COMPLAINANT), known, PartyIn(roles=[Role.WITNESS], person_id=PERSON_B),
                       OFFICER, NOW, new_ids())
    assert change.persons == [] and change.match_keys == []
    assert change.parties[0].party.person_id == PERSON_B
    assert change.audit.after is not None and change.audit.after["linked"] is True

    with pytest.raises(RuleBroken, match="already a party"):
        add_party(folder(COMPLAINANT), a_person(PERSON_A), PartyIn(
            roles=[Role.WITNESS], person_id=PERSON_A), OFFICER, NOW, new_ids())


def test_linking_a_person_who_is_not_there_or_merged_names_the_field() -> None:
    body = PartyIn(roles=[Role.WITNESS], person_id=PERSON_B)
    with pytest.raises(InvalidChange) as missing:
        add_party(folder(COMPLAINANT), None, body, OFFICER, NOW, new_ids())
    assert missing.value.errors[0].field == "person_id"
    merged = a_person(PERSON_B, merged_into=PERSON_A)
    with pytest.raises(InvalidChange, match="answers") as gone:
        add_party(folder(COMPLAINANT), merged, body, OFFICER, NOW, new_ids())
    assert PERSON_A in gone.value.errors[0].message


def test_a_party_body_needs_exactly_one_person_and_a_role() -> None:
    for bad in ({"roles": ["witness"]}, {"roles": [], "person": {"name": "X"}},
                {"roles": ["witness"], "person": {"name": "X"}, "person_id": PERSON_A},
                {"roles": ["neighbour"], "person": {"name": "X"}}):
        with pytest.raises(ValidationError):
            PartyIn.model_validate(bad)


def test_a_proposed_party_is_confirmed_once() -> None:
    change = confirm_party(folder(COMPLAINANT, PERPETRATOR), "p-2", ConfirmationIn(), OFFICER,
                           NOW, new_ids())
    (written,) = change.parties
    assert written.party.status == PartyStatus.CONFIRMED
    assert (written.expected_version, written.party.version) == (1, 2)
    with pytest.raises(RuleBroken, match="already confirmed"):
        confirm_party(folder(COMPLAINANT), "p-1", ConfirmationIn(), OFFICER, NOW, new_ids())
    with pytest.raises(UnknownRecord):
        confirm_party(folder(COMPLAINANT), "p-9", ConfirmationIn(), OFFICER, NOW, new_ids())


def test_unlinking_the_last_complainant_is_refused_in_words() -> None:
    with pytest.raises(RuleBroken) as refused:
        unlink_party(folder(COMPLAINANT, PERPETRATOR), "p-1",
                     UnlinkingIn(reason="Added to the wrong case"), OFFICER, NOW, new_ids())
    assert refused.value.message == NO_COMPLAINANT_LEFT


def test_an_unlinked_complainant_does_not_count_as_the_one_left() -> None:
    gone = unlink_party(folder(COMPLAINANT, a_party("p-3", PERSON_B, Role.COMPLAINANT)), "p-3",
                        UnlinkingIn(reason="Added to the wrong case"), OFFICER, NOW,
                        new_ids()).parties[0].party
    with pytest.raises(RuleBroken, match="no complainant"):
        unlink_party(folder(COMPLAINANT, gone), "p-1", UnlinkingIn(reason="Added by mistake"),
                     OFFICER, NOW, new_ids())


def test_unlinking_keeps_the_party_with_why_who_and_when() -> None:
    change = unlink_party(folder(COMPLAINANT, PERPETRATOR), "p-2",
                          UnlinkingIn(reason="Not the person the reporter meant"), OFFICER, NOW,
                          new_ids())
    party = change.parties[0].party
    assert party.unlinked is not None and not party.active
    assert (party.unlinked.by, party.unlinked.at) == ("o.hughes", NOW)
    assert change.audit.after == {"party_id": "p-2", "linked": False,
                                  "reason": "Not the person the reporter meant"}
    with pytest.raises(RuleBroken, match="unlinked"):
        confirm_party(folder(COMPLAINANT, party), "p-2", ConfirmationIn(), OFFICER, NOW,
                      new_ids())


def test_nothing_changes_on_a_closed_case() -> None:
    closed = folder(COMPLAINANT, PERPETRATOR, case=a_case(status=CaseStatus.CLOSED))
    with pytest.raises(RuleBroken, match="closed"):
        confirm_party(closed, "p-2", ConfirmationIn(), OFFICER, NOW, new_ids())


TENANCY = Tenancy(reference="T-000123", uprn="100040001234", tenancy_type=TenancyType.SECURE,
                  start_date=date(2019, 4, 1), tenants=(Tenant("Jo Bloggs"),))


def test_a_party_is_tied_only_to_a_tenancy_in_the_register() -> None:
    register = FakeHomesRegister(tenancies=[TENANCY])
    perpetrator = a_party("p-2", PERSON_B, Role.ALLEGED_PERPETRATOR)
    change = tie_to_tenancy(folder(COMPLAINANT, perpetrator), "p-2", register,
                            TenancyTieIn(tenancy_reference="T-000123"), OFFICER, NOW, new_ids())
    assert change.parties[0].party.tenancy == TenancyTie(reference="T-000123", uprn="100040001234")
    assert [(k.key, k.added) for k in change.match_keys] == [
        (tenancy_match_key("T-000123"), (PERSON_B,))]
    assert change.audit.after == {"party_id": "p-2", "tenancy": "T-000123",
                                  "uprn": "100040001234"}

    with pytest.raises(InvalidChange) as unknown:
        tie_to_tenancy(folder(COMPLAINANT, perpetrator), "p-2", register,
                       TenancyTieIn(tenancy_reference="T-999999"), OFFICER, NOW, new_ids())
    assert unknown.value.errors[0].field == "tenancy_reference"


def merge_fixture() -> tuple[Person, Person, list[CaseFolder]]:
    survivor = a_person(PERSON_A, name="Jo Bloggs", version=2)
    merged = a_person(PERSON_B, name="Joanne Bloggs", email="jo@example.org")
    first = folder(a_party("p-1", PERSON_A, Role.COMPLAINANT),
                   a_party("p-2", PERSON_B, Role.VICTIM, proposed_matches=(
                       ProposedMatch(person_id=PERSON_A, reasons=(MatchReason.SAME_EMAIL,)),)))
    second = folder(a_party("p-7", PERSON_B, Role.ALLEGED_PERPETRATOR, reference="ASB-2026-000002",
                            tenancy=TenancyTie(reference="T-000123", uprn="100040001234")),
                    case=a_case("ASB-2026-000002", version=5))
    return survivor, merged, [first, second]


def test_merging_moves_every_party_audits_each_case_and_points_the_record_at_the_survivor() -> None:
    survivor, merged, folders = merge_fixture()
    changes = merge_persons(survivor, merged, folders,
                            MergerIn(merged_person_id=PERSON_B, reason="The same tenant, twice"),
                            OFFICER, NOW, new_ids())

    assert [c.case.reference for c in changes] == ["ASB-2026-000001", "ASB-2026-000002"]
    assert all(c.audit.action == "PersonsMerged" and c.events[0].type == "PersonsMerged"
               for c in changes)
    moved = {w.party.party_id: w for c in changes for w in c.parties}
    assert {w.party.person_id for w in moved.values()} == {PERSON_A}
    assert moved["p-7"].moved_from == PERSON_B and moved["p-7"].expected_version == 1
    # Both were parties of the first case: one party, with both roles.
    assert moved["p-1"].party.roles == (Role.COMPLAINANT, Role.VICTIM)
    assert moved["p-2"].party.unlinked is not None
    assert moved["p-2"].party.proposed_matches == ()
    persons = {w.person.person_id: w for w in changes[0].persons}
    assert persons[PERSON_B].person.merged_into == PERSON_A
    assert (persons[PERSON_A].expected_version, persons[PERSON_A].person.version) == (2, 3)
    assert changes[1].persons == []
    assert {(k.key, k.added, k.removed) for k in changes[0].match_keys} == {
        (contact_match_keys(merged)[MatchReason.SAME_EMAIL], (PERSON_A,), (PERSON_B,)),
        (tenancy_match_key("T-000123"), (PERSON_A,), (PERSON_B,))}


@pytest.mark.parametrize(("survivor", "merged", "refusal"), [
    (a_person(PERSON_A), a_person(PERSON_A), "into itself"),
    (a_person(PERSON_A), a_person(PERSON_B, merged_into="x"), "already merged"),
    (a_person(PERSON_A, merged_into="x"), a_person(PERSON_B), "already merged"),
])
def test_a_merge_is_refused_for_the_same_or_an_already_merged_person(
        survivor: Person, merged: Person, refusal: str) -> None:
    with pytest.raises(RuleBroken, match=refusal):
        merge_persons(survivor, merged, merge_fixture()[2],
                      MergerIn(merged_person_id=merged.person_id, reason="The same person, twice"),
                      OFFICER, NOW, new_ids())


def test_only_a_manager_or_an_officer_of_every_team_touched_merges() -> None:
    survivor, merged, folders = merge_fixture()
    body = MergerIn(merged_person_id=PERSON_B, reason="The same tenant, twice")
    with pytest.raises(NotAllowed):
        merge_persons(survivor, merged, folders, body, ELSEWHERE, NOW, new_ids())
    assert merge_persons(survivor, merged, folders, body, MANAGER, NOW, new_ids())


def test_intakes_matches_name_each_person_once_with_every_reason() -> None:
    found = {PERSON_B: {MatchReason.SAME_PHONE, MatchReason.SAME_EMAIL}, PERSON_A: {
        MatchReason.SAME_TENANCY}}
    assert proposed_matches(found, itself=PERSON_A) == (ProposedMatch(
        person_id=PERSON_B, reasons=(MatchReason.SAME_EMAIL, MatchReason.SAME_PHONE)),)


def a_submission(**changes: object) -> ReportSubmission:
    data: dict[str, object] = {
        "reporter": {"name": "Alex Morgan", "email": "alex@example.org", "phone": "07700 900123",
                     "relationship": "agency"},
        "location": {"address": "12 Orchard Close, Yeovil", "postcode": "BA20 1AB"},
        "incident": {"behaviours": ["noise"], "description": "Loud music most nights."},
        "perpetrator": {"known": True, "name": "Jo Bloggs", "address": "14 Orchard Close"},
        **changes}
    return ReportSubmission.model_validate(data, context={"now": NOW})


TIE = TenancyTie(reference="T-000123", uprn="100040001234")


def test_a_report_that_opens_a_case_brings_its_complainant_and_the_alleged_perpetrator() -> None:
    submission = a_submission()
    email, phone, tenancy = wanted_match_keys(submission, TIE)
    found = {email: [PERSON_A], phone: [PERSON_A], tenancy: [PERSON_B]}
    made = report_parties(submission, "ASB-2026-000001", "r-1", True, TIE, found,
                          "reporter:api", NOW, new_ids())

    complainant, perpetrator = made.parties
    assert complainant.roles == (Role.COMPLAINANT, Role.PROFESSIONAL)  # an agency's report
    assert complainant.status == PartyStatus.CONFIRMED and complainant.report_id == "r-1"
    assert complainant.proposed_matches == (ProposedMatch(
        person_id=PERSON_A, reasons=(MatchReason.SAME_EMAIL, MatchReason.SAME_PHONE)),)
    assert perpetrator.roles == (Role.ALLEGED_PERPETRATOR,)
    assert perpetrator.status == PartyStatus.PROPOSED and perpetrator.tenancy == TIE
    assert perpetrator.proposed_matches == (ProposedMatch(
        person_id=PERSON_B, reasons=(MatchReason.SAME_TENANCY,)),)
    # New persons, never merged into the ones found; the keys find them next time.
    assert [p.person_id for p in made.persons] == [complainant.person_id, perpetrator.person_id]
    assert {(k.key, k.added) for k in made.match_keys} == {
        (email, (complainant.person_id,)), (phone, (complainant.person_id,)),
        (tenancy, (perpetrator.person_id,))}


def test_a_joining_report_brings_only_its_own_complainant_and_an_anonymous_one_no_person() -> None:
    joined = report_parties(a_submission(), "ASB-2026-000001", "r-2", False, None, {},
                            "reporter:api", NOW, new_ids())
    assert [p.roles[0] for p in joined.parties] == [Role.COMPLAINANT]
    anonymous = report_parties(a_submission(reporter=None, anonymous=True), "ASB-2026-000001",
                               "r-3", True, None, {}, "reporter:api", NOW, new_ids())
    assert anonymous.parties[0].person_id is None and anonymous.match_keys == ()
    assert wanted_match_keys(a_submission(reporter=None, anonymous=True), None) == []


def test_a_case_of_the_survivor_alone_is_audited_too_and_none_of_its_parties_move() -> None:
    survivor, merged, folders = merge_fixture()
    own = folder(a_party("p-9", PERSON_A, Role.WITNESS, reference="ASB-2026-000003"),
                 case=a_case("ASB-2026-000003", version=2))
    changes = merge_persons(survivor, merged, [*folders, own],
                            MergerIn(merged_person_id=PERSON_B, reason="The same tenant, twice"),
                            OFFICER, NOW, new_ids())
    (third,) = [c for c in changes if c.case.reference == "ASB-2026-000003"]
    assert third.parties == [] and third.audit.action == "PersonsMerged"
    assert (third.expected_version, third.case.version) == (2, 3)
    with pytest.raises(RuleBroken, match="no case"):
        merge_persons(survivor, merged, [own], MergerIn(
            merged_person_id=PERSON_B, reason="The same tenant, twice"), OFFICER, NOW, new_ids())
