"""Anonymising a case past retention: the store reads the case's partition, asks the domain for
the erase plan (asb.retention.erase_plan) and carries it out - every item of the partition in
place, then the case itself with its audit entry in one transaction. Idempotent: each step
writes the same erased values; the last takes the case off the RETENTION index."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.case.retention import (
    ERASABLE_PARTS,
    RETENTION,
    ErasePlan,
    Erasure,
    StoredCase,
    StoredRecord,
    StoredReport,
    erase_plan,
)
from asb.data_protection.persons_erasure import erase_party_persons
from asb.dynamo import keys
from asb.dynamo.case_items import case_from_item
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.paging import query_pages
from asb.dynamo.party_items import PARTY, party_from_item
from asb.dynamo.report_items import report_from_item
from asb.dynamo.sealing import Sealer
from asb.dynamo.transactions import cancelled, put_audit

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoDBRetentionStore:
    def __init__(self, client: DynamoDBClient, table_name: str, sealer: Sealer,
                 delete_file: Callable[[str], None] | None = None,
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._client = client
        self._table = table_name
        self._sealer = sealer
        self._delete_file = delete_file  # a reporter's files (the evidence bucket)
        self._new_id = new_id

    def due(self, as_of: datetime) -> list[str]:
        references = []
        for page in query_pages(
            self._client, TableName=self._table, IndexName=keys.DUE_WORK,
            KeyConditionExpression="due_kind = :k AND due_at <= :as_of",
            ExpressionAttributeValues=to_item({":k": RETENTION, ":as_of": as_of.isoformat()}),
        ):
            references += [from_item(i)["case_reference"] for i in page["Items"]]
        return references

    def anonymise(self, reference: str, as_of: datetime) -> bool:
        items = self._partition(reference)
        head = next((i for i in items if i[keys.SK] == "CASE"), None)
        if head is None or head.get("due_kind") != RETENTION:
            return False  # already done, or put on hold since it was read
        plan = erase_plan(self._stored(head, items), as_of, self._new_id())
        self._carry_out(plan)
        return self._finish(plan)

    def _partition(self, reference: str) -> list[dict[str, Any]]:
        """The case's partition but its audit trail, which keeps no personal data's values and
        which the erase plan does not touch (it adds one entry)."""
        items: list[dict[str, Any]] = []
        for page in query_pages(
            self._client, TableName=self._table, KeyConditionExpression=keys.CASE_WITHOUT_AUDIT,
            ConsistentRead=True,
            ExpressionAttributeValues=to_item(keys.case_without_audit(reference)),
        ):
            items += [from_item(i) for i in page["Items"]]
        return items

    def _stored(self, head: dict[str, Any], items: list[dict[str, Any]]) -> StoredCase:
        """The partition as the domain reads it: reports opened (their hate strands are counted,
        kept), every other item by its kind and what it holds."""
        reports = [StoredReport(str(i[keys.SK]), report_from_item(i, self._sealer))
                   for i in items if i.get(keys.ENTITY) == "Report"]
        records = [StoredRecord(str(i[keys.SK]), str(i.get(keys.ENTITY) or ""),
                                frozenset(k for k, v in i.items() if v),
                                str(i["object_key"]) if i.get("object_key") else None,
                                {part: i[part] for part in ERASABLE_PARTS.get(
                                    str(i.get(keys.ENTITY)), {}) if i.get(part)})
                   for i in items if i[keys.SK] != "CASE" and i.get(keys.ENTITY) != "Report"]
        parties = tuple(party_from_item(i) for i in items if i.get(keys.ENTITY) == PARTY)
        return StoredCase(case_from_item(head), tuple(reports), tuple(records), parties)

    def _carry_out(self, plan: ErasePlan) -> None:
        """Every step but the last, in the plan's order."""
        for person in plan.person_lookups:
            self._client.delete_item(TableName=self._table, Key=to_item(keys.person_key(
                person.key, person.case_reference, person.report_id, person.role)))
        for uprn in plan.homes:  # the home's lookup, then the case's item that finds it
            self._client.delete_item(TableName=self._table,
                                     Key=to_item(keys.home_case_key(uprn, plan.case_reference)))
            self._client.delete_item(TableName=self._table,
                                     Key=to_item(keys.case_home_key(plan.case_reference, uprn)))
        for object_key in plan.files:
            if self._delete_file:
                self._delete_file(object_key)
        erase_party_persons(self._client, self._table, plan.case_reference, plan.party_persons)
        for item in plan.items:
            key = {keys.PK: keys.case_pk(plan.case_reference), keys.SK: item.sort_key}
            self._client.update_item(TableName=self._table, **_update(key, item))
        for reference in plan.report_links:
            # A report from before reports had their own reference may have no item to change.
            with contextlib.suppress(self._client.exceptions.ConditionalCheckFailedException):
                self._client.update_item(
                    TableName=self._table, Key=to_item(keys.report_reference_key(reference)),
                    UpdateExpression="REMOVE links", ConditionExpression="attribute_exists(pk)")
        for matter in plan.matter_keys:
            # A matter key is a normalised address: it goes, unless a newer case now holds it.
            with contextlib.suppress(self._client.exceptions.ConditionalCheckFailedException):
                self._client.delete_item(
                    TableName=self._table, Key=to_item(keys.matter_key(matter)),
                    ConditionExpression="case_reference = :ref",
                    ExpressionAttributeValues=to_item({":ref": plan.case_reference}))

    def _finish(self, plan: ErasePlan) -> bool:
        """The case and its audit entry, in one transaction, on condition that the case is still
        due (not put under a legal hold, nor anonymised, since it was read)."""
        update = _update(keys.case_key(plan.case_reference), plan.case)
        update["ConditionExpression"] = "#due = :retention"
        update["ExpressionAttributeNames"]["#due"] = "due_kind"
        update.setdefault("ExpressionAttributeValues", {}).update(
            to_item({":retention": RETENTION}))
        case_update: Any = {"TableName": self._table, **update}
        try:
            self._client.transact_write_items(TransactItems=[
                {"Update": case_update}, put_audit(self._table, plan.audit)])
        except ClientError as error:
            if cancelled(error) is not None:
                return False
            raise
        return True


def _update(key: dict[str, str], erasure: Erasure) -> dict[str, Any]:
    """An UpdateItem's key and expression for one erasure (every name a placeholder)."""
    names = {f"#s{n}": name for n, name in enumerate(erasure.overwrite)}
    names.update({f"#r{n}": name for n, name in enumerate(erasure.remove)})
    clauses = []
    if erasure.overwrite:
        clauses.append("SET " + ", ".join(f"#s{n} = :s{n}" for n in range(len(erasure.overwrite))))
    if erasure.remove:
        clauses.append("REMOVE " + ", ".join(f"#r{n}" for n in range(len(erasure.remove))))
    update: dict[str, Any] = {"Key": to_item(key), "UpdateExpression": " ".join(clauses),
                              "ExpressionAttributeNames": names}
    if erasure.overwrite:  # DynamoDB refuses an empty map of values
        update["ExpressionAttributeValues"] = to_item(
            {f":s{n}": value for n, value in enumerate(erasure.overwrite.values())})
    return update
