"""Partner inbound: acknowledgements, partners' own requests and the outcomes of powers asked of
them from the inbound queue, checked against the registry (the partner, its sender, its
agreement) and recorded. A message the
registry does not match is refused to the dead-letter queue, never recorded against a case."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from asb import bootstrap
from asb.kernel.batch import LoggedBatchProcessor
from asb.kernel.json_text import NotJson, read_json
from asb.kernel.logs import service_logger
from asb.partners.messages import NotFromPartner

logger = service_logger()
processor = LoggedBatchProcessor(EventType.SQS, logger)
inbound = bootstrap.partner_inbound()


def readable(body: str) -> dict[str, Any]:
    """The message as a JSON object, or NotJson: refused like any message we cannot match."""
    try:
        message = read_json(body)
    except NotJson as error:
        logger.warning("partner message not readable", extra={"reason": error.reason})
        raise
    if not isinstance(message, dict):
        logger.warning("partner message not readable", extra={"reason": "is not a JSON object"})
        raise NotJson("is not a JSON object")
    return message


def receive(record: SQSRecord) -> None:
    message = readable(record.body)
    try:
        outcome = inbound.receive(message, record.attributes.sender_id)
    except NotFromPartner as error:
        logger.warning("partner message refused", extra={"reason": error.message})
        raise
    except ValidationError as error:  # the fields by name only: values may be personal data
        logger.warning("partner message not readable", extra={
            "fields": [".".join(str(p) for p in e["loc"]) for e in error.errors()]})
        raise
    logger.info("partner message", extra={"type": message.get("type"),
                                          "partner_id": message.get("partner_id"),
                                          "outcome": outcome})


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=receive, processor=processor,
                                    context=context)
