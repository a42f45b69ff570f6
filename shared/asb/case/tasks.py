"""Tasks and the kinds of due work, with their titles: triage's tasks, and those the ASB Case
Review, sharing with partners, legal action and subject access put on the DueWork index. Plain
constants, so the sweep and the digest can name them without importing the processes (and their
models) that create them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from asb.case.targets import NO_ACTIVITY, local_day
from asb.policy.config import (
    ABSOLUTE_DEADLINE_WARNING_DAYS,
    NOTICE_LAPSE_WARNING_DAYS,
    ORDER_REVIEW_DAYS_BEFORE,
)

FIRST_CONTACT = "FIRST_CONTACT"
CUSTOMER_CONTACT = "CUSTOMER_CONTACT"
PLAN_REVIEW = "PLAN_REVIEW"
EMERGENCY_LEGAL_CONSIDERATION = "EMERGENCY_LEGAL_CONSIDERATION"
# A domestic abuse pathway case's referral to the specialist service (ASB-REFERENCE 7a).
DA_SPECIALIST_REFERRAL = "DA_SPECIALIST_REFERRAL"
# Self-harm or suicidal thoughts answered yes (ASB-REFERENCE 7a): consider a safeguarding
# referral the same working day; making one completes it (asb.partners.safeguarding).
SAFEGUARDING_REFERRAL = "SAFEGUARDING_REFERRAL"
# A good-neighbour request (asb.case.good_neighbour, ASB-REFERENCE 7a): its light follow-up, and
# the reporter's request to treat it as ASB, waiting for an officer's decision.
GOOD_NEIGHBOUR_FOLLOW_UP = "GOOD_NEIGHBOUR_FOLLOW_UP"
GOOD_NEIGHBOUR_DECISION = "GOOD_NEIGHBOUR_DECISION"

TASK_TITLES = {
    FIRST_CONTACT: "Make first contact with the reporter",
    CUSTOMER_CONTACT: "Update the customer",
    PLAN_REVIEW: "Review the action plan and re-assess risk",
    EMERGENCY_LEGAL_CONSIDERATION: "Consider emergency legal action (without-notice injunction)",
    DA_SPECIALIST_REFERRAL: "Refer to the domestic abuse specialist service",
    SAFEGUARDING_REFERRAL: "Consider a safeguarding referral",
    GOOD_NEIGHBOUR_FOLLOW_UP: "Send the good-neighbour advice pack and offer mediation",
    GOOD_NEIGHBOUR_DECISION: "Decide whether a good-neighbour request is ASB",
}


@dataclass(frozen=True)
class Task:
    kind: str
    due_at: datetime
    title: str


@dataclass(frozen=True)
class TaskState:
    open: bool
    due_at: datetime | None


ACKNOWLEDGE = "CASE_REVIEW_ACKNOWLEDGE"
DECIDE = "CASE_REVIEW_DECISION"
MEET = "CASE_REVIEW_MEETING"
OUTCOME = "CASE_REVIEW_OUTCOME"
APPEAL = "CASE_REVIEW_APPEAL"
# As a participant, an application whose referral to the point of contact cannot be made yet
# (not in the registry, or its agreement does not cover it): until it is (…/referral).
REFER = "CASE_REVIEW_REFER"
STEP_TITLES = {
    ACKNOWLEDGE: "Acknowledge the ASB Case Review application",
    DECIDE: "Decide whether the ASB Case Review threshold is met",
    MEET: "Hold the ASB Case Review meeting",
    OUTCOME: "Tell the applicant the ASB Case Review's outcome",
    APPEAL: "Decide the ASB Case Review appeal",
    REFER: "Refer the ASB Case Review application to the point of contact",
}
STEP_KINDS = tuple(STEP_TITLES)
# A recommendation the ASB Case Review made to the landlord, until it is done: a Deadline item
# per recommendation (DEADLINE#<review id>.<recommendation id>), due by the end of its day.
CASE_REVIEW_RECOMMENDATION = "CASE_REVIEW_RECOMMENDATION"

DISCLOSURE_DECISION = "DISCLOSURE_DECISION"
PARTNER_ACKNOWLEDGEMENT = "PARTNER_ACKNOWLEDGEMENT"
LEGAL_APPROVAL = "LEGAL_APPROVAL"
# A safeguarding referral sent (and acknowledged): its outcome is due back from the partner.
SAFEGUARDING_OUTCOME = "SAFEGUARDING_OUTCOME"
LEGAL_APPROVAL_WORKING_DAYS = 2  # legal action waits no longer than this for a manager
# A subject access request, until released: the data protection officer's, not a case's.
SUBJECT_ACCESS = "SUBJECT_ACCESS"
# Enforcement's dates (asb.enforcement.dates): each a Deadline item, its own title naming the day.
HEARING = "HEARING"
AGREEMENT_REVIEW = "AGREEMENT_REVIEW"
ORDER_REVIEW = "ORDER_REVIEW"
ABSOLUTE_GROUND_DEADLINE = "ABSOLUTE_GROUND_DEADLINE"
NOTICE_LAPSING = "NOTICE_LAPSING"
ENFORCEMENT_KINDS = (HEARING, AGREEMENT_REVIEW, ORDER_REVIEW, ABSOLUTE_GROUND_DEADLINE,
                     NOTICE_LAPSING)
# A witness's own contact schedule (asb.case.witnesses): a Deadline item per witness
# (DEADLINE#witness.<party id>), due by the end of the day the next contact falls due.
WITNESS_CONTACT = "WITNESS_CONTACT"
# A multi-agency meeting's actions (asb.case.meetings): a Deadline item per action
# (DEADLINE#meeting.<meeting id>.<action id>), due by the end of its due day - the landlord's
# own the officer's work, a partner's chased by message once it is late (the due-work sweep).
MEETING_ACTION = "MEETING_ACTION"
PARTNER_ACTION_CHASE = "PARTNER_ACTION_CHASE"
# How many days before its date each enforcement date's work is shown (asb.enforcement.dates
# puts it on the index from the start of that day): so the date itself is known from the
# index's row alone (its projection is fixed), and the work is late only once the date passes.
SHOWN_DAYS_BEFORE = {HEARING: 1, AGREEMENT_REVIEW: 0, ORDER_REVIEW: ORDER_REVIEW_DAYS_BEFORE,
                     ABSOLUTE_GROUND_DEADLINE: ABSOLUTE_DEADLINE_WARNING_DAYS,
                     NOTICE_LAPSING: NOTICE_LAPSE_WARNING_DAYS}
DUE_TITLES = {
    LEGAL_APPROVAL: "Approve or refuse legal action",
    DISCLOSURE_DECISION: "Decide a request to share information with a partner",
    PARTNER_ACKNOWLEDGEMENT: "Chase a partner that has not acknowledged what we sent",
    SAFEGUARDING_OUTCOME: "Chase the outcome of a safeguarding referral",
    SUBJECT_ACCESS: "Answer a subject access request",
    HEARING: "Prepare for, attend and record a court hearing",
    AGREEMENT_REVIEW: "Review an Acceptable Behaviour Agreement",
    ORDER_REVIEW: "Review an order that is about to end",
    ABSOLUTE_GROUND_DEADLINE: "Serve the absolute-ground notice before its last day",
    NOTICE_LAPSING: "Issue the claim before the notice of seeking possession lapses",
    WITNESS_CONTACT: "Keep in touch with a witness",
    MEETING_ACTION: "Do an action the landlord agreed at a multi-agency meeting",
    PARTNER_ACTION_CHASE: "A partner's action from a multi-agency meeting is late: chased by "
                          "message, follow it up",
    CASE_REVIEW_RECOMMENDATION: "Act on an ASB Case Review recommendation made to us",
}



ESCALATED = ":escalated"  # still open and overdue, already escalated: out of the sweep's way



DUE_KINDS = [FIRST_CONTACT, CUSTOMER_CONTACT, PLAN_REVIEW, EMERGENCY_LEGAL_CONSIDERATION,
             *STEP_KINDS, DISCLOSURE_DECISION, PARTNER_ACKNOWLEDGEMENT, LEGAL_APPROVAL,
             *ENFORCEMENT_KINDS, DA_SPECIALIST_REFERRAL, WITNESS_CONTACT, GOOD_NEIGHBOUR_FOLLOW_UP,
             GOOD_NEIGHBOUR_DECISION, SAFEGUARDING_REFERRAL, SAFEGUARDING_OUTCOME,
             CASE_REVIEW_RECOMMENDATION, MEETING_ACTION, PARTNER_ACTION_CHASE]



# Overdue work the sweep has already escalated stays overdue until someone does it; a case
# quiet for too long is overdue work too (the sweep raises it with the managers).
OVERDUE_KINDS = [*DUE_KINDS, NO_ACTIVITY,
                 *(f"{kind}:escalated" for kind in (*DUE_KINDS, NO_ACTIVITY))]



@dataclass(frozen=True)
class DueTask:
    """A row of the sparse DueWork index: work that falls due - a task, legal action awaiting
    approval, a step of a request to share, a subject access request, or a case itself."""

    case_reference: str  # the case's, or a subject access request's (SAR-...)
    kind: str  # the index's due_kind: what is due, ':escalated' once the managers were told
    due_at: datetime
    officer: str | None = None
    team: str | None = None
    every: int | None = None  # customer contact: working days between updates
    key: dict[str, str] | None = None  # the item that is due: a task, or the case itself
    title: str | None = None
    # The item's own kind, as the overdue list answers it: a task's (never escalated),
    # NO_ACTIVITY for a case, disclosure or referral for a request to share, none for legal action.
    item_kind: str | None = None


def date_of(task: DueTask) -> date:
    """The day the work is about: an enforcement date's own (the hearing's, the order's end,
    the last day to serve), else the day it falls due."""
    kind = task.kind.removesuffix(ESCALATED)
    return local_day(task.due_at) + timedelta(days=SHOWN_DAYS_BEFORE.get(kind, 0))


def is_overdue(task: DueTask, now: datetime) -> bool:
    """Past its due time (escalated work always); an enforcement date's work only once its date
    has passed - a hearing tomorrow is today's work, not late."""
    if task.kind.endswith(ESCALATED):
        return True
    if task.kind in SHOWN_DAYS_BEFORE:
        return local_day(now) > date_of(task)
    return task.due_at < now
