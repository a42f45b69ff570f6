"""Daily: closed cases past retention are anonymised - personal data erased, the facts for the
regulator's figures kept, an audit entry left. Never a case under a legal hold."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from asb import bootstrap
from asb.kernel.clock import as_of as scheduled_as_of
from asb.kernel.logs import service_logger

logger = service_logger()
store = bootstrap.retention_store()


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    as_of = scheduled_as_of(event)
    anonymised, failed = [], 0
    for reference in store.due(as_of):
        try:
            if store.anonymise(reference, as_of):
                anonymised.append(reference)
        except Exception:  # one case's fault must not keep every later case's data for a day
            failed += 1
    logger.info("retention applied", extra={"as_of": as_of.isoformat(),
                                            "anonymised": len(anonymised), "failed": failed})
    if failed:
        # After the rest: the failed run is what the retention error alarm counts.
        raise RetentionIncomplete(f"{failed} cases past retention could not be anonymised")
    return {"as_of": as_of.isoformat(), "anonymised": anonymised}


class RetentionIncomplete(Exception):
    pass
