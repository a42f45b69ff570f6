"""A person's page and a home's page as plain functions (asb.people.pages): whose risk a flag is,
a repeat victim, measures only where they are the alleged perpetrator, a merged record's
pointer, a home's tenancies current first and only its own tied parties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from asb.case.change import CaseFolder
from asb.case.homes import Tenancy, TenancyType, Tenant
from asb.case.models import Case, CaseStatus, ReportedBefore
from asb.case.parties import Party, PartyStatus, Person, Role, TenancyTie, Unlinking
from asb.case.records import Measure
from asb.people.pages import home_page, merged_page, person_page
from tests.landlords_homes import NUMBER_14, TENANCY_14, TENANCY_14_BEFORE

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
SAM = "aaaaaaaa-0000-4000-8000-000000000001"
HOME = NUMBER_14
TIE = TenancyTie(reference="T-000114", uprn=HOME.uprn)
RISK = {"score": 9, "level": "high", "reasons": [
    {"question": "fear", "text": "Do they feel unsafe?", "points": 3, "source": "report"},
    {"question": "self_harm_risk", "text": "Have they thought about harming themselves?",
     "points": 6, "source": "officer"}]}


def a_case(reference: str, days_ago: int = 0, **more: object) -> Case:
    at = NOW - timedelta(days=days_ago)
    return Case(reference=reference, status=CaseStatus.OPEN, opened_at=at, updated_at=at,
                anonymous=False, behaviours=["noise"], hate_incident=False,
                location_address="12 Orchard Close, Yeovil", team="yeovil", **more)


def a_party(reference: str, *roles: Role, person_id: str | None = SAM,
            **more: object) -> Party:
    return Party(party_id=f"party-{reference}-{roles[0]}", case_reference=reference,
                 person_id=person_id, roles=roles, status=PartyStatus.CONFIRMED, added_at=NOW,
                 added_by="staff:o.hughes", **more)


def folder(case: Case, *parties: Party, measures: dict[str, Measure] | None = None) -> CaseFolder:
    return CaseFolder(case, [], measures=measures or {},
                      parties={p.party_id: p for p in parties})


def an_injunction() -> Measure:
    return Measure(record_id="m-1", at=NOW, measure="injunction", name="Injunction",
                   legal=True, rationale="Threats", status="considered", approval="pending",
                   by="o.hughes", recorded_at=NOW)


SAM_LEE = Person(person_id=SAM, name="Sam Lee", created_at=NOW)


def test_risk_and_repeat_victim_are_flagged_only_where_the_harm_is_theirs() -> None:
    earlier = ReportedBefore(reference="ASB-2026-000010", opened_on=date(2026, 3, 4),
                             report_id="r-1")
    harmed = folder(a_case("ASB-2026-000001", risk=RISK, reported_before=[earlier]),
                    a_party("ASB-2026-000001", Role.COMPLAINANT, report_id="r-1"))
    witnessed = folder(a_case("ASB-2026-000002", risk=RISK),
                       a_party("ASB-2026-000002", Role.WITNESS))

    page = person_page(SAM_LEE, [harmed, witnessed], hidden=0, seen={"ASB-2026-000010"})

    assert [(f.kind, f.case_reference, f.text) for f in page.vulnerability] == [
        ("risk", "ASB-2026-000001", "Risk assessed high"),
        # the report's own answers are harm answers of the report; the officer's reason is here
        ("risk", "ASB-2026-000001", "Have they thought about harming themselves?"),
        ("repeat_victim", "ASB-2026-000001",
         "Repeat victim: reported before (ASB-2026-000010 opened on 2026-03-04)")]


def test_a_repeat_victim_is_flagged_only_on_the_page_of_the_complainant_it_was_found_for() -> None:
    """Two complainants on one case; only Sam's report found earlier cases: the other's page has
    no flag, a flag kept before whose it was is on no one's page, unseen cases are a count."""
    mine = [ReportedBefore(reference=r, opened_on=date(2026, 3, 4), report_id="r-sam")
            for r in ("ASB-2026-000010", "ASB-2026-000011", "ASB-2026-000012")]
    legacy = ReportedBefore(reference="ASB-2026-000013", opened_on=date(2026, 2, 1))
    case = a_case("ASB-2026-000001", reported_before=[*mine, legacy])
    sams = a_party("ASB-2026-000001", Role.COMPLAINANT, report_id="r-sam")
    kims = a_party("ASB-2026-000001", Role.VICTIM, Role.COMPLAINANT, person_id="kim",
                   report_id="r-kim")

    page = person_page(SAM_LEE, [folder(case, sams, kims)], hidden=0, seen={"ASB-2026-000011"})
    assert [f.text for f in page.vulnerability if f.kind == "repeat_victim"] == [
        "Repeat victim: reported before (ASB-2026-000011 opened on 2026-03-04; 2 cases in "
        "other teams)"]
    kim = Person(person_id="kim", name="Kim Ray", created_at=NOW)
    theirs = person_page(kim, [folder(case, sams, kims)], hidden=0, seen={"ASB-2026-000011"})
    assert [f for f in theirs.vulnerability if f.kind == "repeat_victim"] == []
    assert "ASB-2026-0000" not in str(theirs.vulnerability)  # nor in the risk reasons


def test_measures_are_shown_only_where_they_are_the_alleged_perpetrator() -> None:
    measures = {"m-1": an_injunction()}
    accused = folder(a_case("ASB-2026-000001"),
                     a_party("ASB-2026-000001", Role.ALLEGED_PERPETRATOR), measures=measures)
    reporting = folder(a_case("ASB-2026-000002"),
                       a_party("ASB-2026-000002", Role.COMPLAINANT), measures=measures)

    page = person_page(SAM_LEE, [reporting, accused], hidden=2)

    assert [(m.case_reference, m.measure) for m in page.measures] == [
        ("ASB-2026-000001", "injunction")]
    assert page.cases_in_other_teams == 2


def test_cases_newest_first_with_an_unlinked_party_said_so() -> None:
    gone = Unlinking(reason="Not a witness after all", by="o.hughes", at=NOW)
    old = folder(a_case("ASB-2026-000001", days_ago=30),
                 a_party("ASB-2026-000001", Role.WITNESS, unlinked=gone))
    new = folder(a_case("ASB-2026-000002"), a_party("ASB-2026-000002", Role.VICTIM, tenancy=TIE))

    page = person_page(SAM_LEE, [old, new], hidden=0)

    assert [(c.reference, c.unlinked, c.tenancy) for c in page.cases] == [
        ("ASB-2026-000002", False, "T-000114"), ("ASB-2026-000001", True, None)]


def test_a_merged_record_answers_only_its_pointer() -> None:
    merged = Person(person_id=SAM, name="Samuel Lee", merged_into="bbbb", created_at=NOW)
    page = merged_page(merged)
    assert page.merged_into == "bbbb" and page.name is None and page.cases == []


def test_a_homes_tenancies_are_current_first_and_its_cases_show_only_its_tied_parties() -> None:
    older_ended = Tenancy("T-000013", HOME.uprn, TenancyType.SECURE, date(2001, 1, 1),
                          (Tenant("Lee Ash"),), end_date=date(2010, 12, 31))
    elsewhere = TenancyTie(reference="T-000209", uprn="100040002009")
    case = folder(a_case("ASB-2026-000001"),
                  a_party("ASB-2026-000001", Role.ALLEGED_PERPETRATOR, tenancy=TIE),
                  a_party("ASB-2026-000001", Role.COMPLAINANT, tenancy=elsewhere))

    page = home_page(HOME, [older_ended, TENANCY_14, TENANCY_14_BEFORE], [case], hidden=1,
                     now=NOW)

    assert [(t.reference, t.current) for t in page.tenancies] == [
        ("T-000114", True), ("T-000014", False), ("T-000013", False)]
    (shown,) = page.cases
    assert [(p.roles, p.tenancy) for p in shown.parties] == [
        ([Role.ALLEGED_PERPETRATOR], "T-000114")]
    assert page.cases_in_other_teams == 1


def test_their_ladder_runs_across_their_cases_with_only_the_measures_against_them() -> None:
    first, second = a_case("ASB-2026-000001", days_ago=40), a_case("ASB-2026-000002")
    sams = a_party("ASB-2026-000001", Role.ALLEGED_PERPETRATOR)
    warning = Measure(record_id="m-2", at=NOW, measure="final_written_warning",
                      name="Final written warning", legal=False, rationale="Noise again",
                      status="applied", approval="not needed", by="o.hughes",
                      recorded_at=NOW - timedelta(days=30), party_id=sams.party_id)
    others = an_injunction().model_copy(update={"record_id": "m-3", "party_id": "party-kim"})
    kept_before = an_injunction().model_copy(update={"measure": "civil_injunction"})
    page = person_page(SAM_LEE, [
        folder(first, sams, measures={"m-2": warning}),
        folder(second, a_party("ASB-2026-000002", Role.ALLEGED_PERPETRATOR),
               measures={"m-1": kept_before, "m-3": others})], hidden=0)
    assert [(r.case_reference, r.measure_id, r.against) for r in page.ladder] == [
        ("ASB-2026-000001", "m-2", "Sam Lee"), ("ASB-2026-000002", "m-1", "Sam Lee")]
    # The injunction follows the final warning on his other case, skipping agreements.
    assert page.ladder[1].skips is not None and "agreements and notices" in page.ladder[1].skips
    assert page.ladder[1].outcome == "Waiting for a manager's approval"


def test_a_co_perpetrators_tools_and_a_victims_support_are_not_on_their_page() -> None:
    sams = a_party("ASB-2026-000001", Role.ALLEGED_PERPETRATOR)
    other = sams.model_copy(update={"party_id": "party-kim", "person_id": "kim"})
    against_sam = an_injunction().model_copy(update={"party_id": sams.party_id})
    against_kim = an_injunction().model_copy(update={"record_id": "m-2", "party_id": other.party_id})
    support = an_injunction().model_copy(update={
        "record_id": "m-3", "measure": "support_referral", "subject": "reporter"})
    accused = folder(a_case("ASB-2026-000001"), sams, other,
                     measures={"m-1": against_sam, "m-2": against_kim, "m-3": support})

    page = person_page(SAM_LEE, [accused], hidden=0)

    assert [m.measure_id for m in page.measures] == ["m-1"]
