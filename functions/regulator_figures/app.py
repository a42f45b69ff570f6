"""Monthly: the year's figures so far - the regulator's ASB measures and the ASB Case Review
statistics - as CSV for the board; the run in April completes the year before."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import boto3
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb.case_service import CaseService
from asb.kernel.clock import SystemClock
from asb.kernel.clock import as_of as scheduled_as_of
from asb.logs import service_logger
from asb.regulator import as_csv
from asb.reporting_year import year_of
from asb.sealing import kms_sealer
from asb.settings import CaseSettings
from asb.store.case_store import DynamoDBCaseStore

logger = service_logger()
settings = CaseSettings.load()
service = CaseService(DynamoDBCaseStore(boto3.client("dynamodb"), settings.cases_table,
                                        kms_sealer(settings.data_key_id)),
                      SystemClock())
s3 = boto3.client("s3")
BUCKET = os.environ["FIGURES_BUCKET"]


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    as_of = scheduled_as_of(event)
    # Runs on the 1st: the figures are for the year that contains the day before, so the
    # run on 1 April writes the whole of the year just ended.
    year = year_of((as_of - timedelta(days=1)).date())
    result = service.year_figures(year, settings.homes_owned)
    key = f"regulator/{year}/asb-annual-figures-{as_of:%Y-%m-%d}.csv"
    s3.put_object(Bucket=BUCKET, Key=key, Body=as_csv(result).encode(), ContentType="text/csv")
    logger.info("year's figures written", extra={"key": key, "cases_opened": result.cases_opened})
    return {"key": key, **result.as_dict()}
