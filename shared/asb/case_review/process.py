"""The ASB Case Review process (ASBCPA 2014 s104 and Schedule 4): an application, its
acknowledgement, the threshold decision with reasons, the review meeting, recommendations, an
appeal and the outcome. Each step is a plain function returning one CaseChange; each due date
is a task on the DueWork index, swept like any other work."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from asb.case.change import CaseChange, CaseFolder, NewId, Record, TaskChange, audit_entry, bump, domain_event
from asb.case.models import Report
from asb.case.records import (
    CaseReview,
    PanelRecommendation,
    ReviewAppeal,
    ReviewMeeting,
    ReviewOutcome,
    ReviewStep,
    ThresholdDecision,
)
from asb.case.targets import end_of_day, local_day
from asb.case.tasks import ACKNOWLEDGE, APPEAL, DECIDE, MEET, OUTCOME, STEP_TITLES
from asb.case_review.models import (
    AcknowledgementIn,
    AppealDecisionIn,
    AppealIn,
    CaseReviewApplicationIn,
    RecommendationsIn,
    ReviewMeetingIn,
    ReviewOutcomeIn,
    ThresholdDecisionIn,
)
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.kernel.validation import FieldError
from asb.policy.calendar_months import within_period
from asb.policy.config import (
    CASE_REVIEW_APPEAL_WORKING_DAYS,
    CASE_REVIEW_APPLICATION_MONTHS,
    CASE_REVIEW_STEP_WORKING_DAYS,
)
from asb.policy.reporting_year import year_of
from asb.policy.working_days import add_working_days

_DUE = {ACKNOWLEDGE: "acknowledge", DECIDE: "decide", MEET: "meet", OUTCOME: "outcome"}

APPLIED, ACKNOWLEDGED = "applied", "acknowledged"
NOT_MET, MET = "threshold not met", "threshold met"
HELD, RECOMMENDED = "review held", "recommendations made"
APPEALED, COMPLETED = "appealed", "completed"
FINAL = (NOT_MET, COMPLETED)


def _due(step: str, received_on: date) -> datetime:
    return end_of_day(add_working_days(received_on, CASE_REVIEW_STEP_WORKING_DAYS[_DUE[step]]))


def _task(step: str, received_on: date) -> TaskChange:
    return TaskChange(step, _due(step, received_on), STEP_TITLES[step])


def _done(step: str, outcome: str) -> TaskChange:
    return TaskChange(step, None, STEP_TITLES[step], outcome)


def _victim_report(folder: CaseFolder, report_id: str | None) -> Report:
    identified = [r for r in sorted(folder.reports, key=lambda r: r.received_at)
                  if r.submission.reporter is not None]
    if report_id is None and identified:
        return identified[0]
    found = next((r for r in identified if r.report_id == report_id), None)
    if found is None:
        raise InvalidChange([FieldError("report_id",
                                        "Choose the report of an identified person on this case")])
    return found


def _review(folder: CaseFolder, review_id: str, *statuses: str) -> CaseReview:
    review = folder.case_reviews.get(review_id)
    if review is None:
        raise UnknownRecord(f"No ASB Case Review {review_id} on this case")
    if statuses and review.status not in statuses:
        raise RuleBroken(f"The ASB Case Review is {review.status}: this step needs it to be "
                         f"{' or '.join(statuses)}")
    return review


def _step(folder: CaseFolder, review: CaseReview, status: str, by: StaffMember,
          now: datetime, new_id: NewId, action: str, changes: dict[str, Any],
          tasks: Iterable[TaskChange] = (),
          notify: dict[str, Any] | None = None) -> CaseChange:
    """One step: the review record updated in place, its history, tasks and audit; `notify`
    is what the applicant is told, sent on as the step's event."""
    case = folder.case
    step = ReviewStep(from_status=review.status, to=status, by=by.username, at=now)
    updated = review.model_copy(update={**changes, "status": status,
                                        "history": [*review.history, step]})
    detail = {"review_id": review.review_id, "status": status, "report_id": review.report_id}
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, action, now, new_id, before={"status": review.status},
                    after={"review_id": review.review_id, "status": status}),
        records=[Record("CaseReview", review.review_id, now, updated.as_stored(),
                        replace=True)],
        tasks=list(tasks),
        events=[] if notify is None else [domain_event(case, action, now, new_id,
                                                       {**detail, **notify})])


def apply_for_review(folder: CaseFolder, body: CaseReviewApplicationIn, by: StaffMember,
                     now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    case = folder.case
    if case.anonymous:
        raise RuleBroken("An ASB Case Review cannot be applied for anonymously")
    if body.received_on > local_day(now):
        raise InvalidChange([FieldError("received_on", "The date cannot be in the future")])
    in_progress = [r for r in folder.case_reviews.values() if r.status not in FINAL]
    if in_progress:
        raise RuleBroken("An ASB Case Review of this case is already in progress")
    # Within the six calendar months beginning with the day of a complaint (s104(11)).
    if not any(within_period(local_day(r.received_at), CASE_REVIEW_APPLICATION_MONTHS,
                             body.received_on) for r in folder.reports):
        raise RuleBroken("An application must be made within 6 months of a complaint")
    report = _victim_report(folder, body.report_id)
    review_id = new_id()
    review = CaseReview(
        record_id=review_id, at=now, review_id=review_id, status=APPLIED,
        received_on=body.received_on, applicant=body.applicant, report_id=report.report_id,
        summary=body.summary, by=by.username,
        threshold_suggested=case.case_review_threshold_met_at is not None, history=[],
        # The year's statistics count applications by the reporting year they arrived in.
        reporting_year=year_of(body.received_on), year_on=body.received_on)
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "CaseReviewApplied", now, new_id,
                    after={"review_id": review_id, "received_on": body.received_on.isoformat()}),
        records=[Record("CaseReview", review_id, now, review.as_stored(), replace=True)],
        tasks=[_task(step, body.received_on) for step in (ACKNOWLEDGE, DECIDE, MEET)])


def acknowledge(folder: CaseFolder, review_id: str, body: AcknowledgementIn, by: StaffMember,
                now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    review = _review(folder, review_id, APPLIED)
    return _step(folder, review, ACKNOWLEDGED, by, now, new_id, "CaseReviewAcknowledged",
                 {"acknowledged_on": body.acknowledged_on, "note": body.note},
                 [_done(ACKNOWLEDGE, "acknowledged")], notify={})


def decide_threshold(folder: CaseFolder, review_id: str, body: ThresholdDecisionIn,
                     by: StaffMember, now: datetime,
                     new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    review = _review(folder, review_id, APPLIED, ACKNOWLEDGED)
    tasks = [_done(DECIDE, "threshold met" if body.met else "threshold not met")]
    if review.status == APPLIED:
        tasks.append(_done(ACKNOWLEDGE, "acknowledged with the decision"))
    if not body.met:
        tasks.append(_done(MEET, "no meeting: threshold not met"))
    decision = ThresholdDecision(met=body.met, reasons=body.reasons, by=by.username,
                                 on=local_day(now))
    return _step(folder, review, MET if body.met else NOT_MET, by, now, new_id,
                 "CaseReviewThresholdDecided", {"threshold": decision}, tasks,
                 notify={"met": body.met, "reasons": body.reasons})


def record_meeting(folder: CaseFolder, review_id: str, body: ReviewMeetingIn, by: StaffMember,
                   now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    review = _review(folder, review_id, MET)
    if body.held_on > local_day(now):
        raise InvalidChange([FieldError("held_on", "Record the meeting once it has been held")])
    return _step(folder, review, HELD, by, now, new_id, "CaseReviewMeetingHeld",
                 {"meeting": ReviewMeeting(**body.model_dump(), by=by.username)},
                 [_done(MEET, "held"), _task(OUTCOME, review.received_on)])


def record_recommendations(folder: CaseFolder, review_id: str, body: RecommendationsIn,
                           by: StaffMember, now: datetime,
                           new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    review = _review(folder, review_id, HELD)
    return _step(folder, review, RECOMMENDED, by, now, new_id, "CaseReviewRecommendations",
                 {"recommendations": [PanelRecommendation(**r.model_dump())
                                      for r in body.recommendations]})


def record_outcome(folder: CaseFolder, review_id: str, body: ReviewOutcomeIn, by: StaffMember,
                   now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    review = _review(folder, review_id, HELD, RECOMMENDED)
    return _step(folder, review, COMPLETED, by, now, new_id, "CaseReviewOutcome",
                 {"outcome": ReviewOutcome(summary=body.summary, by=by.username,
                                           on=local_day(now))},
                 [_done(OUTCOME, "applicant told")], notify={"summary": body.summary})


def appeal(folder: CaseFolder, review_id: str, body: AppealIn, by: StaffMember, now: datetime,
           new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """An appeal against the threshold decision or the outcome, decided by someone else."""
    review = _review(folder, review_id, *FINAL)
    if body.received_on > local_day(now):
        raise InvalidChange([FieldError("received_on", "The date cannot be in the future")])
    if review.appeal:
        raise RuleBroken("This ASB Case Review has already been appealed")
    due = end_of_day(add_working_days(body.received_on, CASE_REVIEW_APPEAL_WORKING_DAYS))
    return _step(folder, review, APPEALED, by, now, new_id, "CaseReviewAppealed",
                 {"appeal": ReviewAppeal(**body.model_dump(), against=review.status)},
                 [TaskChange(APPEAL, due, STEP_TITLES[APPEAL])])


def decide_appeal(folder: CaseFolder, review_id: str, body: AppealDecisionIn, by: StaffMember,
                  now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """An upheld appeal against "threshold not met" sends the review to a meeting; otherwise
    the review returns to where it was, the appeal's decision recorded."""
    review = _review(folder, review_id, APPEALED)
    if not isinstance(review.appeal, ReviewAppeal):
        raise RuleBroken("This ASB Case Review's appeal was erased with the case")
    against = review.appeal.against
    appeal_record = review.appeal.model_copy(update={
        "upheld": body.upheld, "reasons": body.reasons, "decided_by": by.username,
        "decided_on": local_day(now)})
    tasks = [_done(APPEAL, "upheld" if body.upheld else "not upheld")]
    status = against
    if body.upheld and against == NOT_MET:
        status = MET
        tasks.append(TaskChange(MEET, end_of_day(add_working_days(
            local_day(now), CASE_REVIEW_STEP_WORKING_DAYS["meet"] -
            CASE_REVIEW_STEP_WORKING_DAYS["decide"])), STEP_TITLES[MEET]))
    return _step(folder, review, status, by, now, new_id, "CaseReviewAppealDecided",
                 {"appeal": appeal_record}, tasks,
                 notify={"upheld": body.upheld, "reasons": body.reasons})


def statistics(reviews: Iterable[dict[str, Any]]) -> dict[str, int]:
    """The published figures for applications received in a year (ASB-REFERENCE section 6)."""
    counted = list(reviews)
    return {
        "applications": len(counted),
        "threshold_not_met": sum(1 for r in counted if r["status"] == NOT_MET or (
            r["status"] == APPEALED and _appealed_against(r) == NOT_MET)),
        "reviews_held": sum(1 for r in counted if r.get("meeting")),
        "reviews_with_recommendations": sum(1 for r in counted if r.get("recommendations")),
    }


def _appealed_against(review: dict[str, Any]) -> str | None:
    """The status an appealed review was appealed against. Retention erases the appeal in
    place, but the review's history (kept) still has the step into "appealed" from it."""
    appeal_record = review.get("appeal")
    if isinstance(appeal_record, dict):
        return str(appeal_record["against"])
    into_appeal = [s for s in review.get("history", []) if s.get("to") == APPEALED]
    return str(into_appeal[-1]["from"]) if into_appeal else None
