"""The landlord's homes or tenancies file arriving in the import bucket (imports/*.csv): loaded
into the register in whole or not at all, its report written beside it (reports/<key>.json)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.typing import LambdaContext

from asb import bootstrap
from asb.kernel.logs import service_logger

logger = service_logger()
imports = bootstrap.homes_import()


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    loaded = []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])  # S3 sends keys URL-encoded
        report, report_key = imports.load(bucket, key)
        # Counts and the outcome only: a report's lines are in the bucket, never in a log.
        logger.info("homes register import", extra={
            "key": key, "outcome": report.outcome, "summary": report.summary.in_words(),
            "lines_refused": len(report.rejections), "report_key": report_key})
        loaded.append({"key": key, "report_key": report_key, **report.as_dict()})
    return {"imports": loaded}
