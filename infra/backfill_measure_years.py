"""Once, after deploying the release whose figures count the year's enforcement outcomes: puts
every tool or power recorded before it on the ByReportingYear index, under the reporting year
it was recorded in, as a measure recorded since is put there when it is made.

The year's figures read a year's measures from that index alone (never a Scan); a Measure item
written before has no `reporting_year`, so until this has run the figures leave it out. Nothing
else changes: each item gains `reporting_year`, `year_on` (the day it was recorded, in London)
and `year_list`, on condition that it has no year yet - safe to run again, and while the service
runs. A step taken on a measure read before it was given its year writes the measure back whole,
without it: so the run goes round again until a round finds none left (at most five rounds).

Run: `.venv/bin/python -m infra.backfill_measure_years <CasesTable name>` with the deployment's
AWS credentials. It scans the table: an operator's one-off, never a request or schedule path.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.case.targets import local_day
from asb.dynamo import keys
from asb.dynamo.codec import from_item, to_item
from asb.policy.reporting_year import year_of

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def measures_without_a_year(client: DynamoDBClient, table: str) -> list[dict[str, Any]]:
    """Each such measure's keys and when it was recorded: nothing personal is read."""
    found: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(
        TableName=table,
        FilterExpression="#entity = :measure AND attribute_not_exists(reporting_year)",
        ProjectionExpression="pk, sk, recorded_at",
        ExpressionAttributeNames={"#entity": keys.ENTITY},
        ExpressionAttributeValues=to_item({":measure": "Measure"}),
    ):
        found += [from_item(i) for i in page["Items"]]
    return found


def backfill(client: DynamoDBClient, table: str) -> int:
    """Gives each measure without one its reporting year; returns how many were given one."""
    given = 0
    for measure in measures_without_a_year(client, table):
        day = local_day(datetime.fromisoformat(str(measure["recorded_at"])))
        year = year_of(day)
        try:
            client.update_item(
                TableName=table, Key=to_item({keys.PK: measure[keys.PK], keys.SK: measure[keys.SK]}),
                UpdateExpression="SET reporting_year = :year, year_on = :on, year_list = :list",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(reporting_year)",
                ExpressionAttributeValues=to_item({
                    ":year": year, ":on": day.isoformat(),
                    ":list": keys.year_list("Measure", year)}))
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            continue  # given one meanwhile, or deleted: nothing to do
        given += 1
    return given


def main(arguments: list[str]) -> None:
    import boto3

    if len(arguments) != 1:
        sys.exit("usage: python -m infra.backfill_measure_years <CasesTable name>")
    client, count = boto3.client("dynamodb"), 0
    for _ in range(5):
        given = backfill(client, arguments[0])
        count += given
        if not given or not measures_without_a_year(client, arguments[0]):
            break
    left = len(measures_without_a_year(client, arguments[0]))
    print(f"{count} tools and powers recorded before are now counted in their year's figures"
          + (f"; {left} still without a year: run it again" if left else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
