"""Enforcement's life as plain functions: a measure recorded with its details, approved, then
moved on step by step - each step checked against the law's order of things, each date it
makes fall due a Deadline item on the DueWork index, done once the measure no longer has it."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import TypeAdapter

from asb.case.change import CaseChange, CaseFolder
from asb.case.models import CaseStatus
from asb.case.parties import PartyStatus, Role, TenancyTie
from asb.case.records import Measure
from asb.case.tasks import ABSOLUTE_GROUND_DEADLINE, AGREEMENT_REVIEW, HEARING, ORDER_REVIEW
from asb.enforcement.dates import notice_dates, serve_by
from asb.enforcement.measures import decide_measure, record_measure
from asb.enforcement.models import ApprovalIn, MeasureIn, StepBody
from asb.enforcement.steps import take_step
from asb.kernel.errors import InvalidChange, RuleBroken
from asb.kernel.staff import StaffMember
from tests.fakes import FakeHomesRegister
from tests.unit.test_parties import COMPLAINANT, a_party, folder
from tests.unit.test_tenure_powers import REGISTER, TIE

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")
MANAGER = StaffMember("m.price", frozenset({"manager"}), "yeovil")
PERPETRATOR = a_party("p-2", None, Role.ALLEGED_PERPETRATOR, status=PartyStatus.CONFIRMED,
                      tenancy=TenancyTie(reference=TIE.reference, uprn=TIE.uprn))
RATIONALE = {"rationale": "Two warnings and an ABA have not stopped the threats.",
             "equality_impact": "No known disability; the household's needs were screened."}
STEP: TypeAdapter[Any] = TypeAdapter(StepBody)


_COUNTER = itertools.count(1)


def ids() -> Any:
    """New ids never seen before in this module (as uuid4's are)."""
    return lambda: f"id-{next(_COUNTER)}"


def applied(change: CaseChange, into: CaseFolder) -> CaseFolder:
    """The folder as the store would read it back after the change."""
    measures = dict(into.measures)
    for record in change.records:
        if record.entity == "Measure":
            measures[record.record_id] = Measure.model_validate(record.data)
    return replace(into, case=change.case, measures=measures)


def recorded(measure: str, **details: Any) -> tuple[CaseFolder, str]:
    start = folder(COMPLAINANT, PERPETRATOR)
    change = record_measure(start, MeasureIn(measure=measure, **RATIONALE, **details), OFFICER,
                            NOW, ids(), register=REGISTER)
    return applied(change, start), change.records[0].record_id


def approved(measure: str, **details: Any) -> tuple[CaseFolder, str]:
    start, measure_id = recorded(measure, **details)
    change = decide_measure(start, measure_id, ApprovalIn(
        approved=True, reason="Proportionate: the threats continue."), MANAGER, NOW, ids())
    return applied(change, start), measure_id


def step(before: CaseFolder, measure_id: str, when: datetime = NOW,
         **body: Any) -> tuple[CaseFolder, CaseChange]:
    change = take_step(before, measure_id, STEP.validate_python(body), OFFICER, when, ids())
    return applied(change, before), change


def deadlines(change: CaseChange) -> dict[str, dict[str, Any]]:
    return {r.record_id.split(".", 1)[1]: r.data for r in change.records if r.entity == "Deadline"}


def test_a_measure_is_against_the_cases_one_alleged_perpetrator_unless_another_is_named() -> None:
    at, measure_id = recorded("first_written_warning")
    assert at.measures[measure_id].party_id == "p-2"
    with pytest.raises(InvalidChange) as refused:
        recorded("first_written_warning", party_id="nobody")
    assert refused.value.errors[0].field == "party_id"


def test_a_power_the_landlord_does_not_hold_is_refused_and_pointed_at_a_partner() -> None:
    for power in ("community_protection_notice", "closure_order", "criminal_behaviour_order"):
        with pytest.raises(RuleBroken, match="ask a partner for it"):
            recorded(power)


def test_an_interview_is_recorded_with_who_came_what_they_said_and_what_was_agreed() -> None:
    at, measure_id = recorded("interview", interview={
        "held_on": "2026-12-01", "attended": ["Sam Carter (tenant)", "O Hughes (officer)"],
        "account": "Says the music is a party once a month.", "next_steps": "Music off by 11pm."})
    interview = at.measures[measure_id].interview
    assert interview is not None and interview.attended[0] == "Sam Carter (tenant)"
    with pytest.raises(InvalidChange) as refused:
        recorded("interview")
    assert refused.value.errors[0].field == "interview"


def test_an_agreement_puts_its_review_on_the_due_work_index_and_a_review_moves_it() -> None:
    start = folder(COMPLAINANT, PERPETRATOR)
    change = record_measure(start, MeasureIn(measure="acceptable_behaviour_agreement", **RATIONALE,
                                             agreement={
        "terms": ["No loud music after 11pm", "No contact with the family at number 12"],
        "signatories": ["Sam Carter", "O Hughes"], "starts_on": "2026-12-02",
        "review_on": "2027-03-02"}), OFFICER, NOW, ids())
    [review] = deadlines(change).values()
    assert review["due_kind"] == AGREEMENT_REVIEW and review["on"] == "2027-03-02"
    assert review["due_at"] == "2027-03-02T00:00:00+00:00"
    at, measure_id = applied(change, start), change.records[0].record_id
    later = datetime(2027, 3, 2, 10, tzinfo=UTC)
    at, _ = step(at, measure_id, later, step="breach", on="2026-12-20", what="Music at 2am.")
    assert len(at.measures[measure_id].agreement.breaches) == 1  # type: ignore[union-attr]
    at, reviewed = step(at, measure_id, later, step="agreement_reviewed", held_on="2027-03-02",
                        outcome="continues", note="One breach; continue.",
                        next_review_on="2027-06-02")
    assert deadlines(reviewed)["agreement-review"]["on"] == "2027-06-02"
    at, ended = step(at, measure_id, later, step="agreement_reviewed", held_on="2027-03-02",
                     outcome="ended: kept", note="Kept since.")
    assert deadlines(ended)["agreement-review"]["status"] == "done"
    assert "due_kind" not in deadlines(ended)["agreement-review"]
    assert at.measures[measure_id].status == "completed"


def test_an_agreement_reviewed_before_it_starts_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidChange) as refused:
        recorded("acceptable_behaviour_agreement", agreement={
            "terms": ["No loud music"], "signatories": ["Sam Carter"],
            "starts_on": "2026-12-02", "review_on": "2026-12-01"})
    assert refused.value.errors[0].field == "agreement.review_on"


def test_an_injunction_from_application_to_order_to_breach() -> None:
    at, measure_id = approved("civil_injunction")
    with pytest.raises(RuleBroken, match="once the application is made"):
        step(at, measure_id, step="hearing_listed", at="2026-12-10T10:00:00Z",
             court="Yeovil County Court", purpose="first")
    at, _ = step(at, measure_id, step="applied", applied_on="2026-12-02",
                 court="Yeovil County Court", respondent_born_on="1990-05-01",
                 power_of_arrest_sought=True, violence_or_significant_risk_of_harm=True)
    with pytest.raises(InvalidChange) as refused:
        step(at, measure_id, step="hearing_listed", at="2026-11-30T10:00:00Z",
             court="Yeovil County Court", purpose="first")
    assert refused.value.errors[0].field == "at"
    at, listed = step(at, measure_id, step="hearing_listed", at="2026-12-10T10:00:00Z",
                      court="Yeovil County Court", purpose="first")
    [hearing] = [d for d in deadlines(listed).values()]
    assert hearing["due_kind"] == HEARING and hearing["on"] == "2026-12-10"
    assert hearing["due_at"] == "2026-12-09T00:00:00+00:00"  # on the list the day before
    hearing_id = at.measures[measure_id].hearings[0].hearing_id
    heard = datetime(2026, 12, 10, 15, tzinfo=UTC)
    at, adjourned = step(at, measure_id, heard, step="hearing_held", hearing_id=hearing_id,
                         outcome="adjourned", note="Respondent asked for time.",
                         adjourned_to="2026-12-17T10:00:00Z")
    assert [d["status"] for d in deadlines(adjourned).values()] == ["open", "done"]
    second = at.measures[measure_id].hearings[1].hearing_id
    at, made = step(at, measure_id, heard + timedelta(days=7), step="hearing_held",
                    hearing_id=second, outcome="order made", note="Granted for a year.",
                    order={"kind": "injunction", "terms": ["Not to enter Orchard Close"],
                           "power_of_arrest": True, "expires_on": "2027-12-17"})
    measure = at.measures[measure_id]
    assert measure.status == "granted" and measure.expires_on == date(2027, 12, 17)
    review = deadlines(made)["order-review"]
    assert review["due_kind"] == ORDER_REVIEW and review["due_at"] == "2027-11-19T00:00:00+00:00"
    at, _ = step(at, measure_id, heard + timedelta(days=30), step="breach", on="2027-01-05",
                 what="Seen in Orchard Close shouting at number 12.")
    assert at.measures[measure_id].status == "breached"


def test_an_injunction_against_a_child_needs_the_youth_offending_team_first() -> None:
    at, measure_id = approved("civil_injunction")
    child = {"step": "applied", "applied_on": "2026-12-02", "court": "Yeovil County Court",
             "respondent_born_on": "2011-01-01"}
    with pytest.raises(InvalidChange) as refused:
        step(at, measure_id, **child)
    assert refused.value.errors[0].field == "youth_offending_team_consulted_on"
    step(at, measure_id, **child, youth_offending_team_consulted_on="2026-11-25")
    with pytest.raises(RuleBroken, match="under 10"):
        step(at, measure_id, **{**child, "respondent_born_on": "2018-01-01"})


def test_a_power_of_arrest_needs_violence_or_a_significant_risk_of_harm() -> None:
    at, measure_id = approved("civil_injunction")
    with pytest.raises(RuleBroken, match="power of arrest"):
        step(at, measure_id, step="applied", applied_on="2026-12-02", court="Yeovil County Court",
             respondent_born_on="1990-05-01", power_of_arrest_sought=True)


def test_legal_action_takes_no_step_before_a_managers_approval() -> None:
    at, measure_id = recorded("civil_injunction")
    with pytest.raises(RuleBroken, match="manager approves"):
        step(at, measure_id, step="applied", applied_on="2026-12-02", court="Yeovil County Court",
             respondent_born_on="1990-05-01")


def test_the_absolute_ground_warns_before_its_last_day_and_refuses_a_notice_after_it() -> None:
    assert serve_by(1, date(2026, 3, 10)) == date(2027, 3, 9)
    assert serve_by(4, date(2026, 10, 31)) == date(2027, 1, 30)
    start = folder(COMPLAINANT, PERPETRATOR)
    change = record_measure(start, MeasureIn(
        measure="possession_absolute_ground", **RATIONALE,
        absolute_ground={"condition": 4, "met_on": "2026-10-31"}), OFFICER, NOW, ids(),
        register=REGISTER)
    warning = deadlines(change)["absolute-ground-deadline"]
    assert warning["due_kind"] == ABSOLUTE_GROUND_DEADLINE and warning["on"] == "2027-01-30"
    assert warning["due_at"] == "2027-01-02T00:00:00+00:00"
    with pytest.raises(RuleBroken, match="absolute ground is lost"):
        recorded("possession_absolute_ground", absolute_ground={"condition": 4,
                                                                 "met_on": "2026-08-01"})
    at, measure_id = approved("possession_absolute_ground",
                              absolute_ground={"condition": 4, "met_on": "2026-10-31"})
    late = datetime(2027, 2, 1, 10, tzinfo=UTC)
    with pytest.raises(RuleBroken, match="past its deadline"):
        step(at, measure_id, late, step="notice_served", ground="ground_7a", served_on="2027-01-31")
    at, served = step(at, measure_id, step="notice_served", ground="ground_7a",
                      served_on="2026-12-02")
    notice = at.measures[measure_id].notice
    assert notice is not None and notice.proceedings_from == date(2026, 12, 30)
    assert notice.expires_on == date(2027, 12, 1)
    assert deadlines(served)["absolute-ground-deadline"]["status"] == "done"
    assert deadlines(served)["notice-lapsing"]["on"] == "2027-12-01"
    with pytest.raises(InvalidChange) as early:
        step(at, measure_id, datetime(2026, 12, 20, tzinfo=UTC), step="applied",
             applied_on="2026-12-20", court="Yeovil County Court")
    assert early.value.errors[0].field == "applied_on"


def test_ground_14_proceedings_may_begin_at_once_and_the_notice_lasts_a_year() -> None:
    assert notice_dates("ground_14", date(2026, 12, 2)) == (date(2026, 12, 2), date(2027, 12, 1))


def test_an_orders_end_on_a_closed_case_moves_retention_to_six_years_after_it() -> None:
    at, measure_id = approved("civil_injunction")
    at, _ = step(at, measure_id, step="applied", applied_on="2026-12-02",
                 court="Yeovil County Court", respondent_born_on="1990-05-01")
    at, _ = step(at, measure_id, step="hearing_listed", at="2026-12-03T10:00:00Z",
                 court="Yeovil County Court", purpose="final")
    hearing_id = at.measures[measure_id].hearings[0].hearing_id
    at, _ = step(at, measure_id, datetime(2026, 12, 3, 12, tzinfo=UTC), step="hearing_held",
                 hearing_id=hearing_id, outcome="order made", note="Granted.",
                 order={"kind": "injunction", "terms": ["Not to enter Orchard Close"]})
    closed = replace(at, case=at.case.model_copy(update={
        "status": CaseStatus.CLOSED, "closed_at": datetime(2027, 1, 4, tzinfo=UTC)}))
    with pytest.raises(RuleBroken, match="closed"):
        step(closed, measure_id, step="breach", on="2027-01-05", what="Back in the close.")
    ended, change = step(closed, measure_id, datetime(2028, 6, 1, tzinfo=UTC),
                         step="order_ended", on="2028-05-31", note="Discharged on application.")
    assert change.case.retain_until == date(2034, 5, 31)
    assert ended.measures[measure_id].status == "expired"


def test_a_tenancy_register_is_still_needed_for_possession() -> None:
    with pytest.raises(RuleBroken, match="only open against a tenant"):
        record_measure(folder(COMPLAINANT, PERPETRATOR), MeasureIn(
            measure="possession_ground_14", **RATIONALE), OFFICER, NOW, ids(),
            register=FakeHomesRegister())


def test_anonymising_erases_the_words_inside_an_enforcement_record_and_it_still_reads() -> None:
    from asb.case.retention import ERASED, StoredCase, StoredRecord, erase_plan
    from tests.unit.test_erase_plan import AS_OF, closed_case

    at, measure_id = recorded("acceptable_behaviour_agreement", agreement={
        "terms": ["No contact with the family at number 12"], "signatories": ["Sam Carter"],
        "starts_on": "2026-12-02", "review_on": "2027-03-02"})
    at, _ = step(at, measure_id, datetime(2026, 12, 20, tzinfo=UTC), step="breach",
                 on="2026-12-19", what="Shouted at Alex Morgan in the street.")
    stored = at.measures[measure_id].as_stored()
    parts = {k: stored[k] for k in ("agreement",)}
    stored["application"] = {"applied_on": "2026-12-02", "court": "Yeovil County Court",
                             "respondent_born_on": "1990-05-01"}
    parts["application"] = stored["application"]
    record = StoredRecord(f"MEASURE#{measure_id}", "Measure", frozenset(stored), parts=parts)
    (erasure,) = erase_plan(StoredCase(closed_case(), (), (record,)), AS_OF, "audit-1").items
    agreement = erasure.overwrite["agreement"]
    assert agreement["terms"] == [ERASED] and agreement["signatories"] == [ERASED]
    assert agreement["breaches"][0]["what"] == ERASED
    assert agreement["breaches"][0]["on"] == "2026-12-19"  # the dates stay, for the figures
    assert erasure.overwrite["application"]["respondent_born_on"] is None
    assert Measure.model_validate({**stored, **erasure.overwrite}).agreement is not None


def test_anonymising_erases_the_notes_a_status_change_copied_into_the_history() -> None:
    from asb.case.retention import ERASED, StoredCase, StoredRecord, erase_plan
    from tests.unit.test_erase_plan import AS_OF, closed_case

    at, measure_id = recorded("acceptable_behaviour_agreement", agreement={
        "terms": ["No contact with the family at number 12"], "signatories": ["Sam Carter"],
        "starts_on": "2026-12-02", "review_on": "2027-03-02"})
    at, _ = step(at, measure_id, datetime(2027, 3, 2, tzinfo=UTC), step="agreement_reviewed",
                 held_on="2027-03-02", outcome="ended: broken",
                 note="Alex Morgan says Sam still calls her at night.")
    stored = at.measures[measure_id].as_stored()
    assert "Alex Morgan" in stored["history"][-1]["note"]  # the copy retention must reach
    record = StoredRecord(f"MEASURE#{measure_id}", "Measure", frozenset(stored),
                          parts={k: stored[k] for k in ("agreement", "history")})
    (erasure,) = erase_plan(StoredCase(closed_case(), (), (record,)), AS_OF, "audit-1").items
    assert [change["note"] for change in erasure.overwrite["history"]] == [
        ERASED] * len(stored["history"])
    assert erasure.overwrite["agreement"]["reviews"][0]["note"] == ERASED
    kept = Measure.model_validate({**stored, **erasure.overwrite})
    assert kept.history[-1].note == ERASED and kept.history[-1].to == stored["status"]


def test_possession_is_against_the_named_party_who_must_be_our_tenant() -> None:
    lodger = a_party("p-3", None, Role.ALLEGED_PERPETRATOR, status=PartyStatus.CONFIRMED)
    two = folder(COMPLAINANT, PERPETRATOR, lodger)
    with pytest.raises(InvalidChange) as unnamed:
        record_measure(two, MeasureIn(measure="first_written_warning", **RATIONALE), OFFICER,
                       NOW, ids())
    assert unnamed.value.errors[0].field == "party_id"
    with pytest.raises(RuleBroken, match="that party is not tied"):
        record_measure(two, MeasureIn(measure="possession_ground_14", party_id="p-3", **RATIONALE),
                       OFFICER, NOW, ids(), register=REGISTER)
    change = record_measure(two, MeasureIn(measure="possession_ground_14", party_id="p-2",
                                           **RATIONALE), OFFICER, NOW, ids(), register=REGISTER)
    assert change.records[0].data["party_id"] == "p-2"


def test_a_dismissed_review_hearing_leaves_the_order_in_force() -> None:
    at, measure_id = approved("civil_injunction")
    at, _ = step(at, measure_id, step="applied", applied_on="2026-12-02",
                 court="Yeovil County Court", respondent_born_on="1990-05-01")
    at, _ = step(at, measure_id, step="hearing_listed", at="2026-12-02T09:00:00Z",
                 court="Yeovil County Court", purpose="final")
    at, _ = step(at, measure_id, step="hearing_held",
                 hearing_id=at.measures[measure_id].hearings[0].hearing_id, outcome="order made",
                 note="Granted.", order={"kind": "injunction", "terms": ["Not to enter the close"],
                                         "expires_on": "2027-12-01"})
    later = datetime(2027, 1, 10, 12, tzinfo=UTC)
    at, _ = step(at, measure_id, later, step="hearing_listed", at="2027-01-10T09:00:00Z",
                 court="Yeovil County Court", purpose="review")
    at, dismissed = step(at, measure_id, later, step="hearing_held",
                         hearing_id=at.measures[measure_id].hearings[1].hearing_id,
                         outcome="dismissed", note="The respondent's application to discharge failed.")
    assert at.measures[measure_id].status == "granted"
    assert "order-review" not in deadlines(dismissed)  # still open, unchanged


def test_a_date_of_birth_after_the_application_names_the_field() -> None:
    at, measure_id = approved("civil_injunction")
    with pytest.raises(InvalidChange) as refused:
        step(at, measure_id, step="applied", applied_on="2026-12-02", court="Yeovil County Court",
             respondent_born_on="2026-12-05")
    assert refused.value.errors[0].field == "respondent_born_on"


def test_a_managers_refusal_takes_the_measures_dates_off_the_lists() -> None:
    at, measure_id = recorded("possession_absolute_ground",
                              absolute_ground={"condition": 4, "met_on": "2026-10-31"})
    change = decide_measure(at, measure_id, ApprovalIn(
        approved=False, reason="Not proportionate yet: try the ABA first."), MANAGER, NOW, ids())
    assert deadlines(change)["absolute-ground-deadline"]["status"] == "done"


def test_closing_a_case_ends_an_agreements_review_keeps_an_orders_and_waits_for_a_hearing() -> None:
    from asb.casework.commands import close
    from asb.casework.models import ClosureIn

    open_dates = {
        "m-1.agreement-review": {"kind": AGREEMENT_REVIEW, "due_kind": AGREEMENT_REVIEW,
                                 "due_at": "2027-03-02T00:00:00+00:00", "on": "2027-03-02",
                                 "measure_id": "m-1", "status": "open"},
        "m-2.order-review": {"kind": ORDER_REVIEW, "due_kind": ORDER_REVIEW,
                             "due_at": "2027-11-03T00:00:00+00:00", "on": "2027-12-01",
                             "measure_id": "m-2", "status": "open"}}
    closure = ClosureIn(outcome="resolved", reasons="No reports for two months since the order.")
    start = replace(folder(COMPLAINANT, PERPETRATOR), deadlines=open_dates)
    change = close(start, closure, OFFICER, NOW, ids())
    done = {r.record_id: r.data for r in change.records if r.entity == "Deadline"}
    assert list(done) == ["m-1.agreement-review"]
    assert done["m-1.agreement-review"]["status"] == "done"
    assert "due_kind" not in done["m-1.agreement-review"]
    hearing = {"m-2.hearing-h1": {"kind": HEARING, "due_kind": HEARING, "on": "2026-12-10",
                                  "due_at": "2026-12-09T00:00:00+00:00", "status": "open"}}
    with pytest.raises(RuleBroken, match="court hearing is listed"):
        close(replace(start, deadlines={**open_dates, **hearing}), closure, OFFICER, NOW, ids())


def test_a_tool_against_someone_names_an_alleged_perpetrator_not_a_complainant() -> None:
    tenant_complainant = COMPLAINANT.model_copy(update={
        "tenancy": TenancyTie(reference=TIE.reference, uprn=TIE.uprn)})
    start = folder(tenant_complainant, PERPETRATOR)
    for measure in ("possession_ground_14", "civil_injunction", "first_written_warning"):
        with pytest.raises(InvalidChange) as refused:
            record_measure(start, MeasureIn(measure=measure, party_id="p-1", **RATIONALE),
                           OFFICER, NOW, ids(), register=REGISTER)
        assert refused.value.errors[0].field == "party_id"
    with pytest.raises(InvalidChange) as refused:
        record_measure(start, MeasureIn(measure="civil_injunction", subject="reporter",
                                        **RATIONALE), OFFICER, NOW, ids())
    assert refused.value.errors[0].field == "subject"


def test_the_staff_list_counts_lateness_from_an_enforcement_dates_own_day() -> None:
    from asb.case.tasks import DueTask
    from asb.casework.service import overdue_work

    hearing = DueTask(case_reference="ASB-2026-000001", kind=HEARING, item_kind=HEARING,
                      due_at=datetime(2026, 12, 9, 0, tzinfo=UTC))
    listed = overdue_work(hearing, datetime(2026, 12, 9, 10, tzinfo=UTC))
    assert (listed["due_on"], listed["overdue"]) == ("2026-12-10", False)
    missed = overdue_work(hearing, datetime(2026, 12, 11, 10, tzinfo=UTC))
    assert (missed["due_on"], missed["overdue"]) == ("2026-12-10", True)
