"""Once, after deploying the release that treats a case from before pathways whose behaviours
disclose domestic abuse as a domestic abuse case (asb.case.pathways.pathway_of_case): puts that
pathway in the `targets` of each such case item, as a case written since carries it there.

The year's figures read the listing index CasesByTeam, whose projection has `targets` but not
`behaviours` (a projection cannot change in place), so until this has run such a case is still
counted in NM01. The case's own `pathway` stays unrecorded: an officer still moves it to the
pathway (the console prompts it), which opens the specialist referral's task. Each item gains
only `targets.pathway`, on condition that its version is still the one read - a case written
meanwhile carries it already - so it is safe to run again, and while the service runs.

Run: `.venv/bin/python -m infra.backfill_domestic_abuse_pathway <CasesTable name>` with the
deployment's AWS credentials. It scans the table: an operator's one-off, never a request or
schedule path. Nothing personal is read: the keys, the version and the targets.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.dynamo import keys
from asb.dynamo.codec import from_item, to_item
from asb.policy.config import DOMESTIC_ABUSE_BEHAVIOURS

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

ROUNDS = 5  # a case written between the scan and the update is read again next round


def cases_without_the_pathway(client: DynamoDBClient, table: str) -> list[dict[str, Any]]:
    """Case items with no pathway of their own whose behaviours disclose domestic abuse and
    whose targets do not say so yet."""
    behaviours = sorted(DOMESTIC_ABUSE_BEHAVIOURS)
    disclosed = " OR ".join(f"contains(behaviours, :b{i})" for i in range(len(behaviours)))
    found: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(
        TableName=table,
        FilterExpression=(f"#entity = :case AND attribute_not_exists(pathway) AND ({disclosed}) "
                          "AND attribute_not_exists(targets.pathway)"),
        ProjectionExpression="pk, sk, version, targets",
        ExpressionAttributeNames={"#entity": keys.ENTITY},
        ExpressionAttributeValues=to_item({
            ":case": "Case", **{f":b{i}": b for i, b in enumerate(behaviours)}}),
    ):
        found += [from_item(i) for i in page["Items"]]
    return found


def backfill(client: DynamoDBClient, table: str) -> int:
    """Gives each such case's targets the pathway; returns how many were given it."""
    given = 0
    for case in cases_without_the_pathway(client, table):
        targets = {**(case.get("targets") or {}), "pathway": "domestic_abuse"}
        try:
            client.update_item(
                TableName=table, Key=to_item({keys.PK: case[keys.PK], keys.SK: case[keys.SK]}),
                UpdateExpression="SET targets = :targets",
                ConditionExpression="attribute_exists(pk) AND version = :version",
                ExpressionAttributeValues=to_item({":targets": targets,
                                                   ":version": case["version"]}))
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            continue  # written meanwhile: the next round reads it again
        given += 1
    return given


def main(arguments: list[str]) -> None:
    import boto3

    if len(arguments) != 1:
        sys.exit("usage: python -m infra.backfill_domestic_abuse_pathway <CasesTable name>")
    client, count = boto3.client("dynamodb"), 0
    for _ in range(ROUNDS):
        given = backfill(client, arguments[0])
        count += given
        if not given or not cases_without_the_pathway(client, arguments[0]):
            break
    left = len(cases_without_the_pathway(client, arguments[0]))
    print(f"{count} case(s) given the domestic abuse pathway in their targets; {left} left")


if __name__ == "__main__":
    main(sys.argv[1:])
