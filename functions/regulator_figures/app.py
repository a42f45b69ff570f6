"""Monthly: the regulator's ASB figures for the reporting year so far, as CSV for the board."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from asb.case_service import TEAMS
from asb.clock import as_of as scheduled_as_of
from asb.regulator import as_csv, figures, reporting_year, year_of
from asb.settings import CaseSettings
from asb.store.case_store import DynamoDBCaseStore

logger = Logger()
settings = CaseSettings.load()
store = DynamoDBCaseStore(boto3.client("dynamodb"), settings.cases_table)
s3 = boto3.client("s3")
BUCKET = os.environ["FIGURES_BUCKET"]


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    as_of = scheduled_as_of(event)
    year = year_of(as_of.date())
    first, last = reporting_year(year)
    after = (last + timedelta(days=1)).isoformat()
    result = figures(store.opened_between(TEAMS, first.isoformat(), after),
                     settings.homes_owned, year)
    key = f"regulator/{year}/asb-tsm-{as_of:%Y-%m-%d}.csv"
    s3.put_object(Bucket=BUCKET, Key=key, Body=as_csv(result).encode(), ContentType="text/csv")
    logger.info("regulator figures written", extra={"key": key,
                                                    "cases_opened": result.cases_opened})
    return {"key": key, **result.as_dict()}
