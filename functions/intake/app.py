"""POST /reports: a report from the public web form or a JSON client becomes a case."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import BotoCoreError, ClientError

from asb import bootstrap
from asb.case.link_keys import tracking_path
from asb.intake.next_steps import confirmation, next_steps
from asb.intake.service import Receipt
from asb.kernel.errors import IdempotencyKeyReused, InvalidReport, VersionConflict
from asb.kernel.logs import service_logger
from asb.policy.config import IDEMPOTENCY_KEY_MAX_LENGTH, LANDLORD_PHONE
from asb.web.addresses import origin, stage_prefix
from asb.web.answers import answers
from asb.web.body import FORM, MAX_FORM_BYTES, BodyError, RequestBody, media_type, read_body
from asb.web.headers import with_security_headers

# The store unreachable or throttled, or other reports to the same place racing this one:
# nothing was saved, and the same request a moment later will succeed.
UNAVAILABLE = (ClientError, BotoCoreError, VersionConflict)
RETRY_AFTER = {"Retry-After": "5"}
NOT_SAVED_KEEP_ANSWERS = ("We could not save your report just now. Your answers are below: "
                          "please check them and press the button to send again in a few minutes.")
FORM_TOO_LONG = (f"Your report is too long for us to read (more than {MAX_FORM_BYTES // 1024 // 1024}"
                 f" MB), so we could not keep your answers. Please fill in the form again, shorter, "
                 f"or call us on {LANDLORD_PHONE}.")

logger = service_logger()
metrics = Metrics()
app = APIGatewayRestResolver()
service = bootstrap.intake_service()


_MESSAGE = {"type": "object", "properties": {"message": {"type": "string"}},
            "required": ["message"]}
_PAGE: dict[str, Any] = {"text/html": {"schema": {"type": "string"}}}
_RECEIVED = {"type": "object", "required": ["reference", "status", "anonymous", "received_at"],
             "properties": {"reference": {"type": "string"}, "status": {"type": "string"},
                            "anonymous": {"type": "boolean"},
                            "received_at": {"type": "string", "format": "date-time"},
                            "tracking_url": {"type": "string", "description": (
                                "The reporter's private link to follow the report: keep it "
                                "safe; for an anonymous reporter it is the only way to hear")},
                            "next_steps": {"type": "array", "items": {"type": "string"}}}}
_CHECK_ANSWERS = {"type": "object", "required": ["message", "errors"], "properties": {
    "message": {"type": "string"},
    "errors": {"type": "array", "items": {"type": "object", "properties": {
        "field": {"type": "string"}, "message": {"type": "string"}}}}}}
RESPONSES: dict[int, Any] = {
    201: {"description": "Received: the report's own reference (the case's when it opens one) "
                         "and what happens next",
          "content": {"application/json": {"schema": _RECEIVED}, **_PAGE}},
    400: {"description": "The body could not be read",
          "content": {"application/json": {"schema": _MESSAGE}, **_PAGE}},
    413: {"description": "The body is too large (JSON: 64 KiB; the form: 1 MiB - a form's answers "
                         "longer than their questions allow are a 422 naming each)",
          "content": {"application/json": {"schema": _MESSAGE}, **_PAGE}},
    415: {"description": "Send JSON or a form",
          "content": {"application/json": {"schema": _MESSAGE}}},
    422: {"description": "Some answers need checking, each named; or an Idempotency-Key reused "
                         "for another report",
          "content": {"application/json": {"schema": _CHECK_ANSWERS}, **_PAGE}},
    500: {"description": "Not saved", "content": {"application/json": {"schema": _MESSAGE},
                                                  **_PAGE}},
    503: {"description": "Not saved, nothing kept: send the same report again after Retry-After "
                         "seconds", "headers": {"Retry-After": {"schema": {"type": "integer"}}},
          "content": {"application/json": {"schema": _MESSAGE}, **_PAGE}},
}


@app.post("/reports", summary="Report anti-social behaviour", tags=["public"],
          responses=RESPONSES)
def submit_report() -> Response[str]:
    event = app.current_event
    try:
        body = read_body(event.headers, event.body, event.is_base64_encoded,
                         form_limit=MAX_FORM_BYTES)
    except BodyError as error:
        return _unreadable(error)
    if body.is_form:
        return _submit_form(body)
    key = event.headers.get("idempotency-key") or event.headers.get("Idempotency-Key")
    if key is not None and not 0 < len(key.strip()) <= IDEMPOTENCY_KEY_MAX_LENGTH:
        return _invalid([{"field": "header.Idempotency-Key",
                          "message": f"Use 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} characters"}])
    try:
        receipt = service.submit(body.data, channel="api", idempotency_key=key)
    except InvalidReport as error:
        return _invalid([e.as_dict() for e in error.errors])
    except IdempotencyKeyReused as error:
        return _problem(422, error.message, html=False)
    return _accepted(receipt)


def _submit_form(body: RequestBody) -> Response[str]:
    from asb.web import journey_pages, pages
    from asb.web.report_form import explain_date_errors, submission_from_form

    fields = body.form_fields or {}
    data, key = submission_from_form(fields)
    try:
        receipt = service.submit(data, channel="web_form", idempotency_key=key)
    except InvalidReport as error:
        logger.info("report rejected", extra={"fields": [e.field for e in error.errors]})
        return _html(422, journey_pages.render_form(
            fields, explain_date_errors(fields, error.errors), homes_at=service.homes_at))
    except UNAVAILABLE as error:
        # The answers come back with the same idempotency key: sent again, they are one report.
        logger.error("report not saved", extra={"error_type": type(error).__name__})
        return _html(503, journey_pages.render_form(fields, not_saved=NOT_SAVED_KEEP_ANSWERS),
                     RETRY_AFTER)
    except IdempotencyKeyReused as error:
        return _problem(422, error.message, html=True)
    _count(receipt)
    page = pages.render_confirmation(receipt.reference, confirmation(receipt),
                                     receipt.anonymous, _tracking_url(receipt))
    return _html(201, page, {"Location": _case_location(receipt.reference)})


def _unreadable(error: BodyError) -> Response[str]:
    """A JSON client is answered in JSON; a person who posted the form gets a page."""
    if media_type(app.current_event.headers) != FORM:
        return _problem(error.status, error.message, html=False)
    if error.status == 413:
        from asb.web import journey_pages

        logger.info("report refused", extra={"status": 413})
        return _html(413, journey_pages.render_form(not_saved=FORM_TOO_LONG))
    return _problem(error.status, error.message, html=True)


def _accepted(receipt: Receipt) -> Response[str]:
    _count(receipt)
    answer = {
        "reference": receipt.reference,
        "status": "received",
        "anonymous": receipt.anonymous,
        "received_at": receipt.received_at.isoformat(),
        "next_steps": next_steps(receipt),
    }
    tracking = _tracking_url(receipt)
    if tracking:
        answer["tracking_url"] = tracking
    headers = {"Location": _case_location(receipt.reference)}
    if receipt.replayed:
        headers["Idempotent-Replayed"] = "true"
    return _json(201, answer, headers)


def _count(receipt: Receipt) -> None:
    if receipt.replayed:
        logger.info("report replayed", extra={"reference": receipt.reference})
        return
    logger.info("report accepted", extra={"reference": receipt.reference})
    metrics.add_metric(name="ReportsReceived", unit=MetricUnit.Count, value=1)
    if receipt.anonymous:
        metrics.add_metric(name="AnonymousReports", unit=MetricUnit.Count, value=1)


def _case_location(reference: str) -> str:
    return f"{stage_prefix(app.current_event.raw_event)}/cases/{reference}"


def _tracking_url(receipt: Receipt) -> str | None:
    """The reporter's private link, on the address they reported through."""
    if not receipt.tracking_secret:
        return None
    event = app.current_event
    return (origin(event.headers) + stage_prefix(event.raw_event)
            + tracking_path(receipt.reference, receipt.tracking_secret))


def _invalid(errors: list[dict[str, str]]) -> Response[str]:
    return _json(422, {"message": "Some answers need checking", "errors": errors})


def _problem(status: int, message: str, html: bool) -> Response[str]:
    logger.info("report refused", extra={"status": status})
    if html:
        from asb.web import pages

        return _html(status, pages.render_problem("There is a problem", message))
    return _json(status, {"message": message})


def _json(status: int, answer: dict[str, Any], headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(answer),
        headers=headers or {},
    )


def _html(status: int, page: str, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status, content_type="text/html; charset=utf-8", body=page, headers=headers or {}
    )


@answers(app, Exception)
def _unexpected(error: Exception) -> Response[str]:
    # Never a stack trace or the report in the answer or the log: the type is enough to start.
    logger.error("report not saved", extra={"error_type": type(error).__name__})
    unavailable = isinstance(error, UNAVAILABLE)
    status = 503 if unavailable else 500
    message = "We could not save your report just now. Please try again in a few minutes."
    headers = RETRY_AFTER if unavailable else {}
    if media_type(app.current_event.headers) == FORM:
        from asb.web import pages

        return _html(status, pages.render_problem("Sorry, something went wrong", message), headers)
    return _json(status, {"message": message}, headers)


@with_security_headers
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
