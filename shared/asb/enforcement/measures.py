"""Using a tool or power on a case, as plain functions: recording it (only a power the landlord
holds, possession and demotion only against a tenant of ours, legal action with its equality
impact note and on the manager's list until decided), the manager's decision, and the plain
status moves older clients send. Each returns one CaseChange."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from asb.case.change import CaseChange, CaseFolder, NewId, Record, audit_entry, bump, domain_event
from asb.case.enforcement import Interview
from asb.case.good_neighbour import require_asb_case
from asb.case.homes import HomesRegister
from asb.case.models import Case, CaseStatus
from asb.case.parties import Party, Role
from asb.case.powers import party_is_our_tenant, perpetrator_is_our_tenant
from asb.case.records import Measure, MeasureChange
from asb.case.targets import end_of_day, local_day
from asb.case.tasks import DUE_TITLES, LEGAL_APPROVAL, LEGAL_APPROVAL_WORKING_DAYS
from asb.enforcement.dates import deadline_records
from asb.enforcement.models import ApprovalIn, MeasureIn, MeasureStatusIn
from asb.enforcement.steps import COURT_MEASURES, absolute_ground, agreement
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.policy.config import GOOD_NEIGHBOUR_TOOLS, HOLDER_WORDS, TOOL_CATALOGUE
from asb.policy.reporting_year import year_of
from asb.policy.working_days import add_working_days

# Tools whose record says something of their own: it comes with them.
_DETAILS = {"interview": "interview", "acceptable_behaviour_agreement": "agreement"}


def _open(folder: CaseFolder) -> Case:
    if folder.case.status == CaseStatus.CLOSED:
        raise RuleBroken("The case is closed: reopen it first, with a reason")
    return folder.case


def _invalid(field: str, message: str) -> InvalidChange:
    return InvalidChange([FieldError(field, message)])


def record_measure(folder: CaseFolder, body: MeasureIn, by: StaffMember, now: datetime,
                   new_id: NewId = lambda: str(uuid.uuid4()),
                   register: HomesRegister | None = None) -> CaseChange:
    """`register`: the landlord's homes register, which possession and demotion need (without
    it they are refused)."""
    case = _open(folder)
    tool = TOOL_CATALOGUE[body.measure]
    if body.measure not in GOOD_NEIGHBOUR_TOOLS:  # advice and mediation only, until it is ASB
        require_asb_case(case, f"record {tool.name.lower()}")
    if not tool.ours:
        raise RuleBroken(f"{tool.name} is a power of {HOLDER_WORDS[tool.held_by]}, not the "
                         f"landlord's: ask a partner for it (POST /cases/{case.reference}/"
                         "power-requests), with the evidence")
    if tool.tenancy_only and not (
            register and perpetrator_is_our_tenant(folder, register, local_day(now))):
        raise RuleBroken(f"{tool.name} is only open against a tenant of ours, and the alleged "
                         "perpetrator of this case is not tied to one of our tenancies current "
                         "today. Tie their party to their current tenancy first, or choose "
                         "another tool")
    if tool.legal and not body.equality_impact:
        raise _invalid("equality_impact", "Legal action needs an equality impact note (Equality Act 2010)")
    details = _details(folder, body, now)
    if tool.tenancy_only:
        _against_our_tenant(folder, details.get("party_id"), register, now, tool.name)
    waiting: dict[str, Any] = {  # on the DueWork index until a manager decides
        "due_kind": LEGAL_APPROVAL, "title": DUE_TITLES[LEGAL_APPROVAL],
        "due_at": end_of_day(add_working_days(local_day(now), LEGAL_APPROVAL_WORKING_DAYS)),
        "team": case.team, "officer": case.officer} if tool.legal else {}
    measure = Measure(record_id=new_id(), at=now, **body.model_dump(
        exclude={"party_id", "interview", "agreement", "absolute_ground"}),
        name=tool.name, legal=tool.legal,
        status="considered" if tool.legal else "applied",
        approval="pending" if tool.legal else "not needed", by=by.username,
        recorded_at=now, history=[], reporting_year=year_of(local_day(now)),
        year_on=local_day(now), **details, **waiting)
    record = Record("Measure", measure.record_id, now, measure.as_stored())
    return CaseChange(bump(case, now), case.version, audit_entry(
        case, by, "MeasureRecorded", now, new_id,
        after={"measure_id": record.record_id, "measure": body.measure, "legal": tool.legal,
               "status": measure.status, "party_id": measure.party_id}),
        records=[record, *deadline_records(case, None, measure, now)])


def _details(folder: CaseFolder, body: MeasureIn, now: datetime) -> dict[str, Any]:
    """The party it is against and the tool's own record (an interview, an agreement, the
    absolute ground's condition); a detail another tool would carry is refused."""
    for field in ("interview", "agreement"):
        if getattr(body, field) is not None and _DETAILS.get(body.measure) != field:
            raise _invalid(field, f"Only {'an interview' if field == 'interview' else 'an agreement'}"
                                  " has this")
    needed = _DETAILS.get(body.measure)
    if needed and getattr(body, needed) is None:
        raise _invalid(needed, f"Record the {needed} with it")
    if body.absolute_ground is not None and body.measure != "possession_absolute_ground":
        raise _invalid("absolute_ground", "Only the absolute ground has conditions")
    tool = TOOL_CATALOGUE[body.measure]
    if (tool.legal or body.measure in _AGAINST_SOMEONE) and body.subject not in (
            "perpetrator", "household"):
        raise _invalid("subject", f"{tool.name} is against an alleged perpetrator or their "
                                  "household")
    details: dict[str, Any] = {}
    party = _party(folder, body)
    if party is not None:
        details["party_id"] = party.party_id
    if body.interview is not None:
        if body.interview.held_on > local_day(now):
            raise _invalid("interview.held_on", "Record an interview once it is held")
        details["interview"] = Interview(**body.interview.model_dump())
    if body.agreement is not None:
        details["agreement"] = agreement(body.agreement)
    if body.absolute_ground is not None:
        details["absolute_ground"] = absolute_ground(body.absolute_ground, now, "absolute_ground")
    return details


# Whom a tool may name, by its subject: a warning, an agreement or legal action is against an
# alleged perpetrator (or, for "household", a member of their household).
_ROLES_FOR = {"perpetrator": {Role.ALLEGED_PERPETRATOR},
              "household": {Role.ALLEGED_PERPETRATOR, Role.HOUSEHOLD_MEMBER},
              "reporter": {Role.COMPLAINANT, Role.VICTIM}, "other": set(Role)}
_SUBJECT_WORDS = {"perpetrator": "an alleged perpetrator",
                  "household": "an alleged perpetrator or a member of their household",
                  "reporter": "a complainant or victim", "other": "a party"}
_AGAINST_SOMEONE = frozenset({"interview", "verbal_warning", "first_written_warning",
                              "final_written_warning", "acceptable_behaviour_agreement"})


def _party(folder: CaseFolder, body: MeasureIn) -> Party | None:
    """The party named, which must be on the case; unnamed, the case's one active alleged
    perpetrator (none is fine: an unknown perpetrator; two or more must be told apart)."""
    if body.party_id is not None:
        party = folder.parties.get(body.party_id)
        if party is None or not party.active:
            raise _invalid("party_id", "No such party on this case")
        if not set(party.roles) & _ROLES_FOR[body.subject]:
            raise _invalid("party_id", f"That party is not {_SUBJECT_WORDS[body.subject]} "
                                       "on this case")
        return party
    if body.subject != "perpetrator":
        return None
    perpetrators = [p for p in folder.parties.values()
                    if p.active and Role.ALLEGED_PERPETRATOR in p.roles]
    if len(perpetrators) > 1:
        raise _invalid("party_id", f"This case has {len(perpetrators)} alleged perpetrators: "
                                   "name the one it is against")
    return perpetrators[0] if perpetrators else None


def _against_our_tenant(folder: CaseFolder, party_id: str | None,
                        register: HomesRegister | None, now: datetime, name: str) -> None:
    """Possession and demotion are against one person, who must be our tenant today."""
    party = folder.parties.get(party_id) if party_id else None
    if party is None:
        raise _invalid("party_id", f"{name} is against one tenant: name their party")
    if register is None or not party_is_our_tenant(party, register, local_day(now)):
        raise RuleBroken(f"{name} is only open against a tenant of ours: that party is not "
                         "tied to one of our tenancies current today")


def _measure(folder: CaseFolder, measure_id: str) -> Measure:
    measure = folder.measures.get(measure_id)
    if measure is None:
        raise UnknownRecord(f"No tool or power {measure_id} on this case")
    return measure


def decide_measure(folder: CaseFolder, measure_id: str, body: ApprovalIn, by: StaffMember,
                   now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    by.require("manager")
    case = _open(folder)
    measure = _measure(folder, measure_id)
    if measure.held_by is not None:  # approved here, its request to share would never be sent
        raise RuleBroken(f"The {measure.name} is asked of {measure.partner_name}: decide it as "
                         f"the request to share (POST /cases/{case.reference}/disclosures/"
                         f"{measure.disclosure_id}/decision)")
    if not measure.legal:
        raise RuleBroken("Only legal action needs a manager's approval")
    if measure.approval != "pending":
        raise RuleBroken(f"This legal action was already {measure.approval}")
    decision = "approved" if body.approved else "refused"
    decided = measure.model_copy(update={"approval": decision, "approval_reason": body.reason,
                                         "approved_by": by.username, "approval_at": now})
    # Decided, it leaves the DueWork index; refused, its dates fall due no more.
    updated = {k: v for k, v in decided.as_stored().items()
               if k not in ("due_kind", "due_at", "title")}
    dates = deadline_records(case, measure, decided, now) if not body.approved else []
    return CaseChange(bump(case, now), case.version, audit_entry(
        case, by, f"LegalAction{decision.capitalize()}", now, new_id,
        before={"approval": "pending"}, after={"approval": decision, "reason": body.reason}),
        records=[Record("Measure", measure_id, now, updated, replace=True), *dates],
        events=[domain_event(case, f"LegalAction{decision.capitalize()}", now, new_id,
                       {"measure_id": measure_id, "measure": measure.measure})])


def update_measure(folder: CaseFolder, measure_id: str, body: MeasureStatusIn, by: StaffMember,
                   now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = _open(folder)
    measure = _measure(folder, measure_id)
    if measure.held_by is not None:
        raise RuleBroken(f"The {measure.name} is {measure.partner_name}'s to use: its outcome "
                         "comes back from them; record a breach or its end by its steps")
    if measure.measure in COURT_MEASURES:
        raise RuleBroken(f"{measure.name} moves on by its steps, each with its dates and checks "
                         f"(POST /cases/{case.reference}/measures/{measure_id}/steps): the "
                         "application, each hearing, the order, a breach, its end")
    allowed = ("considered", "applied", "granted", "refused", "breached", "expired") \
        if measure.legal else ("applied", "completed", "withdrawn")
    if body.status not in allowed:
        raise RuleBroken(f"A {'legal' if measure.legal else 'non-legal'} measure can be "
                         f"{', '.join(allowed)}")
    if measure.legal and body.status != "considered" and measure.approval != "approved":
        raise RuleBroken("Legal action needs a manager's approval before it goes further")
    step = MeasureChange(from_status=measure.status, to=body.status, note=body.note,
                         by=by.username, at=now)
    updated = measure.model_copy(update={
        "status": body.status, "history": [*measure.history, step],
        **({"expires_on": body.expires_on} if body.expires_on else {})})
    return CaseChange(bump(case, now), case.version, audit_entry(
        case, by, "MeasureUpdated", now, new_id, before={"status": measure.status},
        after={"status": body.status, "measure_id": measure_id}),
        records=[Record("Measure", measure_id, now, updated.as_stored(), replace=True),
                 *deadline_records(case, measure, updated, now)])
