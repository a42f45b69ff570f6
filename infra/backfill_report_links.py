"""Once, after deploying the release that checks tracking links against REPORTREF items: gives
every report's reference the item a link is now checked with, holding the hashes of the links
under it that still work.

A tracking link is checked with its reference's REPORTREF item alone (asb.resident), so that a
wrong link costs the same whether or not the reference exists. Reports stored before that have
no hash on their item (and those stored before reports had their own reference have no item at
all: their links carry the case's reference, one item for every such report of the case). Until
this has run, their links answer 404; nothing else changes. Safe to run again, and while the
service runs: an item is set from its reports as they are (a link revoked meanwhile stays
stopped - the report itself is checked before a link opens anything).

Run: `.venv/bin/python -m infra.backfill_report_links <CasesTable name>` with the deployment's
AWS credentials. It scans the table: an operator's one-off, never a request or schedule path.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from asb.dynamo import keys
from asb.dynamo.codec import from_item, to_item

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def reports(client: DynamoDBClient, table: str) -> list[dict[str, Any]]:
    """Every report's reference, case, id, time and link hash: nothing personal is read."""
    found: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(
        TableName=table, FilterExpression="#entity = :report",
        ProjectionExpression="#ref, case_reference, report_id, received_at, tracking_hash",
        ExpressionAttributeNames={"#entity": keys.ENTITY, "#ref": "reference"},
        ExpressionAttributeValues=to_item({":report": "Report"}),
    ):
        found += [from_item(i) for i in page["Items"]]
    return found


def backfill(client: DynamoDBClient, table: str) -> int:
    """Sets each reference's item from its reports; returns how many items were set."""
    carried: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for report in reports(client, table):
        carried[str(report.get("reference") or report["case_reference"])].append(report)
    for reference, under in carried.items():
        first = min(under, key=lambda r: str(r["received_at"]))
        client.update_item(
            TableName=table, Key=to_item(keys.report_reference_key(reference)),
            UpdateExpression="SET links = :links, case_reference = :case, #entity = :entity, "
                             "report_id = if_not_exists(report_id, :first)",
            ExpressionAttributeNames={"#entity": keys.ENTITY},
            ExpressionAttributeValues=to_item({
                ":links": {str(r["report_id"]): str(r["tracking_hash"])
                           for r in under if r.get("tracking_hash")},
                ":case": str(first["case_reference"]), ":entity": "ReportReference",
                ":first": str(first["report_id"])}))
    return len(carried)


def main(arguments: list[str]) -> None:
    import boto3

    if len(arguments) != 1:
        sys.exit("usage: python -m infra.backfill_report_links <CasesTable name>")
    count = backfill(boto3.client("dynamodb"), arguments[0])
    print(f"{count} report references now carry their links' hashes")


if __name__ == "__main__":
    main(sys.argv[1:])
