"""Notifications: each domain event from the notification queue becomes the messages it calls
for, each sent once (Powertools idempotency on the notification id) through a safe channel."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb import bootstrap
from asb.kernel.batch import LoggedBatchProcessor
from asb.kernel.logs import service_logger
from asb.kernel.settings import NotificationSettings
from asb.notifications.plan import Message
from asb.notifications.service import UNRECORDED, NotDelivered

logger = service_logger()
metrics = Metrics()
processor = LoggedBatchProcessor(EventType.SQS, logger)
settings, clients = NotificationSettings.load(), bootstrap.Clients()
service = bootstrap.notification_service(settings, clients)
persistence = bootstrap.notification_idempotency(settings, clients)
redelivery = bootstrap.redelivery(clients)
once = IdempotencyConfig(event_key_jmespath="notification_id", expires_after_seconds=7 * 86400)


def send_once(notification: dict[str, str], message: Message,
              event: dict[str, Any]) -> dict[str, str | None]:
    outcome = service.handle(event, message)
    return {"status": outcome.status, "channel": outcome.channel}


# Wrapped, not decorated: Powertools leaves idempotent_function's return unannotated, which
# would make send_once untyped. Its name stays send_once: the idempotency key is made from it.
idempotent_send: Callable[..., dict[str, str | None]] = idempotent_function(
    data_keyword_argument="notification", persistence_store=persistence, config=once)(send_once)


def notify(record: SQSRecord) -> None:
    event = json.loads(record.body)
    for message in service.plan(event):
        try:
            result = idempotent_send(notification={"notification_id": message.notification_id},
                                     message=message, event=event)
        except NotDelivered:
            _back_off(record)
            raise
        logger.info("notification", extra={"reference": message.case_reference,
                                           "template": message.template, **result})
        if result["status"] in ("sent", UNRECORDED):
            metrics.add_metric(name="NotificationsSent", unit=MetricUnit.Count, value=1)
        if result["status"] == UNRECORDED:
            logger.error("notification sent but not in the delivery log",
                         extra={"reference": message.case_reference, "template": message.template})
            metrics.add_metric(name="NotificationsUnrecorded", unit=MetricUnit.Count, value=1)


def _back_off(record: SQSRecord) -> None:
    """Each failed attempt waits longer before the queue offers the message again."""
    attempt = int(record.attributes.approximate_receive_count or 1)
    redelivery.later(record.event_source_arn, record.receipt_handle, min(30 * 2 ** attempt, 900))


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    once.register_lambda_context(context)
    return process_partial_response(event=event, record_handler=notify, processor=processor,
                                    context=context)
