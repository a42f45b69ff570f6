"""A hearing's court bundle: the evidence an officer picks, as one PDF with a cover, an index,
an exhibit schedule and each exhibit, third parties named by a label. Its own function, as it
carries the PDF layer (fpdf2, the fonts), which the staff writes do not load."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field

from asb import bootstrap
from asb.enforcement.bundles import BundleIn
from asb.kernel.logs import service_logger
from asb.web.headers import with_security_headers
from asb.web.staff_api import (
    STAFF_SECURITY,
    RecordId,
    Reference,
    current_staff,
    install_error_answers,
    refuse_unless_json,
    responses,
)

logger = service_logger()
app = APIGatewayRestResolver(enable_validation=True)
bundles = bootstrap.court_bundles()
install_error_answers(app, logger)


# Built when a route first answers with it, as every model of ours (tests/infra/test_cold_imports.py).
_BUILT_AT_FIRST_ANSWER = ConfigDict(defer_build=True)


class ExhibitListed(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    exhibit: str = Field(description="Its number in the bundle, e.g. OH/1")
    kind: str
    id: str
    what: str
    on: str | None = Field(description="Its date")
    source: str


class BundleMade(BaseModel):
    model_config = _BUILT_AT_FIRST_ANSWER

    bundle_id: str
    case_reference: str
    measure_id: str
    hearing_id: str
    pages: int
    url: str = Field(description="The PDF, for a few minutes (its making is audited)")
    url_expires_in_seconds: int
    exhibits: list[ExhibitListed]


# 200, as every staff route under /cases answers: the bundle is not a resource of the API (it
# is fetched from the link), so there is nothing to point a 201's Location at.
_DOCUMENTED = responses(BundleMade, 400, 413, 415)
_DOCUMENTED[200]["description"] = "The bundle is made: where to fetch it, and its exhibits"


@app.post("/cases/<reference>/measures/<measure_id>/bundles", summary=(
    "Make the court bundle for a hearing of a tool or power: the evidence chosen as one PDF "
    "(cover, index, exhibit schedule, exhibits; pages numbered; third parties redacted)"),
    tags=["enforcement"], security=STAFF_SECURITY, responses=_DOCUMENTED)
def make_bundle(reference: Reference, measure_id: RecordId,
                body: Annotated[BundleIn, Body()]) -> Response[BundleMade]:
    made = bundles.make(reference, measure_id, body, current_staff(app),
                        "POST /cases/{reference}/measures/{measure_id}/bundles")
    logger.info("court bundle made", extra={"reference": made.bundle.case_reference,
                                            "exhibits": len(made.bundle.exhibits),
                                            "pages": made.pages})
    return Response(status_code=200, content_type="application/json",
                    body=BundleMade(**made.answer()))


@with_security_headers
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return refuse_unless_json(event) or app.resolve(event, context)
