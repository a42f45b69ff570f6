"""The court bundle as plain data (issue 22, item 4): third parties named by one label each
through the whole bundle, the respondent and staff by name; the items chosen checked against
the case and numbered as exhibits in date order under the officer's initials."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from asb.case.change import CaseFolder
from asb.case.enforcement import Agreement, Breach, Hearing, Interview, WarningLetter
from asb.case.models import Case, CaseStatus, Report
from asb.case.parties import Party, PartyStatus, Person, Role
from asb.case.records import Contact, DiaryEntry, Evidence, Measure
from asb.enforcement.bundles import BundleIn, court_bundle, exhibit_prefix
from asb.enforcement.redaction import redaction
from asb.intake.service import new_report, parse_submission
from asb.kernel.errors import InvalidChange, UnknownRecord
from tests.conftest import sample_event

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
REFERENCE = "ASB-2026-000123"


def a_report(report_id: str, name: str | None, phone: str | None = None,
             address: str | None = None, received: datetime = NOW,
             perpetrator: str = "Dean Morgan") -> Report:
    data = json.loads(sample_event("intake-valid-json")["body"])
    if name is None:
        data.pop("reporter")
        data["anonymous"] = True
    else:
        data["reporter"].update(name=name, email=f"{name.split()[0].lower()}@example.org",
                                phone=phone, address=address)
    data["incident"].update(first_occurred="2026-10-01", last_occurred="2026-10-30T23:00:00Z")
    data["perpetrator"] = {"known": True, "name": perpetrator,
                           "address": "14 Orchard Close, Yeovil"}
    return new_report(parse_submission(data, received), REFERENCE, "api", received, report_id)


def a_party(party_id: str, person_id: str | None, *roles: Role,
            report_id: str | None = None) -> Party:
    return Party(party_id=party_id, case_reference=REFERENCE, person_id=person_id, roles=roles,
                 status=PartyStatus.CONFIRMED, report_id=report_id, added_at=NOW,
                 added_by="staff:o.hughes")


def a_person(person_id: str, name: str, **more: Any) -> Person:
    return Person(person_id=person_id, name=name, created_at=NOW, **more)


ALEX = a_report("r-1", "Alex Morgan", "07700 900123", "12 Orchard Close, Yeovil, BA20 1AB",
                datetime(2026, 11, 1, tzinfo=UTC))
JO = a_report("r-2", "Jo Pike", received=datetime(2026, 11, 5, tzinfo=UTC))
ANONYMOUS = a_report("r-3", None, received=datetime(2026, 11, 6, tzinfo=UTC))
PARTIES = [a_party("p-alex", "alex", Role.COMPLAINANT, report_id="r-1"),
           a_party("p-dean", "dean", Role.ALLEGED_PERPETRATOR, report_id="r-1"),
           a_party("p-sam", "sam", Role.WITNESS),
           a_party("p-pc", "pc", Role.PROFESSIONAL)]
PERSONS = {"alex": a_person("alex", "Alex Morgan", email="alex.m@example.org"),
           "dean": a_person("dean", "Dean Morgan", address="14 Orchard Close, Yeovil"),
           "sam": a_person("sam", "Sam Lee", phone="07700 900999"),
           "pc": a_person("pc", "PC Harriet Vane")}
HEARING = Hearing(hearing_id="h-1", at=datetime(2026, 12, 9, 10, tzinfo=UTC),
                  court="Yeovil County Court", purpose="first")
INJUNCTION = Measure(
    record_id="m-1", at=NOW, measure="civil_injunction", name="Civil injunction", legal=True,
    rationale="Warnings failed.", status="applied", approval="approved", by="o.hughes",
    recorded_at=NOW, party_id="p-dean", hearings=[HEARING],
    breaches=[Breach(breach_id="b-2", on=date(2026, 11, 28), what="Shouted at Alex Morgan.",
                     by="o.hughes", at=NOW)])
WARNING = Measure(
    record_id="m-2", at=NOW, measure="final_written_warning", name="Final written warning",
    legal=False, rationale="Music after a first warning; Jo Pike kept a diary.",
    status="applied", approval="not needed", by="r.patel", recorded_at=datetime(
        2026, 11, 10, tzinfo=UTC),
    letters=[WarningLetter(letter_id="l-1", kind="final", issued_on=date(2026, 11, 10),
                           channel="letter", delivery="posted", by="r.patel",
                           what_happened="Music at 2am; Alex Morgan was woken.",
                           happened_on=[date(2026, 11, 7), date(2026, 11, 8)],
                           must_stop=["Loud music after 11pm", "Calling Alex"])])
ABA = Measure(
    record_id="m-3", at=NOW, measure="acceptable_behaviour_agreement", name="ABA", legal=False,
    rationale="Early intervention.", status="applied", approval="not needed", by="o.hughes",
    recorded_at=NOW, agreement=Agreement(
        terms=["Not to contact Alex Morgan"], signatories=["Dean Morgan", "o.hughes"],
        starts_on=date(2026, 11, 3), review_on=date(2026, 12, 3),
        breaches=[Breach(breach_id="b-1", on=date(2026, 11, 20), what="Called 07700900123.",
                         by="o.hughes", at=NOW)]),
    interview=Interview(held_on=date(2026, 11, 2), attended=["Dean Morgan", "Sam Lee (friend)"],
                        account="Says Alex exaggerates.", next_steps="Sign an ABA."))


def a_folder() -> CaseFolder:
    case = Case(reference=REFERENCE, status=CaseStatus.OPEN, opened_at=NOW, updated_at=NOW,
                anonymous=False, behaviours=["noise"], hate_incident=False,
                location_address="12 Orchard Close", category="B", officer="o.hughes",
                team="yeovil")
    evidence = {
        "e-photo": Evidence(record_id="e-photo", at=NOW, kind="image", report_id="r-2",
                            status="checked", content_type="image/jpeg", size=2048,
                            object_key="evidence/photo", checked_at=datetime(
                                2026, 11, 6, tzinfo=UTC)),
        "e-waiting": Evidence(record_id="e-waiting", at=NOW, kind="audio", report_id="r-1",
                              status="awaiting upload", incoming_key="incoming/x")}
    diary = {"d-1": DiaryEntry(record_id="d-1", at=datetime(2026, 11, 4, tzinfo=UTC),
                               text="Alex (alex.m@example.org) and Sam Lee heard it; "
                                    "PC Harriet Vane attended.", by="o.hughes")}
    contacts = {"c-1": Contact(record_id="c-1", at=datetime(2026, 11, 4, tzinfo=UTC),
                               channel="phone", with_whom="witness",
                               summary="Sam said Dean Morgan was outside number 12.",
                               by="o.hughes")}
    return CaseFolder(case, [ALEX, JO, ANONYMOUS],
                      measures={m.record_id: m for m in (INJUNCTION, WARNING, ABA)},
                      evidence=evidence, diary_entries=diary, contacts=contacts,
                      parties={p.party_id: p for p in PARTIES})


def redacted(text: str) -> str:
    folder = a_folder()
    return redaction(folder, PERSONS, folder.parties["p-dean"]).redact(text)


def test_each_third_party_has_one_label_for_every_detail_and_the_respondent_keeps_his_name(
        ) -> None:
    assert redacted(
        "Alex Morgan saw Dean Morgan from 12 Orchard Close (BA20 1AB): ring 07700-900-123 "
        "or 07700900123, alex@example.org or alex.m@example.org. Alex and Jo Pike, then Sam "
        "Lee (07700 900999).") == (
        "[Resident A] saw Dean Morgan from [Resident A's address] ([Resident A's address]): "
        "ring [Resident A's phone] or [Resident A's phone], [Resident A's email] or "
        "[Resident A's email]. [Resident A] and [Resident B], then [Witness A] "
        "([Witness A's phone]).")


def test_the_respondents_own_words_a_town_staff_and_professionals_stay() -> None:
    # "Morgan" is the respondent's surname too; "Yeovil" a town, the court's name; a part of a
    # longer word is not a name.
    assert redacted("Morgan family, Yeovil County Court, o.hughes, PC Harriet Vane, "
                    "Alexandra Park, Jolly Lane") == (
        "Morgan family, Yeovil County Court, o.hughes, PC Harriet Vane, Alexandra Park, "
        "Jolly Lane")
    assert redacted("14 Orchard Close") == "14 Orchard Close"  # the respondent's address


def test_another_alleged_perpetrator_is_a_third_party_even_as_a_report_named_him() -> None:
    folder = a_folder()
    kyle = a_report("r-4", "Pat Quinn", received=datetime(2026, 11, 7, tzinfo=UTC),
                    perpetrator="Kyle Brent")
    other = a_party("p-kyle", "kyle", Role.ALLEGED_PERPETRATOR)
    folder = CaseFolder(folder.case, [*folder.reports, kyle], parties={
        **folder.parties, "p-kyle": other})
    persons = {**PERSONS, "kyle": a_person("kyle", "Kyle Brent")}
    done = redaction(folder, persons, folder.parties["p-dean"])
    assert done.redact("Kyle Brent and Kyle, with Dean Morgan") == (
        "[Resident D] and [Resident D], with Dean Morgan")


def test_labels_follow_the_order_people_came_into_the_case_and_an_anonymous_reporter_has_none(
        ) -> None:
    folder = a_folder()
    done = redaction(folder, PERSONS, folder.parties["p-dean"])
    assert [p.label for p in done.redact.third_parties] == [
        "Resident A", "Resident B", "Witness A"]
    assert done.by_report == {"r-1": "Resident A", "r-2": "Resident B"}
    assert done.respondent == "Dean Morgan"
    # No party named: the reports' name for the one they are about, only while the case has
    # no alleged perpetrator's party who may be someone else.
    assert redaction(folder, PERSONS, None).respondent == "Not named"
    alone = CaseFolder(folder.case, folder.reports)
    assert redaction(alone, {}, None).respondent == "Dean Morgan"


def test_a_reporters_supporter_has_a_label_of_their_own() -> None:
    data = json.loads(sample_event("intake-valid-json")["body"])
    data["incident"].update(first_occurred="2026-10-01", last_occurred="2026-10-30T23:00:00Z")
    data["reporter"].update(name="Pat Quinn", email="pat@example.org", phone=None, supporter={
        "name": "Mary Quinn", "email": "mary.quinn@example.org", "phone": "07700 900555",
        "relationship": "daughter", "reporter_agrees": True})
    received = datetime(2026, 11, 7, tzinfo=UTC)
    report = new_report(parse_submission(data, received), REFERENCE, "api", received, "r-4")
    folder = a_folder()
    folder = CaseFolder(folder.case, [*folder.reports, report], parties=folder.parties)
    done = redaction(folder, PERSONS, folder.parties["p-dean"])
    assert done.redact("Mary Quinn (mary.quinn@example.org, 07700-900-555) rang for Pat; "
                       "Mary said Dean Morgan shouted.") == (
        "[Supporter A] ([Supporter A's email], [Supporter A's phone]) rang for [Resident C]; "
        "[Supporter A] said Dean Morgan shouted.")
    assert done.by_report["r-4"] == "Resident C"


def test_every_party_an_officer_added_is_labelled_but_a_professional_in_their_role() -> None:
    folder = a_folder()
    added = [a_party("p-kim", "kim", Role.HOUSEHOLD_MEMBER),
             a_party("p-lou", "lou", Role.WITNESS, Role.VICTIM),
             a_party("p-nurse", "nurse", Role.PROFESSIONAL)]
    folder = CaseFolder(folder.case, folder.reports, parties={
        **folder.parties, **{p.party_id: p for p in added}})
    persons = {**PERSONS,
               "kim": a_person("kim", "Kim Dale", email="kim@example.org", postcode="BA21 4ZZ"),
               "lou": a_person("lou", "Lou Brand", address="3 Mill Lane, Yeovil"),
               "nurse": a_person("nurse", "Nurse Ada Jones")}
    done = redaction(folder, persons, folder.parties["p-dean"])
    assert done.redact("Kim Dale (kim@example.org, BA21 4ZZ) and Lou Brand of 3 Mill Lane "
                       "told Nurse Ada Jones.") == (
        "[Resident C] ([Resident C's email], [Resident C's address]) and [Witness B] of "
        "[Witness B's address] told Nurse Ada Jones.")


@pytest.mark.parametrize(("username", "prefix"), [
    ("o.hughes", "OH"), ("m.jones-smith", "MJS"), ("kate", "K"), ("1234", "EX")])
def test_exhibits_are_numbered_under_the_officers_initials(username: str, prefix: str) -> None:
    assert exhibit_prefix(username) == prefix


def bundle(*items: tuple[str, str], hearing_id: str = "h-1", measure_id: str = "m-1") -> Any:
    folder = a_folder()
    body = BundleIn(hearing_id=hearing_id, items=[{"kind": k, "id": i} for k, i in items])
    return court_bundle(folder, measure_id, body,
                        redaction(folder, PERSONS, folder.parties["p-dean"]), "o.hughes", NOW)


def test_exhibits_run_in_date_order_each_with_what_it_is_its_date_and_source() -> None:
    made = bundle(("breach", "b-2"), ("evidence", "e-photo"), ("warning", "m-2"),
                  ("agreement", "m-3"), ("interview", "m-3"), ("diary_entry", "d-1"),
                  ("contact", "c-1"), ("breach", "b-1"), ("warning", "l-1"))
    assert [(e.number, e.kind, e.item_id, e.on) for e in made.exhibits] == [
        ("OH/1", "interview", "m-3", date(2026, 11, 2)),
        ("OH/2", "agreement", "m-3", date(2026, 11, 3)),
        ("OH/3", "diary_entry", "d-1", date(2026, 11, 4)),
        ("OH/4", "contact", "c-1", date(2026, 11, 4)),  # the same day: the officer's order
        ("OH/5", "evidence", "e-photo", date(2026, 11, 6)),
        ("OH/6", "warning", "m-2", date(2026, 11, 10)),
        ("OH/7", "warning", "l-1", date(2026, 11, 10)),
        ("OH/8", "breach", "b-1", date(2026, 11, 20)),
        ("OH/9", "breach", "b-2", date(2026, 11, 28))]
    shown = {e.number: e for e in made.exhibits}
    assert shown["OH/5"].what == "A photo sent by [Resident B]"
    assert shown["OH/5"].file is not None and shown["OH/5"].file.drawn
    assert shown["OH/8"].what == "Breach of the Acceptable Behaviour Agreement"
    assert shown["OH/9"].what == "Breach of the Civil injunction"
    assert shown["OH/6"].source == "r.patel"
    assert shown["OH/7"].lines == (
        ("Letter", "Final warning letter issued Tuesday 10 November 2026 by letter"),
        ("What happened", "Music at 2am; [Resident A] was woken."),
        ("On", "Saturday 7 November 2026, Sunday 8 November 2026"),
        ("What must stop", "Loud music after 11pm; Calling [Resident A]"))
    assert shown["OH/6"].lines[2:] == shown["OH/7"].lines  # the warning, with its letter
    text = json.dumps([e.lines for e in made.exhibits])
    for third_party in ("Alex", "Jo Pike", "Sam Lee", "900123", "alex.m@"):
        assert third_party not in text
    assert "Dean Morgan" in text and "PC Harriet Vane" in text
    assert made.respondent == "Dean Morgan" and made.hearing == HEARING
    assert made.listed()[0] == {"exhibit": "OH/1", "kind": "interview", "id": "m-3"}


def test_an_item_not_on_the_case_an_unchecked_file_or_a_second_choice_is_named() -> None:
    with pytest.raises(InvalidChange) as refused:
        bundle(("evidence", "e-waiting"), ("contact", "d-1"), ("diary_entry", "d-1"),
               ("diary_entry", "d-1"), ("interview", "m-1"), ("warning", "m-1"))
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("items.0.id", "This file is not checked (awaiting upload): only a checked file can be "
                       "an exhibit"),
        ("items.1.id", "No contact with this id on this case"),
        ("items.3.id", "This item is in the bundle already"),
        ("items.4.id", "No interview with this id on this case"),
        ("items.5.id", "No warning or warning letter with this id on this case")]


def test_a_hearing_must_be_the_measures_and_the_measure_the_cases() -> None:
    with pytest.raises(InvalidChange) as refused:
        bundle(("diary_entry", "d-1"), measure_id="m-2")  # the warning has no hearing
    assert [e.field for e in refused.value.errors] == ["hearing_id"]
    with pytest.raises(UnknownRecord):
        bundle(("diary_entry", "d-1"), measure_id="m-9")
