"""Staff writes: each a small route that names the version it read (If-Match) and changes the
case in one transaction with its audit entry and events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import Field

from asb import bootstrap
from asb.case.change import CaseChange, CaseFolder
from asb.case.homes import HomesRegister
from asb.case_review.models import SatisfactionSurveyIn
from asb.casework import commands as casework
from asb.casework import pathway_moves
from asb.casework.models import (
    ActionPlanIn,
    AssignmentIn,
    ClosureIn,
    ContactIn,
    DiaryEntryIn,
    GoodNeighbourDecisionIn,
    JoinIn,
    LegalConsiderationIn,
    LegalHoldIn,
    OverrideIn,
    PathwayMoveIn,
    ReferralIn,
    ReopenIn,
    RiskReassessmentIn,
    SplitIn,
)
from asb.enforcement import letters, measures
from asb.enforcement.models import (
    ApprovalIn,
    MeasureIn,
    MeasureStatusIn,
    StepBody,
    WarningLetterIn,
)
from asb.enforcement.steps import take_step
from asb.kernel.logs import service_logger
from asb.kernel.staff import StaffMember
from asb.people import parties, witnesses
from asb.people.models import (
    ConfirmationIn,
    MergerIn,
    PartyIn,
    TenancyTieIn,
    UnlinkingIn,
    VulnerabilityScreeningIn,
)
from asb.people.witness_models import (
    FileCheckIn,
    SignatureIn,
    StatementFileIn,
    StatementIn,
    WitnessNeedsIn,
)
from asb.policy.config import TENANCY_ONLY_MEASURES
from asb.reporting import closure_surveys as surveys
from asb.tracking import reporter_page as tracking
from asb.tracking.models import LinkRevocationIn
from asb.web.headers import with_security_headers
from asb.web.staff_api import (
    STAFF_SECURITY,
    CaseChanged,
    CasesRegrouped,
    IfMatch,
    PersonsMerged,
    RecordId,
    Reference,
    Route,
    change_case,
    changed,
    changed_cases,
    current_staff,
    install_error_answers,
    refuse_unless_json,
    regrouped,
    responses,
    write_route,
)

if TYPE_CHECKING:
    from asb.people.statement_file_service import StatementFiles

logger = service_logger()
app = APIGatewayRestResolver(enable_validation=True)
service = bootstrap.case_service()
people = bootstrap.people_service()
regrouping = bootstrap.regrouping_service()
# The landlord's homes register (asb.case.homes), which a party's tenancy must be in: made at
# the first tie to a tenancy, not at a cold start.
homes_register: HomesRegister | None = None
install_error_answers(app, logger)



def _change(reference: str, if_match: str | None, action: Any, body: Any,
            *extra: Any, roles: tuple[str, ...] = ("officer", "manager")) -> Response[CaseChanged]:
    answer = change_case(app, service, reference, if_match, action, body, *extra, roles=roles)
    logger.info("case changed", extra={"reference": reference, "change": action.__name__})
    return answer


def _route(path: str, summary: str) -> Callable[[Route], Route]:
    return write_route(app, path, summary, "case work")


@_route("/cases/<reference>/diary-entries", "Add a diary entry or a further report")
def add_diary_entry(reference: Reference, body: Annotated[DiaryEntryIn, Body()],
                    if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, casework.add_diary_entry, body)


@_route("/cases/<reference>/contacts", "Record a contact; sets when the next is due")
def record_contact(reference: Reference, body: Annotated[ContactIn, Body()],
                   if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, casework.record_contact, body)


@_route("/cases/<reference>/action-plan", "Agree the action plan with the customer")
def agree_action_plan(reference: Reference, body: Annotated[ActionPlanIn, Body()],
                      if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, casework.agree_action_plan, body)


@_route("/cases/<reference>/risk-assessments", "Re-assess risk with the officer's answers")
def reassess_risk(reference: Reference, body: Annotated[RiskReassessmentIn, Body()],
                  if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, casework.reassess_risk, body)


@_route("/cases/<reference>/overrides", "Override category or risk, with a reason")
def override(reference: Reference, body: Annotated[OverrideIn, Body()],
             if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, casework.override_triage, body)


@_route("/cases/<reference>/good-neighbour-decision",
        "Decide whether a good-neighbour request is anti-social behaviour")
def decide_good_neighbour(reference: Reference, body: Annotated[GoodNeighbourDecisionIn, Body()],
                          if_match: IfMatch = None) -> Response[CaseChanged]:
    staff, now = current_staff(app), service.clock.now()
    # Moved to ASB, it claims its reports' tenancies (asb.case.good_neighbour.decide).
    case = service.change_claiming_matters(reference, staff, if_match, lambda folder, matters: (
        casework.decide_good_neighbour(folder, body, staff, now, matters=matters)))
    logger.info("case changed", extra={"reference": reference, "change": "decide_good_neighbour"})
    return changed(case)


@_route("/cases/<reference>/measures", "Record a tool or power, with why it is proportionate")
def record_measure(reference: Reference, body: Annotated[MeasureIn, Body()],
                   if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, _record_measure, body)


def _record_measure(folder: CaseFolder, body: MeasureIn, by: StaffMember,
                    now: datetime) -> CaseChange:
    """Possession and demotion read the register: the tied tenancy must be current today."""
    register = _homes_register() if body.measure in TENANCY_ONLY_MEASURES else None
    return measures.record_measure(folder, body, by, now, register=register)


@_route("/cases/<reference>/measures/<measure_id>/decision",
        "A manager approves or refuses legal action")
def decide_measure(reference: Reference, measure_id: RecordId,
                   body: Annotated[ApprovalIn, Body()], if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, measures.decide_measure, body, measure_id)


@_route("/cases/<reference>/measures/<measure_id>/status", "Move a tool or power on")
def update_measure(reference: Reference, measure_id: RecordId,
                   body: Annotated[MeasureStatusIn, Body()],
                   if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, measures.update_measure, body, measure_id)


@_route("/cases/<reference>/measures/<measure_id>/steps",
        "Take a step of enforcement: a notice served, an application, a hearing listed or held "
        "(adjourned, an order made), a breach, an agreement's review, an order's end")
def take_enforcement_step(reference: Reference, measure_id: RecordId,
                          body: Annotated[StepBody, Body()],
                          if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, take_step, body, measure_id)


@_route("/cases/<reference>/measures/<measure_id>/letters",
        "Send a warning letter under a verbal, first or final written warning, to the person it "
        "is against: by email (a PDF attached) or by post (the print room's bucket)")
def send_warning_letter(reference: Reference, measure_id: RecordId,
                        body: Annotated[WarningLetterIn, Body()],
                        if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, _issue_warning_letter, body, measure_id)


def _issue_warning_letter(folder: CaseFolder, measure_id: str, body: WarningLetterIn,
                          by: StaffMember, now: datetime) -> CaseChange:
    """The person written to is read after the case's access check, for the letter's needs."""
    return letters.issue_warning_letter(folder, measure_id, body, by, now, people.person)


@_route("/cases/<reference>/tracking-links/<report_id>/revocation",
        "Stop a reporter's tracking link (lost, shared, or no longer safe)")
def revoke_tracking_link(reference: Reference, report_id: RecordId,
                         body: Annotated[LinkRevocationIn, Body()],
                         if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, tracking.revoke_tracking_link, body, report_id)


@_route("/cases/<reference>/referrals", "Refer to mediation or support, with consent")
def refer(reference: Reference, body: Annotated[ReferralIn, Body()],
          if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, casework.refer, body)


@_route("/cases/<reference>/closure", "Close the case with its outcome and reasons")
def close(reference: Reference, body: Annotated[ClosureIn, Body()],
          if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, casework.close, body)


@_route("/cases/<reference>/reopening", "Reopen a closed case, with a reason")
def reopen(reference: Reference, body: Annotated[ReopenIn, Body()],
           if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, casework.reopen, body)


@_route("/cases/<reference>/pathway",
        "Move the case to the domestic abuse pathway, with a reason: the specialist referral "
        "falls due, and it is never joined with a neighbour case")
def move_to_pathway(reference: Reference, body: Annotated[PathwayMoveIn, Body()],
                    if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, pathway_moves.move_to_pathway, body)


@_route("/cases/<reference>/assignment",
        "A manager or the intake team assigns the case to an officer (who is told) or a team")
def assign(reference: Reference, body: Annotated[AssignmentIn, Body()],
           if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, casework.assign, body)


@_route("/cases/<reference>/emergency-legal-consideration",
        "Record whether emergency legal action was considered, and why")
def consider_legal_action(reference: Reference, body: Annotated[LegalConsiderationIn, Body()],
                          if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, casework.consider_legal_action, body)


@_route("/cases/<reference>/satisfaction-survey",
        "Record a closure survey answer (closure satisfaction, the landlord's local measure)")
def record_survey(reference: Reference, body: Annotated[SatisfactionSurveyIn, Body()],
                  if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, surveys.record_survey, body)


@_route("/cases/<reference>/legal-hold",
        "The data protection officer sets or releases a legal hold on a case")
def change_legal_hold(reference: Reference, body: Annotated[LegalHoldIn, Body()],
                      if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, casework.change_legal_hold, body, roles=("dpo",))


def add_party(folder: CaseFolder, body: PartyIn, by: StaffMember, now: datetime) -> CaseChange:
    """A new person, or the known person the body names (read after the case's access check),
    if they are in a case `by` may see."""
    return parties.add_party(folder, people.linkable(body.person_id, by), body, by, now)


@_route("/cases/<reference>/parties", "Add a party: a new person, or link a known one by id")
def add_case_party(reference: Reference, body: Annotated[PartyIn, Body()],
                   if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, add_party, body)


@_route("/cases/<reference>/parties/<party_id>/confirmation",
        "Confirm a party a report named, once an officer has checked who it is")
def confirm_party(reference: Reference, party_id: RecordId,
                  body: Annotated[ConfirmationIn, Body()],
                  if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, parties.confirm_party, body, party_id)


@_route("/cases/<reference>/parties/<party_id>/unlinking",
        "Unlink a party from the case, with a reason (never the last complainant)")
def unlink_party(reference: Reference, party_id: RecordId, body: Annotated[UnlinkingIn, Body()],
                 if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, parties.unlink_party, body, party_id)


@_route("/cases/<reference>/parties/<party_id>/tenancy",
        "Tie a party to a tenancy in the landlord's register")
def tie_party_to_tenancy(reference: Reference, party_id: RecordId,
                         body: Annotated[TenancyTieIn, Body()],
                         if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, parties.tie_to_tenancy, body, party_id,
                   _homes_register())


@_route("/cases/<reference>/parties/<party_id>/vulnerabilities",
        "Record a party's vulnerability screening (any role), replacing the last")
def screen_party_vulnerability(reference: Reference, party_id: RecordId,
                               body: Annotated[VulnerabilityScreeningIn, Body()],
                               if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, parties.screen_vulnerability, body, party_id)


@_route("/cases/<reference>/parties/<party_id>/statements",
        "Record a witness statement (a witness's, or a complainant's or victim's): the day it "
        "was made, its words or a checked file on the case, its statement of truth")
def record_witness_statement(reference: Reference, party_id: RecordId,
                             body: Annotated[StatementIn, Body()],
                             if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, witnesses.record_statement, body, party_id)


@_route("/cases/<reference>/parties/<party_id>/statements/<statement_id>/signature",
        "Record that a witness statement taken unsigned has had its statement of truth signed")
def sign_witness_statement(reference: Reference, party_id: RecordId, statement_id: RecordId,
                           body: Annotated[SignatureIn, Body()],
                           if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, witnesses.sign_statement, body, party_id, statement_id)


class StatementFileUpload(CaseChanged):
    """A statement's file asked for: POST the file to `url` as multipart/form-data with
    `fields` (the file last, as `file`) within 15 minutes - S3 answers 204 - then check it."""

    evidence_id: str = Field(description="Check the file with it, then record the statement")
    url: str = Field(description="Where the browser POSTs the file (S3)")
    fields: dict[str, str] = Field(description="The form's fields, sent as they are")
    largest: int = Field(description="The largest file accepted, in bytes")
    types: list[str] = Field(description="The types its content may show")


class StatementFileChecked(CaseChanged):
    """A statement's file checked: kept on the case (use its evidence id for the statement),
    or refused and deleted, with why."""

    evidence_id: str
    file_status: str = Field(description="checked (kept) or refused (deleted)",
                             json_schema_extra={"enum": ["checked", "refused"]})
    reason: str | None = Field(default=None, description="Why it was refused, in plain words")


@cache
def _statement_files() -> StatementFiles:
    """Made on first use: most staff writes never touch a file (nor S3)."""
    return bootstrap.statement_files(service)


@app.post("/cases/<reference>/parties/<party_id>/statement-files", summary=(
    "Ask to attach a witness's signed statement as a file (a PDF, or a JPEG, PNG or HEIC scan "
    "or photo): an upload form straight to S3, then check it (.../evidence/{id}/check)"),
    tags=["case work"], security=STAFF_SECURITY,
    responses=responses(StatementFileUpload, 400, 409, 412, 413, 415, 428))
def request_statement_file(reference: Reference, party_id: RecordId,
                           body: Annotated[StatementFileIn | None, Body()] = None,
                           if_match: IfMatch = None) -> Response[StatementFileUpload]:
    asked = _statement_files().ask(reference, party_id, body or StatementFileIn(),
                                   current_staff(app), if_match)
    case = asked.case
    logger.info("statement file asked for", extra={"reference": case.reference})
    answer = StatementFileUpload(
        reference=case.reference, version=case.version, status=case.status.value,
        evidence_id=asked.evidence_id, url=asked.form["url"], fields=asked.form["fields"],
        largest=asked.largest, types=asked.types)
    return Response(status_code=200, content_type="application/json", body=answer,
                    headers={"ETag": f'"{case.version}"'})


@app.post("/cases/<reference>/evidence/<evidence_id>/check", summary=(
    "Check a witness's statement file the browser has sent: its size and its first bytes "
    "(never its name); kept on the case, or refused (with why) and deleted"),
    tags=["case work"], security=STAFF_SECURITY,
    responses=responses(StatementFileChecked, 400, 409, 412, 413, 415, 428))
def check_statement_file(reference: Reference, evidence_id: RecordId,
                         body: Annotated[FileCheckIn | None, Body()] = None,
                         if_match: IfMatch = None) -> Response[StatementFileChecked]:
    checked = _statement_files().check(reference, evidence_id, current_staff(app), if_match)
    case = checked.case
    logger.info("statement file checked", extra={"reference": case.reference,
                                                 "status": checked.status})
    answer = StatementFileChecked(
        reference=case.reference, version=case.version, status=case.status.value,
        evidence_id=evidence_id, file_status=checked.status, reason=checked.reason)
    return Response(status_code=200, content_type="application/json", body=answer,
                    headers={"ETag": f'"{case.version}"'})


@_route("/cases/<reference>/parties/<party_id>/witness-needs",
        "Record what a witness needs to give evidence (support, special measures) and how "
        "often the officer keeps in touch with them, replacing what was recorded")
def record_witness_needs(reference: Reference, party_id: RecordId,
                         body: Annotated[WitnessNeedsIn, Body()],
                         if_match: IfMatch = None) -> Response[CaseChanged]:
    return _change(reference, if_match, witnesses.record_needs, body, party_id)


def _homes_register() -> HomesRegister:
    global homes_register
    if homes_register is None:
        homes_register = bootstrap.homes_register()
    return homes_register


@app.post("/people/<person_id>/merger", summary=(
    "Merge another record of the same person into this one, with a reason: a manager, or an "
    "officer of the team of every case it touches"), tags=["case work"],
    security=STAFF_SECURITY, responses=responses(PersonsMerged, 400, 409, 412, 413, 415))
def merge_persons(person_id: RecordId,
                  body: Annotated[MergerIn, Body()]) -> Response[PersonsMerged]:
    cases = people.merge(person_id, body, current_staff(app))
    logger.info("persons merged", extra={"cases": len(cases)})
    return changed_cases(person_id, body.merged_person_id, cases)


@app.post("/cases/<reference>/split", summary=(
    "Split a report out into a new case of its own, with a reason: its reporter's party, diary "
    "entries and files go with it; the new case is triaged like a new report"),
    tags=["case work"], security=STAFF_SECURITY,
    responses=responses(CasesRegrouped, 400, 409, 412, 413, 415, 428))
def split_report(reference: Reference, body: Annotated[SplitIn, Body()],
                 if_match: IfMatch = None) -> Response[CasesRegrouped]:
    case, opened = regrouping.split(reference, body, current_staff(app), if_match)
    logger.info("report split out", extra={"reference": case.reference,
                                           "new_case": opened.reference})
    return regrouped(case, opened)


@app.post("/cases/<reference>/join", summary=(
    "Join another open case into this one, with a reason: its reports, parties and what its "
    "reporters added move here; it is closed as joined into this one, its own record kept"),
    tags=["case work"], security=STAFF_SECURITY,
    responses=responses(CasesRegrouped, 400, 409, 412, 413, 415, 428))
def join_cases(reference: Reference, body: Annotated[JoinIn, Body()],
               if_match: IfMatch = None) -> Response[CasesRegrouped]:
    case, joined = regrouping.join(reference, body, current_staff(app), if_match)
    logger.info("cases joined", extra={"reference": case.reference,
                                       "joined": joined.reference})
    return regrouped(case, joined)


@with_security_headers
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return refuse_unless_json(event) or app.resolve(event, context)
