"""The good-neighbour route (ASB-REFERENCE sections 1 and 7a; Housing Ombudsman "Time to be
heard", 2022): everyday living noise or lifestyle differences alone are not anti-social
behaviour. Such a report is kept exactly as a case is (its reference, its tracking link, never
lost) but as a good-neighbour request: advice, an offer of mediation and, where the sound may
be the building's fault, a property check (a repairs request), with no ASB case opened and
nothing counted in NM01. Its reporter may ask for it to be treated as ASB; an officer decides.

The rules here are shared by intake (which route), triage (the light follow-up, the property
check), the reporter's page (asking for ASB) and case work (the officer's decision)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asb.case.change import CaseChange, CaseFolder, NewId, TaskChange, audit_entry, bump, domain_event
from asb.case.models import AuditEntry, Case, CaseStatus, Report
from asb.case.risk import answers_from_report, assess
from asb.case.submission import ReportSubmission
from asb.case.targets import end_of_day, local_day
from asb.case.tasks import GOOD_NEIGHBOUR_DECISION, GOOD_NEIGHBOUR_FOLLOW_UP, TASK_TITLES
from asb.kernel.errors import RuleBroken
from asb.kernel.staff import StaffMember
from asb.policy.config import (
    GOOD_NEIGHBOUR_BEHAVIOURS,
    GOOD_NEIGHBOUR_DECISION_WORKING_DAYS,
    GOOD_NEIGHBOUR_FOLLOW_UP_WORKING_DAYS,
    PROPERTY_CHECK_WHAT,
)
from asb.policy.working_days import add_working_days

GOOD_NEIGHBOUR = "good_neighbour"
# The ByReportingYear partition (AsbOpened#<year>) of the requests moved to ASB: NM01 counts each
# in the reporting year it was moved (asb.dynamo.case_items, asb.reporting.regulator).
ASB_OPENED = "AsbOpened"
PROPERTY_CHECK_REQUESTED = "PropertyCheckRequested"

# What the reporter is told, on the confirmation page, in the JSON answer and in the first
# message: why it is not handled as ASB, what we will do, and how to ask for ASB.
WHY_NOT_ASB = ("Everyday living noise, like footsteps, doors, voices, appliances or children "
               "playing, and different ways of living are part of sharing a building. On their "
               "own they are not anti-social behaviour, so we are not opening an anti-social "
               "behaviour case.")
WHAT_WE_WILL_DO = ("We will send you advice on living well with neighbours and offer you "
                   "mediation: a free, independent service that helps neighbours agree what to "
                   "do.")
PROPERTY_CHECK = ("You told us the sound may come through a wall, floor or ceiling, so we "
                  "have asked our repairs team to check the building.")
HOW_TO_ASK = ("If you think this is anti-social behaviour, you can ask us to treat it as that "
              "through the link to your report's page. An officer will decide and tell you why.")


def raises_harm(report: ReportSubmission) -> bool:
    """Anything in the report that makes it more than everyday living: threats or violence, a
    hate incident or being targeted, feeling unsafe, or a risk above standard (self-harm makes
    it high whatever the score)."""
    harm = report.harm
    if report.is_hate_incident or harm.threats_or_violence or harm.feels_unsafe:
        return True
    return assess(answers_from_report(report)).level != "standard"


def takes_good_neighbour_route(report: ReportSubmission) -> bool:
    """Every behaviour is everyday living noise or lifestyle differences, and nothing raises
    harm."""
    behaviours = set(report.incident.behaviours)
    return bool(behaviours) and behaviours <= GOOD_NEIGHBOUR_BEHAVIOURS \
        and not raises_harm(report)


def wants_property_check(report: ReportSubmission) -> bool:
    """The reporter says the sound may come through a wall, floor or ceiling."""
    return report.incident.through_walls is True


def follow_up_due(now: datetime) -> datetime:
    """Send the advice pack and offer mediation: by the end of the policy's working days."""
    return end_of_day(add_working_days(local_day(now), GOOD_NEIGHBOUR_FOLLOW_UP_WORKING_DAYS))


def decision_due(now: datetime) -> datetime:
    """A reporter's request to treat it as ASB: decided by the end of the policy's days."""
    return end_of_day(add_working_days(local_day(now), GOOD_NEIGHBOUR_DECISION_WORKING_DAYS))


@dataclass(frozen=True)
class PropertyCheck:
    """What the repairs service needs, and nothing more: the home (its UPRN if it is in the
    register, its address and postcode), the neighbour's home if the register knows it, and
    what to check. Never who reported it, nor what they said."""

    uprn: str | None
    address: str
    postcode: str | None
    neighbouring_uprn: str | None
    what: str = PROPERTY_CHECK_WHAT

    def as_detail(self, requested_by: str) -> dict[str, Any]:
        return {"uprn": self.uprn, "address": self.address, "postcode": self.postcode,
                "neighbouring_uprn": self.neighbouring_uprn, "what": self.what,
                "requested_by": requested_by}


def property_check(case: Case, report: Report) -> PropertyCheck:
    location = report.submission.location
    return PropertyCheck(location.uprn, location.address, location.postcode or case.postcode,
                         report.perpetrator_home)


def told(reporter_asked_property_check: bool) -> str:
    """The whole explanation, as one paragraph."""
    parts = [WHY_NOT_ASB, WHAT_WE_WILL_DO]
    if reporter_asked_property_check:
        parts.append(PROPERTY_CHECK)
    parts.append(HOW_TO_ASK)
    return " ".join(parts)


def followed_up(folder: CaseFolder) -> list[TaskChange]:
    """A contact with a good-neighbour request's reporter is its follow-up done (the advice
    sent, mediation offered). Nothing of an ASB case's contact starts: no customer contact
    schedule (no ContactDue messages), no first-contact target."""
    follow_up = folder.tasks.get(GOOD_NEIGHBOUR_FOLLOW_UP)
    if follow_up is None or not follow_up.open:
        return []
    return [TaskChange(GOOD_NEIGHBOUR_FOLLOW_UP, None, TASK_TITLES[GOOD_NEIGHBOUR_FOLLOW_UP],
                       outcome="advice sent")]


# ------------------------------------------------------------------ asking for ASB, and deciding
ASB_REQUESTED = "AsbTreatmentRequested"
DECIDED = "GoodNeighbourDecided"
NOT_A_REQUEST = "This is already being handled as anti-social behaviour"
# Joined with an ASB case, a request's reports would count in NM01 (or an ASB case's not at all).
NOT_JOINED = ("A good-neighbour request is not an ASB case: decide whether it is ASB first "
              "(its decision), then join it")


def require_asb_case(case: Case, what: str) -> None:
    """`what` (an ASB Case Review, a warning, a tool against a neighbour) is for an ASB case: a
    good-neighbour request is refused until an officer decides it is ASB (409)."""
    if case.pathway == GOOD_NEIGHBOUR:
        raise RuleBroken(f"This is a good-neighbour request, not an ASB case: decide whether it "
                         f"is ASB first (its decision), then {what}")


def _a_request(folder: CaseFolder) -> Case:
    case = folder.case
    if case.status == CaseStatus.CLOSED:
        raise RuleBroken("This is closed. If it has started again, please make a new report.")
    if case.pathway != GOOD_NEIGHBOUR:
        raise RuleBroken(NOT_A_REQUEST)
    return case


def ask_for_asb(folder: CaseFolder, report: Report, reason: str, now: datetime,
                new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """The reporter asks, through their link, for it to be treated as ASB: due work for the
    team (GOOD_NEIGHBOUR_DECISION) until an officer decides. Asked again before the decision,
    their newer words replace the first (one decision answers both)."""
    case = _a_request(folder)
    request = {"report_id": report.report_id, "reason": reason, "at": now.isoformat()}
    task = TaskChange(GOOD_NEIGHBOUR_DECISION, decision_due(now),
                      TASK_TITLES[GOOD_NEIGHBOUR_DECISION])
    pending = case.asb_request is not None
    audit = AuditEntry(entry_id=new_id(), case_reference=case.reference, at=now,
                       actor="reporter:tracking-link", action=ASB_REQUESTED,
                       after={"report_id": report.report_id, "asked_again": pending})
    # Asked again: the task keeps the first request's due time.
    return CaseChange(bump(case, now, asb_request=request), case.version, audit,
                      tasks=[] if pending else [task])


def decide(folder: CaseFolder, treat_as_asb: bool, reason: str, by: StaffMember, now: datetime,
           new_id: NewId = lambda: str(uuid.uuid4()),
           matters: Mapping[str, str | None] | None = None) -> CaseChange:
    """An officer decides whether a good-neighbour request is ASB (asked by its reporter, or on
    their own judgement). Yes: it becomes an ASB case from now (asb_opened_at: NM01 counts it
    as opened today), its reports go to triage as a new case's do, and the follow-up ends; it
    claims its `matters` (the alleged perpetrator's tenancy of each report: key -> the other
    open case that holds it, None when free), so a later report about the same tenancy joins
    it. One another open case holds is not claimed: the decision says which case
    (`matter_held_by`), to join this one into it. No: the reason goes to the reporter who asked
    (or the first reporter), in the officer's words."""
    case = _a_request(folder)
    requested = case.asb_request or {}
    told = requested.get("report_id") or (folder.reports[0].report_id if folder.reports else None)
    decision: dict[str, Any] = {"treat_as_asb": treat_as_asb, "reason": reason,
                                "by": by.username, "at": now.isoformat(),
                                "asked_by_report": requested.get("report_id")}
    wanted = matters if treat_as_asb and matters else {}
    claimed = [key for key, holder in wanted.items() if holder is None]
    held_by = sorted({holder for holder in wanted.values() if holder})
    if held_by:  # claimed by another open case: join this one into it
        decision["matter_held_by"] = held_by
    done = [TaskChange(GOOD_NEIGHBOUR_DECISION, None, TASK_TITLES[GOOD_NEIGHBOUR_DECISION],
                       outcome="decided")] if GOOD_NEIGHBOUR_DECISION in folder.tasks else []
    audit = audit_entry(case, by, DECIDED, now, new_id,
                        before={"pathway": case.pathway},
                        after={"pathway": "asb" if treat_as_asb else case.pathway,
                               "treat_as_asb": treat_as_asb,
                               "asked_by_report": requested.get("report_id"),
                               **({"matter_held_by": held_by} if held_by else {})})
    if not treat_as_asb:
        event = domain_event(case, DECIDED, now, new_id,
                             {"treat_as_asb": False, "report_id": told})
        return CaseChange(bump(case, now, asb_request=None, good_neighbour_decision=decision),
                          case.version, audit, tasks=done, events=[event])
    moved = bump(case, now, pathway="asb", asb_opened_at=now, asb_request=None,
                 good_neighbour_decision=decision, status=CaseStatus.NEW,
                 triaged_report_ids=[], matter_keys=claimed)
    if GOOD_NEIGHBOUR_FOLLOW_UP in folder.tasks and folder.tasks[GOOD_NEIGHBOUR_FOLLOW_UP].open:
        done.append(TaskChange(GOOD_NEIGHBOUR_FOLLOW_UP, None,
                               TASK_TITLES[GOOD_NEIGHBOUR_FOLLOW_UP], outcome="now ASB"))
    # What triage consumes: each report received again, as a new ASB case's is.
    triage = [domain_event(case, "ReportReceived", now, new_id,
                           {"report_id": r.report_id, "channel": r.channel, "joined": False,
                            "moved_to_asb": True}) for r in folder.reports]
    return CaseChange(moved, case.version, audit, tasks=done, events=triage,
                      matters_claimed=claimed)
