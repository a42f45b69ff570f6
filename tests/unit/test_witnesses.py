"""Witnesses (issue 23, item 2), on in-memory folders: a statement needs its day (refused
otherwise, naming made_on), its words or a checked file, a signed one its day signed; only a
witness, complainant or victim gives one; each witness keeps a contact schedule of their own on
the DueWork index, moved on by a contact with them (or their statement taken), set by the
officer's own gap, ended when they are unlinked or the case closes, restarted on reopening."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from asb.case.change import CaseChange, CaseFolder, Record
from asb.case.models import Case, CaseStatus
from asb.case.parties import Party, PartyStatus, Person, Role
from asb.case.records import Evidence, WitnessNeeds, WitnessStatement
from asb.case.retention import ERASED, StoredCase, StoredRecord, erase_plan
from asb.case.targets import end_of_day
from asb.case.tasks import DUE_KINDS, DUE_TITLES, WITNESS_CONTACT, DueTask, is_overdue
from asb.case.witnesses import schedule_id, witnesses
from asb.casework.commands import assign, close, record_contact, reopen
from asb.casework.models import AssignmentIn, ClosureIn, ContactIn, JoinIn, ReopenIn
from asb.casework.regrouping import join_cases, splittable
from asb.data_protection.requests import WITHHELD, release, released_export
from asb.data_protection.rights import ErasureIn, erase
from asb.data_protection.subject_access import party_section
from asb.due_work.digest import digests
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.people.models import MergerIn, PartyIn, PersonIn, UnlinkingIn
from asb.people.parties import add_party, merge_persons, unlink_party
from asb.people.witness_models import SignatureIn, StatementIn, WitnessNeedsIn
from asb.people.witnesses import record_needs, record_statement, sign_statement
from asb.policy.config import WITNESS_CONTACT_EVERY_WORKING_DAYS
from asb.policy.working_days import add_working_days
from tests.unit.test_court_bundle import a_folder as bundle_folder
from tests.unit.test_court_bundle import a_report as bundle_report
from tests.unit.test_regrouping import _folder as regrouping_folder
from tests.unit.test_subject_access_requests import CASES, DPO, NOON, received, reviewed

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # a Wednesday
TODAY = date(2026, 12, 2)
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")
WITNESS, COMPLAINANT, PERPETRATOR = "party-witness", "party-complainant", "party-perpetrator"
CHECKED, WAITING = "evidence-checked", "evidence-waiting"


def new_ids() -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"id-{next(counter)}"


def a_party(party_id: str, *roles: Role, **more: Any) -> Party:
    return Party(party_id=party_id, case_reference="ASB-2026-000001", person_id=f"p-{party_id}",
                 roles=roles, status=PartyStatus.CONFIRMED, added_at=NOW,
                 added_by="staff:o.hughes", **more)


def a_file(record_id: str, status: str) -> Evidence:
    return Evidence(record_id=record_id, at=NOW, kind="audio", report_id="r-1", status=status,
                    **({"object_key": f"evidence/{record_id}", "content_type": "audio/mpeg",
                        "size": 2048} if status == "checked" else {}))


def schedule(party_id: str, on: date) -> dict[str, Any]:
    return {"party_id": party_id, "slot": "witness-contact", "kind": WITNESS_CONTACT,
            "status": "open", "due_kind": WITNESS_CONTACT, "due_at": end_of_day(on).isoformat(),
            "on": on.isoformat(), "title": DUE_TITLES[WITNESS_CONTACT], "team": "yeovil",
            "officer": "o.hughes"}


def a_folder(status: CaseStatus = CaseStatus.OPEN, **more: Any) -> CaseFolder:
    case = Case(reference="ASB-2026-000001", status=status, opened_at=NOW, updated_at=NOW,
                version=3, anonymous=False, behaviours=["noise"], hate_incident=False,
                location_address="12 Orchard Close, Yeovil", team="yeovil", officer="o.hughes")
    parties = [a_party(WITNESS, Role.WITNESS), a_party(COMPLAINANT, Role.COMPLAINANT),
               a_party(PERPETRATOR, Role.ALLEGED_PERPETRATOR)]
    return CaseFolder(case, [], parties={p.party_id: p for p in parties},
                      evidence={CHECKED: a_file(CHECKED, "checked"),
                                WAITING: a_file(WAITING, "awaiting upload")},
                      deadlines={schedule_id(WITNESS): schedule(WITNESS, date(2026, 12, 10))},
                      **more)


def statement(**given: Any) -> StatementIn:
    return StatementIn.model_validate({"made_on": "2026-12-01",
                                       "text": "I saw him kick the door of number 14.", **given})


def deadlines(change: CaseChange) -> dict[str, Record]:
    return {r.record_id: r for r in change.records if r.entity == "Deadline"}


def field_of(error: InvalidChange) -> list[str]:
    return [e.field for e in error.errors]


# ------------------------------------------------------------------ statements

def test_a_statement_without_its_day_is_refused_naming_made_on() -> None:
    with pytest.raises(ValidationError) as refused:
        StatementIn.model_validate({"text": "I saw him kick the door of number 14."})
    assert [e["loc"] for e in refused.value.errors()] == [("made_on",)]


def test_a_statement_is_kept_with_its_day_words_and_who_took_it() -> None:
    change = record_statement(a_folder(), WITNESS, statement(willing_to_attend_court=True),
                              OFFICER, NOW, new_ids())
    (kept,) = [r for r in change.records if r.entity == "WitnessStatement"]
    assert not kept.replace and kept.record_id == "id-1"  # new: written on condition
    assert kept.data == {"record_id": "id-1", "at": NOW.isoformat(), "party_id": WITNESS,
                         "made_on": "2026-12-01", "text": "I saw him kick the door of number 14.",
                         "signed": False, "taken_by": "o.hughes",
                         "willing_to_attend_court": True, "by": "o.hughes"}
    assert change.audit.action == "WitnessStatementRecorded"
    assert "kick" not in str(change.audit.after)
    assert change.case.version == 4


def test_taking_a_statement_moves_the_witnesss_contact_schedule_on() -> None:
    change = record_statement(a_folder(), WITNESS, statement(), OFFICER, NOW, new_ids())
    moved = deadlines(change)[schedule_id(WITNESS)]
    due = add_working_days(TODAY, WITNESS_CONTACT_EVERY_WORKING_DAYS)
    assert moved.data["on"] == due.isoformat() and moved.data["due_kind"] == WITNESS_CONTACT
    assert moved.data["due_at"] == end_of_day(due).isoformat()


def test_a_complainants_own_account_is_a_witness_statement_with_no_schedule_of_its_own() -> None:
    change = record_statement(a_folder(), COMPLAINANT, statement(), OFFICER, NOW, new_ids())
    assert [r.entity for r in change.records] == ["WitnessStatement"]


def test_an_alleged_perpetrator_gives_no_witness_statement() -> None:
    with pytest.raises(RuleBroken, match="witness"):
        record_statement(a_folder(), PERPETRATOR, statement(), OFFICER, NOW, new_ids())


def test_a_statement_of_a_party_not_on_the_case_is_not_found() -> None:
    with pytest.raises(UnknownRecord):
        record_statement(a_folder(), "nobody", statement(), OFFICER, NOW, new_ids())


def test_an_unlinked_witness_gives_no_statement() -> None:
    folder = a_folder()
    gone = unlink_party(folder, WITNESS, UnlinkingIn(reason="Saw nothing after all, she says."),
                        OFFICER, NOW, new_ids()).parties[0].party
    unlinked = CaseFolder(folder.case, [], parties={**folder.parties, WITNESS: gone})
    with pytest.raises(RuleBroken, match="unlinked"):
        record_statement(unlinked, WITNESS, statement(), OFFICER, NOW, new_ids())


@pytest.mark.parametrize(("given", "field"), [
    ({"made_on": "2026-12-03"}, "made_on"),  # tomorrow
    ({"text": None}, "text"),
    ({"evidence_id": CHECKED}, "evidence_id"),  # words and a file: one of them
    ({"text": None, "evidence_id": WAITING}, "evidence_id"),
    ({"text": None, "evidence_id": "no-such-file"}, "evidence_id"),
    ({"signed": True}, "signed_on"),
    ({"signed": True, "signed_on": "2026-11-30"}, "signed_on"),  # before it was made
    ({"signed": True, "signed_on": "2026-12-03"}, "signed_on"),
    ({"signed_on": "2026-12-01"}, "signed_on"),  # not signed
])
def test_a_statement_that_cannot_be_right_is_refused_naming_its_field(
        given: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidChange) as refused:
        record_statement(a_folder(), WITNESS, statement(**given), OFFICER, NOW, new_ids())
    assert field_of(refused.value) == [field]


def test_a_statement_may_be_a_checked_file_on_the_case() -> None:
    change = record_statement(a_folder(), WITNESS, statement(text=None, evidence_id=CHECKED,
                                                             signed=True, signed_on="2026-12-02"),
                              OFFICER, NOW, new_ids())
    data = change.records[0].data
    assert data["evidence_id"] == CHECKED and "text" not in data
    assert data["signed"] is True and data["signed_on"] == "2026-12-02"


def test_a_statement_is_not_taken_on_a_closed_case() -> None:
    with pytest.raises(RuleBroken, match="closed"):
        record_statement(a_folder(CaseStatus.CLOSED), WITNESS, statement(), OFFICER, NOW,
                         new_ids())


def kept_statement(**more: Any) -> WitnessStatement:
    return WitnessStatement(**{
        "record_id": "s-1", "at": NOW - timedelta(days=1), "party_id": WITNESS,
        "made_on": date(2026, 12, 1), "text": "I saw him kick the door.", "signed": False,
        "taken_by": "o.hughes", "by": "o.hughes", **more})


def test_a_statement_taken_unsigned_is_signed_later() -> None:
    folder = a_folder(witness_statements={"s-1": kept_statement()})
    change = sign_statement(folder, WITNESS, "s-1", SignatureIn(signed_on=TODAY), OFFICER, NOW,
                            new_ids())
    (signed,) = change.records
    assert signed.replace and signed.data["signed"] is True
    assert signed.data["signed_on"] == "2026-12-02" and signed.data["text"] == \
        "I saw him kick the door."
    with pytest.raises(RuleBroken, match="signed already"):
        sign_statement(a_folder(witness_statements={"s-1": kept_statement(
            signed=True, signed_on=TODAY)}), WITNESS, "s-1", SignatureIn(signed_on=TODAY),
            OFFICER, NOW, new_ids())
    with pytest.raises(InvalidChange) as refused:
        sign_statement(folder, WITNESS, "s-1", SignatureIn(signed_on=date(2026, 11, 1)),
                       OFFICER, NOW, new_ids())
    assert field_of(refused.value) == ["signed_on"]
    with pytest.raises(UnknownRecord):
        sign_statement(folder, COMPLAINANT, "s-1", SignatureIn(signed_on=TODAY), OFFICER, NOW,
                       new_ids())


# ------------------------------------------------------------------ needs and the schedule

def test_a_witnesss_needs_are_kept_and_their_own_gap_sets_their_next_contact() -> None:
    body = WitnessNeedsIn.model_validate({
        "support": ["interpreter", "pre_court_visit", "interpreter"],
        "special_measures": ["screens", "live_link"], "notes": "Works nights: call after 2pm.",
        "contact_every_working_days": 5})
    change = record_needs(a_folder(), WITNESS, body, OFFICER, NOW, new_ids())
    needs = next(r for r in change.records if r.entity == "WitnessNeeds")
    assert needs.record_id == WITNESS and needs.replace
    assert needs.data["support"] == ["interpreter", "pre_court_visit"]
    assert needs.data["special_measures"] == ["screens", "live_link"]
    assert deadlines(change)[schedule_id(WITNESS)].data["on"] == \
        add_working_days(TODAY, 5).isoformat()
    assert change.audit.after == {"party_id": WITNESS, "support": 2, "special_measures": 2,
                                  "contact_every_working_days": 5}


def test_needs_from_outside_the_policys_lists_are_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        WitnessNeedsIn.model_validate({"special_measures": ["a_big_screen"]})
    assert refused.value.errors()[0]["loc"] == ("special_measures", 0)
    with pytest.raises(ValidationError):
        WitnessNeedsIn.model_validate({"contact_every_working_days": 0})


def test_a_witness_added_to_the_case_keeps_a_contact_schedule_from_that_day() -> None:
    body = PartyIn(roles=[Role.WITNESS], person=PersonIn(name="Jo Witness"))
    change = add_party(a_folder(), None, body, OFFICER, NOW, new_ids())
    party_id = change.parties[0].party.party_id
    started = deadlines(change)[schedule_id(party_id)]
    assert started.data["due_kind"] == WITNESS_CONTACT and started.data["officer"] == "o.hughes"
    assert started.data["on"] == add_working_days(TODAY, WITNESS_CONTACT_EVERY_WORKING_DAYS
                                                  ).isoformat()
    complainant = add_party(a_folder(), None, PartyIn(roles=[Role.COMPLAINANT, Role.WITNESS],
                                                      person=PersonIn(name="Al Resident")),
                            OFFICER, NOW, new_ids())
    assert deadlines(complainant) == {}


def test_unlinking_a_witness_ends_their_schedule() -> None:
    change = unlink_party(a_folder(), WITNESS,
                          UnlinkingIn(reason="Moved away and will not give evidence."),
                          OFFICER, NOW, new_ids())
    ended = deadlines(change)[schedule_id(WITNESS)].data
    assert ended["status"] == "done" and "due_kind" not in ended and "due_at" not in ended
    assert ended["outcome"] == "party unlinked"


def test_a_contact_naming_the_witness_moves_their_schedule_on() -> None:
    body = ContactIn(channel="phone", with_whom="witness", party_id=WITNESS,
                     summary="Checked she is still willing to give evidence.")
    change = record_contact(a_folder(), body, OFFICER, NOW, new_ids())
    contact = next(r for r in change.records if r.entity == "Contact")
    assert contact.data["party_id"] == WITNESS
    assert deadlines(change)[schedule_id(WITNESS)].data["on"] == \
        add_working_days(TODAY, WITNESS_CONTACT_EVERY_WORKING_DAYS).isoformat()
    assert change.tasks == []  # not the customer's update
    assert change.audit.after is not None and change.audit.after["party_id"] == WITNESS


def test_a_contact_without_a_party_is_as_it_was() -> None:
    body = ContactIn(channel="phone", with_whom="witness", summary="Left a message.")
    change = record_contact(a_folder(), body, OFFICER, NOW, new_ids())
    assert [r.entity for r in change.records] == ["Contact"]
    assert "party_id" not in change.records[0].data


@pytest.mark.parametrize("party_id", [PERPETRATOR, "nobody"])
def test_a_contact_with_a_witness_names_a_witness_of_the_case(party_id: str) -> None:
    body = ContactIn(channel="phone", with_whom="witness", party_id=party_id,
                     summary="Called about the hearing.")
    with pytest.raises(InvalidChange) as refused:
        record_contact(a_folder(), body, OFFICER, NOW, new_ids())
    assert field_of(refused.value) == ["party_id"]


def test_closing_the_case_ends_the_schedule_and_reopening_starts_it_again() -> None:
    closed = close(a_folder(), ClosureIn(outcome="resolved", reasons="No reports for six "
                                         "weeks after the warning."), OFFICER, NOW, new_ids())
    ended = deadlines(closed)[schedule_id(WITNESS)].data
    assert ended["status"] == "done" and "due_kind" not in ended
    shut = CaseFolder(closed.case, [], parties=a_folder().parties)
    later = NOW + timedelta(days=7)
    opened = reopen(shut, ReopenIn(reason="It started again last night."), OFFICER, later,
                    new_ids())
    again = deadlines(opened)[schedule_id(WITNESS)].data
    assert again["due_kind"] == WITNESS_CONTACT
    assert again["on"] == add_working_days(later.date(), WITNESS_CONTACT_EVERY_WORKING_DAYS
                                           ).isoformat()


def test_witness_contact_is_due_work_late_only_after_its_day() -> None:
    assert WITNESS_CONTACT in DUE_KINDS
    due = DueTask("ASB-2026-000001", WITNESS_CONTACT, end_of_day(TODAY))
    assert not is_overdue(due, NOW)
    assert is_overdue(due, NOW + timedelta(days=1))


def test_the_case_view_shows_each_witness_with_statements_needs_and_next_contact() -> None:
    needs = WitnessNeeds(record_id=WITNESS, at=NOW, party_id=WITNESS, support=["travel"],
                         special_measures=["screens"], by="o.hughes")
    folder = a_folder(witness_statements={"s-1": kept_statement()},
                      witness_needs={WITNESS: needs})
    shown = witnesses(folder, NOW)
    assert [w["party_id"] for w in shown] == [WITNESS]  # the complainant has none recorded
    (witness,) = shown
    assert witness["statements"][0]["record_id"] == "s-1"
    assert witness["needs"]["special_measures"] == ["screens"]
    assert witness["next_contact_due"] == "2026-12-10" and witness["contact_overdue"] is False
    assert witness["contact_every_working_days"] == WITNESS_CONTACT_EVERY_WORKING_DAYS
    assert witnesses(folder, end_of_day(date(2026, 12, 10)) + timedelta(minutes=1)
                     )[0]["contact_overdue"] is True


# ------------------------------------------------------------------ retention and subject access

def test_retention_erases_a_statements_words_and_the_notes_on_needs() -> None:
    case = a_folder().case.model_copy(update={"status": CaseStatus.CLOSED, "closed_at": NOW})
    stored = StoredCase(case, (), (
        StoredRecord("STATEMENT#s-1", "WitnessStatement",
                     frozenset({"text", "made_on", "party_id", "signed"})),
        StoredRecord("STATEMENT#s-2", "WitnessStatement",
                     frozenset({"evidence_id", "made_on", "party_id", "signed"})),
        StoredRecord(f"WITNESS#{WITNESS}", "WitnessNeeds",
                     frozenset({"notes", "support", "special_measures"}))))
    plan = erase_plan(stored, NOW + timedelta(days=7 * 365), "audit-1")
    erased = {i.sort_key: dict(i.overwrite) for i in plan.items}
    assert erased["STATEMENT#s-1"] == {"text": ERASED}
    assert "STATEMENT#s-2" not in erased  # a file goes with the case's other files
    assert erased[f"WITNESS#{WITNESS}"] == {"notes": ERASED}


def test_subject_access_gives_a_witness_their_own_statements_and_needs_only() -> None:
    sams = WitnessStatement(record_id="s-1", at=NOW, party_id="p-sam", made_on=date(2026, 11, 3),
                            text="Dean Morgan shouted at Alex Morgan; I was at my window.",
                            signed=True, signed_on=date(2026, 11, 3), taken_by="o.hughes",
                            by="o.hughes", willing_to_attend_court=True)
    alexs = WitnessStatement(record_id="s-2", at=NOW, party_id="p-alex",
                             made_on=date(2026, 11, 4), text="Alex's own account.",
                             signed=False, taken_by="o.hughes", by="o.hughes")
    folder = replace(bundle_folder(), witness_statements={"s-1": sams, "s-2": alexs},
                     witness_needs={"p-sam": WitnessNeeds(
                         record_id="p-sam", at=NOW, party_id="p-sam", support=["interpreter"],
                         special_measures=["screens"], by="o.hughes")})
    section = party_section(folder.parties["p-sam"], folder)
    (given,) = section["your_witness_statements"]
    assert given["made_on"] == "2026-11-03" and given["signed"] is True
    assert "Alex" not in given["what_you_said"] and "Dean" not in given["what_you_said"]
    assert "I was at my window." in given["what_you_said"]
    assert section["your_needs_as_a_witness"]["special_measures"] == [
        "Screens, so they need not see the respondent (YJCEA 1999 s23)"]
    assert "your_witness_statements" not in party_section(folder.parties["p-dean"], folder)


def test_a_released_export_gives_a_statements_words_only_where_the_dpo_released_them() -> None:
    def place(reference: str) -> dict[str, Any]:
        return {"case_reference": reference, "your_roles": ["witness"],
                "your_witness_statements": [{"made_on": "2026-01-05", "signed": True,
                                             "what_you_said": "I saw Casey at number 12."}]}

    checked = reviewed(received(), {CASES[0]: "release", CASES[1]: "redact"})
    done = release(checked, CASES, DPO, NOON).request
    document = released_export(done, {"request": {"produced_at": NOON.isoformat()}, "cases": [],
                                      "your_places_in_cases": [place(CASES[0]), place(CASES[1]),
                                                               place("ASB-2026-000009")]})
    kept, redacted, not_reviewed = document["your_places_in_cases"]
    assert kept == place(CASES[0])
    for withheld in (redacted, not_reviewed):
        (statement,) = withheld["your_witness_statements"]
        assert statement == {"made_on": "2026-01-05", "signed": True, "what_you_said": WITHHELD}


def test_a_places_needs_notes_and_meetings_go_only_where_the_dpo_released_them() -> None:
    place = {"case_reference": CASES[1], "your_roles": ["witness"],
             "your_needs_as_a_witness": {"support": [], "special_measures": [],
                                         "notes": "Afraid of Casey at number 12."},
             "meetings_that_name_you": [{"held_on": "2026-01-05", "minutes": "Casey shouted.",
                                         "actions": [{"what": "Tell Casey", "note": None}]}]}
    checked = reviewed(received(), {CASES[0]: "release", CASES[1]: "redact"})
    done = release(checked, CASES, DPO, NOON).request
    document = released_export(done, {"request": {"produced_at": NOON.isoformat()}, "cases": [],
                                      "your_places_in_cases": [place]})
    (given,) = document["your_places_in_cases"]
    assert given["your_needs_as_a_witness"]["notes"] == WITHHELD
    (meeting,) = given["meetings_that_name_you"]
    assert meeting["minutes"] == WITHHELD and meeting["actions"] == [
        {"what": WITHHELD, "note": None}]


def test_reports_of_others_and_other_parties_are_taken_out_of_a_witnesss_needs() -> None:
    folder = replace(bundle_folder(), witness_needs={"p-sam": WitnessNeeds(
        record_id="p-sam", at=NOW, party_id="p-sam", support=[], special_measures=[],
        notes="Afraid of Dean Morgan; Jo Whitlock will come with them.", by="o.hughes")})
    section = party_section(folder.parties["p-sam"], folder, ["Sam"], ["Jo", "Whitlock"])
    notes = section["your_needs_as_a_witness"]["notes"]
    assert "Dean" not in notes and "Whitlock" not in notes and "Afraid of" in notes


# ------------------------------------------------------------------ split and join

def other_case(**more: Any) -> CaseFolder:
    folder = a_folder(**more)
    case = folder.case.model_copy(update={"reference": "ASB-2026-000002"})
    parties = {k: p.model_copy(update={"case_reference": case.reference})
               for k, p in folder.parties.items()}
    return replace(folder, case=case, parties=parties)


def test_a_joined_cases_witness_keeps_a_schedule_on_the_case_it_joins() -> None:
    first = replace(a_folder(), deadlines={}, parties={})
    joined = join_cases(first, other_case(), JoinIn(
        case_reference="ASB-2026-000002", case_version=3,
        reason="The same neighbours, reported twice."), OFFICER, NOW, new_ids())
    ended, grew = joined.changes
    assert deadlines(ended)[schedule_id(WITNESS)].data["status"] == "done"
    started = deadlines(grew)[schedule_id(WITNESS)].data
    assert started["due_kind"] == WITNESS_CONTACT and grew.case.reference == "ASB-2026-000001"


def test_a_case_whose_witness_gave_a_statement_is_not_joined_into_another() -> None:
    with pytest.raises(RuleBroken, match="witness statements"):
        join_cases(a_folder(), other_case(witness_statements={"s-1": kept_statement()}),
                   JoinIn(case_reference="ASB-2026-000002", case_version=3,
                          reason="The same neighbours, reported twice."), OFFICER, NOW,
                   new_ids())


def test_a_report_whose_reporter_gave_a_statement_is_not_split_out() -> None:
    folder = regrouping_folder()
    first = a_party("party-first", Role.COMPLAINANT, report_id="report-1")
    second = a_party(COMPLAINANT, Role.COMPLAINANT, report_id="report-2")
    folder = replace(folder, parties={first.party_id: first, second.party_id: second})
    assert splittable(folder, "report-2").report_id == "report-2"
    with pytest.raises(RuleBroken, match="witness statement"):
        splittable(replace(folder, witness_statements={
            "s-1": kept_statement(party_id=COMPLAINANT)}), "report-2")


def test_the_dpos_erasure_of_a_report_takes_its_reporters_statement_words_with_it() -> None:
    report_id = "0f0e0d0c-0b0a-4999-8888-777766665555"
    folder = bundle_folder()
    closed = folder.case.model_copy(update={"status": CaseStatus.CLOSED, "closed_at": NOW})
    alex = folder.parties["p-alex"].model_copy(update={"report_id": report_id})
    needs = WitnessNeeds(record_id="p-alex", at=NOW, party_id="p-alex", support=["travel"],
                         notes="Alex works nights.", by="o.hughes")
    folder = replace(folder, case=closed, reports=[bundle_report(report_id, "Alex Morgan")],
                     parties={**folder.parties, "p-alex": alex},
                     witness_statements={"s-1": kept_statement(party_id="p-alex"),
                                         "s-2": kept_statement(record_id="s-2")},
                     witness_needs={"p-alex": needs})
    change = erase(folder, ErasureIn(report_id=report_id, reason="She asked us to erase it."),
                   DPO, NOW, new_ids())
    erased = {r.record_id: r.data for r in change.records}
    assert set(erased) == {"s-1", "p-alex"}  # the witness's own statement stays
    assert erased["s-1"]["text"] == ERASED and erased["s-1"]["made_on"] == "2026-12-01"
    assert erased["p-alex"]["notes"] == ERASED and erased["p-alex"]["support"] == ["travel"]


def test_a_witnesss_contact_is_in_the_officers_digest_under_its_title() -> None:
    due = DueTask("ASB-2026-000001", WITNESS_CONTACT, end_of_day(TODAY), officer="o.hughes",
                  title=DUE_TITLES[WITNESS_CONTACT], item_kind=WITNESS_CONTACT)
    (today,) = digests([due], NOW)
    assert [(line.reference, line.what) for line in today.due_today] == [
        ("ASB-2026-000001", "Keep in touch with a witness")]
    (tomorrow,) = digests([due], NOW + timedelta(days=1))
    assert [line.what for line in tomorrow.overdue] == ["Keep in touch with a witness"]


def test_reassigning_the_case_moves_the_witnesss_schedule_to_the_new_officer() -> None:
    manager = StaffMember("m.jones", frozenset({"manager"}), "yeovil")
    change = assign(a_folder(), AssignmentIn(officer="r.patel", team="yeovil",
                                             reason="o.hughes is on leave."), manager, NOW,
                    new_ids())
    moved = deadlines(change)[schedule_id(WITNESS)].data
    assert moved["officer"] == "r.patel" and moved["due_kind"] == WITNESS_CONTACT
    assert moved["on"] == "2026-12-10"


def test_merging_a_witnesss_record_into_a_victims_moves_the_schedule_to_the_victims_party() -> None:
    survivor_id, merged_id = "aaaaaaaa-0000-4000-8000-000000000001", \
        "bbbbbbbb-0000-4000-8000-000000000002"
    victim = a_party("party-victim", Role.VICTIM).model_copy(update={"person_id": survivor_id})
    witness = a_party(WITNESS, Role.WITNESS).model_copy(update={"person_id": merged_id})
    folder = replace(a_folder(), parties={victim.party_id: victim, WITNESS: witness,
                                          COMPLAINANT: a_folder().parties[COMPLAINANT]})
    survivor = Person(person_id=survivor_id, name="Jo Witness", created_at=NOW)
    merged = Person(person_id=merged_id, name="Jo Witness", created_at=NOW)
    (change,) = merge_persons(survivor, merged, [folder], MergerIn(
        merged_person_id=merged_id, reason="The same person, recorded twice."), OFFICER, NOW,
        new_ids())
    moved = deadlines(change)
    assert moved[schedule_id(WITNESS)].data["status"] == "done"
    started = moved[schedule_id("party-victim")].data
    assert started["due_kind"] == WITNESS_CONTACT


@pytest.mark.parametrize("state", ["closed", "anonymised"])
def test_merging_persons_starts_no_witness_schedule_on_a_closed_case(state: str) -> None:
    """Its schedules ended with the case; reopening (never for an anonymised case) starts them."""
    survivor_id, merged_id = "aaaaaaaa-0000-4000-8000-000000000001", \
        "bbbbbbbb-0000-4000-8000-000000000002"
    witness = a_party(WITNESS, Role.WITNESS).model_copy(update={"person_id": merged_id})
    folder = replace(a_folder(CaseStatus.CLOSED), deadlines={}, parties={WITNESS: witness})
    if state == "anonymised":
        folder = replace(folder, case=folder.case.model_copy(update={"anonymised_at": NOW}))
    survivor = Person(person_id=survivor_id, name="Jo Witness", created_at=NOW)
    merged = Person(person_id=merged_id, name="Jo Witness", created_at=NOW)
    (change,) = merge_persons(survivor, merged, [folder], MergerIn(
        merged_person_id=merged_id, reason="The same person, recorded twice."), OFFICER, NOW,
        new_ids())
    assert [p.party.person_id for p in change.parties] == [survivor_id]
    assert deadlines(change) == {}
