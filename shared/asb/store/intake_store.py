"""The intake store: look-ups, reference numbers, and the opening and joining transactions.
Each writes, with the report, the item that resolves the report's own reference to its case."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.case.models import AuditEntry, DomainEvent, JoinedReport, OpenedCase, Report
from asb.config import OUTBOX_EVENT_RETENTION_DAYS
from asb.intake import MATTER_CHANGED, IdempotencyRecord, Lookup, Matter, Receipt
from asb.kernel.errors import VersionConflict
from asb.people import PersonKey, people_of
from asb.reporting_year import year_of
from asb.sealing import Sealer
from asb.store import keys
from asb.store.case_items import case_item
from asb.store.codec import from_item, to_item
from asb.store.report_items import report_item
from asb.targets import local_day

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


class DynamoDBIntakeStore:
    def __init__(self, client: DynamoDBClient, table_name: str, sealer: Sealer) -> None:
        self._client = client
        self._table = table_name
        self._sealer = sealer

    def look_up(self, key_hash: str | None, matter_keys: list[str], now: datetime) -> Lookup:
        """The idempotency record and every matter, in one BatchGetItem (none when there is
        nothing to look up: a report without postcodes has no matter keys)."""
        wanted = [keys.matter_key(k) for k in matter_keys]
        if key_hash:
            wanted.append(keys.idempotency_key(key_hash))
        found = self._batch_get(wanted) if wanted else []
        record = None
        matters: dict[str, Matter] = {}
        for item in found:
            if item[keys.PK].startswith("IDEMPOTENCY#"):
                record = _record(item, now)
            else:
                matters[item[keys.PK].removeprefix("MATTER#")] = Matter(
                    item["case_reference"], item["status"] == "open"
                )
        return Lookup(record, matters)

    def _batch_get(self, wanted: list[dict[str, str]]) -> list[dict[str, Any]]:
        request: Any = {self._table: {"Keys": [to_item(k) for k in wanted], "ConsistentRead": True}}
        found: list[dict[str, Any]] = []
        while request:
            answer = self._client.batch_get_item(RequestItems=request)
            found += [from_item(i) for i in answer["Responses"].get(self._table, [])]
            request = answer.get("UnprocessedKeys") or None
        return found

    def next_reference_sequence(self, year: int) -> int:
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
        case = opened.case
        actions = [
            _new(self._table, case_item(case)),
            *_report_actions(self._table, opened.report, opened.audit, opened.event, self._sealer),
            *[_claim_matter(self._table, key, case.reference, now) for key in case.matter_keys],
        ]
        return self._commit(actions, idempotency, now, token=case.reference)

    def save_joined_report(
        self, joined: JoinedReport, idempotency: IdempotencyRecord | None, now: datetime
    ) -> IdempotencyRecord | None:
        still_open: TransactWriteItemTypeDef = {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": to_item(keys.matter_key(joined.matter_key)),
                "ConditionExpression": "case_reference = :ref AND #status = :open",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": to_item(
                    {":ref": joined.case_reference, ":open": "open"}
                ),
            }
        }
        actions = [still_open,
                   *_report_actions(self._table, joined.report, joined.audit, joined.event,
                                    self._sealer)]
        return self._commit(actions, idempotency, now, token=joined.report.report_id[:36])

    def _commit(self, actions: list[TransactWriteItemTypeDef],
                idempotency: IdempotencyRecord | None, now: datetime,
                token: str) -> IdempotencyRecord | None:
        if idempotency:
            actions.append(_idempotency_put(self._table, idempotency, now))
        try:
            self._client.transact_write_items(TransactItems=actions, ClientRequestToken=token)
        except ClientError as error:
            reasons = _cancellation_reasons(error)
            if not reasons:
                raise
            if idempotency and _failed(reasons[-1]) and reasons[-1].get("Item"):
                return _record(from_item(reasons[-1]["Item"]), now)
            if any(_failed(r) for r in reasons):
                raise VersionConflict(MATTER_CHANGED) from None
            raise
        return None


def _failed(reason: dict[str, Any]) -> bool:
    return reason.get("Code") == "ConditionalCheckFailed"


def _cancellation_reasons(error: ClientError) -> list[dict[str, Any]]:
    if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return []
    reasons: Any = error.response.get("CancellationReasons", [])
    return list(reasons)


def _new(table: str, item: dict[str, Any]) -> TransactWriteItemTypeDef:
    return {
        "Put": {
            "TableName": table,
            "Item": to_item(item),
            "ConditionExpression": "attribute_not_exists(pk)",
        }
    }


def report_reference_item(public_reference: str, case_reference: str, report_id: str,
                          tracking_hash: str | None) -> dict[str, Any]:
    """What a reporter's reference names - for every report, the first report's too (whose
    reference is the case's own): the case and report, and the link's hash, since a link is
    checked with this item alone (asb.tracking)."""
    return {**keys.report_reference_key(public_reference), keys.ENTITY: "ReportReference",
            "case_reference": case_reference, "report_id": report_id,
            "links": {report_id: tracking_hash} if tracking_hash else {}}


def _report_actions(table: str, report: Report, audit: AuditEntry, event: DomainEvent,
                    sealer: Sealer) -> list[TransactWriteItemTypeDef]:
    ref = report.case_reference
    outbox_expiry = event.occurred_at + timedelta(days=OUTBOX_EVENT_RETENTION_DAYS)
    # Equality monitoring never stays with the report: it goes apart, with no link back.
    monitoring = report.submission.monitoring
    return [
        _new(table, report_item(report, sealer)),
        _new(table, report_reference_item(report.public_reference, ref, report.report_id,
                                          report.tracking_hash)),
        *([_monitoring(table, monitoring.model_dump(mode="json", exclude_none=True), report)]
          if monitoring else []),
        _new(table, {**keys.audit_key(ref, audit.at, audit.entry_id), keys.ENTITY: "AuditEntry",
                     **audit.model_dump(mode="json", exclude_none=True)}),
        _new(table, {**keys.event_key(ref, event.occurred_at, event.event_id),
                     keys.ENTITY: "Event", keys.TTL: int(outbox_expiry.timestamp()),
                     **event.model_dump(mode="json")}),
        # Lookups for subject access, in the same transaction: no call more per report.
        *[_person_lookup(table, person, report) for person in people_of(report.submission)],
    ]


def _monitoring(table: str, answers: dict[str, Any], report: Report) -> TransactWriteItemTypeDef:
    """One anonymous row per answered form: the month and the answers, nothing else."""
    day = local_day(report.received_at)
    return {"Put": {"TableName": table, "Item": to_item({
        **keys.monitoring_key(year_of(day), str(uuid.uuid4())), keys.ENTITY: "Monitoring",
        "month": f"{day:%Y-%m}", **answers})}}


def _person_lookup(table: str, person: PersonKey, report: Report) -> TransactWriteItemTypeDef:
    ref = report.case_reference
    return {"Put": {"TableName": table, "Item": to_item({
        **keys.person_key(person.key, ref, report.report_id, person.role),
        keys.ENTITY: "PersonIndex", "case_reference": ref, "report_id": report.report_id,
        "role": person.role})}}


def _claim_matter(table: str, key: str, reference: str, now: datetime) -> TransactWriteItemTypeDef:
    """The matter now points at this case, unless another open case holds it."""
    return {
        "Put": {
            "TableName": table,
            "Item": to_item({**keys.matter_key(key), keys.ENTITY: "Matter",
                             "case_reference": reference, "status": "open",
                             "updated_at": now.isoformat()}),
            "ConditionExpression": "attribute_not_exists(pk) OR #status = :closed",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_item({":closed": "closed"}),
        }
    }


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
        "joined": receipt.joined,
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


def _record(values: dict[str, Any], now: datetime) -> IdempotencyRecord | None:
    expires_at = datetime.fromtimestamp(values[keys.TTL], tz=now.tzinfo)
    if expires_at <= now:
        return None
    receipt = Receipt(
        reference=values["reference"],
        report_id=values["report_id"],
        received_at=datetime.fromisoformat(values["received_at"]),
        anonymous=values["anonymous"],
        joined=bool(values.get("joined", False)),
    )
    key_hash = values[keys.PK].removeprefix("IDEMPOTENCY#")
    return IdempotencyRecord(key_hash, values["fingerprint"], receipt, expires_at)
