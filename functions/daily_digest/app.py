"""07:00 Europe/London: each officer's due and overdue work, by email."""

from __future__ import annotations

import os
from typing import Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb.digest import send_digests
from asb.kernel.clock import as_of as scheduled_as_of
from asb.logs import service_logger
from asb.notifications.digest_mail import EmailDigestSender
from asb.settings import CaseSettings
from asb.store.review_store import DynamoDBReviewStore

logger = service_logger()
table = CaseSettings.load().cases_table
dynamodb = boto3.client("dynamodb")
source = DynamoDBReviewStore(dynamodb, table)
sender = EmailDigestSender(dynamodb, table, boto3.client("sesv2"), os.environ["SENDER_ADDRESS"],
                           os.environ["STAFF_EMAIL_DOMAIN"],
                           os.environ["PUBLIC_BASE_URL"].rstrip("/"))


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    as_of = scheduled_as_of(event)
    run = send_digests(source, sender, as_of)
    logger.info("digests sent", extra={"as_of": as_of.isoformat(), "sent": run.sent,
                                       "failed": run.failed})
    if run.failed:
        # After the rest were sent: the failed run is what the digest's error alarm counts.
        raise DigestsNotSent(f"{run.failed} digests could not be sent")
    return {"as_of": as_of.isoformat(), "sent": run.sent}


class DigestsNotSent(Exception):
    pass
