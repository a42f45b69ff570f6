"""Retention's part for persons (asb.case.retention.PartyOfPerson): as a case is anonymised, each
of its parties leaves its person's own partition; a person none of whose cases is kept any more
(no party lookup left) loses their record, and the match keys stop naming them. Each step can be
run again: a run cut short and run again finishes it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from asb.case.parties import contact_match_keys, tenancy_match_key
from asb.case.retention import PartyOfPerson
from asb.dynamo import keys
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.party_items import person_from_item

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def erase_party_persons(client: DynamoDBClient, table: str, reference: str,
                        party_persons: Iterable[PartyOfPerson]) -> list[str]:
    """The persons whose record went (none of their cases is kept)."""
    wanted = list(party_persons)
    for party in wanted:
        client.delete_item(TableName=table, Key=to_item(keys.persons_party_key(
            party.person_id, reference, party.party_id)))
    erased = []
    for person_id in dict.fromkeys(p.person_id for p in wanted):
        tenancies = {p.tenancy for p in wanted if p.person_id == person_id and p.tenancy}
        if erase_if_in_no_case(client, table, person_id, tenancies):
            erased.append(person_id)
    return erased


def erase_if_in_no_case(client: DynamoDBClient, table: str, person_id: str,
                        tenancies: set[str]) -> bool:
    """The person's record and their place under match keys erased, if no party of theirs is
    left (their cases anonymised, or the reports that brought them erased)."""
    left = client.query(TableName=table, ConsistentRead=True, Limit=1,
                        KeyConditionExpression="pk = :pk AND begins_with(sk, :party)",
                        ExpressionAttributeValues=to_item({":pk": keys.person_pk(person_id),
                                                           ":party": "PARTY#"}))
    if left["Items"]:
        return False  # a case they are a party of is still kept: so is their record
    answer = client.get_item(TableName=table, ConsistentRead=True,
                             Key=to_item(keys.person_record_key(person_id)))
    if "Item" not in answer:
        return False  # gone already
    person = person_from_item(from_item(answer["Item"]))
    # The keys first: with the record gone, nothing would say which keys name them.
    for key in sorted({*contact_match_keys(person).values(),
                       *(tenancy_match_key(t) for t in tenancies)}):
        with contextlib.suppress(client.exceptions.ConditionalCheckFailedException):
            client.update_item(TableName=table, Key=to_item(keys.match_key(key)),
                               UpdateExpression="REMOVE #person",
                               ConditionExpression="attribute_exists(pk)",
                               ExpressionAttributeNames={
                                   "#person": f"{keys.MATCHED_PERSON}{person_id}"})
    client.delete_item(TableName=table, Key=to_item(keys.person_record_key(person_id)))
    return True
