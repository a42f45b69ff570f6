"""The sparse DueWork index: its rows decoded into due work, and open work of given kinds,
however far off it is due."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from asb.case.tasks import DueTask
from asb.dynamo import keys
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.paging import query_pages

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def due_task(item: dict[str, Any]) -> DueTask:
    """A row of the index (or the item it projects) as due work; the item is not changed."""
    # A subject access request names no case: its reference names its partition.
    reference = item.get("case_reference") or keys.reference_of(item[keys.PK])
    return DueTask(case_reference=reference, kind=item["due_kind"],
                   due_at=datetime.fromisoformat(item["due_at"]), officer=item.get("officer"),
                   team=item.get("team"), every=item.get("every"),
                   key={keys.PK: item[keys.PK], keys.SK: item[keys.SK]},
                   title=item.get("title"), item_kind=item.get("kind"))


def waiting(client: DynamoDBClient, table: str, kinds: list[str]) -> list[dict[str, Any]]:
    """Every item waiting as one of `kinds`, oldest due first: their keys from the index, then
    the items themselves (the index carries only what sweeps need)."""
    found: list[dict[str, str]] = []
    for kind in kinds:
        for page in query_pages(
            client, TableName=table, IndexName=keys.DUE_WORK,
            KeyConditionExpression="due_kind = :k",
            ExpressionAttributeValues=to_item({":k": kind}),
        ):
            found += [{keys.PK: i[keys.PK]["S"], keys.SK: i[keys.SK]["S"]} for i in page["Items"]]
    # An item moved from one kind to the next (escalated) between two Queries is found twice:
    # once is enough, and BatchGetItem refuses a key asked for twice.
    found = [dict(key) for key in dict.fromkeys(tuple(k.items()) for k in found)]
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
