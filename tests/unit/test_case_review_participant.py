"""The ASB Case Review as the law runs it (ASB-REFERENCE section 6): as a participant the landlord
recognises an application and refers it at once to the point of contact, then records the lead
body's meeting, the recommendations made to it (due work until done) and the outcome; as the
lead body it runs every step. Pure: each step a CaseChange of a folder, both modes by parameter."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from asb.case.change import CaseChange, CaseFolder
from asb.case.records import CaseReview, Disclosure
from asb.case.sharing import CASE_REVIEW_REFERRAL
from asb.case.targets import end_of_day
from asb.case.tasks import CASE_REVIEW_RECOMMENDATION, DISCLOSURE_DECISION, REFER
from asb.case_review import process
from asb.case_review.models import (
    AcknowledgementIn,
    AppealIn,
    CaseReviewApplicationIn,
    RecommendationResponseIn,
    RecommendationsIn,
    ReviewMeetingIn,
    ReviewOutcomeIn,
    ThresholdDecisionIn,
)
from asb.case_review.process import Arrangement
from asb.kernel.errors import InvalidChange, RuleBroken, UnknownRecord
from asb.kernel.staff import StaffMember
from asb.partners.case_review_referrals import case_review_package
from asb.partners.disclosures import decide_disclosure
from asb.partners.models import DisclosureDecisionIn
from asb.policy.config import CASE_REVIEW_POINT_OF_CONTACT, LANDLORD_NAME
from tests.unit.test_case_review_application import folder as complained_folder

OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")
MANAGER = StaffMember("m.jones", frozenset({"manager"}), "yeovil")
# Tuesday 12 May 2026, noon in London; the complaint was on 1 May.
NOW = datetime(2026, 5, 12, 11, 0, tzinfo=UTC)
COUNCIL: dict[str, Any] = {
    "partner_id": CASE_REVIEW_POINT_OF_CONTACT.partner_id, "name": "South Somerset DC",
    "kind": "council", "queue": "council",
    "data_categories": ["case_summary", "incident_details", "perpetrator_details",
                        "actions_taken"],
    "legal_routes": ["cda_1998_s115", "information_sharing_agreement"]}
PARTICIPANT = Arrangement.participant()


def ids() -> Any:
    counter = iter(range(1, 1000))
    return lambda: f"id-{next(counter)}"


def applied(arrangement: Arrangement = PARTICIPANT, now: datetime = NOW,
            partner: dict[str, Any] | None = COUNCIL) -> tuple[CaseFolder, CaseChange]:
    start = complained_folder()
    body = CaseReviewApplicationIn(received_on=now.date(), summary="Nothing has changed.")
    change = process.apply_for_review(start, body, OFFICER, now, ids(), arrangement=arrangement,
                                      point_of_contact=partner)
    return after(start, change), change


def after(folder: CaseFolder, change: CaseChange) -> CaseFolder:
    """The folder as the writer leaves it: the case, its reviews, requests and open dates."""
    reviews, disclosures = dict(folder.case_reviews), dict(folder.disclosures)
    deadlines = dict(folder.deadlines)
    for record in change.records:
        if record.entity == "CaseReview":
            reviews[record.record_id] = CaseReview.model_validate(record.data)
        elif record.entity == "Disclosure":
            disclosures[record.record_id] = Disclosure.model_validate(record.data)
        elif record.entity == "Deadline":
            deadlines[record.record_id] = record.data
            if not record.data.get("due_kind"):
                del deadlines[record.record_id]
    return replace(folder, case=change.case, case_reviews=reviews, disclosures=disclosures,
                   deadlines=deadlines)


def review_id(folder: CaseFolder) -> str:
    (found,) = folder.case_reviews
    return found


def held(landlord_attended: bool = True) -> tuple[CaseFolder, str]:
    folder, _ = applied()
    review = review_id(folder)
    meeting = ReviewMeetingIn(held_on=date(2026, 5, 20), agencies=["Council", "Police", "Us"],
                              summary="The panel went through the history.",
                              landlord_attended=landlord_attended)
    return after(folder, process.record_meeting(folder, review, meeting, OFFICER,
                                                NOW + timedelta(days=9), ids())), review


def recommended(*due: date) -> tuple[CaseFolder, str]:
    folder, review = held()
    body = RecommendationsIn.model_validate({"recommendations": [
        {"action": f"Recommendation number {n}", "due_on": day.isoformat()}
        for n, day in enumerate(due)]})
    return after(folder, process.record_recommendations(folder, review, body, OFFICER,
                                                        NOW + timedelta(days=10), ids())), review


# ------------------------------------------------------------------ the application
def test_as_a_participant_the_application_is_referred_to_the_point_of_contact_at_once() -> None:
    folder, change = applied()
    review = folder.case_reviews[review_id(folder)]
    assert review.status == "referred" and review.run_by is not None
    assert review.run_by.partner_id == CASE_REVIEW_POINT_OF_CONTACT.partner_id
    referral = folder.disclosures[str(review.referral_id)]
    assert referral.kind == CASE_REVIEW_REFERRAL and referral.status == "requested"
    stored = referral.as_stored()
    assert stored["legal_route"] == "cda_1998_s115" and stored["review_id"] == review.review_id
    # What the agreement allows of what a lead body needs: the council's has no risk category.
    assert stored["data_categories"] == ["actions_taken", "case_summary", "incident_details"]
    # "At once": a manager or the DPO decides it by the end of the same working day.
    assert stored["due_kind"] == DISCLOSURE_DECISION
    assert stored["due_at"] == end_of_day(date(2026, 5, 12)).isoformat()
    assert [r.entity for r in change.records] == ["CaseReview", "Disclosure", "DisclosureLog"]
    assert change.records[2].data["action"] == "requested"
    # None of the lead body's steps fall due on us.
    assert change.tasks == []


def test_the_applicant_is_told_who_runs_the_review_and_when_to_expect_an_answer() -> None:
    _, change = applied()
    (event,) = change.events
    assert event.type == "CaseReviewReferred"
    assert event.detail["run_by"] == CASE_REVIEW_POINT_OF_CONTACT.name
    assert event.detail["how_to_reach"] == CASE_REVIEW_POINT_OF_CONTACT.how_to_reach
    # 15 and 25 working days after Tuesday 12 May 2026 (the late May bank holiday is 25 May).
    assert event.detail["decide_by"] == "2026-06-03"
    assert event.detail["outcome_by"] == "2026-06-17"


def test_an_application_recorded_at_the_weekend_is_decided_by_the_end_of_monday() -> None:
    saturday = datetime(2026, 5, 16, 10, 0, tzinfo=UTC)
    folder, _ = applied(now=saturday)
    (referral,) = folder.disclosures.values()
    assert referral.as_stored()["due_at"] == end_of_day(date(2026, 5, 18)).isoformat()


@pytest.mark.parametrize(("partner", "why"), [
    (None, "not an active partner in the registry"),
    ({**COUNCIL, "active": False}, "not an active partner"),
    ({**COUNCIL, "legal_routes": ["consent"]}, "does not cover Crime and Disorder Act"),
    ({**COUNCIL, "data_categories": ["case_summary"]}, "what happened and when"),
    ({**COUNCIL, "partner_id": "someone-else"}, "not an active partner in the registry"),
])
def test_an_application_that_cannot_be_referred_yet_is_recorded_its_referral_due_work(
        partner: dict[str, Any] | None, why: str) -> None:
    """The statutory application is never lost: recorded, with the referral the review's own
    task, due by the end of the working day, until the re-referral route makes it."""
    folder, change = applied(partner=partner)
    review = folder.case_reviews[review_id(folder)]
    assert review.status == "referred" and review.referral_id is None
    assert folder.disclosures == {}
    (task,) = change.tasks
    assert (task.kind, task.title) == (
        REFER, "Refer the ASB Case Review application to the point of contact")
    assert task.due_at == end_of_day(date(2026, 5, 12))
    assert why in change.audit.after["referral_waiting"]
    # Once the point of contact can take it, …/referral makes it, and the task is done.
    from asb.case.tasks import TaskState
    from asb.case_review.models import ReferAgainIn

    waiting = replace(folder, tasks={REFER: TaskState(True, task.due_at)})
    made = process.refer_again(waiting, review.review_id, ReferAgainIn(
        reason="The council is now in the registry with its agreement."), OFFICER, NOW, ids(),
        arrangement=PARTICIPANT, point_of_contact=COUNCIL)
    assert [r.entity for r in made.records] == ["CaseReview", "Disclosure", "DisclosureLog"]
    assert [(t.kind, t.due_at, t.outcome) for t in made.tasks] == [(REFER, None, "referred")]


def test_as_the_lead_body_the_steps_fall_due_on_us_and_nothing_is_referred() -> None:
    folder, change = applied(Arrangement.lead(), partner=None)
    review = folder.case_reviews[review_id(folder)]
    assert review.status == "applied" and review.run_by is None and review.referral_id is None
    assert "run_by" not in review.as_stored()  # a lead review's item is as it always was
    assert [t.kind for t in change.tasks] == ["CASE_REVIEW_ACKNOWLEDGE", "CASE_REVIEW_DECISION",
                                              "CASE_REVIEW_MEETING"]
    assert folder.disclosures == {} and change.events == []


# ------------------------------------------------------------------ the lead body's steps
@pytest.mark.parametrize(("step", "words"), [
    (lambda f, r: process.acknowledge(f, r, AcknowledgementIn(acknowledged_on=NOW.date()),
                                      OFFICER, NOW), "the acknowledgement"),
    (lambda f, r: process.decide_threshold(f, r, ThresholdDecisionIn(
        met=True, reasons="Three qualifying complaints."), MANAGER, NOW),
     "the threshold decision"),
    (lambda f, r: process.appeal(f, r, AppealIn(received_on=NOW.date(),
                                                grounds="The decision missed a complaint."),
                                 OFFICER, NOW), "an appeal"),
])
def test_the_lead_bodys_steps_are_not_ours_to_record_as_a_participant(step: Any,
                                                                     words: str) -> None:
    folder, _ = applied()
    with pytest.raises(RuleBroken, match=f"South Somerset District Council runs this ASB Case "
                                         f"Review: {words} is the lead body's"):
        step(folder, review_id(folder))


# ------------------------------------------------------------------ the meeting
def test_the_lead_bodys_meeting_is_recorded_with_whether_we_attended() -> None:
    folder, review = held(landlord_attended=False)
    recorded = folder.case_reviews[review]
    assert recorded.status == "review held"
    assert recorded.as_stored()["meeting"]["landlord_attended"] is False


def test_a_meeting_without_saying_whether_we_attended_is_a_422_naming_it() -> None:
    folder, _ = applied()
    body = ReviewMeetingIn(held_on=date(2026, 5, 20), agencies=["Council"],
                           summary="The panel met.")
    with pytest.raises(InvalidChange) as refused:
        process.record_meeting(folder, review_id(folder), body, OFFICER,
                               NOW + timedelta(days=9))
    assert [e.field for e in refused.value.errors] == ["landlord_attended"]


def test_a_meeting_before_the_application_is_a_422_naming_held_on() -> None:
    folder, _ = applied()
    body = ReviewMeetingIn(held_on=date(2026, 5, 1), agencies=["Council"],
                           summary="The panel met.", landlord_attended=True)
    with pytest.raises(InvalidChange) as refused:
        process.record_meeting(folder, review_id(folder), body, OFFICER, NOW)
    assert [e.field for e in refused.value.errors] == ["held_on"]


# ------------------------------------------------------------------ recommendations
def test_each_recommendation_made_to_us_is_due_work_for_the_officer_until_done() -> None:
    folder, review = recommended(date(2026, 6, 30), date(2026, 7, 31))
    recorded = folder.case_reviews[review]
    assert recorded.status == "recommendations made"
    assert isinstance(recorded.recommendations, list)
    assert [r.owner for r in recorded.recommendations] == [LANDLORD_NAME, LANDLORD_NAME]
    due = sorted(folder.deadlines.values(), key=lambda d: d["on"])
    assert [(d["due_kind"], d["due_at"], d["officer"], d["team"]) for d in due] == [
        (CASE_REVIEW_RECOMMENDATION, end_of_day(date(2026, 6, 30)).isoformat(), "o.hughes",
         "yeovil"),
        (CASE_REVIEW_RECOMMENDATION, end_of_day(date(2026, 7, 31)).isoformat(), "o.hughes",
         "yeovil")]
    assert "Tuesday 30 June 2026" in due[0]["title"]


def test_a_recommendation_to_us_without_a_due_date_is_a_422_naming_it() -> None:
    folder, review = held()
    body = RecommendationsIn.model_validate({"recommendations": [
        {"action": "Fit a door entry system", "due_on": "2026-06-30"},
        {"action": "Offer mediation to both households"}]})
    with pytest.raises(InvalidChange) as refused:
        process.record_recommendations(folder, review, body, OFFICER, NOW)
    assert [e.field for e in refused.value.errors] == ["recommendations.1.due_on"]


def test_a_recommendation_due_before_the_meeting_is_a_422() -> None:
    folder, review = held()
    body = RecommendationsIn.model_validate({"recommendations": [
        {"action": "Fit a door entry system", "due_on": "2026-05-19"}]})
    with pytest.raises(InvalidChange) as refused:
        process.record_recommendations(folder, review, body, OFFICER, NOW)
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("recommendations.0.due_on", "It cannot be due before the meeting that made it")]


def test_as_the_lead_a_recommendation_names_its_agency() -> None:
    start, _ = applied(Arrangement.lead(), partner=None)
    review = review_id(start)
    folder = replace(start, case_reviews={review: start.case_reviews[review].model_copy(
        update={"status": "review held"})})
    body = RecommendationsIn.model_validate({"recommendations": [
        {"action": "A joint visit by police and housing"}]})
    with pytest.raises(InvalidChange) as refused:
        process.record_recommendations(folder, review, body, OFFICER, NOW)
    assert [e.field for e in refused.value.errors] == ["recommendations.0.owner"]


# ------------------------------------------------------------------ what we did about each
def respond(folder: CaseFolder, review: str, recommendation: str, done: bool,
            on: date = date(2026, 6, 1)) -> CaseChange:
    body = RecommendationResponseIn(on=on, what_we_did="Door entry fitted by our contractor.",
                                    done=done)
    return process.respond_to_recommendation(folder, review, recommendation, body, OFFICER,
                                             NOW + timedelta(days=25), ids())


def test_what_we_did_is_kept_and_done_ends_the_due_work() -> None:
    folder, review = recommended(date(2026, 6, 30))
    (recommendation,) = folder.case_reviews[review].recommendations or []
    rid = str(recommendation.recommendation_id)
    in_hand = after(folder, respond(folder, review, rid, done=False))
    assert len(in_hand.deadlines) == 1  # still due
    done = after(in_hand, respond(in_hand, review, rid, done=True, on=date(2026, 6, 5)))
    assert done.deadlines == {}
    (answered,) = done.case_reviews[review].recommendations or []
    assert answered.done_on == date(2026, 6, 5)
    assert [r.done for r in answered.responses] == [False, True]
    with pytest.raises(RuleBroken, match="recorded done on Friday 5 June 2026"):
        respond(done, review, rid, done=True)


def test_a_response_to_no_such_recommendation_or_in_the_future_is_refused() -> None:
    folder, review = recommended(date(2026, 6, 30))
    with pytest.raises(UnknownRecord):
        respond(folder, review, "no-such-recommendation", done=True)
    (recommendation,) = folder.case_reviews[review].recommendations or []
    with pytest.raises(InvalidChange) as refused:
        respond(folder, review, str(recommendation.recommendation_id), done=True,
                on=date(2027, 1, 1))
    assert [e.field for e in refused.value.errors] == ["on"]


# ------------------------------------------------------------------ the outcome
def test_the_lead_bodys_outcome_is_recorded_as_told_and_the_applicant_not_told_twice() -> None:
    folder, _ = applied()
    review = review_id(folder)
    body = ReviewOutcomeIn(summary="Threshold not met: two qualifying complaints.",
                           told_on=date(2026, 6, 2))
    change = process.record_outcome(folder, review, body, OFFICER, NOW + timedelta(days=22))
    done = after(folder, change).case_reviews[review]
    assert done.status == "completed" and change.events == []
    assert done.as_stored()["outcome"]["told_on"] == "2026-06-02"
    future = ReviewOutcomeIn(summary="Told tomorrow?", told_on=date(2026, 7, 1))
    with pytest.raises(InvalidChange) as refused:
        process.record_outcome(folder, review, future, OFFICER, NOW)
    assert [e.field for e in refused.value.errors] == ["told_on"]


# ------------------------------------------------------------------ the referral's package
def test_the_referral_carries_the_case_history_and_names_nobody() -> None:
    folder, _ = applied()
    (referral,) = folder.disclosures.values()
    change = decide_disclosure(folder, COUNCIL, referral.disclosure_id, DisclosureDecisionIn(
        approved=True, reason="The Act requires the referral."), MANAGER, NOW, ids(),
        build=case_review_package)
    (event,) = change.events
    package = event.detail["package"]
    assert event.detail["queue"] == "council"
    assert package["data_categories"] == ["actions_taken", "case_summary", "incident_details"]
    assert package["case_review"]["received_on"] == "2026-05-12"
    assert package["case_review"]["complaints"] == [{
        "reported_on": "2026-05-01", "behaviour_from": "2025-09-20",
        "behaviours": list(folder.reports[0].submission.incident.behaviours),
        "within_six_months": True}]
    assert "reporter" not in package and "perpetrators" not in package
    reporter = folder.reports[0].submission.reporter
    assert reporter is not None and reporter.name not in str(package)


def test_the_officer_who_recorded_the_application_does_not_decide_its_referral() -> None:
    folder, _ = applied()
    (referral,) = folder.disclosures.values()
    approver = StaffMember("o.hughes", frozenset({"manager"}), "yeovil")
    with pytest.raises(RuleBroken, match="Someone other"):
        decide_disclosure(folder, COUNCIL, referral.disclosure_id, DisclosureDecisionIn(
            approved=True, reason="The Act requires it."), approver, NOW,
            build=case_review_package)


# ------------------------------------------------------------------ closure and retention
def test_a_recommendation_left_open_at_closure_ends_when_the_case_is_anonymised() -> None:
    """Closure leaves it open (the lead body expects it done); retention ends it, or it would
    stay on the DueWork index for ever once nobody can act on it."""
    from asb.case.models import CaseStatus
    from asb.case.retention import ENDED_AT_ANONYMISATION, StoredCase, StoredRecord, erase_plan
    from asb.casework.commands import close
    from asb.casework.models import ClosureIn

    folder, _ = recommended(date(2026, 6, 30))
    closing = close(folder, ClosureIn(outcome="resolved", reasons="No reports for six weeks."),
                    OFFICER, NOW + timedelta(days=11), ids())
    assert not [r for r in closing.records if r.entity == "Deadline"]  # it stays open
    (record_id, item) = next(iter(folder.deadlines.items()))
    assert item["due_kind"] == CASE_REVIEW_RECOMMENDATION
    closed = closing.case.model_copy(update={"status": CaseStatus.CLOSED,
                                             "retain_until": date(2032, 6, 30)})
    open_date = StoredRecord(f"DEADLINE#{record_id}", "Deadline",
                             frozenset(k for k, v in item.items() if v))
    done_date = StoredRecord("DEADLINE#other", "Deadline", frozenset({"kind", "status", "on"}))
    later = datetime(2032, 7, 1, 3, 0, tzinfo=UTC)
    plan = erase_plan(StoredCase(closed, (), (open_date, done_date)), later, "audit-1")
    (ended,) = [i for i in plan.items if i.sort_key.startswith("DEADLINE#")]
    assert ended.sort_key == f"DEADLINE#{record_id}"
    assert dict(ended.overwrite) == {"status": "done", "outcome": ENDED_AT_ANONYMISATION,
                                     "done_at": later.isoformat()}
    assert ended.remove == ("due_kind", "due_at")


# ------------------------------------------------------------------ the year's statistics
def test_statistics_as_a_participant_count_referrals_and_recommendations_to_us() -> None:
    folder, review = recommended(date(2026, 6, 30), date(2026, 7, 31))
    (first, _) = folder.case_reviews[review].recommendations or []
    answered = after(folder, respond(folder, review, str(first.recommendation_id), done=True))
    stored = [{**r.as_stored()} for r in answered.case_reviews.values()]
    referred_only = applied()[0]
    stored += [r.as_stored() for r in referred_only.case_reviews.values()]
    assert process.statistics(stored, lead_body=False) == {
        "applications": 2, "referred": 2, "recommendations_to_us": 2,
        "recommendations_done": 1}
    assert set(process.statistics(stored, lead_body=True)) == {
        "applications", "threshold_not_met", "reviews_held", "reviews_with_recommendations"}


# ------------------------------------------------------------------ the applicant's page
def test_the_applicants_page_says_who_runs_the_review_and_when_to_expect_an_answer() -> None:
    from asb.tracking.reporter_page import tracking_view
    from asb.web.pages import render_tracking

    folder, _ = applied()
    mine = folder.reports[0]
    (review,) = folder.case_reviews.values()
    items = [{**review.as_stored(), "entity": "CaseReview"}]
    shown = tracking_view(folder.case, mine, folder.reports, items)["case_review"]
    assert shown == {
        "received_on": "Tuesday 12 May 2026", "run_by": CASE_REVIEW_POINT_OF_CONTACT.name,
        "how_to_reach": CASE_REVIEW_POINT_OF_CONTACT.how_to_reach,
        "status": "We are getting your request ready to send, with the history of your case, "
                  "to the people who run the review.", "finished": False,
        "decide_by": "Wednesday 3 June 2026", "outcome_by": "Wednesday 17 June 2026"}
    # Sent only once its referral has gone; refused (or withdrawn), held up, and they will hear.
    referral = {**folder.disclosures[str(review.referral_id)].as_stored(), "entity": "Disclosure"}
    for status, words in (("approved", "We are getting your request ready to send"),
                          ("sent", "We have sent your request"),
                          ("acknowledged", "We have sent your request"),
                          ("refused", "Sending your request to the people who run the review is "
                                      "held up. We will tell you when it has gone.")):
        stage = [*items, {**referral, "status": status}]
        assert tracking_view(folder.case, mine, folder.reports, stage)["case_review"][
            "status"].startswith(words), status
    page = render_tracking(tracking_view(folder.case, mine, folder.reports, items), "s", "/t",
                           {})
    assert f"{CASE_REVIEW_POINT_OF_CONTACT.name} runs the review, not us." in page
    assert "by Wednesday 3 June 2026" in page
    # Another reporter's application is not theirs to see.
    other = {**review.as_stored(), "entity": "CaseReview", "report_id": "someone-else"}
    assert tracking_view(folder.case, mine, folder.reports, [other])["case_review"] is None


def test_as_the_lead_the_applicants_page_says_we_run_it() -> None:
    from asb.tracking.reporter_page import tracking_view

    folder, _ = applied(Arrangement.lead(), partner=None)
    (review,) = folder.case_reviews.values()
    items = [{**review.as_stored(), "entity": "CaseReview"}]
    shown = tracking_view(folder.case, folder.reports[0], folder.reports, items)["case_review"]
    assert shown["run_by"] is None and shown["status"] == "We are looking at your request."


# ------------------------------------------------------------------ a refused referral
def test_a_refused_referral_is_referred_again_and_only_then() -> None:
    from asb.case_review.models import ReferAgainIn

    folder, _ = applied()
    review = review_id(folder)
    again = ReferAgainIn(reason="The council is now in the registry with its agreement.")
    with pytest.raises(RuleBroken, match="The referral is requested"):
        process.refer_again(folder, review, again, OFFICER, NOW, ids(), arrangement=PARTICIPANT,
                            point_of_contact=COUNCIL)
    (first,) = folder.disclosures
    refused = after(folder, decide_disclosure(folder, COUNCIL, first, DisclosureDecisionIn(
        approved=False, reason="The package named the wrong council."), MANAGER, NOW, ids()))
    change = process.refer_again(refused, review, again, OFFICER, NOW + timedelta(hours=1),
                                 iter(f"new-{n}" for n in range(9)).__next__,
                                 arrangement=PARTICIPANT, point_of_contact=COUNCIL)
    referred = after(refused, change)
    assert referred.case_reviews[review].referral_id == "new-0"
    assert referred.disclosures["new-0"].status == "requested"
    assert referred.disclosures[first].status == "refused"
    assert change.audit.action == "CaseReviewReferredAgain"
    with pytest.raises(RuleBroken, match="The referral is requested"):
        process.refer_again(referred, review, again, OFFICER, NOW, ids(),
                            arrangement=PARTICIPANT, point_of_contact=COUNCIL)


# ------------------------------------------------------------------ subject access
def test_the_applicant_gets_their_own_application_in_subject_access_others_taken_out() -> None:
    from asb.data_protection.subject_access import REPORTER as AS_REPORTER
    from asb.data_protection.subject_access import Holding, section

    folder, _ = applied()
    review = review_id(folder)
    perpetrator = folder.reports[0].submission.perpetrator
    named = folder.case_reviews[review].model_copy(update={
        "summary": f"Nothing has changed with {perpetrator.address}."})
    folder = replace(folder, case_reviews={review: named})
    (mine,) = folder.reports
    shown = section(Holding(folder.case.reference, mine.report_id, AS_REPORTER), folder, [])
    assert shown is not None
    (theirs,) = shown["your_asb_case_reviews"]
    assert theirs["run_by"] == CASE_REVIEW_POINT_OF_CONTACT.name
    assert theirs["status"] == "referred" and theirs["received_on"] == "2026-05-12"
    assert str(perpetrator.address) not in theirs["what_you_asked"]


def test_as_the_lead_a_dated_recommendation_is_followed_up_whoever_owns_it() -> None:
    start, _ = applied(Arrangement.lead(), partner=None)
    review = review_id(start)
    folder = replace(start, case_reviews={review: start.case_reviews[review].model_copy(
        update={"status": "review held"})})
    body = RecommendationsIn.model_validate({"recommendations": [
        {"action": "Patrol the close at weekends", "owner": "Avon and Somerset Police",
         "due_on": "2026-06-30"},
        {"action": "A joint visit by police and housing", "owner": "Police and us"}]})
    change = process.record_recommendations(folder, review, body, OFFICER, NOW, ids())
    (due,) = [r.data for r in change.records if r.entity == "Deadline"]
    assert due["title"] == ("Follow up the ASB Case Review recommendation to Avon and Somerset "
                            "Police due by Tuesday 30 June 2026")
