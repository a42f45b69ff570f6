"""Persons in DynamoDB: a person's record and the cases they are a party of, from their own
partition (GetItem, Query); a merge's changes through the one writer, in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from asb.case.change import CaseChange
from asb.case.parties import Person
from asb.dynamo import keys
from asb.dynamo.case_writer import CaseWriter
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.paging import query_pages
from asb.dynamo.party_items import person_from_item
from asb.dynamo.sealing import Sealer

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoDBPeopleStore:
    def __init__(self, client: DynamoDBClient, table_name: str, sealer: Sealer) -> None:
        self._client = client
        self._table = table_name
        self._writer = CaseWriter(client, table_name, sealer)

    def person(self, person_id: str) -> Person | None:
        answer = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                       Key=to_item(keys.person_record_key(person_id)))
        return person_from_item(from_item(answer["Item"])) if "Item" in answer else None

    def cases_of(self, person_id: str) -> list[str]:
        """The references of every case the person is a party of (unlinked parties too)."""
        found: list[str] = []
        for page in query_pages(
            self._client, TableName=self._table, ConsistentRead=True,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :party)",
            ExpressionAttributeValues=to_item({":pk": keys.person_pk(person_id),
                                               ":party": "PARTY#"}),
        ):
            found += [str(from_item(i)["case_reference"]) for i in page["Items"]]
        return sorted(set(found))

    def commit(self, changes: list[CaseChange]) -> None:
        self._writer.commit_together(changes)
