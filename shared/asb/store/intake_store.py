"""The intake store: reference numbers, idempotency records and the opening transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.config import OUTBOX_EVENT_RETENTION_DAYS
from asb.intake import IdempotencyRecord, Receipt
from asb.models.case import OpenedCase
from asb.store import keys
from asb.store.codec import from_item, to_item

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


class DynamoDBIntakeStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def find_idempotency_record(self, key_hash: str, now: datetime) -> IdempotencyRecord | None:
        answer = self._client.get_item(
            TableName=self._table, Key=to_item(keys.idempotency_key(key_hash)), ConsistentRead=True
        )
        item = answer.get("Item")
        return _record(item, now) if item else None

    def next_case_sequence(self, year: int) -> int:
        answer = self._client.update_item(
            TableName=self._table,
            Key=to_item(keys.reference_counter_key(year)),
            UpdateExpression="ADD #seq :one SET #entity = :entity",
            ExpressionAttributeNames={"#seq": "sequence", "#entity": keys.ENTITY},
            ExpressionAttributeValues=to_item({":one": 1, ":entity": "ReferenceCounter"}),
            ReturnValues="UPDATED_NEW",
        )
        return int(from_item(answer["Attributes"])["sequence"])

    def save_opened_case(
        self, opened: OpenedCase, idempotency: IdempotencyRecord | None, now: datetime
    ) -> IdempotencyRecord | None:
        actions = _opening_actions(self._table, opened)
        if idempotency:
            actions.append(_idempotency_put(self._table, idempotency, now))
        try:
            self._client.transact_write_items(
                TransactItems=actions, ClientRequestToken=opened.case.reference
            )
        except ClientError as error:
            held = _held_record(error, now) if idempotency else None
            if held is None:
                raise
            return held
        return None


def _new(table: str, item: dict[str, Any]) -> TransactWriteItemTypeDef:
    return {
        "Put": {
            "TableName": table,
            "Item": to_item(item),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def _opening_actions(table: str, opened: OpenedCase) -> list[TransactWriteItemTypeDef]:
    case, report, audit, event = opened.case, opened.report, opened.audit, opened.event
    ref = case.reference
    outbox_expiry = event.occurred_at + timedelta(days=OUTBOX_EVENT_RETENTION_DAYS)
    return [
        _new(table, {**keys.case_key(ref), keys.ENTITY: "Case", **case.model_dump(mode="json")}),
        _new(
            table,
            {
                **keys.report_key(ref, report.received_at, report.report_id),
                keys.ENTITY: "Report",
                **report.model_dump(mode="json", exclude_none=True),
            },
        ),
        _new(
            table,
            {
                **keys.audit_key(ref, audit.at, audit.entry_id),
                keys.ENTITY: "AuditEntry",
                **audit.model_dump(mode="json", exclude_none=True),
            },
        ),
        _new(
            table,
            {
                **keys.event_key(ref, event.occurred_at, event.event_id),
                keys.ENTITY: "Event",
                keys.TTL: int(outbox_expiry.timestamp()),
                **event.model_dump(mode="json"),
            },
        ),
    ]


def _idempotency_put(
    table: str, record: IdempotencyRecord, now: datetime
) -> TransactWriteItemTypeDef:
    receipt = record.receipt
    item = {
        **keys.idempotency_key(record.key_hash),
        keys.ENTITY: "IdempotencyRecord",
        keys.TTL: int(record.expires_at.timestamp()),
        "fingerprint": record.fingerprint,
        "reference": receipt.reference,
        "report_id": receipt.report_id,
        "received_at": receipt.received_at.isoformat(),
        "anonymous": receipt.anonymous,
    }
    return {
        "Put": {
            "TableName": table,
            "Item": to_item(item),
            # A record past its expiry may linger until DynamoDB's TTL removes it.
            "ConditionExpression": "attribute_not_exists(pk) OR #ttl < :now",
            "ExpressionAttributeNames": {"#ttl": keys.TTL},
            "ExpressionAttributeValues": to_item({":now": int(now.timestamp())}),
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
    }


def _record(item: dict[str, Any], now: datetime) -> IdempotencyRecord | None:
    values = from_item(item)
    expires_at = datetime.fromtimestamp(values[keys.TTL], tz=now.tzinfo)
    if expires_at <= now:
        return None
    receipt = Receipt(
        reference=values["reference"],
        report_id=values["report_id"],
        received_at=datetime.fromisoformat(values["received_at"]),
        anonymous=values["anonymous"],
    )
    key_hash = values[keys.PK].removeprefix("IDEMPOTENCY#")
    return IdempotencyRecord(key_hash, values["fingerprint"], receipt, expires_at)


def _held_record(error: ClientError, now: datetime) -> IdempotencyRecord | None:
    """The record a concurrent request with the same key wrote, if that is why we lost."""
    if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return None
    reasons: list[Any] = list(error.response.get("CancellationReasons", []))
    last = reasons[-1] if reasons else {}
    if last.get("Code") == "ConditionalCheckFailed" and last.get("Item"):
        return _record(last["Item"], now)
    return None
