"""The due-work sweep, every 15 minutes as of its scheduled time: what has fallen due on the
DueWork index is acted on once."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb import bootstrap
from asb.due_work.sweep import sweep
from asb.kernel.clock import as_of as scheduled_as_of
from asb.kernel.logs import service_logger

logger = service_logger()
metrics = Metrics()
store = bootstrap.review_store()


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    as_of = scheduled_as_of(event)
    report = sweep(store, as_of)
    logger.info("due work swept", extra={"as_of": as_of.isoformat(), "due": report.due,
                                         "acted": report.acted, "events": report.events,
                                         "failed": report.failed})
    missed = report.events.get("FirstContactOverdue", 0)
    if missed:
        metrics.add_metric(name="FirstContactTargetsMissed", unit=MetricUnit.Count, value=missed)
    if report.failed:
        # After the rest were acted on: the failed run is what the sweep's error alarm counts.
        raise SweepIncomplete(f"{report.failed} due tasks could not be acted on")
    return {"as_of": as_of.isoformat(), "due": report.due, "acted": report.acted,
            "events": report.events}


class SweepIncomplete(Exception):
    pass
