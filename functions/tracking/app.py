"""GET /track/{reference}: a reporter's private page - where their report stands - and what
they add through it: diary entries, and files sent straight to S3 and checked on arrival."""

from __future__ import annotations

import base64
import hashlib
import json
import math
from typing import Any
from urllib.parse import quote, urlsplit

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from asb import bootstrap
from asb.case.link_keys import tracking_path
from asb.kernel.clock import SystemClock
from asb.kernel.errors import RuleBroken
from asb.kernel.logs import service_logger
from asb.kernel.validation import FieldError, field_errors
from asb.policy.config import EVIDENCE_KINDS, LANDLORD_PHONE
from asb.tracking.links import LinkNotFound, TooManyGuesses
from asb.tracking.models import AsbRequestIn, EvidenceRequestIn, ResidentDiaryIn
from asb.web import pages
from asb.web.addresses import origin, stage_prefix
from asb.web.answers import answers
from asb.web.body import BodyError, read_body
from asb.web.headers import page_policy, with_security_headers

logger = service_logger()
app = APIGatewayRestResolver()
service, files = bootstrap.tracking()
clock = SystemClock()  # a diary entry's answers are checked as of now
KINDS = {kind: (name, largest // (1024 * 1024)) for kind, (name, largest, _) in
         EVIDENCE_KINDS.items()}
NOTICES = {"diary": "Thank you. We have added that to your diary.",
           "checked": "Thank you. We have your file, and your officer can see it.",
           "refused": "We could not keep your file. The reason is under 'Files you sent'.",
           "asked": "Thank you. An officer will decide whether to treat it as anti-social "
                    "behaviour, and tell you why."}
_PAGE: dict[str, Any] = {"text/html": {"schema": {"type": "string"}}}
# A wrong link's answer: a page for a person, or JSON to a client that asks for it.
_PROBLEM = {**_PAGE, "application/json": {"schema": {
    "type": "object", "required": ["message", "phone"],
    "properties": {"message": {"type": "string"},
                   "phone": {"type": "string", "description": "The ASB team's phone number"},
                   "retry_after": {"type": "integer", "description": "Seconds, with a 429"}}}}}
# What any of the reporter's routes can answer besides its own success.
_PROBLEMS: dict[int, Any] = {
    400: {"description": "The body could not be read", "content": _PAGE},
    404: {"description": "No such page: a wrong, revoked or expired link, or no such case "
                         "(JSON to a client that asks for it)", "content": _PROBLEM},
    409: {"description": "The case is closed, or (asking for ASB) already handled as ASB",
          "content": _PAGE},
    413: {"description": "The body is too large", "content": _PAGE},
    415: {"description": "Send the form as application/x-www-form-urlencoded",
          "content": _PAGE},
    422: {"description": "Answers to check, each named", "content": _PAGE},
    429: {"description": "Too many wrong links from this address (a right link is still "
                         "served): wait (Retry-After, seconds)",
          "headers": {"Retry-After": {"schema": {"type": "integer"}}}, "content": _PROBLEM},
    500: {"description": "Nothing was changed", "content": _PAGE},
}
_UPLOAD_SCRIPT_HASH = base64.b64encode(
    hashlib.sha256(pages.UPLOAD_SCRIPT.encode()).digest()).decode()


def _base() -> str:
    return stage_prefix(app.current_event.raw_event)


def _origin() -> str:
    return origin(app.current_event.headers)


def _source() -> str:
    return app.current_event.request_context.identity.source_ip or "unknown"


def _page_url(reference: str, secret: str, done: str | None = None) -> str:
    url = _base() + tracking_path(reference, secret)
    return f"{url}&done={done}" if done else url


def _html(status: int, body: str, headers: dict[str, str] | None = None,
          form_to: str = "") -> Response[str]:
    # The rest (no-store, no Referer, nosniff, HSTS) every answer gets: asb.web.headers.
    policy = page_policy(default_src="'none'", style_src="'unsafe-inline'", img_src="'self'",
                         script_src=f"'sha256-{_UPLOAD_SCRIPT_HASH}'",
                         form_action=f"'self'{form_to}")
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=body,
                    headers={"Content-Security-Policy": policy, **(headers or {})})


def _see_other(location: str) -> Response[str]:
    return Response(status_code=303, content_type="text/plain", body="",
                    headers={"Location": location})


def _form() -> dict[str, str]:
    event = app.current_event
    body = read_body(event.headers, event.body, event.is_base64_encoded)
    return {k: v[-1] for k, v in (body.form_fields or {}).items()}


def _shown(reference: str, secret: str, status: int = 200, notice: str | None = None,
           values: dict[str, str] | None = None,
           errors: list[FieldError] | None = None) -> Response[str]:
    view = service.view(reference, secret, _source())
    return _html(status, pages.render_tracking(view, secret, _base(), KINDS, notice, values,
                                               errors))


@app.get("/track/<reference>", summary="A reporter's private page: where their report stands",
         tags=["public"], responses={200: {"description": "The page", "content": _PAGE},
                                     **_PROBLEMS})
def tracking_page(reference: str) -> Response[str]:
    query = app.current_event.query_string_parameters or {}
    return _shown(reference, query.get("secret", ""), notice=NOTICES.get(query.get("done", "")))


@app.post("/track/<reference>/diary-entries", summary="A reporter adds a diary entry",
          tags=["public"], responses={303: {"description": "Added: back to the page"},
                                      **_PROBLEMS})
def add_diary_entry(reference: str) -> Response[str]:
    form = _form()
    secret = form.pop("secret", "")
    answers = {k: v for k, v in form.items() if v.strip()}
    try:
        entry = ResidentDiaryIn.model_validate(answers, context={"now": clock.now()})
    except ValidationError as error:
        return _shown(reference, secret, 422, values=form, errors=field_errors(error))
    service.add_diary(reference, secret, _source(), entry)
    logger.info("reporter diary added", extra={"reference": reference})
    return _see_other(_page_url(reference, secret, "diary"))


@app.post("/track/<reference>/asb-request",
          summary="A good-neighbour request's reporter asks for it to be treated as ASB",
          tags=["public"], responses={303: {"description": "Asked: back to the page"},
                                      **_PROBLEMS})
def ask_for_asb(reference: str) -> Response[str]:
    form = _form()
    secret = form.pop("secret", "")
    try:
        body = AsbRequestIn.model_validate({"reason": form.get("reason", "")})
    except ValidationError:
        return _shown(reference, secret, 422, values=form, errors=[
            FieldError("reason", "Tell us why you think it is anti-social behaviour, in at "
                                 "least 10 characters")])
    service.ask_for_asb(reference, secret, _source(), body)
    logger.info("reporter asked for ASB", extra={"reference": reference})
    return _see_other(_page_url(reference, secret, "asked"))


@app.post("/track/<reference>/evidence", summary="A reporter chooses a file to send",
          tags=["public"], responses={200: {"description": "The upload page (straight to S3)",
                                            "content": _PAGE}, **_PROBLEMS})
def choose_file(reference: str) -> Response[str]:
    form = _form()
    secret = form.pop("secret", "")
    try:
        kind = EvidenceRequestIn.model_validate({"kind": form.get("kind", "")}).kind
    except ValidationError:
        return _shown(reference, secret, 422, errors=[
            FieldError("kind", "Choose a recording, a photo or a video")])
    upload = service.request_upload(reference, secret, _source(), kind)
    back = _origin() + _page_url(reference, secret)
    redirect = (f"{_origin()}{_base()}/track/{reference}/evidence/{upload.evidence_id}/uploaded"
                f"?secret={quote(secret)}")
    post = files.upload_form(upload.object_key, upload.largest, kind, redirect)
    name = EVIDENCE_KINDS[kind][0]
    s3 = urlsplit(post["url"])
    return _html(200, pages.render_upload(name, kind, upload.largest, f"{kind}/*", post, back),
                 form_to=f" {s3.scheme}://{s3.netloc}")


@app.get("/track/<reference>/evidence/<evidence_id>/uploaded",
         summary="Where S3 sends the reporter back: the file is checked, then kept or deleted",
         tags=["public"], responses={303: {"description": "Checked: back to the page"},
                                     **_PROBLEMS})
def file_uploaded(reference: str, evidence_id: str) -> Response[str]:
    secret = (app.current_event.query_string_parameters or {}).get("secret", "")
    status = service.uploaded(reference, secret, _source(), evidence_id)
    logger.info("evidence checked", extra={"reference": reference, "status": status})
    return _see_other(_page_url(reference, secret, status))


def _wants_json() -> bool:
    """A client that ranks JSON above HTML in its Accept header (a browser asks for HTML)."""
    ranked: dict[str, float] = {}
    for media_range in (app.current_event.headers.get("accept") or "").split(","):
        kind, *parameters = (part.strip() for part in media_range.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked[kind.lower()] = quality
    return ranked.get("application/json", 0.0) > ranked.get("text/html", 0.0)


def _link_problem(status: int, title: str, paragraphs: list[str],
                  headers: dict[str, str] | None = None,
                  detail: dict[str, Any] | None = None) -> Response[str]:
    if _wants_json():
        return Response(status_code=status, content_type="application/json",
                        body=json.dumps({"message": " ".join(paragraphs),
                                         "phone": LANDLORD_PHONE, **(detail or {})}),
                        headers=headers)
    return _html(status, pages.render_link_problem(title, paragraphs), headers)


NOT_FOUND = ["If you typed the address, check it is correct. If you pasted it, check you "
             "copied the whole address.",
             "A link stops working if we have had to stop it, or once a case is closed and its "
             "records deleted.",
             "You cannot get a new link on this website. Call us and tell us your reference: we "
             "will tell you where your report stands and add anything new you want to tell us."]


@answers(app, LinkNotFound)
def _not_found(_: LinkNotFound) -> Response[str]:
    # The same answer whether the case is missing, closed and erased, or the secret is wrong.
    return _link_problem(404, "This link is not working", NOT_FOUND)


@answers(app, TooManyGuesses)
def _too_many(error: TooManyGuesses) -> Response[str]:
    minutes = math.ceil(error.retry_after / 60)
    wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return _link_problem(429, "Please wait before you try again", [
        "Too many links that do not work have come from your internet connection, so we have "
        f"stopped checking them for a while. Please try again in {wait}.",
        "The link we sent you still works: open it from your email, or from the page you saw "
        "when you made your report."], {"Retry-After": str(error.retry_after)},
        {"retry_after": error.retry_after})


@answers(app, RuleBroken)
def _refused(error: RuleBroken) -> Response[str]:
    # A closed case, or asking for ASB on a report handled as ASB already: the message says.
    return _html(409, pages.render_problem("We could not do that", error.message))


@answers(app, BodyError)
def _unreadable(error: BodyError) -> Response[str]:
    return _html(error.status, pages.render_problem("There is a problem", error.message))


@answers(app, Exception)
def _unexpected(error: Exception) -> Response[str]:
    logger.error("tracking request failed", extra={"error_type": type(error).__name__})
    return _html(500, pages.render_problem("Sorry, something went wrong",
                                           "Nothing was changed. Please try again later."))


@with_security_headers
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
