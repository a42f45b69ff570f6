"""The ASB Case Review process (ASBCPA 2014 s104): staff record the application, its
acknowledgement, the threshold decision with reasons, the meeting, recommendations, an appeal and
the outcome; managers read the year's applications and statistics. As a participant (the
policy's CASE_REVIEW_LEAD_BODY false) an application is referred to the lead body's point of
contact, and staff record its meeting, the recommendations made to us and what we did about
each, and its outcome."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb import bootstrap
from asb.case.change import CaseChange, CaseFolder
from asb.case_review import process
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
from asb.kernel.logs import service_logger
from asb.kernel.staff import StaffMember
from asb.web.headers import with_security_headers
from asb.web.staff_answers import CaseReviews
from asb.web.staff_api import (
    STAFF_SECURITY,
    CaseChanged,
    IfMatch,
    RecordId,
    Reference,
    Route,
    change_case,
    current_staff,
    install_error_answers,
    refuse_unless_json,
    responses,
    write_route,
)

logger = service_logger()
app = APIGatewayRestResolver(enable_validation=True)
service = bootstrap.case_service()
setting = bootstrap.case_review_setting()
install_error_answers(app, logger)



def _step(reference: str, if_match: str | None, action: Any, body: Any,
          *extra: Any) -> Response[CaseChanged]:
    answer = change_case(app, service, reference, if_match, action, body, *extra)
    logger.info("case review step", extra={"reference": reference, "step": action.__name__})
    return answer


def _route(path: str, summary: str) -> Callable[[Route], Route]:
    return write_route(app, path, summary, "ASB Case Review")


@_route("/cases/<reference>/case-reviews", "Record an application for an ASB Case Review")
def apply_for_review(reference: Reference, body: Annotated[CaseReviewApplicationIn, Body()],
                     if_match: IfMatch = None) -> Response[CaseChanged]:
    arrangement = setting.arrangement
    contact = arrangement.point_of_contact
    entry = setting.registry_entry(contact.partner_id) if contact else None

    def apply(folder: CaseFolder, body: CaseReviewApplicationIn, staff: StaffMember,
              now: datetime) -> CaseChange:
        return process.apply_for_review(folder, body, staff, now, arrangement=arrangement,
                                        point_of_contact=entry)

    return _step(reference, if_match, apply, body)


@_route("/cases/<reference>/case-reviews/<review_id>/referral",
        "Refer the application after its referral was refused or could not be made "
        "(as a participant)")
def refer_again(reference: Reference, review_id: RecordId,
                body: Annotated[ReferAgainIn, Body()],
                if_match: IfMatch = None) -> Response[CaseChanged]:
    arrangement = setting.arrangement
    contact = arrangement.point_of_contact
    entry = setting.registry_entry(contact.partner_id) if contact else None

    def again(folder: CaseFolder, review_id: str, body: ReferAgainIn, staff: StaffMember,
              now: datetime) -> CaseChange:
        return process.refer_again(folder, review_id, body, staff, now,
                                   arrangement=arrangement, point_of_contact=entry)

    return _step(reference, if_match, again, body, review_id)


@_route("/cases/<reference>/case-reviews/<review_id>/acknowledgement",
        "Record that the application was acknowledged")
def acknowledge(reference: Reference, review_id: RecordId,
                body: Annotated[AcknowledgementIn, Body()],
                if_match: IfMatch = None) -> Response[CaseChanged]:
    return _step(reference, if_match, process.acknowledge, body, review_id)


@_route("/cases/<reference>/case-reviews/<review_id>/threshold-decision",
        "Decide whether the threshold is met, with reasons")
def decide_threshold(reference: Reference, review_id: RecordId,
                     body: Annotated[ThresholdDecisionIn, Body()],
                     if_match: IfMatch = None) -> Response[CaseChanged]:
    return _step(reference, if_match, process.decide_threshold, body, review_id)


@_route("/cases/<reference>/case-reviews/<review_id>/meeting", "Record the review meeting")
def record_meeting(reference: Reference, review_id: RecordId,
                   body: Annotated[ReviewMeetingIn, Body()],
                   if_match: IfMatch = None) -> Response[CaseChanged]:
    return _step(reference, if_match, process.record_meeting, body, review_id)


@_route("/cases/<reference>/case-reviews/<review_id>/recommendations",
        "Record the review's recommendations (an empty list: none)")
def record_recommendations(reference: Reference, review_id: RecordId,
                           body: Annotated[RecommendationsIn, Body()],
                           if_match: IfMatch = None) -> Response[CaseChanged]:
    return _step(reference, if_match, process.record_recommendations, body, review_id)


@_route("/cases/<reference>/case-reviews/<review_id>/recommendations/<recommendation_id>/"
        "responses", "Record what we did about a recommendation made to us (done ends its due "
                     "work)")
def respond_to_recommendation(reference: Reference, review_id: RecordId,
                              recommendation_id: RecordId,
                              body: Annotated[RecommendationResponseIn, Body()],
                              if_match: IfMatch = None) -> Response[CaseChanged]:
    return _step(reference, if_match, process.respond_to_recommendation, body, review_id,
                 recommendation_id)


@_route("/cases/<reference>/case-reviews/<review_id>/outcome",
        "Record the outcome the applicant is told")
def record_outcome(reference: Reference, review_id: RecordId,
                   body: Annotated[ReviewOutcomeIn, Body()],
                   if_match: IfMatch = None) -> Response[CaseChanged]:
    return _step(reference, if_match, process.record_outcome, body, review_id)


@_route("/cases/<reference>/case-reviews/<review_id>/appeal",
        "Record an appeal against the threshold decision or the outcome")
def appeal(reference: Reference, review_id: RecordId, body: Annotated[AppealIn, Body()],
           if_match: IfMatch = None) -> Response[CaseChanged]:
    return _step(reference, if_match, process.appeal, body, review_id)


@_route("/cases/<reference>/case-reviews/<review_id>/appeal-decision",
        "Record the appeal's decision, with reasons")
def decide_appeal(reference: Reference, review_id: RecordId,
                  body: Annotated[AppealDecisionIn, Body()],
                  if_match: IfMatch = None) -> Response[CaseChanged]:
    return _step(reference, if_match, process.decide_appeal, body, review_id)


@app.get("/case-reviews", summary="The year's ASB Case Reviews and statistics (managers)",
         tags=["ASB Case Review"], responses=responses(CaseReviews), security=STAFF_SECURITY)
def list_case_reviews(
    year: Annotated[int | None, Query(ge=2000, le=2100,
                                      description="The year the April-March period starts")] = None,
) -> CaseReviews:
    return CaseReviews(**service.case_reviews(current_staff(app), year,
                                              setting.arrangement.lead_body))


@with_security_headers
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return refuse_unless_json(event) or app.resolve(event, context)
