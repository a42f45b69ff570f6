"""The items every transaction about a case shares, built in one place: a new item (on condition
that it is new), the outbox event, the audit entry; and what a cancelled transaction says -
which of its items failed their condition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.case.models import AuditEntry, DomainEvent
from asb.dynamo import keys
from asb.dynamo.codec import to_item
from asb.policy.config import OUTBOX_EVENT_RETENTION_DAYS

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

CONDITION_FAILED = "ConditionalCheckFailed"
NEW_ITEM = "attribute_not_exists(pk)"


def put_new(table: str, item: dict[str, Any]) -> TransactWriteItemTypeDef:
    """A Put that fails if the item is already there."""
    return {"Put": {"TableName": table, "Item": to_item(item), "ConditionExpression": NEW_ITEM}}


def outbox_event_item(event: DomainEvent) -> dict[str, Any]:
    """The event in its case's partition, which the stream publisher sends on; DynamoDB's TTL
    removes it once it is past being replayed."""
    expiry = event.occurred_at + timedelta(days=OUTBOX_EVENT_RETENTION_DAYS)
    return {**keys.event_key(event.case_reference, event.occurred_at, event.event_id),
            keys.ENTITY: "Event", keys.TTL: int(expiry.timestamp()),
            **event.model_dump(mode="json")}


def put_event(table: str, event: DomainEvent) -> TransactWriteItemTypeDef:
    """An outbox event, written once: an event id already there fails the transaction."""
    return put_new(table, outbox_event_item(event))


def audit_item(entry: AuditEntry, pk: str | None = None) -> dict[str, Any]:
    """An audit entry, in its case's partition unless another is named (`pk`: a partner's, a
    year's figures'; their entries have always been keyed by the time as isoformat gives it)."""
    key = (keys.audit_key(entry.case_reference, entry.at, entry.entry_id) if pk is None
           else {keys.PK: pk, keys.SK: f"AUDIT#{entry.at.isoformat()}#{entry.entry_id}"})
    return {**key, keys.ENTITY: "AuditEntry", **entry.model_dump(mode="json", exclude_none=True)}


def put_audit(table: str, entry: AuditEntry) -> TransactWriteItemTypeDef:
    return put_new(table, audit_item(entry))


def put_person_lookup(table: str, key: str, case_reference: str, report_id: str,
                      role: str) -> TransactWriteItemTypeDef:
    """One identifier of one person named by a report, for subject access (PERSON#<key>)."""
    return {"Put": {"TableName": table, "Item": to_item({
        **keys.person_key(key, case_reference, report_id, role), keys.ENTITY: "PersonIndex",
        "case_reference": case_reference, "report_id": report_id, "role": role})}}


@dataclass(frozen=True)
class Cancelled:
    """Why DynamoDB cancelled a transaction: one code per item, in the order written
    ("None" for an item that was not the cause)."""

    codes: tuple[str, ...]
    items: tuple[dict[str, Any] | None, ...]  # the old item, where asked for (ALL_OLD)

    def failed(self, index: int) -> bool:
        """Whether the item at `index` (negative counts from the end) failed its condition."""
        return -len(self.codes) <= index < len(self.codes) and self.codes[index] == CONDITION_FAILED

    @property
    def conditions_failed(self) -> tuple[int, ...]:
        return tuple(i for i, code in enumerate(self.codes) if code == CONDITION_FAILED)

    @property
    def only_conditions(self) -> bool:
        """Cancelled because conditions failed and for no other reason (a conflicting
        transaction or throttling cancels a transaction too)."""
        return {c for c in self.codes if c not in ("None", "")} == {CONDITION_FAILED}


def cancelled(error: ClientError) -> Cancelled | None:
    """The cancellation a TransactWriteItems error is, or None for any other error."""
    if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return None
    reasons: Any = error.response.get("CancellationReasons", [])
    return Cancelled(tuple(str(r.get("Code") or "") for r in reasons),
                     tuple(r.get("Item") for r in reasons))
