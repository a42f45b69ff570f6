"""An officer moves a case to the domestic abuse pathway (ASB-REFERENCE 7a): a risk
re-assessment, a contact or a further report disclosed domestic abuse on a case intake put on
another pathway. The move is one change: the case takes the pathway, lets go of its matter keys
(no further report about the same tenancy joins it, nor is linked to it), and the referral to
the specialist service falls due, as triage would have opened it. A case joined with another is
refused: the neighbour case's reports would be on a domestic abuse case. Split them out first."""

from __future__ import annotations

import uuid
from datetime import datetime

from asb.case.change import CaseChange, CaseFolder, NewId, TaskChange, audit_entry, bump, domain_event
from asb.case.models import CaseStatus
from asb.case.targets import specialist_referral_due
from asb.case.tasks import DA_SPECIALIST_REFERRAL, TASK_TITLES
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
    return CaseChange(
        bump(case, now, pathway=body.pathway, matter_keys=[]), case.version,
        audit_entry(case, by, "PathwayChanged", now, new_id, before={"pathway": case.pathway},
                    after={**moved, "reason": body.reason}),
        tasks=tasks,
        events=[domain_event(case, "PathwayChanged", now, new_id,
                             {"from": case.pathway, "to": body.pathway})],
        matters_released=list(case.matter_keys))
