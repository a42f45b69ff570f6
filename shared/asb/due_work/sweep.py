"""The due-work sweep: what falls due on the sparse DueWork index is acted on once, as of any
time - first contact overdue (escalated, a missed target), customer contact due (an update),
action-plan review due, emergency legal action not considered by the end of the day, no
activity for 20 working days, each step of an ASB Case Review past its due date, a request to
share not decided in time, a partner that has not acknowledged what it was sent, and a subject
access request not released by its due date."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from asb.case.models import DomainEvent
from asb.case.targets import NO_ACTIVITY, end_of_day, local_day
from asb.case.tasks import (
    CASE_REVIEW_RECOMMENDATION,
    CUSTOMER_CONTACT,
    DA_SPECIALIST_REFERRAL,
    DISCLOSURE_DECISION,
    EMERGENCY_LEGAL_CONSIDERATION,
    ESCALATED,
    FIRST_CONTACT,
    GOOD_NEIGHBOUR_DECISION,
    PARTNER_ACKNOWLEDGEMENT,
    PARTNER_ACTION_CHASE,
    PLAN_REVIEW,
    SAFEGUARDING_OUTCOME,
    SAFEGUARDING_REFERRAL,
    STEP_KINDS,
    STEP_TITLES,
    SUBJECT_ACCESS,
    DueTask,
)
from asb.policy.config import CONTACT_EVERY_WORKING_DAYS
from asb.policy.working_days import add_working_days

SWEPT_KINDS = (FIRST_CONTACT, EMERGENCY_LEGAL_CONSIDERATION, CUSTOMER_CONTACT, PLAN_REVIEW,
               NO_ACTIVITY, *STEP_KINDS, DISCLOSURE_DECISION, PARTNER_ACKNOWLEDGEMENT,
               SUBJECT_ACCESS, SAFEGUARDING_REFERRAL, SAFEGUARDING_OUTCOME,
               PARTNER_ACTION_CHASE, DA_SPECIALIST_REFERRAL, CASE_REVIEW_RECOMMENDATION,
               GOOD_NEIGHBOUR_DECISION)
_EVENTS = {
    FIRST_CONTACT: "FirstContactOverdue",
    EMERGENCY_LEGAL_CONSIDERATION: "EmergencyConsiderationOverdue",
    CUSTOMER_CONTACT: "ContactDue",
    PLAN_REVIEW: "PlanReviewDue",
    NO_ACTIVITY: "NoRecentActivity",
    **{kind: "CaseReviewStepOverdue" for kind in STEP_KINDS},
    DISCLOSURE_DECISION: "DisclosureDecisionOverdue",
    PARTNER_ACKNOWLEDGEMENT: "PartnerAcknowledgementOverdue",
    SUBJECT_ACCESS: "SubjectAccessOverdue",
    SAFEGUARDING_REFERRAL: "SafeguardingReferralOverdue",
    SAFEGUARDING_OUTCOME: "SafeguardingOutcomeOverdue",
    # A partner's meeting action late: the partner publisher chases it on the partner's queue.
    PARTNER_ACTION_CHASE: "PartnerActionOverdue",
    DA_SPECIALIST_REFERRAL: "SpecialistReferralOverdue",
    # A recommendation an ASB Case Review made to us, not done by its day (its title names it).
    CASE_REVIEW_RECOMMENDATION: "CaseReviewStepOverdue",
    # A resident asked for their good-neighbour request to be treated as ASB: waiting on us.
    GOOD_NEIGHBOUR_DECISION: "GoodNeighbourDecisionOverdue",
}
_NAMESPACE = uuid.UUID("7b0c9d52-4a39-4f5e-9d8e-2f6a1c3b5d70")


@dataclass(frozen=True)
class SweepAction:
    task: DueTask
    next_kind: str
    next_due_at: datetime
    event: DomainEvent


class ReviewStore(Protocol):
    def due(self, kind: str, as_of: datetime) -> list[DueTask]: ...

    def act(self, action: SweepAction, as_of: datetime) -> bool:
        """Moves the task on and writes its event in one transaction; False if it was
        already acted on (the task moved since it was read)."""
        ...


def action_for(task: DueTask, as_of: datetime) -> SweepAction:
    """What the sweep does with one task that has fallen due: a plain function of it and the
    time. The event's id comes from the task and its due time, so acting twice is impossible."""
    event = DomainEvent(
        # The item's key is in the id: two disclosures of one case can fall due together.
        event_id=str(uuid.uuid5(_NAMESPACE, f"{task.case_reference}|{task.kind}|"
                                            f"{task.due_at.isoformat()}|"
                                            f"{(task.key or {}).get('sk', '')}")),
        type=_EVENTS[task.kind], case_reference=task.case_reference, occurred_at=as_of,
        detail={"due_at": task.due_at.isoformat(), "officer": task.officer, "team": task.team,
                **({"missed_target": True} if task.kind == FIRST_CONTACT else {}),
                **({"step": STEP_TITLES[task.kind]} if task.kind in STEP_TITLES else {}),
                **({"step": task.title} if task.kind == CASE_REVIEW_RECOMMENDATION else {}),
                # The chase reads its action from the item (its key: the index projects no more).
                **({"item": (task.key or {}).get("sk")} if task.kind == PARTNER_ACTION_CHASE
                   else {})},
    )
    if task.kind == CUSTOMER_CONTACT:
        every = task.every or CONTACT_EVERY_WORKING_DAYS["standard"]
        next_due = end_of_day(add_working_days(local_day(as_of), every))
        return SweepAction(task, CUSTOMER_CONTACT, next_due, event)
    return SweepAction(task, task.kind + ESCALATED, task.due_at, event)


@dataclass(frozen=True)
class SweepReport:
    as_of: datetime
    due: int
    acted: int
    events: dict[str, int]
    failed: int = 0  # still due: the next run acts on them


def sweep(store: ReviewStore, as_of: datetime) -> SweepReport:
    due = acted = failed = 0
    events: dict[str, int] = {}
    for kind in SWEPT_KINDS:
        for task in store.due(kind, as_of):
            due += 1
            action = action_for(task, as_of)
            try:
                done = store.act(action, as_of)
            except Exception:  # one task's fault must not hold up every task due after it
                failed += 1
                continue
            if done:
                acted += 1
                events[action.event.type] = events.get(action.event.type, 0) + 1
    return SweepReport(as_of, due, acted, events, failed)
