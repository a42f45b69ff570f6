"""The ASB Case Review process (ASBCPA 2014 s104 and Schedule 4): an application, its
acknowledgement, the threshold decision with reasons, the review meeting, recommendations, an
appeal and the outcome. Each step is a plain function returning one CaseChange; each due date
is a task on the DueWork index, swept like any other work.

Who runs it is the landlord's setting (`Arrangement`, from CASE_REVIEW_LEAD_BODY): as the lead
body the landlord runs every step; as a participant (the usual case) it recognises the
application and refers it at once to the council area's point of contact with the case history
(a request to share, decided by a manager or the DPO that working day), then records what the
lead body tells it: the meeting, the recommendations made to it (each due work until done, with
what it did about each) and the outcome. The lead body's own steps are refused (409). The mode
is stored on the review (`run_by`) when it is applied for, so a review keeps the mode it began
in."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from asb.case.change import CaseChange, CaseFolder, NewId, Record, TaskChange, audit_entry, bump, domain_event
from asb.case.good_neighbour import require_asb_case
from asb.case.models import Report
from asb.case.records import (
    CaseReview,
    PanelRecommendation,
    RecommendationResponse,
    ReviewAppeal,
    ReviewMeeting,
    ReviewOutcome,
    ReviewRunBy,
    ReviewStep,
    ThresholdDecision,
)
from asb.case.sharing import case_review_referral, referral_due_at
from asb.case.targets import end_of_day, local_day, long_date
from asb.case.tasks import (
    ACKNOWLEDGE,
    APPEAL,
    CASE_REVIEW_RECOMMENDATION,
    DECIDE,
    MEET,
    OUTCOME,
    REFER,
    STEP_TITLES,
)
from asb.case_review.models import (
    AcknowledgementIn,
    AppealDecisionIn,
    AppealIn,
    CaseReviewApplicationIn,
    RecommendationResponseIn,
    RecommendationsIn,
    ReferAgainIn,
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
    CASE_REVIEW_LEAD_BODY,
    CASE_REVIEW_POINT_OF_CONTACT,
    CASE_REVIEW_STEP_WORKING_DAYS,
    LANDLORD_NAME,
    POLICY_VERSION,
    CaseReviewPointOfContact,
)
from asb.policy.reporting_year import year_of
from asb.policy.working_days import add_working_days

_DUE = {ACKNOWLEDGE: "acknowledge", DECIDE: "decide", MEET: "meet", OUTCOME: "outcome"}

APPLIED, ACKNOWLEDGED = "applied", "acknowledged"
NOT_MET, MET = "threshold not met", "threshold met"
HELD, RECOMMENDED = "review held", "recommendations made"
APPEALED, COMPLETED = "appealed", "completed"
REFERRED = "referred"  # as a participant: referred to the lead body's point of contact
FINAL = (NOT_MET, COMPLETED)
DEADLINE_ENTITY = "Deadline"


@dataclass(frozen=True)
class Arrangement:
    """Who runs the landlord's ASB Case Reviews: the landlord as the lead body, or the council
    area's published point of contact (its entry in the partner registry is the agreement a
    referral is checked against and the queue it goes to)."""

    lead_body: bool
    point_of_contact: CaseReviewPointOfContact | None = None

    @classmethod
    def as_policy(cls) -> Arrangement:
        return cls(CASE_REVIEW_LEAD_BODY,
                   None if CASE_REVIEW_LEAD_BODY else CASE_REVIEW_POINT_OF_CONTACT)

    @classmethod
    def lead(cls) -> Arrangement:
        return cls(True)

    @classmethod
    def participant(cls, point_of_contact: CaseReviewPointOfContact = CASE_REVIEW_POINT_OF_CONTACT,
                    ) -> Arrangement:
        return cls(False, point_of_contact)


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
                     now: datetime, new_id: NewId = lambda: str(uuid.uuid4()), *,
                     arrangement: Arrangement,
                     point_of_contact: dict[str, Any] | None = None) -> CaseChange:
    """Recognises an application. As the lead body its steps fall due; as a participant it is
    referred to `point_of_contact` (the registry entry of the arrangement's point of contact)
    and the applicant is told who runs the review and when to expect an answer."""
    case = folder.case
    require_asb_case(case, "record an ASB Case Review application")
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
    if not arrangement.lead_body:
        return _referred(folder, body, by, now, new_id, review_id, report, arrangement,
                         point_of_contact)
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
    _ours(_review(folder, review_id), "the acknowledgement")
    review = _review(folder, review_id, APPLIED)
    return _step(folder, review, ACKNOWLEDGED, by, now, new_id, "CaseReviewAcknowledged",
                 {"acknowledged_on": body.acknowledged_on, "note": body.note},
                 [_done(ACKNOWLEDGE, "acknowledged")],
                 notify={"run_by": None, **_expected(review.received_on)})


def _expected(received_on: date) -> dict[str, str]:
    """When the applicant can expect an answer, by the policy's typical timescales."""
    return {f"{step}_by": add_working_days(received_on, CASE_REVIEW_STEP_WORKING_DAYS[step])
            .isoformat() for step in ("decide", "meet", "outcome")}


def _referred(folder: CaseFolder, body: CaseReviewApplicationIn, by: StaffMember,
              now: datetime, new_id: NewId, review_id: str, report: Report,
              arrangement: Arrangement, point_of_contact: dict[str, Any] | None) -> CaseChange:
    """As a participant: the application recorded and referred at once to the lead body's
    point of contact with the case history; the applicant told who runs it. A referral that
    cannot be made yet (the point of contact not an active partner in the registry, or its
    agreement not covering it) never loses the statutory application: it is recorded, and the
    referral is the review's own due work (REFER) until …/referral makes it."""
    case, contact = folder.case, arrangement.point_of_contact
    if contact is None:
        raise RuleBroken("The landlord is not the lead body and names no point of contact "
                         "(policy CASE_REVIEW_POINT_OF_CONTACT): nobody to refer it to")
    try:
        referral_id, referral = case_review_referral(
            folder, point_of_contact if point_of_contact and
            point_of_contact.get("partner_id") == contact.partner_id else None,
            review_id, body.received_on.isoformat(), by.username, now, new_id)
        waiting: dict[str, str] = {}
    except RuleBroken as cannot:
        referral_id, referral, waiting = None, [], {"referral_waiting": str(cannot)}
    run_by = ReviewRunBy(partner_id=contact.partner_id, name=contact.name,
                         how_to_reach=contact.how_to_reach)
    review = CaseReview(
        record_id=review_id, at=now, review_id=review_id, status=REFERRED,
        received_on=body.received_on, applicant=body.applicant, report_id=report.report_id,
        summary=body.summary, by=by.username,
        threshold_suggested=case.case_review_threshold_met_at is not None, history=[],
        reporting_year=year_of(body.received_on), year_on=body.received_on,
        run_by=run_by, referral_id=referral_id)
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "CaseReviewReferred", now, new_id, after={
            "review_id": review_id, "received_on": body.received_on.isoformat(),
            "referral_id": referral_id, "partner_id": contact.partner_id, **waiting}),
        records=[Record("CaseReview", review_id, now, review.as_stored(), replace=True),
                 *referral],
        tasks=[TaskChange(REFER, referral_due_at(now), STEP_TITLES[REFER])] if waiting else [],
        events=[domain_event(case, "CaseReviewReferred", now, new_id, {
            "review_id": review_id, "status": REFERRED, "report_id": report.report_id,
            "run_by": contact.name, "how_to_reach": contact.how_to_reach,
            **_expected(body.received_on)})])


def refer_again(folder: CaseFolder, review_id: str, body: ReferAgainIn, by: StaffMember,
                now: datetime, new_id: NewId = lambda: str(uuid.uuid4()), *,
                arrangement: Arrangement,
                point_of_contact: dict[str, Any] | None = None) -> CaseChange:
    """As a participant: a referral a manager or the DPO refused, or one that could not be made
    when the application came (its REFER task then done), is asked again (the Act still
    requires it), to the point of contact as the setting names it now; decided the same day."""
    review = _review(folder, review_id, REFERRED)
    if review.run_by is None:
        raise RuleBroken("We run this ASB Case Review: there is nobody to refer it to")
    current = folder.disclosures.get(review.referral_id or "")
    if current is not None and current.status != "refused":
        raise RuleBroken(f"The referral is {current.status}: refer again only after a refusal")
    contact = arrangement.point_of_contact
    if arrangement.lead_body or contact is None:
        raise RuleBroken("The landlord is now the lead body: record the review's steps here")
    referral_id, referral = case_review_referral(
        folder, point_of_contact if point_of_contact and
        point_of_contact.get("partner_id") == contact.partner_id else None,
        review_id, review.received_on.isoformat(), by.username, now, new_id)
    run_by = ReviewRunBy(partner_id=contact.partner_id, name=contact.name,
                         how_to_reach=contact.how_to_reach)
    case = folder.case
    updated = review.model_copy(update={"referral_id": referral_id, "run_by": run_by})
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "CaseReviewReferredAgain", now, new_id, before={
            "referral_id": review.referral_id}, after={
            "review_id": review_id, "referral_id": referral_id, "reason": body.reason}),
        records=[Record("CaseReview", review_id, now, updated.as_stored(), replace=True),
                 *referral],
        tasks=[_done(REFER, "referred")] if REFER in folder.tasks and folder.tasks[REFER].open
        else [])


def _ours(review: CaseReview, step: str) -> None:
    """The lead body's own steps are not the landlord's to record when it is a participant."""
    if review.run_by is not None:
        raise RuleBroken(f"{review.run_by.name} runs this ASB Case Review: {step} is the lead "
                         "body's, not ours to record. Record what they tell us: the meeting, "
                         "the recommendations made to us and the outcome")


def decide_threshold(folder: CaseFolder, review_id: str, body: ThresholdDecisionIn,
                     by: StaffMember, now: datetime,
                     new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    review = _review(folder, review_id)
    _ours(review, "the threshold decision")
    review = _review(folder, review_id, APPLIED, ACKNOWLEDGED)
    tasks = [_done(DECIDE, "threshold met" if body.met else "threshold not met")]
    if review.status == APPLIED:
        tasks.append(_done(ACKNOWLEDGE, "acknowledged with the decision"))
    if not body.met:
        tasks.append(_done(MEET, "no meeting: threshold not met"))
    decision = ThresholdDecision(met=body.met, reasons=body.reasons, by=by.username,
                                 on=local_day(now), policy_version=POLICY_VERSION)
    return _step(folder, review, MET if body.met else NOT_MET, by, now, new_id,
                 "CaseReviewThresholdDecided", {"threshold": decision}, tasks,
                 notify={"met": body.met, "reasons": body.reasons})


def record_meeting(folder: CaseFolder, review_id: str, body: ReviewMeetingIn, by: StaffMember,
                   now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    review = _review(folder, review_id)
    if body.held_on > local_day(now):
        raise InvalidChange([FieldError("held_on", "Record the meeting once it has been held")])
    if review.run_by is not None:
        return _participant_meeting(folder, review, body, by, now, new_id)
    review = _review(folder, review_id, MET)
    meeting = ReviewMeeting(**body.model_dump(exclude_none=True), by=by.username)
    return _step(folder, review, HELD, by, now, new_id, "CaseReviewMeetingHeld",
                 {"meeting": meeting},
                 [_done(MEET, "held"), _task(OUTCOME, review.received_on)])


def _participant_meeting(folder: CaseFolder, review: CaseReview, body: ReviewMeetingIn,
                         by: StaffMember, now: datetime, new_id: NewId) -> CaseChange:
    review = _review(folder, review.review_id, REFERRED)
    if body.landlord_attended is None:
        raise InvalidChange([FieldError("landlord_attended",
                                        "Say whether we attended the lead body's meeting")])
    if body.held_on < review.received_on:
        raise InvalidChange([FieldError("held_on", "The meeting cannot be before the "
                                                   "application was received")])
    return _step(folder, review, HELD, by, now, new_id, "CaseReviewMeetingHeld",
                 {"meeting": ReviewMeeting(**body.model_dump(), by=by.username)})


def record_recommendations(folder: CaseFolder, review_id: str, body: RecommendationsIn,
                           by: StaffMember, now: datetime,
                           new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    review = _review(folder, review_id, HELD)
    participant = review.run_by is not None
    meeting_day = review.meeting.held_on if isinstance(review.meeting, ReviewMeeting) else None
    errors = []
    for n, given in enumerate(body.recommendations):
        if participant and given.due_on is None:
            errors.append(FieldError(f"recommendations.{n}.due_on",
                                     "Give the day the lead body expects it done by"))
        elif given.due_on is not None and meeting_day is not None and given.due_on < meeting_day:
            errors.append(FieldError(f"recommendations.{n}.due_on",
                                     "It cannot be due before the meeting that made it"))
        if not participant and given.owner is None:
            errors.append(FieldError(f"recommendations.{n}.owner",
                                     "Name the agency that will carry it out"))
    if errors:
        raise InvalidChange(errors)
    made = [PanelRecommendation(
        action=r.action, owner=r.owner or LANDLORD_NAME,
        **({"recommendation_id": new_id(), "due_on": r.due_on} if r.due_on else {}))
        for r in body.recommendations]
    change = _step(folder, review, RECOMMENDED, by, now, new_id, "CaseReviewRecommendations",
                   {"recommendations": made})
    due = [_recommendation_due(folder, review, r, now) for r in made if r.due_on]
    return CaseChange(change.case, change.expected_version, change.audit,
                      records=[*change.records, *due], tasks=change.tasks, events=change.events)


def _recommendation_title(review: CaseReview, recommendation: PanelRecommendation) -> str:
    """As a participant every recommendation recorded is ours to do; as the lead body we follow
    up each that was given a date, whichever agency owns it."""
    due_on = long_date(recommendation.due_on) if recommendation.due_on else ""
    if review.run_by is not None:
        return f"Act on an ASB Case Review recommendation made to us by {due_on}"
    return f"Follow up the ASB Case Review recommendation to {recommendation.owner} due by {due_on}"


def _recommendation_due(folder: CaseFolder, review: CaseReview,
                        recommendation: PanelRecommendation, now: datetime) -> Record:
    """A recommendation made to the landlord is due work for the case's officer until done:
    one Deadline item each, late once its day has passed."""
    assert recommendation.due_on is not None and recommendation.recommendation_id is not None
    case = folder.case
    return Record(DEADLINE_ENTITY, f"{review.review_id}.{recommendation.recommendation_id}", now, {
        "review_id": review.review_id, "slot": recommendation.recommendation_id,
        "kind": CASE_REVIEW_RECOMMENDATION, "status": "open",
        "due_kind": CASE_REVIEW_RECOMMENDATION,
        "due_at": end_of_day(recommendation.due_on).isoformat(),
        "on": recommendation.due_on.isoformat(),
        "title": _recommendation_title(review, recommendation),
        "team": case.team, "officer": case.officer}, replace=True)


def respond_to_recommendation(folder: CaseFolder, review_id: str, recommendation_id: str,
                              body: RecommendationResponseIn, by: StaffMember, now: datetime,
                              new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """What the landlord did about a recommendation made to it; done ends its due work."""
    review = _review(folder, review_id, RECOMMENDED, COMPLETED)
    if not isinstance(review.recommendations, list):
        raise RuleBroken("This ASB Case Review's recommendations were erased with the case")
    found = next((r for r in review.recommendations
                  if r.recommendation_id == recommendation_id), None)
    if found is None:
        raise UnknownRecord(f"No recommendation {recommendation_id} made to us in this review")
    if found.done_on is not None:
        raise RuleBroken(f"This recommendation was recorded done on {long_date(found.done_on)}")
    if body.on > local_day(now):
        raise InvalidChange([FieldError("on", "The date cannot be in the future")])
    if body.on < review.received_on:
        raise InvalidChange([FieldError("on", "The date cannot be before the application")])
    response = RecommendationResponse(on=body.on, what_we_did=body.what_we_did,
                                      done=body.done, by=by.username)
    updated = found.model_copy(update={
        "responses": [*found.responses, response],
        **({"done_on": body.on} if body.done else {})})
    recommendations = [updated if r is found else r for r in review.recommendations]
    stored = review.model_copy(update={"recommendations": recommendations})
    case = folder.case
    records = [Record("CaseReview", review_id, now, stored.as_stored(), replace=True)]
    if body.done and found.due_on is not None:
        records.append(Record(DEADLINE_ENTITY, f"{review_id}.{recommendation_id}", now, {
            "review_id": review_id, "slot": recommendation_id,
            "kind": CASE_REVIEW_RECOMMENDATION, "status": "done",
            "on": found.due_on.isoformat(), "title": _recommendation_title(review, found),
            "done_at": now.isoformat()}, replace=True))
    return CaseChange(
        bump(case, now), case.version,
        audit_entry(case, by, "CaseReviewRecommendationResponse", now, new_id, after={
            "review_id": review_id, "recommendation_id": recommendation_id,
            "done": body.done, "on": body.on.isoformat()}),
        records=records)


def record_outcome(folder: CaseFolder, review_id: str, body: ReviewOutcomeIn, by: StaffMember,
                   now: datetime, new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    review = _review(folder, review_id)
    if review.run_by is not None:
        return _outcome_told(folder, review, body, by, now, new_id)
    review = _review(folder, review_id, HELD, RECOMMENDED)
    return _step(folder, review, COMPLETED, by, now, new_id, "CaseReviewOutcome",
                 {"outcome": ReviewOutcome(summary=body.summary, by=by.username,
                                           on=local_day(now))},
                 [_done(OUTCOME, "applicant told")], notify={"summary": body.summary})


def _outcome_told(folder: CaseFolder, review: CaseReview, body: ReviewOutcomeIn,
                  by: StaffMember, now: datetime, new_id: NewId) -> CaseChange:
    """As a participant: the lead body's outcome as it told us (it tells the applicant), at any
    point after the referral - a threshold not met ends the review without a meeting."""
    review = _review(folder, review.review_id, REFERRED, HELD, RECOMMENDED)
    told_on = body.told_on or local_day(now)
    if told_on > local_day(now):
        raise InvalidChange([FieldError("told_on", "The date cannot be in the future")])
    if told_on < review.received_on:
        raise InvalidChange([FieldError("told_on", "The date cannot be before the application")])
    return _step(folder, review, COMPLETED, by, now, new_id, "CaseReviewOutcomeTold",
                 {"outcome": ReviewOutcome(summary=body.summary, by=by.username,
                                           on=local_day(now), told_on=told_on)})


def appeal(folder: CaseFolder, review_id: str, body: AppealIn, by: StaffMember, now: datetime,
           new_id: NewId = lambda: str(uuid.uuid4())) -> CaseChange:
    """An appeal against the threshold decision or the outcome, decided by someone else."""
    _ours(_review(folder, review_id), "an appeal")
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
    _ours(_review(folder, review_id), "the appeal's decision")
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


def statistics(reviews: Iterable[dict[str, Any]], lead_body: bool) -> dict[str, int]:
    """The figures for applications received in a year (ASB-REFERENCE section 6): as the lead
    body the published ones; as a participant what reached us and what we did."""
    counted = list(reviews)
    if not lead_body:
        ours = [r for rev in counted if isinstance(rev.get("recommendations"), list)
                for r in rev["recommendations"] if isinstance(r, dict) and r.get("due_on")]
        return {
            "applications": len(counted),
            "referred": sum(1 for r in counted if r.get("referral_id")),
            "recommendations_to_us": len(ours),
            "recommendations_done": sum(1 for r in ours if r.get("done_on")),
        }
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
