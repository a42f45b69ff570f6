"""The partner registry and the partner side of disclosures: partners in one partition, steps
of a disclosure written conditionally in one transaction, and the disclosure log by year."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.case.change import CaseChange, Record
from asb.case.models import AuditEntry, Case
from asb.case.records import Measure, Meeting
from asb.dynamo import keys
from asb.dynamo.case_items import case_from_item
from asb.dynamo.case_writer import CaseWriter
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.due_work import waiting
from asb.dynamo.paging import query_pages
from asb.dynamo.record_items import record_from_item
from asb.dynamo.transactions import audit_item, cancelled, put_event, put_new
from asb.kernel.errors import VersionConflict
from asb.partners.messages import PartnerStep

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import PutTypeDef, TransactWriteItemTypeDef


PARTNER_CHANGED = ("The partner's entry changed since you read it, or already exists. "
                   "Read it again.")


class DynamoDBPartnerStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    # ------------------------------------------------------------------ the registry
    def partners(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for page in query_pages(
            self._client, TableName=self._table, KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues=to_item({":pk": "PARTNER"}),
        ):
            found += [_public(from_item(i)) for i in page["Items"]]
        return found

    def partner(self, partner_id: str) -> dict[str, Any] | None:
        answer = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                       Key=to_item(keys.partner_key(partner_id)))
        return _public(from_item(answer["Item"])) if "Item" in answer else None

    def save_partner(self, partner: dict[str, Any], expected_version: int | None,
                     audit: AuditEntry) -> None:
        condition = ("attribute_not_exists(pk)" if expected_version is None
                     else "version = :expected")
        put: TransactWriteItemTypeDef = {"Put": {
            "TableName": self._table, "ConditionExpression": condition,
            "Item": to_item({**keys.partner_key(partner["partner_id"]),
                             keys.ENTITY: "Partner", **partner})}}
        if expected_version is not None:
            put["Put"]["ExpressionAttributeValues"] = to_item({":expected": expected_version})
        entry = audit_item(audit, pk=f"PARTNER#{partner['partner_id']}")
        try:
            self._client.transact_write_items(TransactItems=[put, {"Put": {
                "TableName": self._table, "Item": to_item(entry)}}])
        except ClientError as error:
            if cancelled(error) is not None:
                raise VersionConflict(PARTNER_CHANGED) from None
            raise

    # ------------------------------------------------------------------ disclosures
    def disclosure(self, reference: str, disclosure_id: str) -> dict[str, Any] | None:
        answer = self._client.get_item(
            TableName=self._table, ConsistentRead=True,
            Key=to_item(keys.record_id_key(reference, "Disclosure", disclosure_id)))
        return from_item(answer["Item"]) if "Item" in answer else None

    def power_request(self, reference: str, disclosure_id: str) -> tuple[
            Case, dict[str, Any] | None, Measure | None] | None:
        """What a partner's outcome changes: the case, the request and its measure, each one
        consistent GetItem (None: no such case)."""
        case = self._get(keys.case_key(reference))
        if case is None:
            return None
        disclosure = self.disclosure(reference, disclosure_id)
        measure_id = disclosure.get("measure_id") if disclosure else None
        measure = self._get(keys.record_id_key(reference, "Measure", str(measure_id))) \
            if measure_id else None
        return (case_from_item(case), disclosure,
                record_from_item(Measure, measure) if measure else None)

    def deadline(self, reference: str, record_id: str) -> dict[str, Any] | None:
        """A Deadline item (a meeting action's), as stored: one consistent GetItem."""
        return self._get(keys.record_id_key(reference, "Deadline", record_id))

    def meeting(self, reference: str, meeting_id: str) -> tuple[Case, Meeting | None] | None:
        """The case and one of its meetings, each one consistent GetItem (None: no case)."""
        case = self._get(keys.case_key(reference))
        if case is None:
            return None
        meeting = self._get(keys.record_id_key(reference, "Meeting", meeting_id))
        return case_from_item(case), record_from_item(Meeting, meeting) if meeting else None

    def _get(self, key: dict[str, str]) -> dict[str, Any] | None:
        answer = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                       Key=to_item(key))
        return from_item(answer["Item"]) if "Item" in answer else None

    def commit(self, change: CaseChange) -> None:
        """A change at the case's version, as every case write is: VersionConflict if the case
        moved on since it was read."""
        CaseWriter(self._client, self._table, _WritesNoReport()).commit(change,
                                                                       read_current=False)

    def case_summary(self, reference: str) -> dict[str, Any] | None:
        answer = self._client.get_item(
            TableName=self._table, Key=to_item(keys.case_key(reference)),
            ProjectionExpression="#r, officer, team, anonymised_at",
            ExpressionAttributeNames={"#r": "reference"})
        return from_item(answer["Item"]) if "Item" in answer else None

    def apply(self, step: PartnerStep) -> bool:
        """False when the disclosure had already moved on: the step was done before."""
        first, *rest = step.records
        condition = ("attribute_not_exists(pk)" if step.expected_status is None
                     else "#status = :expected")
        guarded: PutTypeDef = {"TableName": self._table, "ConditionExpression": condition,
                                   "Item": to_item(self._item(step.case_reference, first))}
        if step.expected_status is not None:
            guarded["ExpressionAttributeNames"] = {"#status": "status"}
            guarded["ExpressionAttributeValues"] = to_item({":expected": step.expected_status})
        actions: list[TransactWriteItemTypeDef] = [{"Put": guarded}]
        actions += [put_new(self._table, self._item(step.case_reference, r)) for r in rest]
        actions += [put_event(self._table, event) for event in step.events]
        try:
            self._client.transact_write_items(TransactItems=actions)
        except ClientError as error:
            if _already_done(error):
                return False
            raise  # a conflict or throttle: the step is retried, never taken as done
        return True

    @staticmethod
    def _item(reference: str, record: Record) -> dict[str, Any]:
        data = {k: v for k, v in record.data.items() if k not in (keys.PK, keys.SK)}
        item = {**data, **keys.record_key(reference, record.entity, record.at, record.record_id),
                keys.ENTITY: record.entity, "record_id": record.record_id,
                "at": record.at.isoformat(), "case_reference": reference}
        if "reporting_year" in data:
            item["year_list"] = keys.year_list(record.entity, int(data["reporting_year"]))
        return item

    def log_for_year(self, year: int) -> list[dict[str, Any]]:
        """The disclosure log of a reporting year, oldest first, from ByReportingYear."""
        found: list[dict[str, Any]] = []
        for page in query_pages(
            self._client, TableName=self._table, IndexName=keys.BY_REPORTING_YEAR,
            KeyConditionExpression="year_list = :year",
            ExpressionAttributeValues=to_item({":year": keys.year_list("DisclosureLog", year)}),
        ):
            found += [from_item(i) for i in page["Items"]]
        return found

    def waiting_for_decision(self, kinds: list[str], now: datetime) -> list[dict[str, Any]]:
        """Requests to share that wait for a manager or the DPO."""
        return waiting(self._client, self._table, kinds)


class _WritesNoReport:
    """The sealer of a writer that never writes a report (a partner's outcome changes a
    measure and a request): nothing here is sealed or unsealed."""

    def seal(self, plain: bytes, context: dict[str, str]) -> bytes:
        raise NotImplementedError("a partner's message writes no report")

    def unseal(self, sealed: bytes, context: dict[str, str]) -> bytes:
        raise NotImplementedError("a partner's message reads no report")


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in (keys.PK, keys.SK, keys.ENTITY)}


def _already_done(error: ClientError) -> bool:
    """Cancelled because a condition failed - the step was done before - and for no other
    reason (a transaction conflict or throttling cancels it too)."""
    reasons = cancelled(error)
    return reasons is not None and reasons.only_conditions
