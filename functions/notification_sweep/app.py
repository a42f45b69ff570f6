"""Sends the messages that waited for a safe time to contact someone, as of the schedule's time."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from asb import bootstrap
from asb.kernel.clock import as_of as scheduled_as_of
from asb.kernel.logs import service_logger
from asb.notifications.service import GIVEN_UP, NOT_NEEDED, NOT_SENT

logger = service_logger()
service = bootstrap.notification_service()


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    as_of = scheduled_as_of(event)
    outcomes = service.send_due(as_of)
    failed = [o.notification_id for o in outcomes if o.status in (NOT_SENT, GIVEN_UP)]
    ended = [o.notification_id for o in outcomes if o.status == NOT_NEEDED]
    sent = [o.notification_id for o in outcomes
            if o.status not in (NOT_SENT, GIVEN_UP, NOT_NEEDED)]
    logger.info("waiting notifications sent", extra={
        "as_of": as_of.isoformat(), "sent": len(sent), "failed": len(failed),
        "given_up": sum(o.status == GIVEN_UP for o in outcomes), "not_needed": len(ended)})
    if failed:
        # After the rest were sent: the failed run is what the sweep's error alarm counts.
        raise NotSent(f"{len(failed)} waiting notifications could not be sent")
    return {"as_of": as_of.isoformat(), "sent": sent}


class NotSent(Exception):
    pass
