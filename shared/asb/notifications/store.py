"""The delivery log (one item per notification, in its case's partition) and messages that wait
for a safe time (on the sparse DueWork index, kind NOTIFICATION)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from asb.case.models import Case, Report
from asb.case.parties import Person
from asb.case.records import Measure
from asb.dynamo import keys
from asb.dynamo.case_items import case_from_item
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.paging import query_pages
from asb.dynamo.party_items import party_from_item, person_from_item
from asb.dynamo.record_items import record_from_item
from asb.dynamo.report_items import report_from_item
from asb.dynamo.sealing import Sealer
from asb.notifications.plan import Message
from asb.notifications.warnings import WarningLetterTo

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

WAITING = "NOTIFICATION"


def _key(reference: str, notification_id: str) -> dict[str, str]:
    return {keys.PK: keys.owner_pk(reference), keys.SK: f"NOTIFY#{notification_id}"}


class DynamoDBNotificationStore:
    def __init__(self, client: DynamoDBClient, table_name: str, sealer: Sealer) -> None:
        self._client = client
        self._table = table_name
        self._sealer = sealer

    def case_and_reports(self, reference: str) -> tuple[Case, list[Report]] | None:
        """Every page of the case's partition but its audit trail: a case read often has more
        than a page of audit entries, which sort before the case itself."""
        items = [from_item(i) for page in query_pages(
            self._client, TableName=self._table, KeyConditionExpression=keys.CASE_WITHOUT_AUDIT,
            ExpressionAttributeValues=to_item(keys.case_without_audit(reference)),
            ConsistentRead=True) for i in page["Items"]]
        case = next((i for i in items if i[keys.SK] == "CASE"), None)
        if case is None:
            return None
        reports = [report_from_item(i, self._sealer) for i in items
                   if i[keys.SK].startswith("REPORT#")]
        return case_from_item(case), reports

    def warning_letter(self, reference: str, measure_id: str,
                       letter_id: str) -> WarningLetterTo | None:
        """The letter on its measure, and the person of the party it is against as their
        record says now (a merged record: its survivor's). GetItems only: nothing else of
        the case, none of its reports."""
        item = self._get(keys.record_id_key(reference, "Measure", measure_id))
        if item is None:
            return None
        measure = record_from_item(Measure, item)
        letter = next((x for x in measure.letters if x.letter_id == letter_id), None)
        party = self._get(keys.party_key(reference, measure.party_id)) \
            if measure.party_id else None
        if letter is None or party is None:
            return None
        person = self._person(party_from_item(party).person_id)
        if person is not None and person.merged_into:
            person = self._person(person.merged_into)
        return WarningLetterTo(reference, measure, letter, person) if person else None

    def _person(self, person_id: str | None) -> Person | None:
        found = self._get(keys.person_record_key(person_id)) if person_id else None
        return person_from_item(found) if found else None

    def _get(self, key: dict[str, str]) -> dict[str, Any] | None:
        answer = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                       Key=to_item(key))
        return from_item(answer["Item"]) if "Item" in answer else None

    def sent(self, reference: str, notification_id: str) -> bool:
        answer = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                       Key=to_item(_key(reference, notification_id)),
                                       ProjectionExpression="#s",
                                       ExpressionAttributeNames={"#s": "status"})
        return from_item(answer.get("Item", {})).get("status") == "sent"

    def log(self, message: Message, status: str, attempts: list[dict[str, str]],
            at: datetime) -> None:
        # Who and what, never the contact details themselves: those stay on the report. A sent
        # message leaves the due-work index; a failed one that was waiting stays there.
        values = {
            ":entity": "Notification", ":id": message.notification_id,
            ":ref": message.case_reference, ":template": message.template,
            ":recipient": message.recipient.kind, ":status": status, ":attempts": attempts,
            ":at": at.isoformat(),
            ":channel": next((a["channel"] for a in attempts if a["status"] == "sent"), "none"),
            ":report": message.recipient.report_id or "",
        }
        self._client.update_item(
            TableName=self._table, Key=to_item(_key(message.case_reference,
                                                    message.notification_id)),
            UpdateExpression="SET entity = :entity, notification_id = :id, case_reference = :ref, "
            "template = :template, recipient = :recipient, #status = :status, "
            "attempts = :attempts, #at = :at, channel = :channel, report_id = :report"
            + (" REMOVE due_kind, due_at" if status == "sent" else ""),
            ExpressionAttributeNames={"#status": "status", "#at": "at"},
            ExpressionAttributeValues=to_item(values),
        )

    def hold(self, message: Message, event: Mapping[str, Any], at: datetime) -> None:
        assert message.not_before is not None
        # Already waiting, or already sent: nothing to do.
        with contextlib.suppress(self._client.exceptions.ConditionalCheckFailedException):
            self._hold(message, event, at)

    def _hold(self, message: Message, event: Mapping[str, Any], at: datetime) -> None:
        assert message.not_before is not None
        self._client.put_item(TableName=self._table, Item=to_item({
            **_key(message.case_reference, message.notification_id), keys.ENTITY: "Notification",
            "notification_id": message.notification_id, "case_reference": message.case_reference,
            "template": message.template, "recipient": message.recipient.kind,
            "report_id": message.recipient.report_id or "", "status": "waiting",
            "at": at.isoformat(), "event": json.dumps(dict(event)),
            "due_kind": WAITING, "due_at": message.not_before.astimezone(UTC).isoformat(),
        }), ConditionExpression="attribute_not_exists(pk)")

    def end_hold(self, reference: str, notification_id: str, status: str,
                 at: datetime) -> None:
        """A held message waits no more (`status` says why); its delivery log keeps its
        attempts. Only while it is still held: one sent meanwhile (a redelivered event) stays
        sent."""
        with contextlib.suppress(self._client.exceptions.ConditionalCheckFailedException):
            self._client.update_item(
                TableName=self._table, Key=to_item(_key(reference, notification_id)),
                UpdateExpression="SET #status = :status, #at = :at REMOVE due_kind, due_at",
                ConditionExpression="due_kind = :waiting",
                ExpressionAttributeNames={"#status": "status", "#at": "at"},
                ExpressionAttributeValues=to_item({":status": status, ":at": at.isoformat(),
                                                   ":waiting": WAITING}))

    def due(self, now: datetime) -> list[tuple[str, str, dict[str, Any], datetime]]:
        """Each held message whose time has come: its case, id, event and due time."""
        items: list[dict[str, Any]] = []
        for page in query_pages(
            self._client, TableName=self._table, IndexName=keys.DUE_WORK,
            KeyConditionExpression="due_kind = :k AND due_at <= :now",
            ExpressionAttributeValues=to_item({":k": WAITING, ":now": now.isoformat()}),
        ):
            items += [from_item(i) for i in page["Items"]]
        found = []
        for item in items:
            full = from_item(self._client.get_item(
                TableName=self._table, Key=to_item({keys.PK: item[keys.PK],
                                                    keys.SK: item[keys.SK]}))["Item"])
            found.append((full["case_reference"], full["notification_id"],
                          json.loads(full["event"]), datetime.fromisoformat(item["due_at"])))
        return found
