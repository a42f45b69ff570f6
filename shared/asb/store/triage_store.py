"""The triage store: a case's file in one Query (and the reports of the closed case it follows in
one more), and the triage transaction (case, tasks, events, audit) with optimistic locking."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.case.change import CaseFolder
from asb.case.models import Case, Report
from asb.case.tasks import Task, TaskState
from asb.case_review import Complaint
from asb.config import OUTBOX_EVENT_RETENTION_DAYS
from asb.kernel.errors import VersionConflict
from asb.sealing import Sealer
from asb.store import keys
from asb.store.case_items import case_item
from asb.store.codec import from_item, to_item
from asb.store.report_items import report_from_item
from asb.targets import contact_every
from asb.triage import TriageUpdate

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


class DynamoDBTriageStore:
    def __init__(self, client: DynamoDBClient, table_name: str, sealer: Sealer) -> None:
        self._client = client
        self._table = table_name
        self._sealer = sealer

    def load(self, reference: str) -> CaseFolder | None:
        items = self._query(
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues=to_item({":pk": keys.case_pk(reference)}),
            ConsistentRead=True,
        )
        case = next((i for i in items if i[keys.SK] == "CASE"), None)
        if case is None:
            return None
        reports = [report_from_item(i, self._sealer) for i in items
                   if i[keys.SK].startswith("REPORT#")]
        tasks = {
            i["kind"]: TaskState(i["status"] == "open",
                                 datetime.fromisoformat(i["due_at"]) if i.get("due_at") else None)
            for i in items if i[keys.SK].startswith("TASK#")
        }
        return CaseFolder(Case.model_validate(_fields(case, Case)), reports, tasks)

    def complaints_on(self, reference: str) -> list[Complaint]:
        """Another case's reports, only what the threshold reads: nothing sealed is fetched,
        so nothing is unsealed."""
        items = self._query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :report)",
            ProjectionExpression="received_at, incident_on, hate_incident, #s.#i.behaviours",
            ExpressionAttributeNames={"#s": "submission", "#i": "incident"},
            ExpressionAttributeValues=to_item({":pk": keys.case_pk(reference),
                                               ":report": "REPORT#"}),
        )
        return [
            Complaint(
                received_at=datetime.fromisoformat(i["received_at"]),
                incident_on=date.fromisoformat(i["incident_on"]) if i.get("incident_on") else None,
                behaviours=tuple(i.get("submission", {}).get("incident", {}).get("behaviours", [])),
                hate_incident=bool(i.get("hate_incident")),
            )
            for i in items
        ]

    def _query(self, **arguments: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for page in self._client.get_paginator("query").paginate(TableName=self._table,
                                                                   **arguments):
            items += [from_item(i) for i in page["Items"]]
        return items

    def save(self, update: TriageUpdate) -> None:
        case = update.case
        actions: list[TransactWriteItemTypeDef] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(case_item(case)),
                    "ConditionExpression": "#v = :expected",
                    "ExpressionAttributeNames": {"#v": "version"},
                    "ExpressionAttributeValues": to_item({":expected": update.expected_version}),
                }
            },
            *[self._open_task(case, task) for task in update.new_tasks],
            *[self._move_task(case, task) for task in update.moved_tasks],
            *[self._event(e.model_dump(mode="json"), e.occurred_at) for e in update.events],
            self._put({**keys.audit_key(case.reference, update.audit.at, update.audit.entry_id),
                       keys.ENTITY: "AuditEntry",
                       **update.audit.model_dump(mode="json", exclude_none=True)}),
        ]
        try:
            self._client.transact_write_items(TransactItems=actions)
        except ClientError as error:
            reasons: Any = error.response.get("CancellationReasons", [])
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                raise VersionConflict(f"{case.reference} changed since triage read it") from None
            raise

    def _put(self, item: dict[str, Any]) -> TransactWriteItemTypeDef:
        return {"Put": {"TableName": self._table, "Item": to_item(item),
                        "ConditionExpression": "attribute_not_exists(pk)"}}

    def _open_task(self, case: Case, task: Task) -> TransactWriteItemTypeDef:
        return self._put({
            **keys.task_key(case.reference, task.kind), keys.ENTITY: "Task",
            "kind": task.kind, "title": task.title, "status": "open",
            "case_reference": case.reference, "officer": case.officer, "team": case.team,
            "created_at": case.updated_at.isoformat(),
            # The sparse DueWork index holds a task only while these two are set.
            "due_kind": task.kind, "due_at": task.due_at.isoformat(),
            "every": contact_every(case),
        })

    def _move_task(self, case: Case, task: Task) -> TransactWriteItemTypeDef:
        return {
            "Update": {
                "TableName": self._table,
                "Key": to_item(keys.task_key(case.reference, task.kind)),
                "UpdateExpression": "SET due_at = :due",
                "ConditionExpression": "#status = :open",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": to_item({":due": task.due_at.isoformat(),
                                                      ":open": "open"}),
            }
        }

    def _event(self, event: dict[str, Any], occurred_at: datetime) -> TransactWriteItemTypeDef:
        expiry = occurred_at + timedelta(days=OUTBOX_EVENT_RETENTION_DAYS)
        return self._put({**keys.event_key(event["case_reference"], occurred_at,
                                           event["event_id"]),
                          keys.ENTITY: "Event", keys.TTL: int(expiry.timestamp()), **event})


def _fields(item: dict[str, Any], model: type[Case] | type[Report]) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name in model.model_fields}
