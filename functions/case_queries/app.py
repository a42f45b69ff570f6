"""Staff reads: lists of cases (mine, my team's, by status, category, emergencies, overdue) and
one case with its people and timeline. Every read of a case is recorded. And the year's figures,
with the one write they need: a manager's import of the tenant perception survey (TP12)."""

from __future__ import annotations

import base64
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from asb import bootstrap
from asb.kernel.errors import DomainError
from asb.kernel.logs import service_logger
from asb.kernel.settings import CaseSettings
from asb.people.page_models import HomePage, PersonPage
from asb.reporting.tenant_survey import COLUMNS as SURVEY_COLUMNS
from asb.reporting.tenant_survey import MAX_CSV_BYTES
from asb.web.answers import answers
from asb.web.headers import with_security_headers
from asb.web.staff_answers import (
    AuditTrailPage,
    CaseList,
    CaseView,
    Figures,
    LegalApprovalList,
    TenantPerceptionSurveyImported,
)
from asb.web.staff_api import (
    REFERENCE_PATTERN,
    STAFF_SECURITY,
    IfMatch,
    current_staff,
    install_error_answers,
    json_answer,
    responses,
)

if TYPE_CHECKING:
    from asb.case.homes import HomesRegister
    from asb.people.reads import PeoplePages

logger = service_logger()
app = APIGatewayRestResolver(enable_validation=True)
settings = CaseSettings.load()
service = bootstrap.case_service(settings)
install_error_answers(app, logger)


@app.get("/cases", summary="List cases", tags=["cases"], responses=responses(CaseList),
         security=STAFF_SECURITY)
def list_cases(
    view: Annotated[Literal["team", "mine"], Query(description="My team's cases, or mine")] = "team",
    status: Annotated[Literal["new", "triaged", "open", "closed"] | None, Query()] = None,
    category: Annotated[Literal["A", "B", "C"] | None, Query()] = None,
    emergency: Annotated[bool, Query(description="Open emergencies only")] = False,
    overdue: Annotated[bool, Query(description="Overdue work instead of cases")] = False,
    unassigned: Annotated[bool, Query(description=(
        "Open cases with no officer: the assignment queue"))] = False,
    team: Annotated[str | None, Query(max_length=40, description="Managers: one team")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=4000)] = None,
) -> CaseList:
    staff = current_staff(app)
    if overdue:
        return CaseList(overdue=service.overdue(staff, team, limit))
    page = service.list_cases(staff, view, status, category, emergency, team, limit, cursor,
                              unassigned=unassigned)
    return CaseList(cases=page.items, cursor=page.cursor)


@app.get("/cases/<reference>", summary="One case: summary, people and timeline",
         tags=["cases"], responses=responses(CaseView), security=STAFF_SECURITY)
def get_case(reference: Annotated[str, Path(pattern=REFERENCE_PATTERN)]) -> CaseView:
    return CaseView(**service.view(reference, current_staff(app), "GET /cases/{reference}",
                                   _homes_register()))


@app.get("/cases/<reference>/audit",
         summary="A case's audit trail, a page at a time: who read or changed it, when",
         description=("Newest first. The case's timeline shows the newest 200 entries and, when "
                      "there are older ones, the cursor of the rest (`older_audit`); each page "
                      "gives the next one's. Reading the trail is itself audited."),
         tags=["cases"], responses=responses(AuditTrailPage), security=STAFF_SECURITY)
def get_audit_trail(
    reference: Annotated[str, Path(pattern=REFERENCE_PATTERN)],
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
    cursor: Annotated[str | None, Query(max_length=4000)] = None,
) -> AuditTrailPage:
    return AuditTrailPage(**service.audit_trail(
        reference, current_staff(app), "GET /cases/{reference}/audit", limit, cursor))


@cache
def _people_pages() -> PeoplePages:
    """Persons' and homes' pages, made at their first request: most requests are case reads."""
    return bootstrap.people_pages(settings)


@app.get("/people/<person_id>",
         summary="A person's page: their cases and roles, reports, measures, vulnerability "
                 "and contact safety (audited)",
         description=("An officer sees the person's cases in their own team and a count of the "
                      "rest; a manager every case. A person in none of your cases is 404. A "
                      "record merged into another answers 200 with `merged_into` (the "
                      "survivor's id) and nothing of the person: read the survivor's page."),
         tags=["people"], responses=responses(PersonPage), security=STAFF_SECURITY)
def get_person(person_id: Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]) -> PersonPage:
    return _people_pages().person(person_id, current_staff(app), "GET /people/{person_id}")


@app.get("/homes/<uprn>",
         summary="A home's page: the home, its tenancies with tenants, its cases (audited)",
         description=("The cases at a home are those with a party tied to one of its "
                      "tenancies; an officer sees their team's and a count of the rest."),
         tags=["people"], responses=responses(HomePage), security=STAFF_SECURITY)
def get_home(uprn: Annotated[str, Path(pattern=r"^[0-9]{1,12}$")]) -> HomePage:
    return _people_pages().home(uprn, current_staff(app), "GET /homes/{uprn}")


# Built when a route first answers with it, as every model of ours (tests/infra/test_cold_imports.py).
_BUILT_AT_FIRST_ANSWER = ConfigDict(defer_build=True)


class EvidenceLink(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    url: str = Field(description="Opens the file for five minutes")
    content_type: str = Field(description="What the file's content showed it to be")
    kind: str
    expires_in: int


@cache
def _evidence_files() -> Any:
    """The evidence bucket, made on first use: most requests never open a file."""
    return bootstrap.case_files(settings)


@app.get("/cases/<reference>/evidence/<evidence_id>",
         summary="Open a file a reporter sent, once it passed its check (audited)",
         tags=["cases"], responses=responses(EvidenceLink), security=STAFF_SECURITY)
def open_evidence(reference: Annotated[str, Path(pattern=REFERENCE_PATTERN)],
                  evidence_id: Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]) -> EvidenceLink:
    found = service.evidence(reference, evidence_id, current_staff(app))
    seconds = 300
    content_type = str(found.content_type)
    return EvidenceLink(url=_evidence_files().open_url(str(found.object_key), content_type,
                                                       seconds),
                        content_type=content_type, kind=found.kind,
                        expires_in=seconds)


@app.get("/legal-approvals", summary="Legal action waiting for a manager's approval",
         tags=["cases"], responses=responses(LegalApprovalList), security=STAFF_SECURITY)
def legal_approvals() -> LegalApprovalList:
    return LegalApprovalList(waiting=service.legal_approvals(current_staff(app)))


@app.get("/figures", summary="The regulator's ASB figures for a reporting year (managers)",
         tags=["figures"], responses=responses(Figures), security=STAFF_SECURITY)
def regulator_figures(
    year: Annotated[int | None, Query(ge=2000, le=2100,
                                      description="The year the April-March period starts")] = None,
) -> Figures:
    result = service.regulator_figures(current_staff(app), year, _homes_register(),
                                       settings.homes_owned)
    return Figures(**result.as_dict())


@cache
def _homes_register() -> HomesRegister:
    """The landlord's homes register (NM01's homes owned), made on the figures' first request."""
    return bootstrap.homes_register()


@cache
def _survey_imports() -> Any:
    """The tenant perception survey's imports, made on first use: a few times a year."""
    return bootstrap.survey_imports(settings)


@app.put("/figures/<year>/tenant-perception-survey",
         summary="Import the year's tenant perception survey, TP12's source (managers)",
         description=("The body is CSV (`Content-Type: text/csv`, at most 16 KB): a header "
                      f"line naming the columns {', '.join(SURVEY_COLUMNS)} and one row of "
                      "answer counts for the year, as in docs/figures/tenant-perception-survey.md. "
                      "A bad file gets 422 naming each row and column, and nothing is kept. "
                      "Replacing a year's import needs If-Match with its version."),
         tags=["figures"], security=STAFF_SECURITY,
         responses=responses(TenantPerceptionSurveyImported, 400, 412, 413, 415, 428))
def import_tenant_perception_survey(
    year: Annotated[int, Path(ge=2000, le=2100,
                              description="The year the April-March period starts")],
    if_match: IfMatch = None,
) -> Response[str]:
    text = _csv_body(app.current_event.raw_event)
    imported = _survey_imports().import_csv(current_staff(app), year, text, if_match)
    logger.info("tenant perception survey imported", extra={
        "year": year, "version": imported["tp12_survey"]["version"]})
    return json_answer(200, TenantPerceptionSurveyImported(**imported).model_dump(mode="json"),
                       {"ETag": f'"{imported["tp12_survey"]["version"]}"'})


class BadSurveyBody(DomainError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@answers(app, BadSurveyBody)
def _bad_survey_body(error: BadSurveyBody) -> Response[str]:
    return json_answer(error.status, {"message": error.message, "errors": [
        {"field": "body", "message": error.message}]})


def _csv_body(event: dict[str, Any]) -> str:
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    kind = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if kind != "text/csv":
        raise BadSurveyBody(415, "Send the survey as text/csv")
    raw = event.get("body") or ""
    try:
        data = base64.b64decode(raw, validate=True) if event.get("isBase64Encoded") \
            else raw.encode()
        if len(data) > MAX_CSV_BYTES:
            raise BadSurveyBody(413, "The file is larger than 16 KB: send one year's row")
        return data.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise BadSurveyBody(400, "The file must be text encoded as UTF-8") from None


class EqualityMonitoringFigures(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    year: str
    respondents: int | str = Field(description="How many answered; hidden if under 5")
    characteristics: dict[str, dict[str, int | str]] = Field(
        description="Count per answer; 'fewer than 5' where a group is small enough to identify")


@app.get("/equality-monitoring", summary="Equality monitoring for a year, in aggregate "
                                         "(managers, DPO)", tags=["figures"],
         responses=responses(EqualityMonitoringFigures), security=STAFF_SECURITY)
def equality_monitoring(
    year: Annotated[int | None, Query(ge=2000, le=2100,
                                      description="The year the April-March period starts")] = None,
) -> EqualityMonitoringFigures:
    return EqualityMonitoringFigures(**service.equality_monitoring(current_staff(app), year))


class PolicyChangeItem(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    landlord: str
    from_version: str | None = Field(description="In force before it; none before any change")
    to_version: str
    at: str = Field(description="When, ISO 8601")
    by: str = Field(description=("Who or what made it: an AppConfig deployment, who ran the "
                                 "deploy command and with which strategy, or make dev's watcher"))
    state: Literal["deployment started", "deployment completed", "rolled back"]
    recorded_under: str = Field(description="The policy version of the process that recorded it")


class PolicyChangeList(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    landlord: str = Field(description="The landlord whose policy this function decides by")
    version: str = Field(description="The policy version this function decides by")
    changes: list[PolicyChangeItem] = Field(description="Newest first")
    cursor: str | None = Field(default=None, description="Pass back for the next page")


@cache
def _policy_changes() -> Any:
    """The policy's changes, made at their first request: a page few open."""
    return bootstrap.policy_changes(settings)


@app.get("/policy/changes",
         summary="The landlord's policy in force and who changed it, when (officers, managers)",
         description=("The landlord and policy version this service decides by, and each "
                      "change newest first: a deployment started, completed or rolled back, "
                      "from which version to which, when and by whom or what."),
         tags=["policy"], responses=responses(PolicyChangeList), security=STAFF_SECURITY)
def policy_changes(
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=4000)] = None,
) -> PolicyChangeList:
    from asb.policy.config import LANDLORD, POLICY_VERSION

    page = _policy_changes().changes(current_staff(app), limit, cursor)
    return PolicyChangeList(
        landlord=LANDLORD, version=POLICY_VERSION, cursor=page.cursor,
        changes=[PolicyChangeItem(landlord=c.landlord, from_version=c.from_version,
                                  to_version=c.to_version, at=c.at.isoformat(), by=c.by,
                                  state=c.state.value, recorded_under=c.recorded_under)
                 for c in page.changes])


@with_security_headers
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
