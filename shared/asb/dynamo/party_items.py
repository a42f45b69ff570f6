"""Parties and persons as stored items (asb.case.parties), and the writes a change makes of them:
each party and person on its own condition (new, or still at the version read), a person's lookup
of each party of theirs beside it, and the persons known under each match key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asb.case.change import MatchKeyWrite, PartyWrite, PersonErasure, PersonWrite
from asb.case.parties import Party, Person
from asb.dynamo import keys
from asb.dynamo.codec import to_item
from asb.dynamo.transactions import put_new

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

PARTY, PERSON, PERSONS_PARTY = "Party", "Person", "PersonsParty"


def party_item(party: Party) -> dict[str, Any]:
    return {**keys.party_key(party.case_reference, party.party_id), keys.ENTITY: PARTY,
            **party.model_dump(mode="json", exclude_none=True)}


def party_from_item(item: dict[str, Any]) -> Party:
    return Party.model_validate({k: v for k, v in item.items()
                                 if k not in (keys.PK, keys.SK, keys.ENTITY)})


def person_item(person: Person) -> dict[str, Any]:
    return {**keys.person_record_key(person.person_id), keys.ENTITY: PERSON,
            **person.model_dump(mode="json", exclude_none=True)}


def person_from_item(item: dict[str, Any]) -> Person:
    return Person.model_validate({k: v for k, v in item.items()
                                  if k not in (keys.PK, keys.SK, keys.ENTITY)})


def _versioned(table: str, item: dict[str, Any],
               expected: int | None) -> TransactWriteItemTypeDef:
    if expected is None:
        return put_new(table, item)
    return {"Put": {"TableName": table, "Item": to_item(item),
                    "ConditionExpression": "#v = :expected",
                    "ExpressionAttributeNames": {"#v": "version"},
                    "ExpressionAttributeValues": to_item({":expected": expected})}}


def party_writes(table: str, write: PartyWrite) -> list[TransactWriteItemTypeDef]:
    """The party, and its person's lookup of it (moved, after a merge)."""
    party = write.party
    actions = [_versioned(table, party_item(party), write.expected_version)]
    if party.person_id:
        actions.append({"Put": {"TableName": table, "Item": to_item({
            **keys.persons_party_key(party.person_id, party.case_reference, party.party_id),
            keys.ENTITY: PERSONS_PARTY, "case_reference": party.case_reference,
            "party_id": party.party_id, "roles": [r.value for r in party.roles],
            "active": party.active})}})
    if write.moved_from and write.moved_from != party.person_id:
        actions.append({"Delete": {"TableName": table, "Key": to_item(keys.persons_party_key(
            write.moved_from, party.case_reference, party.party_id))}})
    return actions


def person_write(table: str, write: PersonWrite) -> TransactWriteItemTypeDef:
    return _versioned(table, person_item(write.person), write.expected_version)


def person_erasure(table: str, erasure: PersonErasure) -> TransactWriteItemTypeDef:
    return {"Delete": {"TableName": table, "Key": to_item(keys.person_record_key(erasure.person_id)),
                       "ConditionExpression": "#v = :expected",
                       "ExpressionAttributeNames": {"#v": "version"},
                       "ExpressionAttributeValues": to_item({":expected": erasure.expected_version})}}


def match_key_writes(table: str, writes: list[MatchKeyWrite]) -> list[TransactWriteItemTypeDef]:
    """One Update per key (a transaction touches an item once): an attribute per person, set
    (to when it was added, or True for a write that does not say) or removed, so that intake
    reads every person of several keys in one BatchGetItem."""
    added: dict[str, list[str]] = {}
    removed: dict[str, list[str]] = {}
    added_at: dict[str, str | bool] = {}
    for write in writes:
        added.setdefault(write.key, []).extend(write.added)
        removed.setdefault(write.key, []).extend(write.removed)
        if write.added_at is not None:
            added_at[write.key] = write.added_at.isoformat()
    return [_match_key_update(table, key, added[key], removed[key], added_at.get(key, True))
            for key in added]


def _match_key_update(table: str, key: str, added: list[str], removed: list[str],
                      added_at: str | bool) -> TransactWriteItemTypeDef:
    names = {"#entity": keys.ENTITY}
    sets = ["#entity = :entity"]
    value = ":yes" if added_at is True else ":added"
    for n, person_id in enumerate(dict.fromkeys(added)):
        names[f"#a{n}"] = f"{keys.MATCHED_PERSON}{person_id}"
        sets.append(f"#a{n} = {value}")
    gone = [p for p in dict.fromkeys(removed) if p not in added]
    for n, person_id in enumerate(gone):
        names[f"#r{n}"] = f"{keys.MATCHED_PERSON}{person_id}"
    expression = "SET " + ", ".join(sets)
    if gone:
        expression += " REMOVE " + ", ".join(f"#r{n}" for n in range(len(gone)))
    return {"Update": {"TableName": table, "Key": to_item(keys.match_key(key)),
                       "UpdateExpression": expression, "ExpressionAttributeNames": names,
                       "ExpressionAttributeValues": to_item({":entity": "MatchKey",
                                                             value: added_at})}}


def matched_persons(item: dict[str, Any]) -> list[str]:
    """The persons a match key item names: first those stored without a time (True: an officer
    recorded them, or intake before it kept times - subject access finds an officer's persons
    only here, so intake's trimming, from the end, reaches them last), then the most recently
    added first."""
    persons = [(value if isinstance(value, str) else "~", k.removeprefix(keys.MATCHED_PERSON))
               for k, value in item.items() if k.startswith(keys.MATCHED_PERSON)]
    return [person_id for _, person_id in sorted(persons, reverse=True)]
