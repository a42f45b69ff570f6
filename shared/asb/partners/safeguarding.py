"""Safeguarding referrals (ASB-REFERENCE 7a): adult (Care Act 2014 s42), child (Working Together
2023), MARAC and specialist domestic abuse referrals about a person at risk, made through the
partner machinery as a request to share of kind `safeguarding_referral`: checked against the
agreement, decided by someone other than the requester (a manager or the DPO), minimised,
signed, sent, acknowledged and logged at each step; then its outcome is due back, chased on the
DueWork index until the partner's message or an officer's record of it ends it.

With the person's consent the legal route is their consent; without it - only where there is a
risk of harm, the reason recorded - DPA 2018 Schedule 1 paragraph 18. Plain functions, each one
CaseChange (or, for a partner's message, one PartnerStep)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from asb.case.change import (
    CaseChange,
    CaseFolder,
    NewId,
    Record,
    TaskChange,
    audit_entry,
    bump,
)
from asb.case.minimisation import build_package, contact_identifiers, withhold
from asb.case.models import CaseStatus
from asb.case.parties import Party, Person
from asb.case.records import Disclosure
from asb.case.safeguarding import (
    SAFEGUARDING_REFERRAL_KIND,
    prompting,
    referral_task_due,
    referrals_made,
    working_days_from,
)
from asb.case.sharing import log_entry
from asb.case.targets import local_day, specialist_referral_due
from asb.case.tasks import (
    DA_SPECIALIST_REFERRAL,
    DISCLOSURE_DECISION,
    DUE_TITLES,
    SAFEGUARDING_REFERRAL,
    TASK_TITLES,
)
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.partners.disclosures import _check_against_agreement, decide_disclosure, due_on_index
from asb.partners.messages import NotFromPartner, PartnerStep
from asb.partners.models import (
    DisclosureDecisionIn,
    ReferralOutcome,
    ReferralOutcomeIn,
    SafeguardingReferralIn,
)
from asb.policy.config import (
    DISCLOSURE_DECISION_WORKING_DAYS,
    SAFEGUARDING_OUTCOMES,
    SAFEGUARDING_REFERRAL_TYPES,
    SAFEGUARDING_URGENT_DECISION_WORKING_DAYS,
    SAFEGUARDING_WITHOUT_CONSENT_ROUTE,
    VULNERABILITY_KINDS,
)

PERSON_AT_RISK = "person_at_risk"  # the data category that names them
ANSWERED = "answered"
WAITING_FOR_OUTCOME = ("sent", "acknowledged")
_UNDUE = ("due_kind", "due_at", "title")


def _invalid(field: str, message: str) -> InvalidChange:
    return InvalidChange([FieldError(field, message)])


# ------------------------------------------------------------------ the officer's referral
def request_referral(folder: CaseFolder, partner: dict[str, Any], body: SafeguardingReferralIn,
                     by: StaffMember, now: datetime,
                     new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """The referral, waiting for a decision (by the end of the working day when urgent); making
    it completes the task to consider one, and a specialist domestic abuse referral the
    domestic abuse pathway's task to make one."""
    case = folder.case
    if case.anonymised_at:
        raise RuleBroken("The case was anonymised: there is nothing to share")
    if case.status == CaseStatus.CLOSED:
        raise RuleBroken("The case is closed: reopen it first, with a reason")
    kind = SAFEGUARDING_REFERRAL_TYPES[body.referral_type]
    if partner["kind"] not in kind.partner_kinds:
        raise _invalid("partner_id", f"{partner['name']} does not take a {kind.label} referral: "
                                     f"choose a partner of kind {' or '.join(kind.partner_kinds)}")
    party = _person_at_risk(folder, body.party_id)
    legal_route = _legal_route(body)
    if PERSON_AT_RISK not in body.data_categories:
        raise _invalid("data_categories", "A safeguarding referral names the person at risk: "
                                          f"include {PERSON_AT_RISK}")
    _check_against_agreement(partner, legal_route, body.data_categories, body.consent,
                             SAFEGUARDING_REFERRAL_KIND)
    decision_due = (_urgent_decision_due(now) if body.urgent
                    else due_on_index(DISCLOSURE_DECISION, now, DISCLOSURE_DECISION_WORKING_DAYS))
    disclosure_id = new_id()
    disclosure = {
        "record_id": disclosure_id, "at": now.isoformat(), "disclosure_id": disclosure_id,
        "direction": "outbound", "kind": SAFEGUARDING_REFERRAL_KIND,
        "referral_type": body.referral_type, "partner_id": partner["partner_id"],
        "partner_name": partner["name"], "purpose": body.purpose, "necessity": body.necessity,
        "legal_route": legal_route, "subject": PERSON_AT_RISK, "party_id": party.party_id,
        "data_categories": body.data_categories, "consent": body.consent,
        "without_consent_reason": body.without_consent_reason, "urgent": body.urgent,
        "status": "requested", "requested_by": by.username, "requested_at": now.isoformat(),
        "officer": case.officer, "team": case.team, "case_reference": case.reference,
        **decision_due,
    }
    if body.without_consent_reason is None:
        del disclosure["without_consent_reason"]
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "SafeguardingReferralRequested", now, new_id, after={
            "disclosure_id": disclosure_id, "partner_id": partner["partner_id"],
            "referral_type": body.referral_type, "party_id": party.party_id,
            "consent": body.consent, "legal_route": legal_route, "urgent": body.urgent}),
        records=[Record("Disclosure", disclosure_id, now, disclosure, replace=True),
                 log_entry(disclosure, "requested", now, by.username, new_id,
                           reason=body.without_consent_reason)],
        tasks=_tasks_done(folder, body.referral_type))


def _urgent_decision_due(now: datetime) -> dict[str, Any]:
    """By the end of the working day it is now; made after 17:00 or on a day off, of the next
    (never overdue the moment it is made)."""
    due = working_days_from(now, SAFEGUARDING_URGENT_DECISION_WORKING_DAYS)
    return {"due_kind": DISCLOSURE_DECISION, "due_at": due.isoformat(),
            "title": DUE_TITLES[DISCLOSURE_DECISION]}


def _person_at_risk(folder: CaseFolder, party_id: str) -> Party:
    party = folder.parties.get(party_id)
    if party is None or not party.active:
        raise _invalid("party_id", "No such party on this case: add the person at risk as a "
                                   "party first")
    return party


def _legal_route(body: SafeguardingReferralIn) -> str:
    """Consent, or DPA 2018 Sch 1 para 18 with the reason recorded: never neither."""
    if body.consent:
        if body.without_consent_reason is not None:
            raise _invalid("without_consent_reason", "The person agreed: a reason for going "
                                                     "without their consent does not apply")
        return "consent"
    kind = SAFEGUARDING_REFERRAL_TYPES[body.referral_type]
    if not kind.without_consent:
        raise _invalid("consent", f"A {kind.label} referral needs the person's consent; at "
                                  "risk of serious harm without it, refer to MARAC")
    if body.without_consent_reason is None:
        raise _invalid("without_consent_reason", "Without consent, record the risk of harm "
                                                  "that makes the referral necessary (DPA 2018 "
                                                  "Schedule 1 paragraph 18)")
    return SAFEGUARDING_WITHOUT_CONSENT_ROUTE


def _tasks_done(folder: CaseFolder, referral_type: str) -> list[TaskChange]:
    done = [SAFEGUARDING_REFERRAL]
    if referral_type == "domestic_abuse_specialist":
        done.append(DA_SPECIALIST_REFERRAL)
    return [TaskChange(kind, None, TASK_TITLES.get(kind, kind), "safeguarding referral made")
            for kind in done if (state := folder.tasks.get(kind)) is not None and state.open]


# ------------------------------------------------------------------ the decision and package
def decide_referral(folder: CaseFolder, partner: dict[str, Any], disclosure_id: str,
                    body: DisclosureDecisionIn, by: StaffMember, now: datetime,
                    new_id: NewId = lambda: str(uuid.uuid4()),
                    persons: Mapping[str, Person] | None = None) -> CaseChange:
    """Decided as any request to share, the package built by `referral_package`. Refused, no
    referral was made: the task to consider one opens again while the safeguarding prompt still
    stands and no other referral is made, and a specialist domestic abuse referral's own task
    while no other specialist referral stands (so a warning letter still waits for one)."""
    change = decide_disclosure(
        folder, partner, disclosure_id, body, by, now, new_id,
        build=lambda f, request, agreement: referral_package(f, request, agreement,
                                                             persons or {}))
    if body.approved:
        return change
    return replace(change, tasks=[*change.tasks, *_reopened(folder, disclosure_id, now)])


def _reopened(folder: CaseFolder, disclosure_id: str, now: datetime) -> list[TaskChange]:
    """The tasks a referral not made leaves to do again (done, and no other referral made)."""
    others = [d for d in referrals_made(folder) if d.disclosure_id != disclosure_id]
    refused = folder.disclosures[disclosure_id]
    reopened = []
    consider = folder.tasks.get(SAFEGUARDING_REFERRAL)
    if not others and prompting(folder.case.risk) and not (consider and consider.open):
        reopened.append(TaskChange(SAFEGUARDING_REFERRAL, referral_task_due(now),
                                   TASK_TITLES[SAFEGUARDING_REFERRAL]))
    specialist = "domestic_abuse_specialist"
    if _referral_type(refused) == specialist and _done(folder, DA_SPECIALIST_REFERRAL) \
            and not any(_referral_type(d) == specialist for d in others):
        reopened.append(TaskChange(DA_SPECIALIST_REFERRAL, specialist_referral_due(now),
                                   TASK_TITLES[DA_SPECIALIST_REFERRAL]))
    return reopened


def _done(folder: CaseFolder, kind: str) -> bool:
    """The case had the task and it is done (a case that never had it is not given it)."""
    task = folder.tasks.get(kind)
    return task is not None and not task.open


def _referral_type(disclosure: Disclosure) -> str | None:
    found = disclosure.as_stored().get("referral_type")
    return None if found is None else str(found)


def referral_package(folder: CaseFolder, request: dict[str, Any], agreement: dict[str, Any],
                     persons: Mapping[str, Person]) -> dict[str, Any]:
    """What the partner receives: the case as any package has it (reporters and alleged
    perpetrators taken out of free text), the referral's type, basis and reasons (every other
    party taken out), and the person at risk: their details, roles and vulnerabilities."""
    allowed = set(agreement["data_categories"])
    categories = sorted(set(request["data_categories"]) & allowed)
    package = build_package(folder, {**request, "data_categories": [
        c for c in categories if c != PERSON_AT_RISK]}, agreement)
    party = folder.parties.get(str(request.get("party_id")))
    withheld = _others(folder, party, persons)
    kind = SAFEGUARDING_REFERRAL_TYPES[request["referral_type"]]
    package |= {
        "data_categories": categories,
        "safeguarding_referral": {
            "referral_type": request["referral_type"], "name": kind.label,
            "consent": bool(request.get("consent")), "urgent": bool(request.get("urgent")),
            "without_consent_reason": withhold(request.get("without_consent_reason"), withheld),
            "why": withhold(request.get("necessity"), withheld)},
    }
    if PERSON_AT_RISK in categories and party is not None:
        package[PERSON_AT_RISK] = _at_risk(folder, party, persons)
    return package


def _others(folder: CaseFolder, party: Party | None,
            persons: Mapping[str, Person]) -> list[str]:
    """Every other party's person, to take out of the officer's words."""
    own = persons.get(party.person_id or "") if party else None
    keep = {i.lower() for i in _identifiers(own)}
    return [i for p in folder.parties.values() if party is None or p.party_id != party.party_id
            for i in _identifiers(persons.get(p.person_id or "")) if i.lower() not in keep]


def _identifiers(person: Person | None) -> list[str]:
    if person is None:
        return []
    return contact_identifiers(person.name, person.address, person.email, person.phone)


def _at_risk(folder: CaseFolder, party: Party, persons: Mapping[str, Person]) -> dict[str, Any]:
    details: Any = persons.get(party.person_id or "")
    if details is None:  # a reporter known only by their report
        report = next((r for r in folder.reports if r.report_id == party.report_id), None)
        details = report.submission.reporter if report else None
    screening = party.vulnerability
    return {
        "party_id": party.party_id, "roles": [r.value for r in party.roles],
        "name": getattr(details, "name", None), "email": getattr(details, "email", None),
        "phone": getattr(details, "phone", None), "address": getattr(details, "address", None),
        "postcode": getattr(details, "postcode", None),
        "vulnerabilities": [{"type": v.type, "kind": v.kind,
                             "name": VULNERABILITY_KINDS.get(v.kind, (v.type, v.kind))[1],
                             "note": v.note}
                            for v in (screening.vulnerabilities if screening else ())],
        "safeguarding_concerns": screening.safeguarding_concerns if screening else None,
    }


# ------------------------------------------------------------------ the outcome
def _outcome_record(disclosure: dict[str, Any], outcome: str, decided_on: Any, decided_by: str,
                    summary: str | None, recorded_by: str, now: datetime) -> dict[str, Any]:
    return {**{k: v for k, v in disclosure.items() if k not in _UNDUE}, "status": ANSWERED,
            "answered_at": now.isoformat(),
            "outcome": {"outcome": outcome, "decided_on": decided_on.isoformat(),
                        "decided_by": decided_by, "recorded_by": recorded_by,
                        "recorded_at": now.isoformat(),
                        **({"summary": summary} if summary else {})}}


def _said(outcome: str, decided_on: Any, decided_by: str) -> str:
    return f"{SAFEGUARDING_OUTCOMES[outcome]} on {decided_on.isoformat()} by {decided_by}"


def referral_outcome(disclosure: dict[str, Any] | None, message: ReferralOutcome,
                     now: datetime,
                     new_id: NewId = lambda: str(uuid.uuid4())) -> PartnerStep | None:
    """The partner's outcome: the referral answered (off the DueWork index) and a log line, on
    condition that it is still as read; None when it was recorded already."""
    if disclosure is None or disclosure.get("kind") != SAFEGUARDING_REFERRAL_KIND \
            or disclosure["partner_id"] != message.partner_id:
        raise NotFromPartner("the outcome names no safeguarding referral sent to this partner")
    if disclosure["status"] == ANSWERED:
        return None
    if disclosure["status"] not in WAITING_FOR_OUTCOME:
        raise NotFromPartner(f"the referral is {disclosure['status']}, not sent")
    if message.decided_on > local_day(now):
        raise NotFromPartner("decided_on is after the outcome was received")
    actor = f"partner:{message.partner_id}"
    answered = _outcome_record(disclosure, message.outcome, message.decided_on,
                               message.decided_by, message.summary, actor, now)
    return PartnerStep(disclosure["case_reference"], [
        Record("Disclosure", disclosure["disclosure_id"], now, answered, replace=True),
        log_entry(disclosure, "outcome received", now, actor, new_id,
                  received_by=message.decided_by,
                  reason=_said(message.outcome, message.decided_on, message.decided_by))],
        expected_status=disclosure["status"])


def record_outcome(folder: CaseFolder, disclosure_id: str, body: ReferralOutcomeIn,
                   by: StaffMember, now: datetime,
                   new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """An officer's record of the outcome the partner gave them (by phone, by letter)."""
    case = folder.case
    found = folder.disclosures.get(disclosure_id)
    if found is None or found.kind != SAFEGUARDING_REFERRAL_KIND:
        raise UnknownRecord(f"No safeguarding referral {disclosure_id} on this case")
    if found.status not in WAITING_FOR_OUTCOME:
        raise RuleBroken(f"This referral is {found.status}: an outcome is recorded only once it "
                         "was sent")
    if body.decided_on > local_day(now):
        raise _invalid("decided_on", "The partner's decision cannot be after today")
    disclosure = {**found.as_stored(), "case_reference": case.reference}
    answered = _outcome_record(disclosure, body.outcome, body.decided_on, body.decided_by,
                               body.summary, f"staff:{by.username}", now)
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "SafeguardingOutcomeRecorded", now, new_id, after={
            "disclosure_id": disclosure_id, "outcome": body.outcome}),
        records=[Record("Disclosure", disclosure_id, now, answered, replace=True),
                 log_entry(disclosure, "outcome recorded", now, by.username, new_id,
                           received_by=body.decided_by,
                           reason=_said(body.outcome, body.decided_on, body.decided_by))])
