"""The sweep's store: due tasks from the sparse DueWork index, acted on in one transaction."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from asb.case.tasks import DueTask
from asb.due_work.sweep import SweepAction
from asb.dynamo import keys
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.due_work import due_task
from asb.dynamo.paging import query_pages
from asb.dynamo.transactions import cancelled, put_event

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class DynamoDBReviewStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name
        self.items_read = 0  # for the benchmark: what the sweep cost

    def due(self, kind: str, as_of: datetime) -> list[DueTask]:
        tasks = []
        for page in query_pages(
            self._client, TableName=self._table, IndexName=keys.DUE_WORK,
            KeyConditionExpression="due_kind = :k AND due_at <= :as_of",
            ExpressionAttributeValues=to_item({":k": kind, ":as_of": as_of.isoformat()}),
        ):
            self.items_read += int(page["ScannedCount"])
            tasks += [due_task(from_item(i)) for i in page["Items"]]
        return tasks

    def act(self, action: SweepAction, as_of: datetime) -> bool:
        task, event = action.task, action.event
        try:
            self._client.transact_write_items(TransactItems=[
                {"Update": {
                    "TableName": self._table,
                    "Key": to_item(task.key or keys.task_key(task.case_reference, task.kind)),
                    "UpdateExpression": "SET due_kind = :next_kind, due_at = :next_due, "
                                        "swept_at = :as_of",
                    "ConditionExpression": "due_kind = :kind AND due_at = :due",
                    "ExpressionAttributeValues": to_item({
                        ":next_kind": action.next_kind, ":next_due": action.next_due_at.isoformat(),
                        ":as_of": as_of.isoformat(), ":kind": task.kind,
                        ":due": task.due_at.isoformat()}),
                }},
                put_event(self._table, event),
            ])
        except ClientError as error:
            if cancelled(error) is not None:
                return False  # another sweep, or a person, got there first
            raise
        return True
