"""Anonymising a case past retention: every item of its partition, then the case itself with
its audit entry. Idempotent: each step writes the same erased values; the last takes the case
off the RETENTION index."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError
from pydantic import ValidationError

from asb.models.case import AuditEntry
from asb.models.report import STORED, ReportSubmission
from asb.people import people_of
from asb.retention import ERASABLE_FIELDS, ERASED, RETENTION, anonymised_submission
from asb.sealing import Sealer, unseal_report
from asb.store import keys
from asb.store.codec import from_item, to_item

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoDBRetentionStore:
    def __init__(self, client: DynamoDBClient, table_name: str, sealer: Sealer,
                 delete_file: Callable[[str], None] | None = None) -> None:
        self._client = client
        self._table = table_name
        self._sealer = sealer
        self._delete_file = delete_file  # a reporter's files (the evidence bucket)

    def due(self, as_of: datetime) -> list[str]:
        references = []
        for page in self._client.get_paginator("query").paginate(
            TableName=self._table, IndexName=keys.DUE_WORK,
            KeyConditionExpression="due_kind = :k AND due_at <= :as_of",
            ExpressionAttributeValues=to_item({":k": RETENTION, ":as_of": as_of.isoformat()}),
        ):
            references += [from_item(i)["case_reference"] for i in page["Items"]]
        return references

    def anonymise(self, reference: str, as_of: datetime) -> bool:
        items = self._partition(reference)
        case = next((i for i in items if i[keys.SK] == "CASE"), None)
        if case is None or case.get("due_kind") != RETENTION:
            return False  # already done, or put on hold since it was read
        for item in items:
            self._erase(item)
        for matter in case.get("matter_keys", []):
            # A matter key is a normalised address: it goes, unless a newer case now holds it.
            with contextlib.suppress(self._client.exceptions.ConditionalCheckFailedException):
                self._client.delete_item(
                    TableName=self._table, Key=to_item(keys.matter_key(matter)),
                    ConditionExpression="case_reference = :ref",
                    ExpressionAttributeValues=to_item({":ref": reference}))
        return self._finish(case, as_of)

    def _partition(self, reference: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for page in self._client.get_paginator("query").paginate(
            TableName=self._table, KeyConditionExpression="pk = :pk", ConsistentRead=True,
            ExpressionAttributeValues=to_item({":pk": keys.case_pk(reference)}),
        ):
            items += [from_item(i) for i in page["Items"]]
        return items

    def _erase(self, item: dict[str, Any]) -> None:
        entity = item.get(keys.ENTITY)
        key = to_item({keys.PK: item[keys.PK], keys.SK: item[keys.SK]})
        if entity == "Report":
            item = unseal_report(item, self._sealer)  # the hate strands are counted, kept
            self._forget_people(item)
            self._client.update_item(
                TableName=self._table, Key=key,
                UpdateExpression="SET submission = :s REMOVE reporter_key, location_key, tracking_hash",
                ExpressionAttributeValues=to_item(
                    {":s": anonymised_submission(item.get("submission", {}))}))
            self._stop_links(str(item.get("reference") or item["case_reference"]))
        elif entity == "Evidence":
            if item.get("object_key") and self._delete_file:
                self._delete_file(str(item["object_key"]))
            self._client.update_item(TableName=self._table, Key=key,
                                     UpdateExpression="REMOVE object_key")
        elif entity in ERASABLE_FIELDS:
            present = [f for f in ERASABLE_FIELDS[entity] if item.get(f)]
            if present:
                self._client.update_item(
                    TableName=self._table, Key=key,
                    UpdateExpression="SET " + ", ".join(f"#f{n} = :erased"
                                                        for n in range(len(present))),
                    ExpressionAttributeNames={f"#f{n}": f for n, f in enumerate(present)},
                    ExpressionAttributeValues=to_item({":erased": ERASED}))

    def _stop_links(self, reference: str) -> None:
        """The hashes the tracking link is checked against go with the report's (a report from
        before reports had their own reference may have no item to change)."""
        with contextlib.suppress(self._client.exceptions.ConditionalCheckFailedException):
            self._client.update_item(
                TableName=self._table, Key=to_item(keys.report_reference_key(reference)),
                UpdateExpression="REMOVE links", ConditionExpression="attribute_exists(pk)")

    def _forget_people(self, report: dict[str, Any]) -> None:
        """The subject access lookups of a report go with its personal data."""
        submission = report.get("submission") or {}
        if submission.get("incident", {}).get("description") == ERASED:
            return  # already anonymised
        try:
            people = people_of(ReportSubmission.model_validate(submission, context=STORED))
        except ValidationError:
            return
        for person in people:
            self._client.delete_item(TableName=self._table, Key=to_item(keys.person_key(
                person.key, report["case_reference"], report["report_id"], person.role)))

    def _finish(self, case: dict[str, Any], as_of: datetime) -> bool:
        reference = case["reference"]
        district = (case.get("postcode") or "").split(" ")[0] or None
        audit = AuditEntry(entry_id=str(uuid.uuid4()), case_reference=reference, at=as_of,
                           actor="system:retention", action="CaseAnonymised",
                           after={"retain_until": case.get("retain_until"),
                                  "kept": "behaviours, category, dates, outcome, hate flag"})
        values: dict[str, Any] = {":erased": ERASED, ":at": as_of.isoformat(),
                                  ":retention": RETENTION, ":none": []}
        names = {"#due": "due_kind"}
        district_set = ""
        if district:
            values[":district"] = district
            district_set = ", postcode = :district"
        try:
            self._client.transact_write_items(TransactItems=[
                {"Update": {
                    "TableName": self._table, "Key": to_item(keys.case_key(reference)),
                    "UpdateExpression": "SET location_address = :erased, closure_reasons = "
                                        ":erased, anonymised_at = :at, matter_keys = :none"
                                        f"{district_set} REMOVE #due, due_at, kind",
                    "ConditionExpression": "#due = :retention",
                    "ExpressionAttributeNames": names,
                    "ExpressionAttributeValues": to_item(values),
                }},
                {"Put": {"TableName": self._table, "Item": to_item({
                    **keys.audit_key(reference, audit.at, audit.entry_id),
                    keys.ENTITY: "AuditEntry", **audit.model_dump(mode="json", exclude_none=True)}),
                    "ConditionExpression": "attribute_not_exists(pk)"}},
            ])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "TransactionCanceledException":
                return False
            raise
        return True
