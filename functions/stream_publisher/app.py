"""The outbox relay: events committed with a change go from the table's stream to their queues."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb import bootstrap
from asb.case.outbox import message_from_image
from asb.kernel.batch import LoggedBatchProcessor
from asb.kernel.logs import service_logger

logger = service_logger()
processor = LoggedBatchProcessor(EventType.DynamoDBStreams, logger)
relay = bootstrap.outbox_relay()


def publish(record: DynamoDBRecord) -> None:
    image = record.dynamodb.new_image if record.dynamodb else None
    if not image or image.get("entity") != "Event":
        return  # the template's filter lets only events through; anything else is not ours
    message = message_from_image(image)
    destinations = relay.relay(message)
    logger.info(
        "event published",
        extra={"event_type": message.type, "event_id": message.event_id, "to": destinations},
    )


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=publish, processor=processor, context=context
    )
