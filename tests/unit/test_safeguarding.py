"""Safeguarding as plain functions (issue 23, item 1; ASB-REFERENCE 7a): vulnerability screened
per party of any role; adult, child, MARAC and specialist domestic abuse referrals, with consent
or, at risk of harm, without it and only with the reason recorded (DPA 2018 Sch 1 para 18);
their decision, package, acknowledgement, outcome due and outcome; the prompt at the top of a
case while self-harm is answered yes and no referral was made since, and its task."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import pytest
from pydantic import ValidationError

from asb.case import safeguarding
from asb.case.change import CaseChange, CaseFolder
from asb.case.parties import Role
from asb.case.records import Disclosure
from asb.case.retention import StoredCase, StoredRecord, erase_plan
from asb.case.targets import local_day, specialist_referral_due
from asb.case.tasks import (
    DA_SPECIALIST_REFERRAL,
    DISCLOSURE_DECISION,
    SAFEGUARDING_OUTCOME,
    SAFEGUARDING_REFERRAL,
    DueTask,
    TaskState,
)
from asb.data_protection.subject_access import party_section
from asb.due_work.sweep import SWEPT_KINDS, action_for
from asb.enforcement import letters
from asb.kernel.clock import FixedClock
from asb.kernel.errors import InvalidChange, RuleBroken
from asb.kernel.staff import NotAllowed, StaffMember
from asb.partners.delivery import DeliveryStore, Inbound
from asb.partners.messages import NotFromPartner, PartnerStep, acknowledged, sent
from asb.partners.models import (
    DisclosureDecisionIn,
    PartnerAcknowledgement,
    ReferralOutcome,
    ReferralOutcomeIn,
    SafeguardingReferralIn,
)
from asb.partners.safeguarding import (
    decide_referral,
    record_outcome,
    referral_outcome,
    request_referral,
)
from asb.people.models import VulnerabilityScreeningIn
from asb.people.pages import person_page
from asb.people.parties import screen_vulnerability
from asb.triage.service import decide
from infra.local.partners import SEEDS
from tests.unit.test_disclosures import folder, report
from tests.unit.test_parties import a_party, a_person

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # a Wednesday
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")
MANAGER = StaffMember("m.jones", frozenset({"manager"}), "yeovil")
ADULTS = {**SEEDS["somerset-adult-social-care"], "partner_id": "somerset-adult-social-care",
          "sender_ids": ["AIDAADULTS"]}
DA_SERVICE = {"partner_id": "somerset-da-service", "name": "Somerset DA Service",
              "kind": "domestic_abuse_service", "agreement": "DA referral agreement",
              "data_categories": ["case_summary", "person_at_risk"], "legal_routes": ["consent"],
              "queue": "support"}
REF = "ASB-2026-000123"
VICTIM = a_party("p-1", "person-a", Role.COMPLAINANT, Role.VICTIM, reference=REF, report_id="r1")
PERPETRATOR = a_party("p-2", "person-b", Role.ALLEGED_PERPETRATOR, reference=REF)
PERSONS = {"person-a": a_person("person-a", name="Alex Morgan", email="alex@example.org",
                                phone="07700 900123", address="12 Orchard Close"),
           "person-b": a_person("person-b", name="Chris Day", address="14 Day Road")}
SELF_HARM = {"level": "high", "score": 6, "reasons": [
    {"question": "self_harm_risk", "text": "Have they thought about harming themselves?",
     "points": 6, "source": "officer"}]}
_COUNTER = itertools.count(1)


def ids() -> Any:
    return lambda: f"00000000-0000-4000-8000-{next(_COUNTER):012d}"


def a_case(risk: dict[str, Any] | None = None, **tasks: TaskState) -> CaseFolder:
    start = folder(report("r1", "Alex Morgan", "Chris Day",
                          "Chris Day shouts at Alex Morgan; Alex says they cannot go on."))
    case = start.case.model_copy(update={"risk": risk or start.case.risk})
    return replace(start, case=case, parties={p.party_id: p for p in (VICTIM, PERPETRATOR)},
                   tasks=dict(tasks))


def refer(**changes: Any) -> SafeguardingReferralIn:
    return SafeguardingReferralIn.model_validate({
        "referral_type": "adult", "partner_id": "somerset-adult-social-care", "party_id": "p-1",
        "purpose": "Adult at risk: the victim spoke of ending their life after the abuse.",
        "necessity": "Adult social care must assess care and support needs under s42.",
        "data_categories": ["case_summary", "incident_details", "person_at_risk"],
        "consent": False,
        "without_consent_reason": "Immediate risk to life; Chris Day controls the phone, "
                                  "asking for consent would put them at risk.",
        **changes})


def applied(change: CaseChange, into: CaseFolder) -> CaseFolder:
    disclosures = dict(into.disclosures)
    tasks = dict(into.tasks)
    for record in change.records:
        if record.entity == "Disclosure":
            disclosures[record.record_id] = Disclosure.model_validate(record.data)
    for task in change.tasks:
        tasks[task.kind] = TaskState(task.due_at is not None, task.due_at)
    return replace(into, case=change.case, disclosures=disclosures, tasks=tasks)


def of(change: CaseChange, entity: str) -> list[dict[str, Any]]:
    return [r.data for r in change.records if r.entity == entity]


def requested(start: CaseFolder, **changes: Any) -> tuple[CaseFolder, str]:
    change = request_referral(start, ADULTS, refer(**changes), OFFICER, NOW, ids())
    (disclosure,) = of(change, "Disclosure")
    return applied(change, start), disclosure["disclosure_id"]


# ------------------------------------------------------------------ vulnerability per party
def screening(*found: dict[str, Any], concerns: bool = False) -> VulnerabilityScreeningIn:
    return VulnerabilityScreeningIn.model_validate(
        {"vulnerabilities": list(found), "safeguarding_concerns": concerns})


def test_an_alleged_perpetrator_is_screened_too_and_the_case_says_who_is_not() -> None:
    start = a_case()
    assert safeguarding.perpetrators_not_screened(start) == ["p-2"]
    change = screen_vulnerability(start, "p-2", screening(
        {"type": "situational", "kind": "substance_misuse", "note": "Alcohol, daily"},
        concerns=True), OFFICER, NOW, ids())
    (write,) = change.parties
    found = write.party.vulnerability
    assert write.expected_version == 1 and found is not None
    assert found.safeguarding_concerns and found.screened_by == "o.hughes"
    assert [(v.type, v.kind, v.recorded_by) for v in found.vulnerabilities] == [
        ("situational", "substance_misuse", "o.hughes")]
    assert change.audit.after == {"party_id": "p-2", "screened": True, "vulnerabilities": 1,
                                  "safeguarding_concerns": True}  # no kinds: health data
    screened = replace(start, parties={**start.parties, "p-2": write.party})
    assert safeguarding.perpetrators_not_screened(screened) == []


def test_a_later_screening_keeps_who_recorded_what_it_keeps_unchanged() -> None:
    first = screen_vulnerability(a_case(), "p-1", screening(
        {"type": "personal", "kind": "mental_health"}), OFFICER, NOW, ids())
    start = replace(a_case(), parties={"p-1": first.parties[0].party, "p-2": PERPETRATOR})
    later = screen_vulnerability(start, "p-1", screening(
        {"type": "personal", "kind": "mental_health"},
        {"type": "incidental", "kind": "repeat_targeting"}), MANAGER, NOW + timedelta(days=3),
        ids())
    kept, added = later.parties[0].party.vulnerability.vulnerabilities  # type: ignore[union-attr]
    assert (kept.recorded_by, kept.recorded_at) == ("o.hughes", NOW)
    assert (added.recorded_by, added.recorded_at) == ("m.jones", NOW + timedelta(days=3))


@pytest.mark.parametrize(("entry", "field"), [
    ({"type": "personal", "kind": "bereavement"}, "kind"),  # a situational kind
    ({"type": "spiritual", "kind": "bereavement"}, "type"),
    ({"type": "personal", "kind": "other_personal"}, "note"),
])
def test_a_vulnerability_of_the_wrong_type_or_unnamed_is_refused(entry: dict[str, Any],
                                                                  field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        screening(entry)
    assert [e["loc"] for e in refused.value.errors()] == [("vulnerabilities", 0, field)]


def test_a_screening_of_an_unlinked_party_or_on_a_closed_case_is_refused() -> None:
    closed = a_case()
    closed = replace(closed, case=closed.case.model_copy(update={"status": "closed"}))
    with pytest.raises(RuleBroken):
        screen_vulnerability(closed, "p-1", screening(), OFFICER, NOW, ids())


# ------------------------------------------------------------------ the referral
def test_without_consent_and_without_a_reason_it_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidChange) as refused:
        request_referral(a_case(), ADULTS, refer(without_consent_reason=None), OFFICER, NOW,
                         ids())
    assert [e.field for e in refused.value.errors] == ["without_consent_reason"]


def test_without_consent_it_goes_under_schedule_1_paragraph_18_with_its_reason_logged() -> None:
    change = request_referral(a_case(), ADULTS, refer(), OFFICER, NOW, ids())
    (disclosure,) = of(change, "Disclosure")
    (line,) = of(change, "DisclosureLog")
    assert disclosure["legal_route"] == "dpa_2018_sch1_para18"
    assert disclosure["kind"] == "safeguarding_referral" and disclosure["party_id"] == "p-1"
    assert disclosure["due_kind"] == DISCLOSURE_DECISION and disclosure["status"] == "requested"
    assert line["action"] == "requested" and "Immediate risk to life" in line["reason"]
    assert line["legal_route_text"].startswith("DPA 2018 Schedule 1 paragraph 18")


def test_with_consent_the_route_is_consent_and_a_reason_without_it_does_not_apply() -> None:
    change = request_referral(a_case(), ADULTS, refer(consent=True, without_consent_reason=None),
                              OFFICER, NOW, ids())
    assert of(change, "Disclosure")[0]["legal_route"] == "consent"
    with pytest.raises(InvalidChange) as refused:
        request_referral(a_case(), ADULTS, refer(consent=True), OFFICER, NOW, ids())
    assert refused.value.errors[0].field == "without_consent_reason"


def test_an_urgent_referral_is_decided_by_the_end_of_the_working_day() -> None:
    change = request_referral(a_case(), ADULTS, refer(urgent=True), OFFICER, NOW, ids())
    due = datetime.fromisoformat(of(change, "Disclosure")[0]["due_at"])
    assert due.date() == NOW.date()


@pytest.mark.parametrize(("made", "due_on"), [
    (datetime(2026, 12, 2, 18, 30, tzinfo=UTC), date(2026, 12, 3)),  # Wednesday evening
    (datetime(2026, 12, 5, 11, 0, tzinfo=UTC), date(2026, 12, 7)),  # Saturday: Monday
])
def test_an_urgent_referral_made_out_of_hours_is_due_the_next_working_day(
        made: datetime, due_on: date) -> None:
    change = request_referral(a_case(), ADULTS, refer(urgent=True), OFFICER, made, ids())
    due = datetime.fromisoformat(of(change, "Disclosure")[0]["due_at"])
    assert due > made and local_day(due) == due_on
    assert due == safeguarding.referral_task_due(made)


def test_a_partner_that_does_not_take_the_type_or_a_party_not_on_the_case_is_refused() -> None:
    with pytest.raises(InvalidChange) as refused:
        request_referral(a_case(), ADULTS, refer(referral_type="child"), OFFICER, NOW, ids())
    assert refused.value.errors[0].field == "partner_id"
    with pytest.raises(InvalidChange) as refused:
        request_referral(a_case(), ADULTS, refer(party_id="p-9"), OFFICER, NOW, ids())
    assert refused.value.errors[0].field == "party_id"
    with pytest.raises(InvalidChange) as refused:
        request_referral(a_case(), ADULTS, refer(data_categories=["case_summary"]), OFFICER,
                         NOW, ids())
    assert refused.value.errors[0].field == "data_categories"


def test_a_specialist_domestic_abuse_referral_needs_consent_and_completes_its_task() -> None:
    start = a_case(**{DA_SPECIALIST_REFERRAL: TaskState(True, NOW)})
    da = refer(referral_type="domestic_abuse_specialist", partner_id="somerset-da-service",
               data_categories=["case_summary", "person_at_risk"])
    with pytest.raises(InvalidChange) as refused:
        request_referral(start, DA_SERVICE, da, OFFICER, NOW, ids())
    assert refused.value.errors[0].field == "consent"
    change = request_referral(start, DA_SERVICE, da.model_copy(update={
        "consent": True, "without_consent_reason": None}), OFFICER, NOW, ids())
    assert [(t.kind, t.due_at) for t in change.tasks] == [(DA_SPECIALIST_REFERRAL, None)]



def _da_referral_requested(start: CaseFolder) -> tuple[CaseFolder, str]:
    body = refer(referral_type="domestic_abuse_specialist", partner_id="somerset-da-service",
                 consent=True, without_consent_reason=None,
                 data_categories=["case_summary", "person_at_risk"])
    change = request_referral(start, DA_SERVICE, body, OFFICER, NOW, ids())
    (disclosure,) = of(change, "Disclosure")
    return applied(change, start), disclosure["disclosure_id"]


def test_a_refused_specialist_referral_opens_its_task_again_unless_another_stands() -> None:
    start = a_case(**{DA_SPECIALIST_REFERRAL: TaskState(True, NOW + timedelta(hours=6))})
    start = replace(start, case=start.case.model_copy(update={"pathway": "domestic_abuse"}))
    after, first = _da_referral_requested(start)
    assert not after.tasks[DA_SPECIALIST_REFERRAL].open
    later = NOW + timedelta(hours=8)  # after 17:00: due by the end of the next working day's
    no = DisclosureDecisionIn(approved=False, reason="Not enough detail given here to refer.")
    change = decide_referral(after, DA_SERVICE, first, no, MANAGER, later, ids(), PERSONS)
    assert [(t.kind, t.due_at) for t in change.tasks] == [
        (DA_SPECIALIST_REFERRAL, specialist_referral_due(later))]
    with pytest.raises(RuleBroken, match="specialist"):  # no warning letter before one is made
        letters._after_the_specialist_referral(applied(change, after))
    both, second = _da_referral_requested(after)  # a second one still stands
    assert decide_referral(both, DA_SERVICE, first, no, MANAGER, later, ids(), PERSONS).tasks == []
    assert second != first

# ------------------------------------------------------------------ the prompt and its task
def test_self_harm_prompts_a_referral_until_one_is_made_since() -> None:
    start = a_case(SELF_HARM, **{SAFEGUARDING_REFERRAL: TaskState(True, NOW)})
    shown = safeguarding.prompt(start)
    assert shown is not None and shown["referral_made"] is False
    assert shown["prompted_by"][0]["question"] == "self_harm_risk"
    after, _ = requested(start)
    assert after.tasks[SAFEGUARDING_REFERRAL].open is False
    assert safeguarding.prompt(after) is None
    assert safeguarding.prompt(a_case()) is None  # no self-harm answer


def test_a_refused_referral_opens_the_task_again_while_the_prompt_stands() -> None:
    after, disclosure_id = requested(a_case(SELF_HARM, **{
        SAFEGUARDING_REFERRAL: TaskState(True, NOW)}))
    change = decide_referral(after, ADULTS, disclosure_id, DisclosureDecisionIn(
        approved=False, reason="Not enough on the risk yet: speak to them first."), MANAGER,
        NOW, ids(), PERSONS)
    refused = applied(change, after)
    assert refused.tasks[SAFEGUARDING_REFERRAL].open
    assert safeguarding.prompt(refused) is not None


def test_a_reassessment_opens_the_task_when_self_harm_turns_yes_and_closes_it_after() -> None:
    (opened,) = safeguarding.prompt_tasks(a_case(), SELF_HARM, NOW)
    assert opened.kind == SAFEGUARDING_REFERRAL and opened.due_at is not None
    assert opened.due_at.date() == NOW.date()  # the same working day
    start = a_case(SELF_HARM, **{SAFEGUARDING_REFERRAL: TaskState(True, NOW)})
    (done,) = safeguarding.prompt_tasks(start, {"level": "standard", "reasons": []}, NOW)
    assert done.due_at is None
    made = a_case(SELF_HARM, **{SAFEGUARDING_REFERRAL: TaskState(False, None)})
    assert safeguarding.prompt_tasks(made, SELF_HARM, NOW) == []  # still yes: no new task


def test_the_task_due_after_hours_is_the_next_working_day() -> None:
    friday_evening = datetime(2026, 12, 4, 18, 30, tzinfo=UTC)
    assert safeguarding.referral_task_due(friday_evening).date() == date(2026, 12, 7)


# ------------------------------------------------------------------ decision, package, outcome
def test_the_requester_does_not_decide_and_the_package_names_the_person_at_risk() -> None:
    screened = screen_vulnerability(a_case(), "p-1", screening(
        {"type": "personal", "kind": "mental_health", "note": "Depression"}, concerns=True),
        OFFICER, NOW, ids()).parties[0].party
    start = replace(a_case(), parties={"p-1": screened, "p-2": PERPETRATOR})
    after, disclosure_id = requested(start)
    decision = DisclosureDecisionIn(approved=True, reason="Risk to life: s42 duty applies.")
    with pytest.raises(NotAllowed):
        decide_referral(after, ADULTS, disclosure_id, decision, OFFICER, NOW, ids(), PERSONS)
    by_manager = request_referral(start, ADULTS, refer(), MANAGER, NOW, ids())
    own_id = of(by_manager, "Disclosure")[0]["disclosure_id"]
    with pytest.raises(RuleBroken):  # someone other than the requester decides
        decide_referral(applied(by_manager, start), ADULTS, own_id, decision, MANAGER, NOW,
                        ids(), PERSONS)
    change = decide_referral(after, ADULTS, disclosure_id, decision, MANAGER, NOW, ids(),
                             PERSONS)
    (approved,) = of(change, "Disclosure")
    package = approved["package"]
    at_risk = package["person_at_risk"]
    assert (at_risk["name"], at_risk["email"]) == ("Alex Morgan", "alex@example.org")
    assert at_risk["vulnerabilities"][0]["name"] == "Mental health condition"
    assert at_risk["safeguarding_concerns"] is True
    referral = package["safeguarding_referral"]
    assert referral["consent"] is False and "Chris Day" not in referral["without_consent_reason"]
    assert "perpetrators" not in package and "Chris Day" not in str(package["incidents"])
    assert change.events[0].type == "DisclosureApproved"


def sent_referral() -> dict[str, Any]:
    after, disclosure_id = requested(a_case())
    change = decide_referral(after, ADULTS, disclosure_id, DisclosureDecisionIn(
        approved=True, reason="Risk to life: s42 duty applies."), MANAGER, NOW, ids(), PERSONS)
    (approved,) = of(change, "Disclosure")
    step = sent({**approved, "case_reference": REF}, "council", NOW, ids())
    return step.records[0].data


def test_acknowledged_its_outcome_falls_due_ten_working_days_after_it_was_sent() -> None:
    ack = PartnerAcknowledgement(type="acknowledgement", partner_id=ADULTS["partner_id"],
                                 case_reference=REF, disclosure_id=sent_referral()[
                                     "disclosure_id"], received_at=NOW, received_by="Pat Reid")
    step = acknowledged(sent_referral() | {"disclosure_id": ack.disclosure_id}, ack, NOW, ids())
    assert step is not None
    waiting = step.records[0].data
    assert waiting["due_kind"] == SAFEGUARDING_OUTCOME
    assert waiting["title"] == "Chase the outcome of a safeguarding referral"
    assert datetime.fromisoformat(waiting["due_at"]).date() == date(2026, 12, 16)


def outcome_message(disclosure_id: str, **changes: Any) -> ReferralOutcome:
    return ReferralOutcome.model_validate({
        "type": "referral_outcome", "partner_id": ADULTS["partner_id"], "case_reference": REF,
        "disclosure_id": disclosure_id, "outcome": "enquiry_or_assessment",
        "decided_on": "2026-12-02", "decided_by": "Pat Reid", **changes})


def test_the_partners_outcome_ends_the_chase_once_however_often_it_comes() -> None:
    referral = sent_referral()
    step = referral_outcome(referral, outcome_message(referral["disclosure_id"]), NOW, ids())
    assert step is not None and step.expected_status == "sent"
    answered, line = (r.data for r in step.records)
    assert answered["status"] == "answered" and "due_kind" not in answered
    assert answered["outcome"]["outcome"] == "enquiry_or_assessment"
    assert line["action"] == "outcome received"
    assert referral_outcome(answered, outcome_message(referral["disclosure_id"]), NOW) is None
    with pytest.raises(NotFromPartner):
        referral_outcome(referral, outcome_message(referral["disclosure_id"],
                                                   partner_id="avon-somerset-police"), NOW)
    with pytest.raises(NotFromPartner):
        referral_outcome(referral, outcome_message(referral["disclosure_id"],
                                                   decided_on="2026-12-09"), NOW)



class AcknowledgedMeanwhileStore:
    """One referral, written on condition of its status as the table does; the partner's
    acknowledgement lands between the outcome's read and its write (the first write only)."""

    def __init__(self, referral: dict[str, Any]) -> None:
        self.referral, self.ack_pending, self.writes = referral, True, 0

    def partner(self, partner_id: str) -> dict[str, Any] | None:
        return ADULTS if partner_id == ADULTS["partner_id"] else None

    def disclosure(self, reference: str, disclosure_id: str) -> dict[str, Any] | None:
        return dict(self.referral)

    def apply(self, step: PartnerStep) -> bool:
        if self.ack_pending:
            self.ack_pending = False
            ack = PartnerAcknowledgement(
                type="acknowledgement", partner_id=ADULTS["partner_id"], case_reference=REF,
                disclosure_id=self.referral["disclosure_id"], received_at=NOW,
                received_by="Pat Reid")
            landed = acknowledged(self.referral, ack, NOW, ids())
            assert landed is not None
            self.referral = landed.records[0].data
        if step.expected_status != self.referral["status"]:
            return False
        self.referral, self.writes = step.records[0].data, self.writes + 1
        return True


def test_an_outcome_whose_acknowledgement_lands_meanwhile_is_read_again_not_lost() -> None:
    store = AcknowledgedMeanwhileStore({**sent_referral(), "case_reference": REF})
    inbound = Inbound(cast(DeliveryStore, store), FixedClock(NOW), lambda *_: [], ids())
    message = outcome_message(store.referral["disclosure_id"]).model_dump(mode="json")
    assert inbound.receive(message, "AIDAADULTS") == "outcome recorded"
    assert store.writes == 1 and store.referral["status"] == "answered"
    assert store.referral["outcome"]["outcome"] == "enquiry_or_assessment"
    assert inbound.receive(message, "AIDAADULTS") == "outcome already recorded"
    assert store.writes == 1

def test_an_officer_records_an_outcome_told_by_phone_only_once_it_was_sent() -> None:
    referral = sent_referral()
    start = replace(a_case(), disclosures={
        referral["disclosure_id"]: Disclosure.model_validate(referral)})
    body = ReferralOutcomeIn(outcome="no_further_action", decided_on=date(2026, 12, 1),
                             decided_by="Pat Reid", summary="Known to the GP, support in place")
    change = record_outcome(start, referral["disclosure_id"], body, OFFICER, NOW, ids())
    (answered,) = of(change, "Disclosure")
    assert answered["status"] == "answered" and answered["outcome"]["recorded_by"] == \
        "staff:o.hughes"
    waiting, disclosure_id = requested(a_case())
    with pytest.raises(RuleBroken):
        record_outcome(waiting, disclosure_id, body, OFFICER, NOW, ids())


def test_retention_erases_the_screening_and_the_reason_without_consent() -> None:
    screened = screen_vulnerability(a_case(), "p-1", screening(
        {"type": "personal", "kind": "mental_health", "note": "Depression"}),
        OFFICER, NOW, ids()).parties[0].party
    start = a_case()
    closed = start.case.model_copy(update={"status": "closed", "closed_at": NOW,
                                           "retain_until": date(2026, 12, 1)})
    referral = sent_referral()
    plan = erase_plan(StoredCase(closed, (), (StoredRecord(
        "DISCLOSURE#x", "Disclosure", frozenset(referral)),), parties=(screened,)), NOW, "a-1")
    party = next(e for e in plan.items if e.sort_key == "PARTY#p-1")
    assert "vulnerability" in party.remove
    disclosure = next(e for e in plan.items if e.sort_key == "DISCLOSURE#x")
    assert "without_consent_reason" in disclosure.overwrite


# ------------------------------------------------------------------ where else it shows
def test_triage_opens_the_task_once_when_self_harm_is_answered_yes() -> None:
    start = a_case()
    case = start.case.model_copy(update={"officer_answers": {"self_harm_risk": True},
                                         "opened_at": NOW})
    decision = decide(replace(start, case=case), [], NOW)
    (task,) = [t for t in decision.new_tasks if t.kind == SAFEGUARDING_REFERRAL]
    assert task.title == "Consider a safeguarding referral"
    again = decide(replace(start, case=case, tasks={
        SAFEGUARDING_REFERRAL: TaskState(False, None)}), [], NOW)
    assert SAFEGUARDING_REFERRAL not in [t.kind for t in again.new_tasks]
    assert SAFEGUARDING_REFERRAL not in [t.kind for t in decide(start, [], NOW).new_tasks]


def test_the_sweep_escalates_both_kinds_when_late() -> None:
    assert {SAFEGUARDING_REFERRAL, SAFEGUARDING_OUTCOME} <= set(SWEPT_KINDS)
    late = DueTask(REF, SAFEGUARDING_OUTCOME, NOW, officer="o.hughes", team="yeovil")
    action = action_for(late, NOW + timedelta(hours=1))
    assert action.next_kind == f"{SAFEGUARDING_OUTCOME}:escalated"
    assert action.event.type == "SafeguardingOutcomeOverdue"


def screened_victim() -> CaseFolder:
    screened = screen_vulnerability(a_case(), "p-1", screening(
        {"type": "personal", "kind": "mental_health", "note": "Depression"}, concerns=True),
        OFFICER, NOW, ids()).parties[0].party
    referral = sent_referral()
    return replace(a_case(SELF_HARM), parties={"p-1": screened, "p-2": PERPETRATOR}, disclosures={
        referral["disclosure_id"]: Disclosure.model_validate(referral)})


def test_their_own_screening_and_the_referrals_about_them_are_in_subject_access() -> None:
    start = screened_victim()
    mine = party_section(start.parties["p-1"], start)
    assert mine["your_vulnerabilities"]["recorded"][0]["what"] == "Mental health condition"
    assert mine["your_vulnerabilities"]["safeguarding_concerns"] is True
    (referral,) = mine["safeguarding_referrals_about_you"]
    assert referral["to"] == "Somerset Adult Social Care"
    assert referral["legal_route"].startswith("DPA 2018 Schedule 1 paragraph 18")
    theirs = party_section(start.parties["p-2"], start)  # the alleged perpetrator's
    assert theirs["your_vulnerabilities"] is None
    assert theirs["safeguarding_referrals_about_you"] == []


def test_their_vulnerability_notes_in_subject_access_name_no_one_else() -> None:
    start = screened_victim()
    noted = screen_vulnerability(start, "p-1", screening(
        {"type": "personal", "kind": "mental_health",
         "note": "Depression since Chris Day and his brother Sam Day moved in next door"}),
        OFFICER, NOW, ids()).parties[0].party
    mine = party_section(noted, start, own=["Alex Morgan"],
                         party_identifiers=["Chris Day", "Sam Day"])
    (recorded,) = mine["your_vulnerabilities"]["recorded"]
    assert "Day" not in recorded["note"] and recorded["note"].startswith("Depression since")

def test_the_persons_page_flags_what_was_recorded_for_them() -> None:
    start = screened_victim()
    page = person_page(PERSONS["person-a"], [start], hidden=0)
    recorded = [(f.kind, f.text, f.type) for f in page.vulnerability
                if f.kind in ("recorded", "safeguarding_concerns")]
    assert recorded == [("recorded", "Mental health condition: Depression", "personal"),
                        ("safeguarding_concerns", "Safeguarding concerns", None)]
    assert not [f for f in person_page(PERSONS["person-b"], [start], hidden=0).vulnerability
                if f.kind == "recorded"]


def test_retention_erases_an_outcomes_words_and_who_gave_it() -> None:
    referral = sent_referral()
    outcome = referral_outcome(referral, outcome_message(
        referral["disclosure_id"], summary="Pat visited; Alex Morgan has a care plan now"), NOW,
        ids())
    assert outcome is not None
    answered = outcome.records[0].data
    closed = a_case().case.model_copy(update={"status": "closed", "closed_at": NOW,
                                              "retain_until": date(2026, 12, 1)})
    plan = erase_plan(StoredCase(closed, (), (StoredRecord(
        "DISCLOSURE#x", "Disclosure", frozenset(answered),
        parts={"outcome": answered["outcome"]}),)), NOW, "a-1")
    erased = next(e for e in plan.items if e.sort_key == "DISCLOSURE#x").overwrite["outcome"]
    assert erased["outcome"] == "enquiry_or_assessment"  # what was decided stays
    assert "Alex" not in str(erased) and "Pat Reid" not in str(erased)
