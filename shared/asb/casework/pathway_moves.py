"""An officer moves a case to the domestic abuse pathway (ASB-REFERENCE 7a): a risk
re-assessment, a contact or a further report disclosed domestic abuse on a case intake put on
another pathway. The move is one change: the case takes the pathway, lets go of its matter keys
(no further report about the same tenancy joins it, nor is linked to it), and the referral to
the specialist service falls due, as triage would have opened it. A case joined with another is
refused: the neighbour case's reports would be on a domestic abuse case. Split them out first.
A good-neighbour request moved is triaged as a case from that day, its own work ended."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from asb.case.change import CaseChange, CaseFolder, NewId, TaskChange, audit_entry, bump, domain_event
from asb.case.good_neighbour import GOOD_NEIGHBOUR
from asb.case.models import CaseStatus, DomainEvent
from asb.case.targets import specialist_referral_due
from asb.case.tasks import (
    DA_SPECIALIST_REFERRAL,
    GOOD_NEIGHBOUR_DECISION,
    GOOD_NEIGHBOUR_FOLLOW_UP,
    TASK_TITLES,
)
from asb.casework.models import PathwayMoveIn
from asb.kernel.errors import RuleBroken
from asb.kernel.staff import StaffMember
from asb.policy.config import PATHWAYS


def move_to_pathway(folder: CaseFolder, body: PathwayMoveIn, by: StaffMember, now: datetime,
                    new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = folder.case
    if case.status == CaseStatus.CLOSED:
        raise RuleBroken("The case is closed: reopen it first, with a reason")
    if case.pathway == body.pathway:
        raise RuleBroken(f"The case is already on this pathway: {PATHWAYS[body.pathway]}")
    if case.joined_from:
        raise RuleBroken(f"Cases were joined into this one ({', '.join(case.joined_from)}): a "
                         "domestic abuse case is never joined with a neighbour case. Split "
                         "their reports out first")
    moved = {"pathway": body.pathway}
    tasks = [] if DA_SPECIALIST_REFERRAL in folder.tasks else [TaskChange(
        DA_SPECIALIST_REFERRAL, specialist_referral_due(now), TASK_TITLES[DA_SPECIALIST_REFERRAL])]
    request = case.pathway == GOOD_NEIGHBOUR
    changes = _from_good_neighbour(now) if request else {}
    return CaseChange(
        bump(case, now, pathway=body.pathway, matter_keys=[], **changes), case.version,
        audit_entry(case, by, "PathwayChanged", now, new_id, before={"pathway": case.pathway},
                    after={**moved, "reason": body.reason}),
        tasks=[*(_request_work_ended(folder) if request else []), *tasks],
        events=[domain_event(case, "PathwayChanged", now, new_id,
                             {"from": case.pathway, "to": body.pathway}),
                *(_to_triage(folder, now, new_id) if request else [])],
        matters_released=list(case.matter_keys))


def _from_good_neighbour(now: datetime) -> dict[str, Any]:
    """A good-neighbour request was never triaged as a case: it is now, as the decision to
    treat it as ASB does (asb.case.good_neighbour.decide), its targets running from today
    (asb_opened_at: when it became a case); the reporter's pending request is answered by it."""
    return {"status": CaseStatus.NEW, "triaged_report_ids": [], "asb_opened_at": now,
            "asb_request": None}


def _request_work_ended(folder: CaseFolder) -> list[TaskChange]:
    return [TaskChange(kind, None, TASK_TITLES[kind], outcome="moved to domestic abuse")
            for kind in (GOOD_NEIGHBOUR_FOLLOW_UP, GOOD_NEIGHBOUR_DECISION)
            if kind in folder.tasks and folder.tasks[kind].open]


def _to_triage(folder: CaseFolder, now: datetime, new_id: NewId) -> list[DomainEvent]:
    """What triage consumes: each report received again, as a new case's is."""
    return [domain_event(folder.case, "ReportReceived", now, new_id,
                         {"report_id": r.report_id, "channel": r.channel, "joined": False,
                          "moved_from_good_neighbour": True}) for r in folder.reports]
