"""Partner publisher: each approved disclosure from the disclosure queue is signed with the KMS
signing key and put on its partner's own queue, once; the disclosure log records it sent."""

from __future__ import annotations

import json
from typing import Any

import boto3
from aws_lambda_powertools.utilities.batch import (
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb.batch import LoggedBatchProcessor
from asb.kernel.clock import SystemClock
from asb.logs import service_logger
from asb.partner_delivery import Publisher
from asb.settings import PartnerSettings
from asb.signing import KmsSigner
from asb.store.partner_store import DynamoDBPartnerStore

logger = service_logger()
processor = LoggedBatchProcessor(EventType.SQS, logger)
settings = PartnerSettings.load()
sqs = boto3.client("sqs")


class SqsMessageSender:
    def send(self, queue_url: str, body: str, attributes: dict[str, Any]) -> None:
        sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageAttributes=attributes)


publisher = Publisher(DynamoDBPartnerStore(boto3.client("dynamodb"), settings.cases_table),
                      SqsMessageSender(), KmsSigner(boto3.client("kms"), settings.signing_key_id),
                      settings.partner_queues or {}, SystemClock())


def publish(record: SQSRecord) -> None:
    event = json.loads(record.body)
    if event.get("type") != "DisclosureApproved":
        logger.info("event ignored", extra={"event_type": event.get("type")})
        return
    outcome = publisher.publish(event)
    logger.info("disclosure published", extra={"reference": event["case_reference"],
                                               "partner_id": event["detail"]["partner_id"],
                                               "outcome": outcome})


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=publish, processor=processor,
                                    context=context)
