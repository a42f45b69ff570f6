"""What the staff API's handlers share: who is asking, and domain errors as HTTP answers."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.params import Header, Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel, ConfigDict, Field

from asb.case.change import CaseChange
from asb.case.models import Case
from asb.casework.service import CaseService
from asb.casework.store import BadCursor, ListUnavailable
from asb.kernel.errors import (
    CaseNotFound,
    DomainError,
    InvalidChange,
    InvalidOverride,
    RuleBroken,
    UnknownRecord,
    VersionConflict,
    VersionRequired,
)
from asb.kernel.json_text import NotJson, read_json
from asb.kernel.staff import NotAllowed, NotSignedIn, StaffMember, staff_from_claims
from asb.kernel.validation import message_for, request_field

REFERENCE_PATTERN = r"^ASB-\d{4}-\d{6}$"
STAFF_SECURITY: list[dict[str, list[str]]] = [{"StaffPool": []}]

# The path and header parameters every staff write shares.
Reference = Annotated[str, Path(pattern=REFERENCE_PATTERN)]
RecordId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]
IfMatch = Annotated[str | None, Header(alias="if-match",
                                       description="The version of the case you read")]


# Every answer is built when a route first answers with it, not at import: a function's first
# request builds its own and no other. The answers made of a case's parts are web.staff_answers
# (web.case_responses' parts), which the functions that only write never load.
_BUILT_AT_FIRST_ANSWER = ConfigDict(defer_build=True)


class FieldProblem(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    field: str
    message: str


class Problem(BaseModel):
    """Every 4xx and 5xx answer: what went wrong, in words; each bad field by its path."""

    model_config = _BUILT_AT_FIRST_ANSWER

    message: str
    errors: list[FieldProblem] | None = None
    current_version: int | None = Field(default=None, description="With 412: the case's version")


class CaseChanged(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    reference: str
    version: int = Field(description="Send this as If-Match with your next change")
    status: str


class PersonsMerged(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    person_id: str = Field(description="The record that holds the person's parties now")
    merged_person_id: str = Field(description="The record merged into it (it points at it)")
    cases: list[CaseChanged] = Field(description="Every case the merge changed, at its new version")


class CasesRegrouped(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    case: CaseChanged = Field(description="This case, at its new version")
    other: CaseChanged = Field(description=(
        "The other case: the new case a split opened (triaged like a new report), or the case "
        "joined into this one (closed, joined_into this one)"))


_PROBLEMS = {
    400: "The body is not readable text",
    401: "No valid staff token",
    403: "Signed in, but without the role this needs",
    404: "No such case, or not one you can see",
    409: "The change breaks a rule, given in words",
    412: "The case changed since you read it; the current version is given",
    413: "The body is larger than 64 KB",
    415: "Send the body as application/json",
    422: "A field is missing or wrong; each is named",
    428: "If-Match with the version you read is required",
    500: "Something went wrong; nothing was changed",
}


def responses(ok: type[BaseModel], *codes: int) -> dict[int, OpenAPIResponse]:
    """The OpenAPI responses of a staff route: its answer, and the problems it can give."""
    documented: dict[int, OpenAPIResponse] = {
        200: {"description": "Done", "content": {"application/json": {"model": ok}}}}
    for code in (401, 403, 404, 422, 500, *codes):
        documented[code] = {"description": _PROBLEMS[code],
                            "content": {"application/json": {"model": Problem}}}
    return documented


def json_answer(status: int, body: dict[str, Any],
                headers: dict[str, str] | None = None) -> Response[str]:
    return Response(status_code=status, content_type="application/json",
                    body=json.dumps(body, default=str), headers=headers or {})


def current_staff(app: APIGatewayRestResolver) -> StaffMember:
    event = app.current_event
    authorizer = event.request_context.authorizer
    claims = authorizer.get("claims") if authorizer else None
    return staff_from_claims(claims, bearer_token(event.raw_event))


def bearer_token(event: dict[str, Any]) -> str | None:
    """The token in the one Authorization header the authoriser read; none if there are two."""
    sent = [value for name, values in (event.get("multiValueHeaders") or {}).items()
            if name.lower() == "authorization" for value in values]
    if not sent:
        sent = [value for name, value in (event.get("headers") or {}).items()
                if name.lower() == "authorization"]
    if len(sent) != 1:
        return None
    token = str(sent[0]).strip()
    return token[7:].strip() if token[:7].lower() == "bearer " else token


def changed(case: Case) -> Response[CaseChanged]:
    answer = CaseChanged(reference=case.reference, version=case.version, status=case.status.value)
    return Response(status_code=200, content_type="application/json", body=answer,
                    headers={"ETag": f'"{case.version}"'})


def changed_cases(person_id: str, merged_person_id: str,
                  cases: list[Case]) -> Response[PersonsMerged]:
    answer = PersonsMerged(person_id=person_id, merged_person_id=merged_person_id, cases=[
        CaseChanged(reference=c.reference, version=c.version, status=c.status.value)
        for c in cases])
    return Response(status_code=200, content_type="application/json", body=answer)


def regrouped(case: Case, other: Case) -> Response[CasesRegrouped]:
    answer = CasesRegrouped(case=CaseChanged(reference=case.reference, version=case.version,
                                             status=case.status.value),
                            other=CaseChanged(reference=other.reference, version=other.version,
                                              status=other.status.value))
    return Response(status_code=200, content_type="application/json", body=answer)


Route = TypeVar("Route", bound=Callable[..., Any])


def write_route(app: APIGatewayRestResolver, path: str, summary: str,
                tag: str) -> Callable[[Route], Route]:
    """A staff write's route: POST, behind the staff token, with every answer documented."""
    return app.post(path, summary=summary, tags=[tag], security=STAFF_SECURITY,
                    responses=responses(CaseChanged, 400, 409, 412, 413, 415, 428))


def change_case(app: APIGatewayRestResolver, service: CaseService, reference: str,
                if_match: str | None, action: Callable[..., CaseChange], body: BaseModel,
                *extra: Any, roles: tuple[str, ...] = ("officer", "manager"),
                ) -> Response[CaseChanged]:
    """One staff write: `action(folder, *extra, body, staff, now)` applied at the version read."""
    staff = current_staff(app)
    now = service.clock.now()
    case = service.change(reference, staff, if_match,
                          lambda folder: action(folder, *extra, body, staff, now), roles)
    return changed(case)


def _invalid(error: RequestValidationError, sent: Any = None) -> Response[str]:
    """`sent`: the JSON body, whose own values tell a discriminated union's tag from a field."""
    errors = [{"field": request_field(tuple(e["loc"]), sent), "message": message_for(e)}
              for e in error.errors()]
    return json_answer(422, {"message": "Some answers need checking", "errors": errors})


def _invalid_change(error: InvalidChange) -> Response[str]:
    return json_answer(422, {"message": error.message,
                             "errors": [e.as_dict() for e in error.errors]})


def _bad_cursor(error: BadCursor) -> Response[str]:
    return json_answer(422, {"message": "Some answers need checking", "errors": [
        {"field": "cursor", "message": "Use the cursor from the previous page, unchanged"}]})


def _not_json(error: RequestUnsupportedContentType) -> Response[str]:
    return json_answer(415, {"message": "Send the body as application/json"})


def _conflict(error: VersionConflict) -> Response[str]:
    """412 for whatever was read and has changed since (a case, a partner's entry, a subject
    access request, a year's survey): its message, and its current version when known."""
    if error.current is None:
        return json_answer(412, {"message": error.message})
    return json_answer(412, {"message": error.message, "current_version": error.current},
                       {"ETag": f'"{error.current}"'})


def _says(status: int) -> Callable[[DomainError], Response[str]]:
    def answer(error: DomainError) -> Response[str]:
        return json_answer(status, {"message": error.message})

    return answer


# Domain errors whose answer is their message, by status.
_PLAIN: dict[type[DomainError], int] = {
    NotSignedIn: 401, NotAllowed: 403, CaseNotFound: 404, UnknownRecord: 404,
    RuleBroken: 409, InvalidOverride: 409, VersionRequired: 428,
}


def describe_security(app: APIGatewayRestResolver) -> None:
    """Names the staff token in this resolver's part of the OpenAPI document. A plain mapping
    rather than Powertools' APIKey model: importing its OpenAPI models costs every staff
    function ~70 ms at cold start, and only the document generator reads this."""
    app.configure_openapi(
        title="ASB case service",
        security_schemes={"StaffPool": {  # type: ignore[dict-item]
            "type": "apiKey", "name": "Authorization", "in": "header",
            "description": "Cognito ID token: 'Bearer <token>' (locally: make token)"}},
    )


def _body_sent(app: APIGatewayRestResolver) -> Any:
    try:  # read already by the resolver (or by refuse_unless_json, for a write)
        return app.current_event.json_body
    except ValueError:
        return None


def install_error_answers(app: APIGatewayRestResolver, logger: Logger) -> None:
    describe_security(app)
    app.exception_handler(RequestValidationError)(
        lambda error: _invalid(error, _body_sent(app)))
    app.exception_handler(InvalidChange)(_invalid_change)
    app.exception_handler(BadCursor)(_bad_cursor)
    app.exception_handler(ListUnavailable)(lambda _: json_answer(503, {
        "message": "The list could not be read just now; try again in a moment"},
        {"Retry-After": "1"}))
    app.exception_handler(VersionConflict)(_conflict)
    app.exception_handler(RequestUnsupportedContentType)(_not_json)
    # JSON nested deeper than the parser's stack (within 64 KB that is about 30,000 levels).
    app.exception_handler(RecursionError)(lambda _: json_answer(
        400, {"message": "The body is nested too deeply to read"}))
    for kind, status in _PLAIN.items():
        app.exception_handler(kind)(_says(status))

    def unexpected(error: Exception) -> Response[str]:
        logger.error("request failed", extra={"error_type": type(error).__name__})
        return json_answer(500, {"message": "Something went wrong; nothing was changed."})

    app.exception_handler(Exception)(unexpected)


MAX_STAFF_BODY = 64 * 1024  # far above any staff write; API Gateway would take 10 MB


def refuse_unless_json(event: dict[str, Any]) -> dict[str, Any] | None:
    """A write whose body is not JSON text, is too large, or is not JSON that Python can read, is
    answered before the resolver parses it: Powertools would try multipart without a boundary,
    fail to decode it, or (a number of more than 4,300 digits) raise a ValueError, a 500."""
    if event.get("httpMethod") in ("GET", "HEAD", "OPTIONS"):
        return None
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    kind = (headers.get("content-type") or "application/json").split(";")[0].strip().lower()
    if kind != "application/json":
        return _early(415, "Send the body as application/json")
    body = event.get("body") or ""
    if event.get("isBase64Encoded") and body:
        try:
            body = base64.b64decode(body).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return _early(400, "The body must be JSON encoded as UTF-8")
    if len(body.encode()) > MAX_STAFF_BODY:
        return _early(413, "The body is larger than 64 KB")
    if body.strip():
        try:
            read_json(body)
        except NotJson as error:
            return _early(400, f"The body {error.reason}", [
                {"field": "body", "message": f"The body {error.reason}"}])
    return None


def _early(status: int, message: str,
           errors: list[dict[str, str]] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"message": message, **({"errors": errors} if errors else {})}
    return {"statusCode": status, "body": json.dumps(answer),
            "isBase64Encoded": False, "headers": {"Content-Type": "application/json"},
            "multiValueHeaders": {"Content-Type": ["application/json"]}}
