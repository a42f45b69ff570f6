"""GET / and POST /: the public "Report anti-social behaviour" form, a page for each thing
(asb.web.report_journey). Each page posts here and gets the next; nothing is stored until the
check page sends the answers to POST /reports. A page that lists the landlord's homes at a
postcode reads the homes register; only then is its adapter (and boto3) loaded."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb.kernel.clock import SystemClock
from asb.kernel.logs import service_logger
from asb.policy.config import LANDLORD_PHONE
from asb.web.body import FORM, MAX_FORM_BYTES, BodyError, media_type, read_body
from asb.web.headers import with_security_headers
from asb.web.journey_pages import render_form, render_journey
from asb.web.pages import render_problem
from asb.web.report_journey import respond

if TYPE_CHECKING:
    from asb.case.homes import Home, HomesRegister

logger = service_logger()
app = APIGatewayRestResolver()
clock = SystemClock()
_PAGE: dict[str, Any] = {"text/html": {"schema": {"type": "string"}}}
ANSWERS_TOO_LONG = (f"Your answers are too long for us to read (more than "
                    f"{MAX_FORM_BYTES // 1024 // 1024} MB), so we could not keep them. Please "
                    f"start again, shorter, or call us on {LANDLORD_PHONE}.")


@app.get("/", summary="The report form", tags=["public"], responses={
    200: {"description": "The form, as a page that works without JavaScript",
          "content": {"text/html": {"schema": {"type": "string"}}}}})
def report_form() -> Response[str]:
    return Response(
        status_code=200,
        content_type="text/html; charset=utf-8",
        body=render_form(),
        # no-store (asb.web.headers): each page carries a fresh idempotency key, which a
        # cached copy would share.
    )


@app.post("/", summary="The report form's next page", tags=["public"], responses={
    200: {"description": "The next page (or, going back, the one before), carrying the answers "
                         "so far in hidden inputs: nothing is stored", "content": _PAGE},
    400: {"description": "The body could not be read", "content": _PAGE},
    413: {"description": "The answers are too large (more than 1 MiB)", "content": _PAGE},
    415: {"description": "Post the form (application/x-www-form-urlencoded)", "content": _PAGE},
    422: {"description": "The same page, its answers kept, with an error summary naming each "
                         "question to answer again", "content": _PAGE}})
def next_page() -> Response[str]:
    event = app.current_event
    if media_type(event.headers) != FORM:
        return _page(415, render_problem("There is a problem", "Send the form's answers."))
    try:
        body = read_body(event.headers, event.body, event.is_base64_encoded,
                         form_limit=MAX_FORM_BYTES)
    except BodyError as error:
        if error.status == 413:
            return _page(413, render_form(not_saved=ANSWERS_TOO_LONG))
        return _page(error.status, render_problem("There is a problem", error.message))
    page = respond(body.form_fields or {}, clock.now(), homes_at)
    if page.errors:  # which questions, never the answers
        logger.info("answers refused", extra={"page": page.name,
                                              "fields": [e.field for e in page.errors]})
    return _page(422 if page.errors else 200, render_journey(page))


@cache
def _register() -> HomesRegister:
    from asb import bootstrap

    return bootstrap.homes_register()


def homes_at(postcode: str) -> Sequence[Home]:
    """The landlord's homes at a postcode, read when a page lists them (never at import)."""
    return _register().homes_at(postcode)


def _page(status: int, body: str) -> Response[str]:
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body)


@with_security_headers
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
