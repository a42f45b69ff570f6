"""Safeguarding as the case reads it (ASB-REFERENCE 7a): the prompt at the top of a case while a
self-harm or suicidal-thoughts answer is yes and no safeguarding referral was made since, the task
that asks an officer to consider one, the referrals made and their outcomes, and the alleged
perpetrators not yet screened for their own vulnerability. Plain functions of the case folder:
triage, the risk re-assessment, the case view and the referral command all read them, so they
live in the case core (asb.partners makes the referrals; capabilities do not import each other).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from asb.case.change import CaseFolder, TaskChange
from asb.case.models import CaseStatus
from asb.case.parties import Role
from asb.case.records import Disclosure
from asb.case.targets import end_of_day, local_day
from asb.case.tasks import SAFEGUARDING_OUTCOME, SAFEGUARDING_REFERRAL, TASK_TITLES
from asb.policy.config import (
    SAFEGUARDING_OUTCOMES,
    SAFEGUARDING_PROMPT_QUESTIONS,
    SAFEGUARDING_REFERRAL_TASK_WORKING_DAYS,
    SAFEGUARDING_REFERRAL_TYPES,
)
from asb.policy.working_days import add_working_days, is_working_day

SAFEGUARDING_REFERRAL_KIND = "safeguarding_referral"  # the kind of its Disclosure record
# A referral refused by the decision maker, or withdrawn, was not made.
NOT_MADE = ("refused", "withdrawn")


def referral_task_due(now: datetime) -> datetime:
    """By the end of the working day it is now (of the next, after 17:00 or on a day off)."""
    return working_days_from(now, SAFEGUARDING_REFERRAL_TASK_WORKING_DAYS)


def working_days_from(now: datetime, working_days: int) -> datetime:
    """The end of the working day it is now (of the next, after 17:00 or on a day off), plus
    `working_days`: work raised out of hours is never late the moment it is raised."""
    today = local_day(now)
    open_today = is_working_day(today) and now < end_of_day(today)
    working_day = today if open_today else add_working_days(today, 1)
    return end_of_day(add_working_days(working_day, working_days))


def prompting(risk: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The risk's reasons that prompt a safeguarding referral (answered yes)."""
    reasons: Iterable[Any] = (risk or {}).get("reasons") or []
    return [{"question": r.get("question"), "text": r.get("text"), "source": r.get("source")}
            for r in reasons if isinstance(r, Mapping)
            and r.get("question") in SAFEGUARDING_PROMPT_QUESTIONS]


def referrals_made(folder: CaseFolder) -> list[Disclosure]:
    return [d for d in folder.disclosures.values()
            if d.kind == SAFEGUARDING_REFERRAL_KIND and d.status not in NOT_MADE]


def prompt(folder: CaseFolder) -> dict[str, Any] | None:
    """What the top of the case says while a prompting answer is yes and no referral has been
    made since it was (the task is open; or, for a case answered before the task existed, no
    referral at all); None otherwise, and on a closed case."""
    case = folder.case
    prompted = prompting(case.risk)
    if not prompted or case.status == CaseStatus.CLOSED:
        return None
    task = folder.tasks.get(SAFEGUARDING_REFERRAL)
    made = referrals_made(folder)
    if (task is not None and not task.open) or (task is None and made):
        return None
    return {"prompted_by": prompted, "referral_made": False,
            "referrals_before": len(made),
            "due_at": task.due_at.isoformat() if task and task.due_at else None,
            "title": TASK_TITLES[SAFEGUARDING_REFERRAL]}


def prompt_tasks(folder: CaseFolder, risk_after: Mapping[str, Any], now: datetime,
                 ) -> list[TaskChange]:
    """A re-assessment's effect on the task: opened when a prompting answer turns yes (or is yes
    and the case never had the task), done when no prompting answer is yes any more."""
    before, after = prompting(folder.case.risk), prompting(risk_after)
    task = folder.tasks.get(SAFEGUARDING_REFERRAL)
    title = TASK_TITLES[SAFEGUARDING_REFERRAL]
    if after and (task is None or (not before and not task.open)):
        return [TaskChange(SAFEGUARDING_REFERRAL, referral_task_due(now), title)]
    if not after and task is not None and task.open:
        return [TaskChange(SAFEGUARDING_REFERRAL, None, title,
                           "no self-harm or suicidal thoughts answered yes now")]
    return []


def referral_view(referral: Disclosure) -> dict[str, Any]:
    """A safeguarding referral as the case page shows it: what, to whom, on what basis, where it
    stands and its outcome."""
    stored = referral.as_stored()
    kind = SAFEGUARDING_REFERRAL_TYPES.get(str(stored.get("referral_type")))
    outcome = stored.get("outcome")
    shown = {k: stored.get(k) for k in (
        "disclosure_id", "referral_type", "partner_id", "partner_name", "party_id", "status",
        "consent", "legal_route", "without_consent_reason", "urgent", "requested_by",
        "requested_at", "decided_by", "decided_at", "sent_at", "acknowledged_at")}
    if str(stored.get("due_kind", "")).startswith(SAFEGUARDING_OUTCOME):
        shown["outcome_due_at"] = stored.get("due_at")
    shown["referral_type_name"] = kind.label if kind else None
    if isinstance(outcome, Mapping):
        shown["outcome"] = {**outcome, "outcome_name": SAFEGUARDING_OUTCOMES.get(
            str(outcome.get("outcome")), outcome.get("outcome"))}
    return {k: v for k, v in shown.items() if v is not None}


def referrals(folder: CaseFolder) -> list[dict[str, Any]]:
    """Every safeguarding referral of the case, oldest first."""
    found = [d for d in folder.disclosures.values() if d.kind == SAFEGUARDING_REFERRAL_KIND]
    return [referral_view(d) for d in sorted(found, key=lambda d: (str(d.requested_at),
                                                                   d.disclosure_id))]


def perpetrators_not_screened(folder: CaseFolder) -> list[str]:
    """Alleged perpetrators (active parties) whose own vulnerability has not been screened."""
    return [p.party_id for p in sorted(folder.parties.values(), key=lambda p: p.added_at)
            if p.active and Role.ALLEGED_PERPETRATOR in p.roles and p.vulnerability is None]
