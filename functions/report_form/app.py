"""GET /: the public "Report anti-social behaviour" page, which posts to POST /reports."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb.logs import service_logger
from asb.web.headers import with_security_headers
from asb.web.pages import render_form

logger = service_logger()
app = APIGatewayRestResolver()


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


@with_security_headers
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
