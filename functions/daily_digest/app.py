"""07:00 Europe/London: each officer's due and overdue work, by email."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from asb import bootstrap
from asb.kernel.clock import as_of as scheduled_as_of
from asb.kernel.logs import service_logger

logger = service_logger()
send_digests = bootstrap.daily_digest()


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    as_of = scheduled_as_of(event)
    run = send_digests(as_of)
    logger.info("digests sent", extra={"as_of": as_of.isoformat(), "sent": run.sent,
                                       "failed": run.failed})
    if run.failed:
        # After the rest were sent: the failed run is what the digest's error alarm counts.
        raise DigestsNotSent(f"{run.failed} digests could not be sent")
    return {"as_of": as_of.isoformat(), "sent": run.sent}


class DigestsNotSent(Exception):
    pass
