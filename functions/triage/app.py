"""Triage: each ReportReceived event from the triage queue assesses, categorises, targets and
assigns its case, in one transaction with the events it raises."""

from __future__ import annotations

import json
from typing import Any

import boto3
from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb.batch import LoggedBatchProcessor
from asb.kernel.clock import SystemClock
from asb.logs import service_logger
from asb.sealing import kms_sealer
from asb.settings import CaseSettings
from asb.store.triage_store import DynamoDBTriageStore
from asb.triage import TriageService

logger = service_logger()
metrics = Metrics()
processor = LoggedBatchProcessor(EventType.SQS, logger)
settings = CaseSettings.load()
service = TriageService(
    DynamoDBTriageStore(boto3.client("dynamodb"), settings.cases_table,
                        kms_sealer(settings.data_key_id)), SystemClock()
)


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
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=triage, processor=processor, context=context
    )
