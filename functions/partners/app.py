"""Sharing with partners, for staff: the registry of partners and their agreements (managers
keep it), requests to disclose or refer - or to use a power the landlord does not hold - and
their decisions, the approvals waiting, and the disclosure log for the data protection officer."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb import bootstrap
from asb.kernel.logs import service_logger
from asb.meetings.models import ActionUpdateIn, MeetingIn
from asb.partners.disclosures import PartnerUnknown
from asb.partners.meeting_minutes import MeetingShareIn
from asb.partners.models import (
    DisclosureDecisionIn,
    DisclosureRequestIn,
    PartnerIn,
    PowerRequestIn,
    ReferralOutcomeIn,
    SafeguardingReferralIn,
)
from asb.partners.service import PartnerPreconditionFailed
from asb.web.answers import answers
from asb.web.headers import with_security_headers
from asb.web.staff_answers import PartnerList, WaitingList
from asb.web.staff_api import (
    STAFF_SECURITY,
    CaseChanged,
    IfMatch,
    Problem,
    RecordId,
    Reference,
    changed,
    current_staff,
    install_error_answers,
    json_answer,
    refuse_unless_json,
    responses,
    write_route,
)

logger = service_logger()
app = APIGatewayRestResolver(enable_validation=True)
partners = bootstrap.partners()
meetings = bootstrap.meetings()
install_error_answers(app, logger)
PartnerId = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$")]
IfNoneMatch = Annotated[str | None, Header(alias="if-none-match", description=(
    "* to add a partner only if there is none with this id"))]
Year = Annotated[int | None, Query(ge=2000, le=2100,
                                   description="The year the April-March period starts")]


@answers(app, PartnerUnknown)
def _unknown_partner(error: PartnerUnknown) -> Response[str]:
    return json_answer(422, {"message": "Some answers need checking", "errors": [
        {"field": "partner_id", "message": error.message}]})


@answers(app, PartnerPreconditionFailed)
def _partner_not_as_assumed(error: PartnerPreconditionFailed) -> Response[str]:
    return json_answer(412, {"message": error.message})


@app.get("/partners", summary="The partner registry and each agreement", tags=["partners"],
         responses=responses(PartnerList), security=STAFF_SECURITY)
def list_partners() -> PartnerList:
    return PartnerList(partners=partners.registry(current_staff(app)))


@app.put("/partners/<partner_id>", summary="Add or change a partner and its agreement "
                                            "(managers)", tags=["partners"],
         description="To add a partner send `If-None-Match: *` (or no precondition): it is "
                     "added only if there is no partner with that id, else 412. To change one "
                     "send `If-Match` with the version you read: 412 if it has changed or does "
                     "not exist, 428 without it.",
         responses={**responses(PartnerList, 400, 413, 415, 428), 412: {
             "description": "A partner with that id already exists (a create), or is not at "
                            "the version read or not there (a change)",
             "content": {"application/json": {"model": Problem}}}},
         security=STAFF_SECURITY)
def save_partner(partner_id: PartnerId, body: Annotated[PartnerIn, Body()],
                 if_match: IfMatch = None, if_none_match: IfNoneMatch = None) -> PartnerList:
    saved = partners.save(current_staff(app), partner_id, body, if_match, if_none_match)
    logger.info("partner saved", extra={"partner_id": partner_id, "version": saved["version"]})
    return PartnerList(partners=[saved])


@write_route(app, "/cases/<reference>/disclosures",
             "Ask to disclose to, or refer to, a partner", "partners")
def request_disclosure(reference: Reference, body: Annotated[DisclosureRequestIn, Body()],
                       if_match: IfMatch = None) -> Response[CaseChanged]:
    case = partners.request(reference, current_staff(app), if_match, body)
    logger.info("disclosure requested", extra={"reference": reference,
                                               "partner_id": body.partner_id})
    return changed(case)


@write_route(app, "/cases/<reference>/power-requests",
             "Ask a partner to use a power the landlord does not hold (a Community Protection "
             "Notice, a closure notice or order, a criminal behaviour order)", "partners")
def request_power(reference: Reference, body: Annotated[PowerRequestIn, Body()],
                  if_match: IfMatch = None) -> Response[CaseChanged]:
    case = partners.request_power(reference, current_staff(app), if_match, body)
    logger.info("power requested", extra={"reference": reference, "power": body.power,
                                          "partner_id": body.partner_id})
    return changed(case)


@write_route(app, "/cases/<reference>/safeguarding-referrals",
             "Make a safeguarding referral (adult, child, MARAC, specialist domestic abuse) "
             "about a person at risk: with consent, or without it where there is a risk of "
             "harm, the reason recorded", "partners")
def refer_for_safeguarding(reference: Reference,
                           body: Annotated[SafeguardingReferralIn, Body()],
                           if_match: IfMatch = None) -> Response[CaseChanged]:
    case = partners.refer_for_safeguarding(reference, current_staff(app), if_match, body)
    logger.info("safeguarding referral requested", extra={
        "reference": reference, "referral_type": body.referral_type,
        "partner_id": body.partner_id, "consent": body.consent})
    return changed(case)


@write_route(app, "/cases/<reference>/safeguarding-referrals/<disclosure_id>/outcome",
             "Record the outcome of a safeguarding referral, as the partner gave it", "partners")
def record_referral_outcome(reference: Reference, disclosure_id: RecordId,
                            body: Annotated[ReferralOutcomeIn, Body()],
                            if_match: IfMatch = None) -> Response[CaseChanged]:
    case = partners.record_referral_outcome(reference, disclosure_id, current_staff(app),
                                            if_match, body)
    logger.info("safeguarding outcome recorded", extra={"reference": reference,
                                                        "outcome": body.outcome})
    return changed(case)


@write_route(app, "/cases/<reference>/disclosures/<disclosure_id>/decision",
             "Approve or refuse a request to share (a manager or the DPO; a request for a "
             "partner's power, a manager)", "partners")
def decide_disclosure(reference: Reference, disclosure_id: RecordId,
                      body: Annotated[DisclosureDecisionIn, Body()],
                      if_match: IfMatch = None) -> Response[CaseChanged]:
    case = partners.decide(reference, disclosure_id, current_staff(app), if_match, body)
    logger.info("disclosure decided", extra={"reference": reference, "approved": body.approved})
    return changed(case)


@write_route(app, "/cases/<reference>/meetings",
             "Record a multi-agency meeting (a problem-solving panel, a case conference): who "
             "attended, the minutes, and the actions agreed, each owned by the landlord or a "
             "partner that attended, with its due date", "meetings")
def record_meeting(reference: Reference, body: Annotated[MeetingIn, Body()],
                   if_match: IfMatch = None) -> Response[CaseChanged]:
    case = meetings.record(reference, current_staff(app), if_match, body)
    logger.info("meeting recorded", extra={"reference": reference, "kind": body.kind,
                                           "actions": len(body.actions)})
    return changed(case)


@write_route(app, "/cases/<reference>/meetings/<meeting_id>/actions/<action_id>",
             "Record an action agreed at a meeting as done, with a note", "meetings")
def update_meeting_action(reference: Reference, meeting_id: RecordId, action_id: RecordId,
                          body: Annotated[ActionUpdateIn, Body()],
                          if_match: IfMatch = None) -> Response[CaseChanged]:
    case = meetings.update_action(reference, meeting_id, action_id, current_staff(app),
                                  if_match, body)
    logger.info("meeting action done", extra={"reference": reference})
    return changed(case)


@write_route(app, "/cases/<reference>/meetings/<meeting_id>/share",
             "Ask to share a meeting's minutes and actions with the partners that attended: "
             "one request to share each, decided by a manager or the DPO", "meetings")
def share_meeting_minutes(reference: Reference, meeting_id: RecordId,
                          body: Annotated[MeetingShareIn, Body()],
                          if_match: IfMatch = None) -> Response[CaseChanged]:
    case = partners.share_minutes(reference, meeting_id, current_staff(app), if_match, body)
    logger.info("meeting minutes share requested", extra={"reference": reference})
    return changed(case)


@app.get("/disclosures", summary="Requests to share waiting for a decision (managers, DPO)",
         tags=["partners"], responses=responses(WaitingList), security=STAFF_SECURITY)
def waiting() -> WaitingList:
    return WaitingList(waiting=partners.waiting(current_staff(app)))


@app.get("/disclosure-log", summary="The disclosure log of a reporting year, as CSV (DPO)",
         tags=["partners"], security=STAFF_SECURITY, responses={
             200: {"description": "CSV, one line per request, decision, package sent, "
                                  "acknowledgement or refusal",
                   "content": {"text/csv": {"schema": {"type": "string"}}}},
             **{k: v for k, v in responses(WaitingList).items() if k != 200}})
def disclosure_log(year: Year = None) -> Response[str]:
    text = partners.log(current_staff(app), year)
    return Response(status_code=200, content_type="text/csv; charset=utf-8", body=text,
                    headers={"Content-Disposition": 'attachment; filename="disclosure-log.csv"'})


@with_security_headers
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return refuse_unless_json(event) or app.resolve(event, context)
