"""Partner publisher: each approved disclosure from the disclosure queue is signed with the KMS
signing key and put on its partner's own queue, once; the disclosure log records it sent. A
partner's late meeting action (PartnerActionOverdue) is chased the same way, once."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb import bootstrap
from asb.kernel.batch import LoggedBatchProcessor
from asb.kernel.logs import service_logger

logger = service_logger()
processor = LoggedBatchProcessor(EventType.SQS, logger)
publisher = bootstrap.partner_publisher()


def publish(record: SQSRecord) -> None:
    event = json.loads(record.body)
    if event.get("type") == "PartnerActionOverdue":  # a meeting action late: chase the partner
        logger.info("partner action chased", extra={"reference": event["case_reference"],
                                                     "outcome": publisher.chase(event)})
        return
    if event.get("type") != "DisclosureApproved":
        logger.info("event ignored", extra={"event_type": event.get("type")})
        return
    outcome = publisher.publish(event)
    logger.info("disclosure published", extra={"reference": event["case_reference"],
                                               "partner_id": event["detail"]["partner_id"],
                                               "outcome": outcome})


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=publish, processor=processor,
                                    context=context)
