"""Powers the landlord does not hold, asked of a partner (ASB-REFERENCE section 5): a Community
Protection Notice, a closure notice or order, a criminal behaviour order. The landlord's record
is a Measure held by the partner and a request to share - checked against the agreement,
decided by a manager or the DPO, minimised, signed and logged like any other - and the partner's
outcome when it comes back on the inbound queue. Plain functions, each one CaseChange."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from asb.case.change import CaseChange, CaseFolder, NewId, Record, audit_entry, bump
from asb.case.enforcement import Order, PartnerOrderKind
from asb.case.good_neighbour import require_asb_case
from asb.case.minimisation import (
    build_package,
    contact_identifiers,
    perpetrator_identifiers,
    reporter_identifiers,
    withhold,
)
from asb.case.models import AuditEntry, Case, CaseStatus, Report
from asb.case.parties import Party, Person, Role
from asb.case.records import Disclosure, Measure, MeasureChange
from asb.case.retention import retain_until
from asb.case.sharing import log_entry
from asb.case.targets import local_day
from asb.case.tasks import DISCLOSURE_DECISION
from asb.kernel.errors import InvalidChange, RuleBroken
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.partners.disclosures import (
    _check_against_agreement,
    decide_disclosure,
    due_on_index,
)
from asb.partners.messages import NotFromPartner
from asb.partners.models import DisclosureDecisionIn, PowerOutcome, PowerRequestIn
from asb.policy.config import (
    DATA_CATEGORIES,
    DISCLOSURE_DECISION_WORKING_DAYS,
    HOLDER_WORDS,
    TOOL_CATALOGUE,
)
from asb.policy.reporting_year import year_of

POWER_REQUEST = "power_request"  # the kind of its Disclosure record
# What a partner needs to decide on a power: the behaviour and its dates, who it is against;
# what the landlord has done already where the agreement allows it; the reporter only with
# their consent.
NEEDED = ("case_summary", "incident_details", "perpetrator_details")
IF_ALLOWED = ("actions_taken",)
ANSWERED = "answered"
_UNDUE = ("due_kind", "due_at", "title")

# The Deadline items a measure's dates make (asb.enforcement.dates.deadline_records, given by
# the composition root: capabilities do not import each other).
DeadlineRecords = Callable[[Case, Measure | None, Measure, datetime], list[Record]]


def _invalid(field: str, message: str) -> InvalidChange:
    return InvalidChange([FieldError(field, message)])


def request_power(folder: CaseFolder, partner: dict[str, Any], body: PowerRequestIn,
                  by: StaffMember, now: datetime,
                  new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = folder.case
    if case.status == CaseStatus.CLOSED:
        raise RuleBroken("The case is closed: reopen it first, with a reason")
    tool = TOOL_CATALOGUE[body.power]
    require_asb_case(case, f"ask for a {tool.name}")
    if partner["kind"] not in tool.ask_of:
        raise RuleBroken(f"{partner['name']} cannot be asked for a {tool.name}: it is a power of "
                         f"{HOLDER_WORDS[tool.held_by]}, asked of the "
                         f"{' or the '.join(tool.ask_of)}")
    respondent = _respondent(folder, body.party_id)
    named = _consenting_party(folder, body)
    _not_waiting_already(folder, body.power, respondent, tool.name)
    categories = _categories(partner, body.reporter_consent)
    _check_against_agreement(partner, body.legal_route, categories, body.reporter_consent,
                             POWER_REQUEST)
    measure_id, disclosure_id = new_id(), new_id()
    measure = Measure(
        record_id=measure_id, at=now, measure=body.power, name=tool.name, legal=True,
        rationale=body.rationale, equality_impact=body.equality_impact, subject="perpetrator",
        status="requested", approval="pending", by=by.username, recorded_at=now, history=[],
        party_id=respondent.party_id, held_by=partner["partner_id"],
        partner_name=partner["name"], disclosure_id=disclosure_id,
        reporting_year=year_of(local_day(now)), year_on=local_day(now))
    request = Disclosure.model_validate({
        "record_id": disclosure_id, "at": now, "disclosure_id": disclosure_id,
        "direction": "outbound", "kind": POWER_REQUEST, "partner_id": partner["partner_id"],
        "partner_name": partner["name"],
        "purpose": f"To ask {partner['name']} to consider a {tool.name} against the alleged "
                   "perpetrator",
        "necessity": body.rationale, "legal_route": body.legal_route, "subject": "perpetrator",
        "data_categories": categories, "consent": body.reporter_consent, "status": "requested",
        "requested_by": by.username, "requested_at": now, "officer": case.officer,
        "team": case.team, "power": body.power, "measure_id": measure_id,
        "party_id": respondent.party_id, "evidence_summary": body.evidence_summary,
        "reporter_party_id": named,
        **due_on_index(DISCLOSURE_DECISION, now, DISCLOSURE_DECISION_WORKING_DAYS),
    })
    disclosure = {**request.as_stored(), "case_reference": case.reference}
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "PowerRequested", now, new_id, after={
            "measure_id": measure_id, "disclosure_id": disclosure_id, "power": body.power,
            "partner_id": partner["partner_id"], "party_id": respondent.party_id}),
        records=[Record("Measure", measure_id, now, measure.as_stored()),
                 Record("Disclosure", disclosure_id, now, disclosure, replace=True),
                 log_entry(disclosure, "requested", now, by.username, new_id)])


def _respondent(folder: CaseFolder, party_id: str | None) -> Party:
    """The alleged perpetrator's party named, or the case's only one."""
    if party_id is not None:
        party = folder.parties.get(party_id)
        if party is None or not party.active:
            raise _invalid("party_id", "No such party on this case")
        if Role.ALLEGED_PERPETRATOR not in party.roles:
            raise _invalid("party_id", "A power is asked for against an alleged perpetrator: "
                                       "this party is not one")
        return party
    perpetrators = [p for p in folder.parties.values()
                    if p.active and Role.ALLEGED_PERPETRATOR in p.roles]
    if len(perpetrators) != 1:
        raise _invalid("party_id", "Name the alleged perpetrator's party it is against (this "
                                   f"case has {len(perpetrators)})")
    return perpetrators[0]


def _consenting_party(folder: CaseFolder, body: PowerRequestIn) -> str | None:
    """The reporter who agreed to be named: a complainant's party of the case, not anonymous."""
    if not body.reporter_consent:
        if body.reporter_party_id is not None:
            raise _invalid("reporter_consent", "A reporter is named only if they agreed: say so")
        return None
    if body.reporter_party_id is None:
        raise _invalid("reporter_party_id", "Say which reporter agreed to be named")
    party = folder.parties.get(body.reporter_party_id)
    if party is None or not party.complainant:
        raise _invalid("reporter_party_id", "No such reporter on this case")
    report = _report(folder, party.report_id)
    if party.person_id is None and (report is None or report.submission.reporter is None):
        raise _invalid("reporter_party_id", "This reporter is anonymous: there is no one to name")
    return party.party_id


def _not_waiting_already(folder: CaseFolder, power: str, respondent: Party, name: str) -> None:
    for measure in folder.measures.values():
        if measure.measure == power and measure.party_id == respondent.party_id \
                and measure.status == "requested":
            raise RuleBroken(f"A {name} against this party was already asked of "
                             f"{measure.partner_name} on {measure.recorded_at:%d %B %Y}: wait "
                             "for its outcome")


def _categories(partner: dict[str, Any], reporter_consent: bool) -> list[str]:
    allowed = set(partner["data_categories"])
    missing = [DATA_CATEGORIES[c].lower() for c in NEEDED if c not in allowed]
    if missing:
        raise RuleBroken(f"The agreement with {partner['name']} does not allow "
                         f"{'; '.join(missing)}: a partner cannot decide on a power without them")
    wanted = [*NEEDED, *(c for c in IF_ALLOWED if c in allowed)]
    if reporter_consent:
        if "reporter_details" not in allowed:
            raise RuleBroken(f"The agreement with {partner['name']} does not allow the "
                             "reporter's details, even with their consent")
        wanted.append("reporter_details")
    return sorted(wanted)


# ------------------------------------------------------------------ the manager's decision
def decide_power_request(folder: CaseFolder, partner: dict[str, Any], disclosure_id: str,
                         body: DisclosureDecisionIn, by: StaffMember, now: datetime,
                         new_id: NewId = lambda: str(uuid.uuid4()),
                         persons: Mapping[str, Person] | None = None) -> CaseChange:
    """Decided as any request to share (its package built by `power_package` from the case and
    its parties' `persons`); the measure
    records the decision in the same transaction - refused, it is withdrawn, never asked.
    Legal action: a manager decides it, as the landlord's own (the DPO cannot)."""
    by.require("manager")
    request = folder.disclosures.get(disclosure_id)
    measure = folder.measures.get(str(getattr(request, "measure_id", "")))
    if measure is not None and measure.status == "withdrawn":
        raise RuleBroken(f"The {measure.name} was withdrawn: nothing is asked of "
                         f"{measure.partner_name}")
    change = decide_disclosure(
        folder, partner, disclosure_id, body, by, now, new_id,
        build=lambda f, request, agreement: power_package(f, request, agreement, persons or {}))
    if measure is None:
        return change
    decision = "approved" if body.approved else "refused"
    update: dict[str, Any] = {"approval": decision, "approval_reason": body.reason,
                              "approved_by": by.username, "approval_at": now}
    if not body.approved:
        update |= {"status": "withdrawn", "history": [*measure.history, MeasureChange(
            from_status=measure.status, to="withdrawn", by=by.username, at=now,
            note=f"Not asked of {measure.partner_name}: {body.reason}")]}
    decided = measure.model_copy(update=update)
    return replace(change, records=[
        *change.records, Record("Measure", measure.record_id, now, decided.as_stored(),
                                replace=True)])


def power_package(folder: CaseFolder, request: dict[str, Any], agreement: dict[str, Any],
                  persons: Mapping[str, Person]) -> dict[str, Any]:
    """What the partner receives: the case and its incidents as any package has them (everyone
    taken out of free text), the respondent as reported, the officer's evidence summary and
    reasons (every other party's person, reporter and supporter taken out), what was done
    already; the reporter who agreed to be named, only with their consent."""
    allowed = set(agreement["data_categories"])
    categories = sorted(set(request["data_categories"]) & allowed)
    base = {**request, "subject": "perpetrator", "data_categories": [
        c for c in categories if c not in ("perpetrator_details", "reporter_details")]}
    package = build_package(folder, base, agreement)
    respondent = folder.parties.get(str(request.get("party_id")))
    named = _report(folder, respondent.report_id if respondent else None)
    withheld = _others(folder, named, respondent, persons)
    tool = TOOL_CATALOGUE[request["power"]]
    package |= {
        "data_categories": categories,
        "respondent": _as_reported(respondent, named, withheld),
        "power_request": {
            "power": request["power"], "name": tool.name,
            "held_by": HOLDER_WORDS[tool.held_by], "measure_id": request.get("measure_id"),
            "evidence_summary": withhold(request.get("evidence_summary"), withheld),
            "why": withhold(request.get("necessity"), withheld)},
    }
    reporter = _consenting_reporter(folder, request.get("reporter_party_id"), persons) \
        if "reporter_details" in categories and request.get("consent") else None
    if reporter is not None:
        package["reporter"] = reporter
    return package


def _report(folder: CaseFolder, report_id: str | None) -> Report | None:
    return next((r for r in folder.reports if r.report_id == report_id), None)


def _others(folder: CaseFolder, respondents_report: Report | None, respondent: Party | None,
            persons: Mapping[str, Person]) -> list[str]:
    """Every reporter and their supporter, and every other party's person (a witness, a
    household member, another alleged perpetrator, whoever an officer added), to take out of
    the officer's text; the respondent's own words are kept."""
    keep = {i.lower() for i in perpetrator_identifiers(respondents_report)} \
        if respondents_report else set()
    own = persons.get(respondent.person_id or "") if respondent else None
    keep |= {i.lower() for i in _identifiers(own)}
    found = [i for r in folder.reports for i in reporter_identifiers(r)]
    found += [i for r in folder.reports if r.submission.reporter is not None
              and r.submission.reporter.supporter is not None
              for i in contact_identifiers(r.submission.reporter.supporter.name, None,
                                           r.submission.reporter.supporter.email,
                                           r.submission.reporter.supporter.phone)]
    others = [persons.get(p.person_id or "") for p in folder.parties.values()
              if respondent is None or p.party_id != respondent.party_id]
    found += [i for r in folder.reports if r is not respondents_report
              for i in perpetrator_identifiers(r) if i.lower() not in keep]
    found += [i for person in others for i in _identifiers(person) if i.lower() not in keep]
    return found


def _identifiers(person: Person | None) -> list[str]:
    if person is None:
        return []
    return contact_identifiers(person.name, person.address, person.email, person.phone)


def _as_reported(party: Party | None, report: Report | None,
                 withheld: list[str]) -> dict[str, Any]:
    perpetrator = report.submission.perpetrator if report else None
    return {"party_id": party.party_id if party else None,
            "tenancy": party.tenancy.reference if party and party.tenancy else None,
            "name": perpetrator.name if perpetrator else None,
            "address": perpetrator.address if perpetrator else None,
            "description": withhold(perpetrator.description, withheld) if perpetrator else None}


def _consenting_reporter(folder: CaseFolder, party_id: Any,
                         persons: Mapping[str, Person]) -> dict[str, Any] | None:
    """The reporter the request names as having agreed: their person as the case knows them,
    else as their report gave them."""
    party = folder.parties.get(str(party_id)) if party_id else None
    if party is None:
        return None
    details: Any = persons.get(party.person_id or "")
    if details is None:
        report = _report(folder, party.report_id)
        details = report.submission.reporter if report else None
    if details is None:
        return None
    return {"name": details.name, "email": details.email, "phone": details.phone,
            "address": details.address}


# ------------------------------------------------------------------ the partner's outcome
def _order_kind(power: str, outcome: str) -> PartnerOrderKind:
    if power == "community_protection_notice":
        return "community protection notice"
    if power == "closure_order":
        return "closure notice" if outcome == "issued" else "closure order"
    return "criminal behaviour order"


def power_outcome(case: Case, disclosure: dict[str, Any] | None, measure: Measure | None,
                  message: PowerOutcome, now: datetime, deadlines: DeadlineRecords,
                  new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange | None:
    """The partner's outcome onto the case: the measure granted (the notice or order, its terms
    and end, which make its review due and keep the case for six years after it) or refused;
    the request answered; a log line and an audit entry. None when it was recorded already."""
    if disclosure is None or disclosure.get("kind") != POWER_REQUEST \
            or disclosure["partner_id"] != message.partner_id or measure is None:
        raise NotFromPartner("the outcome names no power asked of this partner")
    if disclosure["status"] == ANSWERED:
        return None
    if disclosure["status"] not in ("sent", "acknowledged"):
        raise NotFromPartner(f"the request is {disclosure['status']}, not sent")
    if message.decided_on > local_day(now):
        raise NotFromPartner("decided_on is after the outcome was received")
    actor = f"partner:{message.partner_id}"
    said = f"{measure.partner_name}: {message.outcome} on {message.decided_on.isoformat()} " \
           f"by {message.decided_by}" + (f" ({message.reason})" if message.reason else "")
    # Withdrawn after it was sent: the partner's answer is logged, the measure stays withdrawn.
    withdrawn = measure.status == "withdrawn"
    updated = measure if withdrawn else _decided(measure, message, said, actor, now)
    if withdrawn:
        said += f". The {measure.name} had been withdrawn: nothing changed"
    answered = {**{k: v for k, v in disclosure.items() if k not in _UNDUE},
                "status": ANSWERED, "answered_at": now.isoformat(), "outcome": message.outcome}
    changed = [] if withdrawn else [
        Record("Measure", measure.record_id, now, updated.as_stored(), replace=True),
        *deadlines(case, measure, updated, now)]
    return CaseChange(
        _kept_for_the_order(case, updated, now), case.version,
        AuditEntry(entry_id=new_id(), case_reference=case.reference, at=now, actor=actor,
                   action="PowerOutcomeRecorded", before={"status": measure.status},
                   after={"measure_id": measure.record_id, "outcome": message.outcome,
                          "status": updated.status,
                          "decided_on": message.decided_on.isoformat(),
                          "expires_on": message.expires_on.isoformat()
                          if message.expires_on else None}),
        records=[*changed,
                 Record("Disclosure", disclosure["disclosure_id"], now, answered, replace=True),
                 log_entry(disclosure, "outcome received", now, actor, new_id,
                           received_by=message.decided_by, reason=said)])


def _decided(measure: Measure, message: PowerOutcome, said: str, actor: str,
             now: datetime) -> Measure:
    """The measure granted (the notice or order, its terms and end) or refused."""
    granted = message.outcome != "refused"
    order = Order(kind=_order_kind(measure.measure, message.outcome),
                  made_on=message.decided_on, terms=list(message.terms),
                  expires_on=message.expires_on) if granted else None
    status = "granted" if granted else "refused"
    return measure.model_copy(update={
        "status": status, "order": order, "expires_on": message.expires_on,
        "history": [*measure.history, MeasureChange(from_status=measure.status, to=status,
                                                    note=said, by=actor, at=now)]})


def _kept_for_the_order(case: Case, measure: Measure, now: datetime) -> Case:
    """On a closed case an order made later moves when its records may be erased: six years
    after the order ends. An order only ever keeps a case longer."""
    if case.status != CaseStatus.CLOSED or case.closed_at is None:
        return bump(case, now)
    kept = retain_until(case.closed_at, [measure.as_stored()])
    if case.retain_until is not None:
        kept = max(kept, case.retain_until)
    return bump(case, now, retain_until=kept)
