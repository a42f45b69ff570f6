"""The ladder of interventions as a plain function of a case's measures: its rungs in date
order, each with its stage, whom it was against, every step of its life and its outcome in
words; a rung that skips a stage against the same person flagged."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from asb.case.change import CaseFolder
from asb.case.enforcement import WarningLetter
from asb.case.escalation import ladder, persons_ladder
from asb.case.parties import PartyStatus, Role
from asb.case.records import Measure, MeasureChange
from asb.enforcement.measures import decide_measure, record_measure
from asb.enforcement.models import ApprovalIn, MeasureIn
from tests.unit.test_enforcement_steps import (
    MANAGER,
    NOW,
    OFFICER,
    PERPETRATOR,
    RATIONALE,
    applied,
    ids,
    step,
)
from tests.unit.test_parties import COMPLAINANT, a_party, folder
from tests.unit.test_tenure_powers import REGISTER

REFERENCE = "ASB-2026-000001"
NEIGHBOUR = a_party("p-3", None, Role.ALLEGED_PERPETRATOR, status=PartyStatus.CONFIRMED)


def record(at: CaseFolder, measure: str, when: datetime = NOW,
           **details: Any) -> tuple[CaseFolder, str]:
    change = record_measure(at, MeasureIn(measure=measure, **RATIONALE, **details), OFFICER,
                            when, ids(), register=REGISTER)
    return applied(change, at), change.records[0].record_id


def approve(at: CaseFolder, measure_id: str, approved: bool = True,
            when: datetime = NOW) -> CaseFolder:
    return applied(decide_measure(at, measure_id, ApprovalIn(
        approved=approved, reason="Proportionate: the threats continue."), MANAGER, when,
        ids()), at)


def kinds(measure: Measure) -> list[tuple[str, str]]:
    [rung] = ladder(REFERENCE, [measure])
    return [(e.on.isoformat(), e.kind) for e in rung.events]


def test_the_rungs_are_in_the_order_they_were_used_an_interview_by_the_day_it_was_held() -> None:
    at = folder(COMPLAINANT, PERPETRATOR)
    at, warning = record(at, "first_written_warning", NOW - timedelta(days=20))
    at, aba = record(at, "acceptable_behaviour_agreement", NOW, agreement={
        "terms": ["No loud music after 11pm"], "signatories": ["Sam Carter", "O Hughes"],
        "starts_on": "2026-12-02", "review_on": "2027-03-02"})
    at, interview = record(at, "interview", NOW, interview={
        "held_on": "2026-11-01", "attended": ["Sam Carter (tenant)"],
        "account": "Says it is one party a month.", "next_steps": "Music off by 11pm."})
    rungs = ladder(REFERENCE, reversed(list(at.measures.values())), {"p-2": "Sam Carter"})
    assert [r.measure_id for r in rungs] == [interview, warning, aba]
    assert [(r.stage, r.stage_words) for r in rungs] == [
        (2, "interviews and warnings"), (2, "interviews and warnings"),
        (3, "agreements and notices")]
    assert {(r.party_id, r.against, r.held_by) for r in rungs} == {
        ("p-2", "Sam Carter", "the landlord")}
    assert rungs[0].began_on == date(2026, 11, 1) and rungs[0].events[0].kind == "interview"
    assert rungs[1].outcome == "Given" and rungs[1].rationale == RATIONALE["rationale"]
    assert [r.skips for r in rungs] == [None, None, None]


def test_rungs_used_on_one_day_are_in_the_order_they_were_recorded() -> None:
    at = folder(COMPLAINANT, PERPETRATOR)
    at, warning = record(at, "verbal_warning", NOW - timedelta(hours=2))
    at, final = record(at, "final_written_warning", NOW)
    first = at.measures[warning].model_copy(update={"record_id": "z-first"})
    then = at.measures[final].model_copy(update={"record_id": "a-then"})
    assert [r.measure_id for r in ladder(REFERENCE, [then, first])] == ["z-first", "a-then"]


def test_an_injunction_shows_each_step_of_its_life_in_date_order() -> None:
    at, measure_id = record(folder(COMPLAINANT, PERPETRATOR), "civil_injunction")
    at = approve(at, measure_id)
    at, _ = step(at, measure_id, step="applied", applied_on="2026-12-02",
                 court="Yeovil County Court", respondent_born_on="1990-05-01",
                 power_of_arrest_sought=True, violence_or_significant_risk_of_harm=True)
    at, _ = step(at, measure_id, step="hearing_listed", at="2026-12-10T10:00:00Z",
                 court="Yeovil County Court", purpose="first")
    assert ladder(REFERENCE, at.measures.values())[0].outcome == (
        "Applied for on 2026-12-02; next hearing 2026-12-10")
    heard = datetime(2026, 12, 10, 15, tzinfo=UTC)
    first = at.measures[measure_id].hearings[0].hearing_id
    at, _ = step(at, measure_id, heard, step="hearing_held", hearing_id=first,
                 outcome="adjourned", note="Respondent asked for time.",
                 adjourned_to="2026-12-17T10:00:00Z")
    second = at.measures[measure_id].hearings[1].hearing_id
    at, _ = step(at, measure_id, heard + timedelta(days=7), step="hearing_held",
                 hearing_id=second, outcome="order made", note="Granted for a year.",
                 order={"kind": "injunction", "terms": ["Not to enter Orchard Close"],
                        "power_of_arrest": True, "expires_on": "2027-12-17"})
    at, _ = step(at, measure_id, heard + timedelta(days=30), step="breach", on="2027-01-05",
                 what="Seen in Orchard Close.")
    measure = at.measures[measure_id]
    assert kinds(measure) == [
        ("2026-12-02", "recorded"), ("2026-12-02", "approved"), ("2026-12-02", "applied"),
        ("2026-12-10", "hearing held"), ("2026-12-17", "hearing held"),
        ("2026-12-17", "order made"), ("2027-01-05", "breach"), ("2027-12-17", "order expires")]
    [rung] = ladder(REFERENCE, [measure])
    assert rung.events[3].what == ("First hearing at Yeovil County Court: adjourned "
                                   "(Respondent asked for time.)")
    assert rung.events[5].what == "Injunction made, with a power of arrest"
    assert rung.outcome == "Injunction made on 2026-12-17, in force until 2027-12-17; breached once"
    assert rung.status == "breached" and rung.stage == 4 and rung.legal
    at, _ = step(at, measure_id, datetime(2027, 6, 1, tzinfo=UTC), step="order_ended",
                 on="2027-05-31", note="Discharged.")
    assert kinds(at.measures[measure_id])[-1] == ("2027-05-31", "order ended")
    assert ladder(REFERENCE, at.measures.values())[0].outcome == (
        "Injunction made on 2026-12-17, ended on 2027-05-31")


def test_possession_on_the_absolute_ground_shows_its_condition_and_notice() -> None:
    at, measure_id = record(folder(COMPLAINANT, PERPETRATOR), "possession_absolute_ground",
                            absolute_ground={"condition": 4, "met_on": "2026-10-31"})
    at = approve(at, measure_id)
    at, _ = step(at, measure_id, step="notice_served", ground="ground_7a",
                 served_on="2026-12-02")
    [rung] = ladder(REFERENCE, at.measures.values())
    assert [e.kind for e in rung.events] == ["condition met", "recorded", "approved",
                                             "notice served"]
    assert "A closure order was made for the home" in rung.events[0].what
    assert rung.events[-1].what == (
        "Notice of seeking possession served on Absolute ground 7A, Housing Act 1988 (assured "
        "tenancy): proceedings from 2026-12-30, in force until 2027-12-01")
    assert rung.outcome == "Notice served on 2026-12-02; proceedings from 2026-12-30"


def test_an_agreement_shows_its_start_breaches_and_reviews_and_how_it_ended() -> None:
    at, measure_id = record(folder(COMPLAINANT, PERPETRATOR), "acceptable_behaviour_agreement",
                            agreement={"terms": ["No loud music", "No contact with number 12"],
                                       "signatories": ["Sam Carter"], "starts_on": "2026-12-02",
                                       "review_on": "2027-03-02"})
    later = datetime(2027, 3, 2, 10, tzinfo=UTC)
    at, _ = step(at, measure_id, later, step="breach", on="2026-12-20", what="Music at 2am.")
    assert ladder(REFERENCE, at.measures.values())[0].outcome == (
        "Agreement in force, next review 2027-03-02; breached once")
    at, _ = step(at, measure_id, later, step="agreement_reviewed", held_on="2027-03-02",
                 outcome="ended: broken", note="Broken twice.")
    [rung] = ladder(REFERENCE, at.measures.values())
    assert [(e.on.isoformat(), e.kind) for e in rung.events] == [
        ("2026-12-02", "recorded"), ("2026-12-02", "agreement"), ("2026-12-20", "breach"),
        ("2027-03-02", "agreement reviewed")]
    assert rung.events[1].what == "Agreement starts: 2 terms, signed by Sam Carter"
    assert rung.outcome == "Agreement broken; breached once" and rung.status == "completed"


def test_warning_letters_and_plain_status_moves_are_steps_too() -> None:
    at, measure_id = record(folder(COMPLAINANT, PERPETRATOR), "final_written_warning")
    letter = WarningLetter(letter_id="l-1", kind="final", issued_on=date(2026, 12, 3),
                           channel="letter", delivery="posted")
    moved = MeasureChange(from_status="applied", to="withdrawn", note="Sent in error.",
                          by="o.hughes", at=NOW + timedelta(days=2))
    measure = at.measures[measure_id].model_copy(update={
        "letters": [letter], "history": [moved], "status": "withdrawn"})
    [rung] = ladder(REFERENCE, [measure])
    assert [(e.kind, e.what) for e in rung.events[1:]] == [
        ("letter", "Final warning letter by post: posted"),
        ("status", "applied -> withdrawn: Sent in error.")]
    assert rung.outcome == "Withdrawn"
    kept = measure.model_copy(update={"status": "applied", "history": []})
    assert ladder(REFERENCE, [kept])[0].outcome == "Warning letter issued on 2026-12-03: posted"
    queued = kept.model_copy(update={"letters": [letter.model_copy(update={"delivery": "queued"})]})
    [rung] = ladder(REFERENCE, [queued])
    assert rung.outcome == "Warning letter issued on 2026-12-03"
    assert rung.events[-1].what == "Final warning letter by post"


def test_legal_action_waiting_or_refused_by_a_manager_says_so() -> None:
    at, measure_id = record(folder(COMPLAINANT, PERPETRATOR), "civil_injunction")
    assert ladder(REFERENCE, at.measures.values())[0].outcome == (
        "Waiting for a manager's approval")
    at = approve(at, measure_id, approved=False)
    [rung] = ladder(REFERENCE, at.measures.values())
    assert rung.outcome == "Not approved by a manager" and rung.events[-1].kind == "not approved"


def test_a_rung_that_skips_a_stage_against_the_same_party_is_flagged() -> None:
    at = folder(COMPLAINANT, PERPETRATOR, NEIGHBOUR)
    at, _ = record(at, "first_written_warning", NOW - timedelta(days=30), party_id="p-3")
    at, aba = record(at, "acceptable_behaviour_agreement", NOW - timedelta(days=20),
                     party_id="p-2", agreement={
                         "terms": ["No loud music"], "signatories": ["Sam Carter"],
                         "starts_on": "2026-11-12", "review_on": "2027-02-12"})
    at, injunction = record(at, "civil_injunction", NOW, party_id="p-3")
    flagged = {r.measure_id: r.skips for r in ladder(REFERENCE, at.measures.values())}
    # p-2's agreement came before any warning to p-2 (the one warning was to p-3).
    assert flagged[aba] == ("No interviews and warnings against them on record before it: the "
                            "reason recorded is its rationale")
    assert flagged[injunction] == ("No agreements and notices against them on record before "
                                   "it: the reason recorded is its rationale")
    at, _ = record(at, "acceptable_behaviour_agreement", NOW - timedelta(days=10),
                   party_id="p-3", agreement={
                       "terms": ["No loud music"], "signatories": ["Jo Brook"],
                       "starts_on": "2026-11-22", "review_on": "2027-02-22"})
    assert {r.measure_id: r.skips for r in ladder(REFERENCE, at.measures.values())}[
        injunction] is None


def test_a_withdrawn_or_refused_rung_is_not_a_stage_reached() -> None:
    at = folder(COMPLAINANT, PERPETRATOR)
    at, refused = record(at, "civil_injunction", NOW - timedelta(days=40))
    at = approve(at, refused, approved=False, when=NOW - timedelta(days=40))
    at, aba = record(at, "acceptable_behaviour_agreement", NOW - timedelta(days=20), agreement={
        "terms": ["No loud music"], "signatories": ["Sam Carter"],
        "starts_on": "2026-11-12", "review_on": "2027-02-12"})
    flagged = {r.measure_id: r.skips for r in ladder(REFERENCE, at.measures.values())}
    assert flagged[aba] is not None and "interviews and warnings" in flagged[aba]


def test_a_persons_ladder_runs_across_their_cases() -> None:
    at, warning = record(folder(COMPLAINANT, PERPETRATOR), "final_written_warning",
                         NOW - timedelta(days=60))
    later, aba = record(folder(COMPLAINANT, PERPETRATOR), "acceptable_behaviour_agreement",
                        agreement={"terms": ["No loud music"], "signatories": ["Sam Carter"],
                                   "starts_on": "2026-12-02", "review_on": "2027-03-02"})
    rungs = persons_ladder([("ASB-2026-000002", later.measures[aba]),
                            ("ASB-2026-000001", at.measures[warning])], "Sam Carter")
    assert [(r.case_reference, r.measure_id, r.skips) for r in rungs] == [
        ("ASB-2026-000001", warning, None), ("ASB-2026-000002", aba, None)]
    assert {r.against for r in rungs} == {"Sam Carter"}
    alone = ladder("ASB-2026-000002", later.measures.values())
    assert alone[0].skips is not None  # on its own case, nothing came before it


def test_a_power_asked_of_a_partner_says_whose_it_is_and_whom_it_was_asked_of() -> None:
    at, _ = record(folder(COMPLAINANT, PERPETRATOR), "first_written_warning")
    asked = next(iter(at.measures.values())).model_copy(update={
        "measure": "closure_order", "name": "Closure notice or order", "legal": True,
        "status": "requested", "approval": "approved"})
    asked = Measure.model_validate({**asked.as_stored(), "partner_name": "Avon Constabulary"})
    [rung] = ladder(REFERENCE, [asked])
    assert rung.held_by == ("the police or the council only (ASBCPA 2014 s76, s80): asked of "
                            "Avon Constabulary")
    assert rung.outcome == "Asked of the partner: waiting for their decision"
    assert rung.stage == 4
