"""Reading what the handlers left in moto, the way an operator would look."""

from __future__ import annotations

from typing import Any

import boto3

from asb.store.codec import from_item


def table_items(table_name: str) -> list[dict[str, Any]]:
    """Every item of a table. Tests only: the service itself never scans."""
    client = boto3.client("dynamodb")
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table_name):
        items += [from_item(item) for item in page["Items"]]
    return items


def case_partition(table_name: str, reference: str) -> list[dict[str, Any]]:
    client = boto3.client("dynamodb")
    answer = client.query(
        TableName=table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"CASE#{reference}"}},
    )
    return [from_item(item) for item in answer["Items"]]


def queue_messages(queue_url: str, most: int = 10) -> list[dict[str, Any]]:
    answer = boto3.client("sqs").receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=most, MessageAttributeNames=["All"],
        WaitTimeSeconds=0,
    )
    return answer.get("Messages", [])
