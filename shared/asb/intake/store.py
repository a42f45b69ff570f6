"""The intake store: look-ups, reference numbers, and the opening and joining transactions.
Each writes, with the report, the item that resolves the report's own reference to its case."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from asb.case.models import JoinedReport, OpenedCase
from asb.case.report_parties import (
    ReportParties,
    perpetrator_tenancy,
    report_parties,
    wanted_match_keys,
)
from asb.dynamo import keys
from asb.dynamo.case_writer import CaseWriter
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.party_items import matched_persons
from asb.dynamo.sealing import Sealer
from asb.intake.service import IdempotencyRecord, Lookup, Matter, Receipt

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


class DynamoDBIntakeStore:
    def __init__(self, client: DynamoDBClient, table_name: str, sealer: Sealer) -> None:
        self._client = client
        self._table = table_name
        self._sealer = sealer
        self._writer = CaseWriter(client, table_name, sealer)

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
        return self._file(opened, idempotency, now)

    def save_joined_report(
        self, joined: JoinedReport, idempotency: IdempotencyRecord | None, now: datetime
    ) -> IdempotencyRecord | None:
        return self._file(joined, idempotency, now)

    def _file(self, filed: OpenedCase | JoinedReport, idempotency: IdempotencyRecord | None,
              now: datetime) -> IdempotencyRecord | None:
        """Through the one writer, the key's record last: if that key filed a report before,
        the record it holds."""
        guard = _idempotency_put(self._table, idempotency, now) if idempotency else None
        held = self._writer.file_report(filed, now, guard, self._parties(filed, now))
        return _record(from_item(held), now) if held else None

    def _parties(self, filed: OpenedCase | JoinedReport, now: datetime) -> ReportParties:
        """The report's parties, with the matches intake proposes: the persons already known
        under its reporter's email and phone and its alleged perpetrator's tenancy (one
        BatchGetItem of their match keys)."""
        report = filed.report
        tenancy = perpetrator_tenancy(report)
        wanted = wanted_match_keys(report.submission, tenancy)
        found = {str(i[keys.PK]).removeprefix("MATCHKEY#"): matched_persons(i)
                 for i in (self._batch_get([keys.match_key(k) for k in wanted]) if wanted else [])}
        return report_parties(report.submission, report.case_reference, report.report_id,
                              isinstance(filed, OpenedCase), tenancy, found,
                              f"reporter:{report.channel}", now, _ids_for(report.report_id))


def _ids_for(report_id: str) -> Callable[[], str]:
    """The ids of a report's persons and parties, derived from its id: the same report writes
    the same items, whichever attempt commits it."""
    numbers = itertools.count(1)
    return lambda: str(uuid.uuid5(uuid.NAMESPACE_URL, f"asb:report:{report_id}:{next(numbers)}"))


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
