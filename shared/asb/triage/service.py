"""Triage: every report of a case assessed for harm, categorised, targeted and assigned.

`decide` is a pure function of the case, its reports, the threshold count and the time; the
service loads, decides and saves, once per report (a redelivered message changes nothing).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from asb.case.categorise import (
    CATEGORIES,
    CategoryDecision,
    EmergencyDecision,
    categorise,
    emergency,
    override_gives_way,
    with_override,
)
from asb.case.change import CaseFolder
from asb.case.models import AuditEntry, Case, CaseStatus, DomainEvent, Report, ReportedBefore
from asb.case.people import REPORTER, people_of
from asb.case.risk import RiskAssessment, answers_from_report, assess, combine, raised_for_repeat_victim
from asb.case.safeguarding import prompting, referral_task_due
from asb.case.targets import (
    Targets,
    emergency_consideration_due,
    end_of_day,
    local_day,
    specialist_referral_due,
    targets_for,
)
from asb.case.tasks import (
    CUSTOMER_CONTACT,
    DA_SPECIALIST_REFERRAL,
    EMERGENCY_LEGAL_CONSIDERATION,
    FIRST_CONTACT,
    PLAN_REVIEW,
    SAFEGUARDING_REFERRAL,
    TASK_TITLES,
    Task,
    TaskState,
)
from asb.kernel.clock import Clock
from asb.kernel.errors import CaseNotFound, InvalidOverride, VersionConflict
from asb.policy.config import HATE_INCIDENT_MINIMUM_CATEGORY, POLICY_VERSION
from asb.triage.assignment import Assignment, assign
from asb.triage.case_review_threshold import Complaint, ThresholdDecision, threshold
from asb.triage.good_neighbour import good_neighbour_triage
from asb.triage.repeat_victim import EarlierCase, reported_before


@dataclass(frozen=True)
class TriageDecision:
    risk: RiskAssessment
    category: CategoryDecision
    emergency: EmergencyDecision
    targets: Targets
    assignment: Assignment
    case_review: ThresholdDecision
    new_tasks: list[Task]
    moved_tasks: list[Task]
    reported_before: tuple[ReportedBefore, ...] = ()
    policy_version: str = POLICY_VERSION  # the landlord's policy it was decided by


@dataclass(frozen=True)
class TriageUpdate:
    """What one triage writes in one transaction."""

    case: Case
    expected_version: int
    new_tasks: list[Task]
    moved_tasks: list[Task]
    events: list[DomainEvent]
    audit: AuditEntry


class TriageStore(Protocol):
    def load(self, reference: str) -> CaseFolder | None: ...

    def complaints_on(self, reference: str) -> list[Complaint]:
        """The complaints (reports) of another case: one Query of its partition."""
        ...

    def cases_reported_by(self, person_keys: list[str], besides: str) -> list[EarlierCase]:
        """The cases other than `besides` a complainant reported on, found by their own
        identifiers (the PERSON# lookups, role reporter), with their dates: Queries and
        BatchGetItems, never a Scan."""
        ...

    def save(self, update: TriageUpdate) -> None:
        """One transaction; raises VersionConflict when the version moved on."""
        ...


def hate_incident(file: CaseFolder) -> bool:
    """NM01(2): perceived as a hate incident by a reporter, or found one by an officer (a
    finding a later report's triage must keep)."""
    return file.case.hate_finding is not None or any(r.hate_incident for r in file.reports)


def complaint(report: Report) -> Complaint:
    return Complaint(report.received_at, report.incident_on,
                     tuple(report.submission.incident.behaviours), report.hate_incident)


def decide(file: CaseFolder, followed: list[Complaint], now: datetime,
           reported_before: Sequence[ReportedBefore] = ()) -> TriageDecision:
    """`followed` are the complaints of the closed case this one follows (the same matter);
    `reported_before` its complainants' other cases open in the 12 months before (a repeat
    victim: risk one level higher)."""
    case = file.case
    answers = combine(answers_from_report(r.submission) for r in file.reports)
    risk = raised_for_repeat_victim(assess(answers, case.officer_answers), reported_before)
    if case.risk_override:
        risk = RiskAssessment(risk.score, case.risk_override["value"], risk.reasons)
    behaviours = list(dict.fromkeys(b for r in file.reports for b in r.submission.incident.behaviours))
    category = with_override(categorise(behaviours, hate_incident(file), risk),
                             case.category_override, hate_incident(file))
    urgent = emergency(behaviours, answers.get("threats_or_violence"), risk)
    # A good-neighbour request an officer moved to ASB is an ASB case from that day.
    targets = targets_for(category.category, risk.level, case.asb_opened_at or case.opened_at)
    assignment = (Assignment(case.officer, case.team, "already assigned") if case.team
                  else assign(case.postcode))
    review = threshold([*map(complaint, file.reports), *followed], local_day(now))
    wanted = [
        Task(FIRST_CONTACT, end_of_day(targets.first_contact_due), TASK_TITLES[FIRST_CONTACT]),
        Task(CUSTOMER_CONTACT, end_of_day(targets.next_contact_due),
             TASK_TITLES[CUSTOMER_CONTACT]),
        Task(PLAN_REVIEW, end_of_day(targets.review_due), TASK_TITLES[PLAN_REVIEW]),
    ]
    if urgent.emergency and not case.emergency:
        wanted.append(Task(EMERGENCY_LEGAL_CONSIDERATION, emergency_consideration_due(now),
                           TASK_TITLES[EMERGENCY_LEGAL_CONSIDERATION]))
    if case.pathway == "domestic_abuse":
        wanted.append(Task(DA_SPECIALIST_REFERRAL, specialist_referral_due(now),
                           TASK_TITLES[DA_SPECIALIST_REFERRAL]))
    if prompting(risk.as_dict()):  # self-harm or suicidal thoughts (ASB-REFERENCE 7a)
        wanted.append(Task(SAFEGUARDING_REFERRAL, referral_task_due(now),
                           TASK_TITLES[SAFEGUARDING_REFERRAL]))
    # Each kind of task is opened once; a re-triage that makes the case more urgent brings open
    # work forward, never back.
    new_tasks = [t for t in wanted if t.kind not in file.tasks]
    moved = [t for t in wanted if _earlier(t, file.tasks.get(t.kind))]
    return TriageDecision(risk, category, urgent, targets, assignment, review, new_tasks, moved,
                          tuple(reported_before))


def _earlier(task: Task, state: TaskState | None) -> bool:
    return bool(state and state.open and state.due_at and task.due_at < state.due_at)


def triaged_case(file: CaseFolder, report: Report, decision: TriageDecision,
                 now: datetime) -> Case:
    case = file.case
    targets = decision.targets.as_dict()
    if case.targets:  # keep the earlier of what was promised and what is due now
        targets = {k: min(v, case.targets.get(k, v)) for k, v in targets.items()}
    return case.model_copy(update={
        "status": CaseStatus.TRIAGED if case.status == CaseStatus.NEW else case.status,
        "updated_at": now,
        "version": case.version + 1,
        "category": decision.category.category,
        "category_reasons": list(decision.category.reasons),
        "risk": decision.risk.as_dict(),
        "emergency": case.emergency or decision.emergency.emergency,
        "emergency_reasons": list(decision.emergency.reasons) or case.emergency_reasons,
        "officer": decision.assignment.officer,
        "team": decision.assignment.team,
        "targets": targets,
        "behaviours": list(dict.fromkeys(
            b for r in file.reports for b in r.submission.incident.behaviours)),
        "hate_incident": hate_incident(file),
        "category_override": None if case.category_override and override_gives_way(
            case.category_override["value"], hate_incident(file)) else case.category_override,
        "report_count": len(file.reports),
        "reported_before": list(decision.reported_before),
        "policy_version": decision.policy_version,
        "triaged_report_ids": [*case.triaged_report_ids, report.report_id],
        "case_review_threshold_met_at": case.case_review_threshold_met_at
        or (now if decision.case_review.met else None),
    })


def events_for(before: Case, after: Case, report: Report, decision: TriageDecision,
               now: datetime, new_id: Callable[[], str]) -> list[DomainEvent]:
    def event(kind: str, detail: dict[str, Any]) -> DomainEvent:
        return DomainEvent(event_id=new_id(), type=kind, case_reference=after.reference,
                           occurred_at=now, detail=detail)

    retriage = bool(before.triaged_report_ids)
    events = [event("CaseTriaged", {
        "report_id": report.report_id, "retriage": retriage, "category": after.category,
        "risk_level": decision.risk.level, "emergency": after.emergency,
        "first_contact_due": (after.targets or {}).get("first_contact_due"),
        "officer": after.officer, "team": after.team, "anonymous": after.anonymous,
    })]
    if after.emergency and not before.emergency:
        events.append(event("EmergencyRaised", {
            "reasons": list(decision.emergency.reasons), "officer": after.officer,
            "team": after.team,
        }))
    if decision.case_review.met and not before.case_review_threshold_met_at:
        events.append(event("CaseReviewThresholdMet", {
            "report_id": report.report_id, "reasons": list(decision.case_review.reasons),
            "anonymous": after.anonymous,
        }))
    return events


def _audit(before: Case, after: Case, report: Report, now: datetime,
           new_id: Callable[[], str]) -> AuditEntry:
    fields = ("status", "category", "emergency", "officer", "team")
    def view(case: Case) -> dict[str, Any]:
        shown = {name: getattr(case, name) for name in fields}
        shown["status"] = case.status.value
        shown["risk_level"] = (case.risk or {}).get("level")
        if case.reported_before:  # a repeat victim: the other cases, by reference only
            shown["reported_before"] = [r.reference for r in case.reported_before]
        return shown
    return AuditEntry(entry_id=new_id(), case_reference=after.reference, at=now,
                      actor="system:triage", action="CaseTriaged", before=view(before),
                      after={**view(after), "report_id": report.report_id,
                             "policy_version": after.policy_version})


@dataclass(frozen=True)
class TriageOutcome:
    reference: str
    changed: bool
    events: tuple[str, ...] = ()


class TriageService:
    ATTEMPTS = 3

    def __init__(self, store: TriageStore, clock: Clock,
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._store = store
        self._clock = clock
        self._new_id = new_id

    def triage(self, reference: str, report_id: str) -> TriageOutcome:
        for _ in range(self.ATTEMPTS):
            try:
                return self._triage_once(reference, report_id)
            except VersionConflict:
                continue
        raise VersionConflict(f"{reference} kept changing during triage")

    def _reported_before(self, file: CaseFolder, report: Report) -> list[ReportedBefore]:
        """Only the reporter's own identifiers are looked under; an anonymous report has none."""
        person_keys = [p.key for p in people_of(report.submission) if p.role == REPORTER]
        earlier = (self._store.cases_reported_by(person_keys, file.case.reference)
                   if person_keys and not report.submission.anonymous else [])
        return reported_before(report, earlier, file.case.reported_before)

    def _triage_once(self, reference: str, report_id: str) -> TriageOutcome:
        file = self._store.load(reference)
        if file is None:
            raise CaseNotFound(f"no case {reference}")
        if report_id in file.case.triaged_report_ids:
            return TriageOutcome(reference, changed=False)  # a redelivered message
        report = next((r for r in file.reports if r.report_id == report_id), None)
        if report is None:
            raise CaseNotFound(f"no report {report_id} on {reference}")
        now = self._clock.now()
        if file.case.pathway == "good_neighbour":  # not triaged as ASB
            after, tasks, events, audit = good_neighbour_triage(file, report, now, self._new_id)
            self._store.save(TriageUpdate(case=after, expected_version=file.case.version,
                                          new_tasks=tasks, moved_tasks=[], events=events,
                                          audit=audit))
            return TriageOutcome(reference, changed=True, events=tuple(e.type for e in events))
        followed = (self._store.complaints_on(file.case.linked_to)
                    if file.case.linked_to else [])
        decision = decide(file, followed, now, self._reported_before(file, report))
        after = triaged_case(file, report, decision, now)
        events = events_for(file.case, after, report, decision, now, self._new_id)
        self._store.save(TriageUpdate(
            case=after, expected_version=file.case.version, new_tasks=decision.new_tasks,
            moved_tasks=decision.moved_tasks, events=events,
            audit=_audit(file.case, after, report, now, self._new_id),
        ))
        return TriageOutcome(reference, changed=True, events=tuple(e.type for e in events))


# An officer may set any of the landlord's categories (not one its policy does not have).
OVERRIDABLE: dict[str, tuple[str, ...]] = {"category": CATEGORIES,
                                           "risk": ("standard", "medium", "high")}
MINIMUM_REASON = 10


def override(case: Case, what: str, value: str, reason: str, actor: str,
             now: datetime, new_id: Callable[[], str] = lambda: str(uuid.uuid4())
             ) -> tuple[Case, AuditEntry]:
    """A staff override of category or risk: a reason is required, and it is audited."""
    if what not in OVERRIDABLE or value not in OVERRIDABLE[what]:
        raise InvalidOverride(f"{what} can be set to {', '.join(OVERRIDABLE.get(what, ()))}")
    if len(reason.strip()) < MINIMUM_REASON:
        raise InvalidOverride("Give a reason for the change, in a sentence")
    if what == "category" and override_gives_way(value, case.hate_incident):
        raise InvalidOverride(f"The case is a hate incident: it is at least category "
                              f"{HATE_INCIDENT_MINIMUM_CATEGORY}")
    record = {"value": value, "reason": reason.strip(), "by": actor, "at": now.isoformat()}
    before = case.category if what == "category" else (case.risk or {}).get("level")
    changes: dict[str, Any] = {f"{what}_override": record, "updated_at": now,
                               "version": case.version + 1}
    if what == "category":
        changes["category"] = value
        changes["category_reasons"] = [f"set by {actor}: {reason.strip()}"]
    else:
        changes["risk"] = {**(case.risk or {}), "level": value}
    updated = case.model_copy(update=changes)
    audit = AuditEntry(entry_id=new_id(), case_reference=case.reference, at=now, actor=actor,
                       action=f"{what.capitalize()}Overridden", before={what: before},
                       after={what: value, "reason": reason.strip()})
    return updated, audit


@dataclass(frozen=True)
class LegalConsideration:
    """Policy point 1: emergency legal action considered, or not, and why."""

    case_reference: str
    considered: bool
    reason: str
    by: str
    at: datetime


def record_legal_consideration(case: Case, considered: bool, reason: str, actor: str,
                               now: datetime, new_id: Callable[[], str] = lambda: str(uuid.uuid4())
                               ) -> tuple[LegalConsideration, AuditEntry]:
    """Closes the same-day task: whether a without-notice injunction was considered, with why."""
    if not case.emergency:
        raise InvalidOverride("Only an emergency case has emergency legal action to consider")
    if len(reason.strip()) < MINIMUM_REASON:
        raise InvalidOverride("Give the reason, in a sentence")
    decision = LegalConsideration(case.reference, considered, reason.strip(), actor, now)
    audit = AuditEntry(entry_id=new_id(), case_reference=case.reference, at=now, actor=actor,
                       action="EmergencyLegalActionConsidered",
                       after={"considered": considered, "reason": decision.reason,
                              "task": EMERGENCY_LEGAL_CONSIDERATION})
    return decision, audit
