"""Powers the landlord does not hold, asked of a partner, as plain functions: who may be asked,
against whom, what the package carries (the respondent and the evidence; the reporter never,
unless they consented), the manager's decision on the measure, and the partner's outcome back
onto the case - once, however often it is delivered."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import pytest
from pydantic import TypeAdapter, ValidationError

from asb.case.change import CaseChange, CaseFolder
from asb.case.models import CaseStatus, Report
from asb.case.parties import Party, Role
from asb.case.records import Disclosure, Measure
from asb.case.retention import StoredCase, StoredRecord, erase_plan
from asb.case.tasks import DISCLOSURE_DECISION, ORDER_REVIEW
from asb.enforcement.dates import deadline_records
from asb.enforcement.measures import update_measure
from asb.enforcement.models import MeasureStatusIn, StepBody
from asb.enforcement.steps import take_step
from asb.intake.service import new_report, parse_submission
from asb.kernel.clock import FixedClock
from asb.kernel.errors import InvalidChange, RuleBroken, VersionConflict
from asb.kernel.staff import NotAllowed, StaffMember
from asb.partners.delivery import DeliveryStore, Inbound, Publisher
from asb.partners.messages import NotFromPartner
from asb.partners.models import DisclosureDecisionIn, PowerOutcome, PowerRequestIn
from asb.partners.power_requests import (
    decide_power_request,
    power_outcome,
    request_power,
)
from asb.partners.signing import Signer
from infra.local.partners import SEEDS
from tests.conftest import sample_event
from tests.unit.test_disclosures import folder, report
from tests.unit.test_parties import a_party, a_person

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
ANSWERED = NOW + timedelta(days=8)  # the partner's outcome, decided on 10 December
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")
MANAGER = StaffMember("m.jones", frozenset({"manager"}), "yeovil")
COUNCIL = {**SEEDS["south-somerset-council"], "partner_id": "south-somerset-council"}
POLICE = {**SEEDS["avon-somerset-police"], "partner_id": "avon-somerset-police"}
MEDIATION = {**SEEDS["west-mediation"], "partner_id": "west-mediation"}
RESPONDENT = a_party("p-2", None, Role.ALLEGED_PERPETRATOR, reference="ASB-2026-000123",
                     report_id="r1")
COMPLAINANT = a_party("p-1", None, Role.COMPLAINANT, reference="ASB-2026-000123",
                      report_id="r1")
_COUNTER = itertools.count(1)


def ids() -> Any:
    return lambda: f"00000000-0000-4000-8000-{next(_COUNTER):012d}"


def a_case(*parties: Any) -> CaseFolder:
    start = folder(report("r1", "Alex Morgan", "Chris Day",
                          "Chris Day played music all night; Alex Morgan could not sleep."))
    return replace(start, parties={p.party_id: p for p in parties or (COMPLAINANT, RESPONDENT)})


def ask(**changes: Any) -> PowerRequestIn:
    return PowerRequestIn.model_validate({
        "power": "community_protection_notice", "partner_id": "south-somerset-council",
        "evidence_summary": "Alex Morgan logged music from Chris Day's flat on 14 nights.",
        "rationale": "Warnings failed; a CPN can require the music to stop at night.",
        "equality_impact": "No known disability; support offered at the interview.",
        **changes})


def applied(change: CaseChange, into: CaseFolder) -> CaseFolder:
    """The folder as the store would read it back after the change."""
    measures, disclosures = dict(into.measures), dict(into.disclosures)
    for record in change.records:
        if record.entity == "Measure":
            measures[record.record_id] = Measure.model_validate(record.data)
        if record.entity == "Disclosure":
            disclosures[record.record_id] = Disclosure.model_validate(record.data)
    return replace(into, case=change.case, measures=measures, disclosures=disclosures)


def of(change: CaseChange, entity: str) -> list[dict[str, Any]]:
    return [r.data for r in change.records if r.entity == entity]


def asked(start: CaseFolder | None = None, partner: dict[str, Any] = COUNCIL,
          **changes: Any) -> tuple[CaseFolder, str]:
    start = start or a_case()
    change = request_power(start, partner, ask(**changes), OFFICER, NOW, ids())
    (disclosure,) = of(change, "Disclosure")
    return applied(change, start), disclosure["disclosure_id"]


def decided(start: CaseFolder, disclosure_id: str, approved: bool = True,
            partner: dict[str, Any] = COUNCIL) -> tuple[CaseFolder, CaseChange]:
    change = decide_power_request(start, partner, disclosure_id, DisclosureDecisionIn(
        approved=approved, reason="Necessary to ask the council under s115."), MANAGER, NOW,
        ids())
    return applied(change, start), change


def test_a_power_asked_of_a_partner_is_a_measure_it_holds_and_a_request_to_share() -> None:
    change = request_power(a_case(), COUNCIL, ask(), OFFICER, NOW, ids())
    (measure,) = of(change, "Measure")
    (disclosure,) = of(change, "Disclosure")
    (log,) = of(change, "DisclosureLog")
    assert measure["measure"] == "community_protection_notice" and measure["legal"] is True
    assert (measure["status"], measure["approval"]) == ("requested", "pending")
    assert measure["held_by"] == "south-somerset-council" and measure["party_id"] == "p-2"
    assert "due_kind" not in measure  # the request, not the measure, waits for the manager
    assert measure["reporting_year"] == 2026  # counted in the year's figures as any measure
    assert disclosure["kind"] == "power_request" and disclosure["due_kind"] == DISCLOSURE_DECISION
    assert disclosure["measure_id"] == measure["record_id"]
    assert disclosure["data_categories"] == ["actions_taken", "case_summary",
                                             "incident_details", "perpetrator_details"]
    assert log["action"] == "requested" and log["legal_route_text"] == (
        "Crime and Disorder Act 1998 s115")
    assert change.audit.action == "PowerRequested"


def test_only_a_partner_that_holds_the_power_is_asked() -> None:
    with pytest.raises(RuleBroken, match="asked of the police"):
        request_power(a_case(), COUNCIL, ask(power="criminal_behaviour_order"), OFFICER, NOW)
    with pytest.raises(RuleBroken, match="cannot be asked"):
        request_power(a_case(), MEDIATION, ask(partner_id="west-mediation"), OFFICER, NOW)
    with pytest.raises(ValidationError, match="does not hold"):
        ask(power="civil_injunction")  # the landlord's own: recorded as a measure
    request_power(a_case(), POLICE, ask(power="criminal_behaviour_order",
                                        partner_id="avon-somerset-police"), OFFICER, NOW)


def test_a_power_is_asked_against_an_alleged_perpetrator_once_at_a_time() -> None:
    with pytest.raises(InvalidChange) as none:
        request_power(a_case(COMPLAINANT), COUNCIL, ask(), OFFICER, NOW)
    assert none.value.errors[0].field == "party_id"
    with pytest.raises(InvalidChange) as complainant:
        request_power(a_case(), COUNCIL, ask(party_id="p-1"), OFFICER, NOW)
    assert "not one" in complainant.value.errors[0].message
    waiting, disclosure_id = asked()
    with pytest.raises(RuleBroken, match="wait for its outcome"):
        request_power(waiting, COUNCIL, ask(), OFFICER, NOW)
    refused, _ = decided(waiting, disclosure_id, approved=False)
    assert request_power(refused, COUNCIL, ask(), OFFICER, NOW).records  # asked again


def test_the_reporter_is_named_only_with_consent_the_agreement_allows() -> None:
    with pytest.raises(RuleBroken, match="even with their consent"):
        request_power(a_case(), COUNCIL, ask(reporter_consent=True, reporter_party_id="p-1"),
                      OFFICER, NOW)
    closed = a_case()
    closed = replace(closed, case=closed.case.model_copy(update={"status": CaseStatus.CLOSED}))
    with pytest.raises(RuleBroken, match="closed"):
        request_power(closed, COUNCIL, ask(), OFFICER, NOW)


def package_of(change: CaseChange) -> dict[str, Any]:
    (event,) = change.events
    return dict(event.detail["package"])


def test_the_package_names_the_respondent_and_never_the_reporter() -> None:
    waiting, disclosure_id = asked()
    after, change = decided(waiting, disclosure_id)
    package = package_of(change)
    assert package["respondent"]["name"] == "Chris Day"
    assert package["power_request"]["power"] == "community_protection_notice"
    assert package["power_request"]["evidence_summary"] == (
        "[###] logged music from Chris Day's flat on 14 nights.")
    assert "Alex" not in json.dumps(package) and "alex@" not in json.dumps(package)
    assert "equality" not in json.dumps(package)  # kept by the landlord
    assert "reporter" not in package and "perpetrator_details" in package["data_categories"]
    measure = next(iter(after.measures.values()))
    assert (measure.status, measure.approval) == ("requested", "approved")

    consenting = {**COUNCIL, "data_categories": [*COUNCIL["data_categories"], "reporter_details"]}
    waiting, disclosure_id = asked(partner=consenting, reporter_consent=True,
                                   reporter_party_id="p-1")
    package = package_of(decided(waiting, disclosure_id, partner=consenting)[1])
    assert package["reporter"]["name"] == "Alex Morgan"


def test_a_refused_request_withdraws_the_measure_and_sends_nothing() -> None:
    waiting, disclosure_id = asked()
    after, change = decided(waiting, disclosure_id, approved=False)
    assert change.events == []
    measure = next(iter(after.measures.values()))
    assert (measure.status, measure.approval) == ("withdrawn", "refused")
    assert measure.history[-1].note.startswith("Not asked of South Somerset")


def sent(start: CaseFolder, disclosure_id: str) -> tuple[CaseFolder, dict[str, Any], Measure]:
    after, _ = decided(start, disclosure_id)
    disclosure = {**after.disclosures[disclosure_id].as_stored(),
                  "case_reference": after.case.reference, "status": "sent"}
    return after, disclosure, next(iter(after.measures.values()))


def outcome(disclosure_id: str, **changes: Any) -> PowerOutcome:
    return PowerOutcome.model_validate({
        "type": "power_outcome", "partner_id": "south-somerset-council",
        "case_reference": "ASB-2026-000123", "disclosure_id": disclosure_id,
        "outcome": "issued", "decided_on": "2026-12-10", "decided_by": "Jo Baxter",
        "terms": ["No amplified music audible outside the flat from 11pm to 7am"],
        "expires_on": "2027-12-10", **changes})


def test_the_partners_outcome_lands_on_the_measure_once() -> None:
    start, disclosure_id = asked()
    after, disclosure, measure = sent(start, disclosure_id)
    change = power_outcome(after.case, disclosure, measure, outcome(disclosure_id),
                           ANSWERED, deadline_records, ids())
    assert change is not None and change.expected_version == after.case.version
    (granted,) = of(change, "Measure")
    assert granted["status"] == "granted" and granted["expires_on"] == "2027-12-10"
    assert granted["order"]["kind"] == "community protection notice"
    assert granted["history"][-1]["by"] == "partner:south-somerset-council"
    (review,) = of(change, "Deadline")
    assert review["due_kind"] == ORDER_REVIEW and review["on"] == "2027-12-10"
    assert "community protection notice ends" in review["title"]
    (answered,) = of(change, "Disclosure")
    assert answered["status"] == "answered" and "due_kind" not in answered
    assert of(change, "DisclosureLog")[0]["action"] == "outcome received"
    assert change.audit.actor == "partner:south-somerset-council"
    # Delivered again: the request is answered, nothing changes.
    assert power_outcome(after.case, answered, measure, outcome(disclosure_id), ANSWERED,
                         deadline_records) is None


def test_a_refusal_makes_nothing_due_and_a_stranger_changes_nothing() -> None:
    start, disclosure_id = asked()
    after, disclosure, measure = sent(start, disclosure_id)
    refused = power_outcome(after.case, disclosure, measure, outcome(
        disclosure_id, outcome="refused", terms=[], expires_on=None,
        reason="Not enough evidence of the detrimental effect yet"), ANSWERED, deadline_records)
    assert refused is not None and of(refused, "Measure")[0]["status"] == "refused"
    assert of(refused, "Deadline") == []
    with pytest.raises(NotFromPartner):
        power_outcome(after.case, disclosure, measure,
                      outcome(disclosure_id, partner_id="avon-somerset-police"), ANSWERED,
                      deadline_records)
    with pytest.raises(NotFromPartner, match="not sent"):
        power_outcome(after.case, {**disclosure, "status": "approved"}, measure,
                      outcome(disclosure_id), ANSWERED, deadline_records)
    with pytest.raises(ValidationError):
        outcome(disclosure_id, outcome="refused")  # a refusal with terms and an end
    with pytest.raises(ValidationError):
        outcome(disclosure_id, expires_on="2026-12-09")


def test_an_order_made_after_closure_keeps_the_case_six_years_after_it_ends() -> None:
    start, disclosure_id = asked()
    after, disclosure, measure = sent(start, disclosure_id)
    closed = after.case.model_copy(update={
        "status": CaseStatus.CLOSED, "closed_at": NOW, "retain_until": date(2032, 12, 2)})
    change = power_outcome(closed, disclosure, measure, outcome(
        disclosure_id, outcome="made", expires_on="2029-06-30"), ANSWERED, deadline_records)
    assert change is not None and change.case.retain_until == date(2035, 6, 30)
    assert of(change, "Measure")[0]["order"]["kind"] == "community protection notice"


class CaseMovedOnceStore:
    """The inbound service's store over one case: the first commit finds that an officer
    changed the case meanwhile (as the case's version condition would), the next one lands."""

    def __init__(self, folder: CaseFolder, disclosure: dict[str, Any], measure: Measure) -> None:
        self.case, self.disclosure, self.measure = folder.case, disclosure, measure
        self.conflicts, self.commits = 1, 0

    def partner(self, partner_id: str) -> dict[str, Any] | None:
        return {**COUNCIL, "sender_ids": ["AIDACOUNCIL"]} if partner_id == COUNCIL[
            "partner_id"] else None

    def power_request(self, reference: str, disclosure_id: str) -> Any:
        return self.case, self.disclosure, self.measure

    def commit(self, change: CaseChange) -> None:
        if self.conflicts:
            self.conflicts -= 1
            self.case = self.case.model_copy(update={"version": self.case.version + 1})
            raise VersionConflict("changed meanwhile")
        assert change.expected_version == self.case.version
        self.commits += 1
        self.case = change.case
        self.disclosure = of(change, "Disclosure")[0]
        self.measure = Measure.model_validate(of(change, "Measure")[0])


def test_the_inbound_service_reads_again_after_a_conflict_and_records_once() -> None:
    start, disclosure_id = asked()
    after, disclosure, measure = sent(start, disclosure_id)
    store = CaseMovedOnceStore(after, disclosure, measure)
    inbound = Inbound(cast(DeliveryStore, store), FixedClock(ANSWERED), deadline_records, ids())
    message = outcome(disclosure_id).model_dump(mode="json")
    assert inbound.receive(message, "AIDACOUNCIL") == "outcome recorded"
    assert inbound.receive(message, "AIDACOUNCIL") == "outcome already recorded"
    assert store.commits == 1 and store.measure.status == "granted"
    with pytest.raises(NotFromPartner):
        inbound.receive(message, "AIDASOMEONEELSE")


def test_the_landlord_records_only_a_breach_an_end_or_a_withdrawal_of_a_partners_power() -> None:
    start, disclosure_id = asked()
    after, disclosure, measure = sent(start, disclosure_id)
    change = power_outcome(after.case, disclosure, measure, outcome(disclosure_id), ANSWERED,
                           deadline_records)
    assert change is not None
    granted = applied(change, after)
    (measure_id,) = granted.measures
    step = TypeAdapter(StepBody).validate_python
    with pytest.raises(RuleBroken, match="South Somerset District Council's to use"):
        take_step(granted, measure_id, step({
            "step": "applied", "applied_on": "2026-12-11", "court": "Yeovil County Court"}),
            OFFICER, NOW + timedelta(days=10))
    breached = take_step(granted, measure_id, step({
        "step": "breach", "on": "2026-12-12", "what": "Music at 2am, heard from the street."}),
        OFFICER, NOW + timedelta(days=11))
    assert of(breached, "Measure")[0]["status"] == "breached"


def test_a_partners_power_is_not_moved_on_by_a_plain_status() -> None:
    start, disclosure_id = asked()
    approved, _ = decided(start, disclosure_id)
    (measure_id,) = approved.measures
    with pytest.raises(RuleBroken, match="comes back from them"):
        update_measure(approved, measure_id, MeasureStatusIn(
            status="granted", note="The council says it has issued it."), OFFICER, NOW)


DPO = StaffMember("d.price", frozenset({"dpo"}), None)


def test_only_a_manager_decides_a_power_request_as_legal_action() -> None:
    waiting, disclosure_id = asked()
    with pytest.raises(NotAllowed, match="manager"):
        decide_power_request(waiting, COUNCIL, disclosure_id, DisclosureDecisionIn(
            approved=True, reason="Necessary to ask the council under s115."), DPO, NOW, ids())


def test_an_outcome_dated_out_of_range_or_after_it_came_is_refused() -> None:
    start, disclosure_id = asked()
    after, disclosure, measure = sent(start, disclosure_id)
    for day in ("0001-01-01", "9999-12-30"):
        with pytest.raises(ValidationError, match="decided_on"):
            outcome(disclosure_id, decided_on=day, expires_on=None)
    with pytest.raises(ValidationError, match="expires_on"):
        outcome(disclosure_id, expires_on="9999-12-31")
    with pytest.raises(NotFromPartner, match="decided_on"):  # decided 10 December, came the 9th
        power_outcome(after.case, disclosure, measure, outcome(disclosure_id),
                      ANSWERED - timedelta(days=1), deadline_records, ids())


def test_retention_erases_the_words_a_power_request_keeps() -> None:
    start, disclosure_id = asked()
    decided_on, _ = decided(start, disclosure_id, approved=False)
    stored = decided_on.disclosures[disclosure_id].as_stored()
    closed = start.case.model_copy(update={
        "status": CaseStatus.CLOSED, "closed_at": NOW, "retain_until": NOW.date()})
    item = StoredRecord("DISCLOSURE#x", "Disclosure", frozenset(k for k, v in stored.items() if v))
    (erased,) = [i for i in erase_plan(StoredCase(closed, (), (item,)), NOW, "a").items
                 if i.sort_key == "DISCLOSURE#x"]
    assert {"evidence_summary", "reason", "necessity", "purpose"} <= set(erased.overwrite)


def withdraw(start: CaseFolder) -> CaseChange:
    (measure_id,) = start.measures
    return take_step(start, measure_id, TypeAdapter(StepBody).validate_python(
        {"step": "withdrawn", "note": "The music stopped: no longer needed."}), OFFICER, NOW,
        ids())


def test_withdrawing_a_partners_power_withdraws_its_request_before_it_leaves() -> None:
    for approved in (False, True):  # waiting for the manager; approved, not yet published
        start, disclosure_id = asked()
        if approved:
            start, _ = decided(start, disclosure_id)
        change = withdraw(start)
        (request,) = of(change, "Disclosure")
        assert request["status"] == "withdrawn" and request["withdrawn_by"] == "o.hughes"
        assert "due_kind" not in request and "due_at" not in request  # off the manager's list
        (log,) = of(change, "DisclosureLog")
        assert log["action"] == "withdrawn" and log["reason"].startswith("The music stopped")
        assert of(change, "Measure")[0]["status"] == "withdrawn"
        with pytest.raises(RuleBroken, match="withdrawn"):
            decided(applied(change, start), disclosure_id)


def test_a_withdrawn_measure_is_never_decided_nor_granted() -> None:
    start, disclosure_id = asked()
    change = withdraw(start)
    # A measure withdrawn before requests were withdrawn with it: its request still waits.
    only_measure = replace(change, records=of_entity(change, "Measure"))
    with pytest.raises(RuleBroken, match="was withdrawn: nothing is asked of South Somerset"):
        decided(applied(only_measure, start), disclosure_id)

    start, disclosure_id = asked()
    after, disclosure, _ = sent(start, disclosure_id)
    after = replace(after, disclosures={disclosure_id: Disclosure.model_validate(disclosure)})
    change = withdraw(after)
    assert of(change, "Disclosure") == []  # the partner has it: its answer is still logged
    withdrawn = applied(change, after)
    measure = withdrawn.measures[next(iter(withdrawn.measures))]
    answer = power_outcome(withdrawn.case, disclosure, measure, outcome(disclosure_id),
                           ANSWERED, deadline_records, ids())
    assert answer is not None
    assert of(answer, "Measure") == [] and of(answer, "Deadline") == []
    (answered,) = of(answer, "Disclosure")
    assert answered["status"] == "answered"
    (log,) = of(answer, "DisclosureLog")
    assert log["action"] == "outcome received" and "had been withdrawn" in log["reason"]
    assert power_outcome(withdrawn.case, answered, measure, outcome(disclosure_id), ANSWERED,
                         deadline_records) is None  # delivered again: not retried forever


def of_entity(change: CaseChange, entity: str) -> list[Any]:
    return [r for r in change.records if r.entity == entity]


CONSENTING = {**COUNCIL, "data_categories": [*COUNCIL["data_categories"], "reporter_details"]}


def test_the_reporter_named_is_the_one_the_request_says_agreed() -> None:
    for changes, field in (({"reporter_consent": True}, "reporter_party_id"),
                           ({"reporter_party_id": "p-1"}, "reporter_consent"),
                           ({"reporter_consent": True, "reporter_party_id": "p-2"},
                            "reporter_party_id")):
        with pytest.raises(InvalidChange) as refused:
            request_power(a_case(), CONSENTING, ask(**changes), OFFICER, NOW)
        assert refused.value.errors[0].field == field
    anonymous = replace(a_case(), reports=[*a_case().reports, report(
        "r2", None, "Chris Day", "Music again.")], parties={
        "p-1": COMPLAINANT, "p-2": RESPONDENT,
        "p-3": a_party("p-3", None, Role.COMPLAINANT, report_id="r2")})
    with pytest.raises(InvalidChange, match="Some answers"):
        request_power(anonymous, CONSENTING, ask(reporter_consent=True, reporter_party_id="p-3"),
                      OFFICER, NOW)


def supported(report_id: str) -> Report:
    """Sam Lee's report, with their daughter copied in."""
    data = json.loads(sample_event("intake-valid-json")["body"])
    data["reporter"].update(name="Sam Lee", email="sam.lee@example.org", phone="07700 900111",
                            supporter={"name": "Mary Quinn", "email": "mary.quinn@example.org",
                                       "phone": "07700 900555", "relationship": "daughter",
                                       "reporter_agrees": True})
    data["perpetrator"] = {"known": True, "name": "Chris Day", "address": "14 Day Road"}
    return new_report(parse_submission(data, NOW), "ASB-2026-000123", "api", NOW, report_id)


def test_every_other_person_of_the_case_is_taken_out_and_the_consenting_reporter_named() -> None:
    """A second reporter (with a supporter) who agreed to be named, a witness an officer added:
    the package names the one who agreed - not the first reporter - and no one else."""
    start = a_case()
    start = replace(start, reports=[*start.reports, supported("r2")], parties={
        "p-1": COMPLAINANT, "p-2": replace_party(RESPONDENT, "person-chris"),
        "p-3": a_party("p-3", "person-sam", Role.COMPLAINANT, report_id="r2"),
        "p-4": a_party("p-4", "person-pat", Role.WITNESS).model_copy(
            update={"added_by": "staff:o.hughes"})})
    persons = {"person-chris": a_person("person-chris", name="Chris Day"),
               "person-sam": a_person("person-sam", name="Sam Lee", phone="07700 900111"),
               "person-pat": a_person("person-pat", name="Pat Quigley", phone="07700 900999",
                                      address="16 Elm Road, Yeovil")}
    change = request_power(start, CONSENTING, ask(
        reporter_consent=True, reporter_party_id="p-3",
        evidence_summary="Pat Quigley of 16 Elm Road (07700900999) and Mary Quinn "
                         "(mary.quinn@example.org) heard Chris Day's music; Alex Morgan too."),
        OFFICER, NOW, ids())
    waiting = applied(change, start)
    (disclosure_id,) = waiting.disclosures
    decision = decide_power_request(waiting, CONSENTING, disclosure_id, DisclosureDecisionIn(
        approved=True, reason="Necessary to ask the council under s115."), MANAGER, NOW, ids(),
        persons)
    package = package_of(decision)
    assert package["reporter"]["name"] == "Sam Lee"
    assert package["power_request"]["evidence_summary"] == (
        "[###] of [###] ([###]) and [###] ([###]) heard Chris Day's music; [###] too.")
    assert "Alex" not in json.dumps(package) and "Quigley" not in json.dumps(package)


def replace_party(party: Party, person_id: str) -> Party:
    return party.model_copy(update={"person_id": person_id})


class OneDisclosure:
    """The publisher's store over one request, and a queue that records what is sent on it."""

    def __init__(self, disclosure: dict[str, Any]) -> None:
        self.found, self.sent = disclosure, 0

    def disclosure(self, reference: str, disclosure_id: str) -> dict[str, Any]:
        return self.found

    def send(self, queue_url: str, body: str, attributes: dict[str, Any]) -> None:
        self.sent += 1


def test_the_publisher_says_a_request_withdrawn_after_approval_was_not_sent() -> None:
    start, disclosure_id = asked()
    approved, change = decided(start, disclosure_id)
    withdrawn = applied(withdraw(approved), approved)
    store = OneDisclosure(withdrawn.disclosures[disclosure_id].as_stored())
    publisher = Publisher(cast(DeliveryStore, store), store, cast(Signer, None),
                          {"council": "https://queue"}, FixedClock(NOW))
    (event,) = change.events
    assert publisher.publish(event.model_dump(mode="json")) == "withdrawn, not sent"
    assert store.sent == 0
