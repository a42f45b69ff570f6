"""For the data protection officer: subject access (JSON or a readable PDF), subject access
requests from receipt to release, the access audit by person or by officer, and corrections and
erasures of a report's personal data."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from asb import bootstrap
from asb.data_protection.requests import REFERENCE_PATTERN, ExtensionIn, ReviewIn, SubjectAccessRequestIn
from asb.data_protection.rights import ErasureIn, RectificationIn
from asb.data_protection.subject_access import export_pdf
from asb.kernel.logs import service_logger
from asb.web.headers import with_security_headers
from asb.web.staff_api import (
    STAFF_SECURITY,
    CaseChanged,
    IfMatch,
    Problem,
    Reference,
    Route,
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
service = bootstrap.data_protection()
install_error_answers(app, logger)

Email = Annotated[str | None, Query(max_length=200)]
Phone = Annotated[str | None, Query(max_length=40)]
Name = Annotated[str | None, Query(max_length=200)]
Address = Annotated[str | None, Query(max_length=300)]


# Built when a route first answers with it, as every model of ours (tests/infra/test_cold_imports.py).
_BUILT_AT_FIRST_ANSWER = ConfigDict(defer_build=True)


class SubjectAccess(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    request: dict[str, Any]
    cases: list[dict[str, Any]]
    your_records: list[dict[str, Any]] = Field(default_factory=list, description=(
        "The person's own records (one identity across cases), found under their email or "
        "phone, or as the party a report of theirs brought"))
    your_places_in_cases: list[dict[str, Any]] = Field(default_factory=list, description=(
        "Every case they are a party of, whatever their role: their roles there, nothing of "
        "the other parties"))
    withheld: list[dict[str, str]] = Field(default_factory=list, description=(
        "For the DPO only, never in the PDF nor in a released export: the domestic abuse cases "
        "kept out whole (the person is their alleged perpetrator or of their household), each "
        "with why (DPA 2018 Schedule 2 Part 3 paragraph 16)"))


class AccessAudit(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    reads: list[dict[str, Any]]


class SubjectAccessRequestView(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    request: dict[str, Any]


class SubjectAccessRequests(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    requests: list[dict[str, Any]]
    overdue: int


RequestReference = Annotated[str, Path(pattern=REFERENCE_PATTERN)]
RequestVersion = Annotated[str | None, Header(alias="if-match",
                                              description="The version of the request you read")]
Format = Annotated[Literal["json", "pdf"], Query()]
_REQUEST_CHANGED: OpenAPIResponse = {"description": "The request changed since you read it; the current "
                                   "version is given",
                    "content": {"application/json": {"model": Problem}}}


def _request_write(path: str, summary: str, ok: int = 200) -> Callable[[Route], Route]:
    documented = responses(SubjectAccessRequestView, 400, 409, 413, 415, 428)
    if ok != 200:
        documented[ok] = documented.pop(200)
    return app.post(path, summary=summary, tags=["data protection"], security=STAFF_SECURITY,
                    responses={**documented, 412: _REQUEST_CHANGED})


def _request_answer(request: dict[str, Any], status: int = 200) -> Response[str]:
    return json_answer(status, {"request": request}, {"ETag": f'"{request["version"]}"'})


@app.get("/subject-access", summary="Everything held about a person (DPO): JSON or PDF",
         tags=["data protection"], security=STAFF_SECURITY, responses={
             **responses(SubjectAccess),
             200: {"description": "The export: JSON, or with format=pdf a readable PDF",
                   "content": {"application/json": {"model": SubjectAccess},
                               "application/pdf": {"schema": {"type": "string",
                                                              "format": "binary"}}}}})
# No return annotation: Powertools would serialise the PDF's bytes as JSON.
def subject_access(email: Email = None, phone: Phone = None, name: Name = None,  # type: ignore[no-untyped-def]
                   address: Address = None,
                   format: Annotated[Literal["json", "pdf"], Query()] = "json"):
    search = {"email": email, "phone": phone, "name": name, "address": address}
    document = service.subject_access(current_staff(app), search, "GET /subject-access")
    logger.info("subject access exported", extra={"cases": len(document["cases"]),
                                                  "format": format})
    if format == "pdf":
        return Response(status_code=200, content_type="application/pdf",
                        body=export_pdf(document),  # bytes: sent base64-encoded
                        headers={"Content-Disposition": 'attachment; filename="subject-access.pdf"'})
    return Response(status_code=200, content_type="application/json",
                    body=SubjectAccess(**document).model_dump_json())


@_request_write("/subject-access-requests", "Record a subject access request as received: "
                "due one calendar month on (DPO)", ok=201)
def receive_request(body: Annotated[SubjectAccessRequestIn, Body()]) -> Response[str]:
    request = service.receive_request(current_staff(app), body)
    logger.info("subject access request received", extra={"request": request["reference"],
                                                          "due_on": request["due_on"]})
    return _request_answer(request, 201)


@app.get("/subject-access-requests", summary="Open subject access requests, due soonest first, "
         "and how many are overdue (DPO)", tags=["data protection"], security=STAFF_SECURITY,
         responses=responses(SubjectAccessRequests))
def open_requests() -> SubjectAccessRequests:
    requests = service.open_requests(current_staff(app))
    return SubjectAccessRequests(requests=requests,
                                 overdue=sum(1 for r in requests if r["overdue"]))


@app.get("/subject-access-requests/<reference>", summary="A subject access request and, for "
         "the review, what each case holds about the person (DPO)", tags=["data protection"],
         security=STAFF_SECURITY, responses=responses(SubjectAccessRequestView))
def request_for_review(reference: RequestReference) -> Response[str]:
    return _request_answer(service.request_for_review(current_staff(app), reference))


@_request_write("/subject-access-requests/<reference>/extension",
                "Extend a complex request by two months, within the first month, once the "
                "person has been told why (DPO)")
def extend_request(reference: RequestReference, body: Annotated[ExtensionIn, Body()],
                   if_match: RequestVersion = None) -> Response[str]:
    request = service.extend_request(current_staff(app), reference, if_match, body)
    logger.info("subject access request extended", extra={"request": reference,
                                                          "due_on": request["due_on"]})
    return _request_answer(request)


@_request_write("/subject-access-requests/<reference>/review",
                "Release or redact each case's free text, after reading it (DPO)")
def review_request(reference: RequestReference, body: Annotated[ReviewIn, Body()],
                   if_match: RequestVersion = None) -> Response[str]:
    request = service.review_request(current_staff(app), reference, if_match, body)
    logger.info("subject access request reviewed", extra={"request": reference,
                                                          "cases": len(body.cases)})
    return _request_answer(request)


@app.post("/subject-access-requests/<reference>/release", summary="Release the export to the "
          "person, as reviewed: JSON, or a readable PDF (DPO)", tags=["data protection"],
          security=STAFF_SECURITY, responses={
              **responses(SubjectAccess, 400, 409, 413, 415, 428), 412: _REQUEST_CHANGED,
              200: {"description": "The export as released: JSON (with the request), or with "
                                   "format=pdf a readable PDF",
                    "content": {"application/json": {"model": SubjectAccess},
                                "application/pdf": {"schema": {"type": "string",
                                                               "format": "binary"}}}}})
# No return annotation: Powertools would serialise the PDF's bytes as JSON.
def release_request(reference: RequestReference, if_match: RequestVersion = None,  # type: ignore[no-untyped-def]
                    format: Format = "json"):
    request, document = service.release_request(current_staff(app), reference, if_match)
    logger.info("subject access request released", extra={
        "request": reference, "cases": len(document["cases"]), "format": format})
    if format == "pdf":
        return Response(status_code=200, content_type="application/pdf",
                        body=export_pdf(document),  # bytes: sent base64-encoded
                        headers={"Content-Disposition":
                                 'attachment; filename="subject-access.pdf"'})
    return json_answer(200, {**document, "released": request},
                       {"ETag": f'"{request["version"]}"'})


@app.get("/access-audit", summary="Reads of personal data, by officer or about a person (DPO)",
         tags=["data protection"], responses=responses(AccessAudit), security=STAFF_SECURITY)
def access_audit(officer: Annotated[str | None, Query(max_length=100)] = None,
                 days: Annotated[int, Query(ge=1, le=3660)] = 90, email: Email = None,
                 phone: Phone = None, name: Name = None, address: Address = None) -> AccessAudit:
    staff = current_staff(app)
    if officer:
        return AccessAudit(reads=service.reads_by_officer(staff, officer, days))
    search = {"email": email, "phone": phone, "name": name, "address": address}
    return AccessAudit(reads=service.reads_about_person(staff, search, days))


@write_route(app, "/cases/<reference>/rectification",
             "Correct a person's details on a report (DPO)", "data protection")
def rectification(reference: Reference, body: Annotated[RectificationIn, Body()],
                  if_match: IfMatch = None) -> Response[CaseChanged]:
    case = service.rectify(current_staff(app), reference, if_match, body)
    logger.info("personal data rectified", extra={"reference": reference, "field": body.field})
    return changed(case)


@write_route(app, "/cases/<reference>/erasure",
             "Erase what a report holds about people, once the case is closed (DPO)",
             "data protection")
def erasure(reference: Reference, body: Annotated[ErasureIn, Body()],
            if_match: IfMatch = None) -> Response[CaseChanged]:
    case = service.erase(current_staff(app), reference, if_match, body)
    logger.info("personal data erased", extra={"reference": reference})
    return changed(case)


@with_security_headers
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return refuse_unless_json(event) or app.resolve(event, context)
