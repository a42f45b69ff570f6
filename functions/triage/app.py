"""Triage: each ReportReceived event from the triage queue assesses, categorises, targets and
assigns its case, in one transaction with the events it raises."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
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
metrics = Metrics()
processor = LoggedBatchProcessor(EventType.SQS, logger)
service = bootstrap.triage_service()


def triage(record: SQSRecord) -> None:
    event = json.loads(record.body)
    if event.get("type") != "ReportReceived":
        logger.info("event ignored", extra={"event_type": event.get("type")})
        return
    outcome = service.triage(event["case_reference"], event["detail"]["report_id"])
    logger.info("report triaged", extra={"reference": outcome.reference,
                                         "changed": outcome.changed, "raised": outcome.events})
    if outcome.changed:
        metrics.add_metric(name="ReportsTriaged", unit=MetricUnit.Count, value=1)
    if "EmergencyRaised" in outcome.events:
        metrics.add_metric(name="Emergencies", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=triage, processor=processor, context=context
    )
