"""Open work of given kinds from the sparse DueWork index, however far off it is due."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asb.store import keys
from asb.store.codec import from_item, to_item

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def waiting(client: DynamoDBClient, table: str, kinds: list[str]) -> list[dict[str, Any]]:
    """Every item waiting as one of `kinds`, oldest due first: their keys from the index, then
    the items themselves (the index carries only what sweeps need)."""
    found: list[dict[str, str]] = []
    for kind in kinds:
        for page in client.get_paginator("query").paginate(
            TableName=table, IndexName=keys.DUE_WORK,
            KeyConditionExpression="due_kind = :k",
            ExpressionAttributeValues=to_item({":k": kind}),
        ):
            found += [{keys.PK: i[keys.PK]["S"], keys.SK: i[keys.SK]["S"]} for i in page["Items"]]
    items: list[dict[str, Any]] = []
    for start in range(0, len(found), 100):
        wanted: list[dict[str, Any]] = [to_item(k) for k in found[start:start + 100]]
        while wanted:
            answer = client.batch_get_item(RequestItems={table: {
                "Keys": wanted, "ConsistentRead": True}})
            items += [from_item(i) for i in answer["Responses"].get(table, [])]
            unprocessed: dict[str, Any] = dict(answer.get("UnprocessedKeys") or {})
            wanted = list(unprocessed.get(table, {}).get("Keys", []))
    return sorted(items, key=lambda i: str(i.get("due_at")))
