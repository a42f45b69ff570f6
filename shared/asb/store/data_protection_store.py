"""What the data protection officer reads: a person's reports through the PERSON# lookups, and
reads of personal data by who made them (AccessByActor) or by case."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asb.store import keys
from asb.store.codec import from_item, to_item
from asb.subject_access import Holding

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoDBDataProtectionStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _query(self, **arguments: Any) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for page in self._client.get_paginator("query").paginate(TableName=self._table,
                                                                 **arguments):
            found += [from_item(i) for i in page["Items"]]
        return found

    def holdings(self, person_keys: list[str]) -> list[Holding]:
        found: dict[tuple[str, str, str], Holding] = {}
        for key in person_keys:
            for item in self._query(KeyConditionExpression="pk = :pk",
                                    ExpressionAttributeValues=to_item({":pk": f"PERSON#{key}"})):
                holding = Holding(item["case_reference"], item["report_id"], item["role"])
                found[(holding.case_reference, holding.report_id, holding.role)] = holding
        return sorted(found.values(), key=lambda h: (h.case_reference, h.report_id))

    def reads_by(self, actor: str, since: str) -> list[dict[str, Any]]:
        return self._query(IndexName=keys.ACCESS_BY_ACTOR,
                           KeyConditionExpression="access_actor = :actor AND #at >= :since",
                           ExpressionAttributeNames={"#at": "at"},
                           ExpressionAttributeValues=to_item({":actor": actor,
                                                              ":since": since}))

    def reads_of_case(self, reference: str) -> list[dict[str, Any]]:
        return self._query(KeyConditionExpression="pk = :pk AND begins_with(sk, :audit)",
                           FilterExpression="attribute_exists(access_actor)",
                           ExpressionAttributeValues=to_item({
                               ":pk": keys.case_pk(reference), ":audit": "AUDIT#"}))
