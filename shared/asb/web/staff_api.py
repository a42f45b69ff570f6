"""What the staff API's handlers share: who is asking, and domain errors as HTTP answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from asb.case_service import CaseNotFound, StaleVersion, VersionRequired
from asb.casework import InvalidChange, RuleBroken, UnknownRecord
from asb.errors import DomainError
from asb.models.case import Case
from asb.staff import NotAllowed, NotSignedIn, StaffMember, staff_from_claims
from asb.store.case_store import BadCursor
from asb.triage import InvalidOverride
from asb.validation import field_path, message_for

REFERENCE_PATTERN = r"^ASB-\d{4}-\d{6}$"

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid staff token"},
    403: {"description": "Signed in, but without the role this needs"},
    404: {"description": "No such case, or not one you can see"},
    422: {"description": "A field is missing or wrong; each is named"},
}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    409: {"description": "The change breaks a rule, given in words"},
    412: {"description": "The case changed since you read it; the current version is given"},
    428: {"description": "If-Match with the version you read is required"},
}


def json_answer(status: int, body: dict[str, Any],
                headers: dict[str, str] | None = None) -> Response[str]:
    return Response(status_code=status, content_type="application/json",
                    body=json.dumps(body, default=str), headers=headers or {})


def current_staff(app: APIGatewayRestResolver) -> StaffMember:
    authorizer = app.current_event.request_context.authorizer
    claims = authorizer.get("claims") if authorizer else None
    return staff_from_claims(claims)


def changed(case: Case) -> Response[str]:
    return json_answer(200, {"reference": case.reference, "version": case.version,
                             "status": case.status.value},
                       {"ETag": f'"{case.version}"'})


def _invalid(error: RequestValidationError) -> Response[str]:
    errors = [{"field": field_path(tuple(e["loc"][1:]) if len(e["loc"]) > 1 else tuple(e["loc"])),
               "message": message_for(e)} for e in error.errors()]
    return json_answer(422, {"message": "Some answers need checking", "errors": errors})


def _invalid_change(error: InvalidChange) -> Response[str]:
    return json_answer(422, {"message": error.message,
                             "errors": [e.as_dict() for e in error.errors]})


def _bad_cursor(error: BadCursor) -> Response[str]:
    return json_answer(422, {"message": "Some answers need checking", "errors": [
        {"field": "cursor", "message": "Use the cursor from the previous page, unchanged"}]})


def _stale(error: StaleVersion) -> Response[str]:
    return json_answer(412, {"message": "The case changed since you read it. Read it again.",
                             "current_version": error.current},
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


def install_error_answers(app: APIGatewayRestResolver, logger: Logger) -> None:
    app.exception_handler(RequestValidationError)(_invalid)
    app.exception_handler(InvalidChange)(_invalid_change)
    app.exception_handler(BadCursor)(_bad_cursor)
    app.exception_handler(StaleVersion)(_stale)
    for kind, status in _PLAIN.items():
        app.exception_handler(kind)(_says(status))

    def unexpected(error: Exception) -> Response[str]:
        logger.error("request failed", extra={"error_type": type(error).__name__})
        return json_answer(500, {"message": "Something went wrong; nothing was changed."})

    app.exception_handler(Exception)(unexpected)
