"""GET /openapi.json: the OpenAPI document of the whole API, generated from the resolvers."""

from __future__ import annotations

from importlib import resources
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb.web.headers import with_security_headers

app = APIGatewayRestResolver()
DOCUMENT = resources.files("asb.web").joinpath("openapi.json").read_text()


@app.get("/openapi.json", summary="This document", tags=["documentation"], responses={
    200: {"description": "The OpenAPI 3 document of the whole API",
          "content": {"application/json": {"schema": {"type": "object"}}}}})
def openapi_document() -> Response[str]:
    return Response(status_code=200, content_type="application/json", body=DOCUMENT,
                    headers={"Cache-Control": "public, max-age=300"})


@with_security_headers
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
