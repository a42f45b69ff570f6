"""The triage store: a case's file in one Query (and the reports of the closed case it follows in
one more; a complainant's other cases in one per identifier and a BatchGetItem per 100 found),
and the triage transaction (case, tasks, events, audit) with optimistic locking."""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from asb.case.change import CaseChange, CaseFolder, TaskChange
from asb.case.models import Case, Report
from asb.case.people import REPORTER
from asb.case.tasks import TaskState
from asb.dynamo import keys
from asb.dynamo.case_writer import CaseWriter
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.paging import query_pages
from asb.dynamo.report_items import report_from_item
from asb.dynamo.sealing import Sealer
from asb.triage.case_review_threshold import Complaint
from asb.triage.repeat_victim import EarlierCase, earlier_case
from asb.triage.service import TriageUpdate

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# The newest lookups of one identifier read on each side of the case triaged: the rule needs one
# other case in the last 12 months, and the newest references are the newest cases.
RECENT_LOOKUPS_READ = 20


class DynamoDBTriageStore:
    def __init__(self, client: DynamoDBClient, table_name: str, sealer: Sealer) -> None:
        self._client = client
        self._table = table_name
        self._sealer = sealer
        self._writer = CaseWriter(client, table_name, sealer)

    def load(self, reference: str) -> CaseFolder | None:
        items = self._query(
            KeyConditionExpression=keys.CASE_WITHOUT_AUDIT,
            ExpressionAttributeValues=to_item(keys.case_without_audit(reference)),
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

    def cases_reported_by(self, person_keys: list[str], besides: str) -> list[EarlierCase]:
        """The cases other than `besides` a complainant reported on: per identifier, the newest
        PERSON# lookups (role reporter only) on either side of `besides`, at most
        RECENT_LOOKUPS_READ each, so that a shared phone's thousandth report reads no more
        than its first; then the cases' dates by BatchGetItem, 100 a call (projected: nothing
        else of them is read)."""
        references: set[str] = set()
        for key in person_keys:
            for item in self._recent_lookups(key, besides):
                if item.get("role") == REPORTER and item["case_reference"] != besides:
                    references.add(item["case_reference"])
        ordered = sorted(references)
        found = [earlier_case(c["reference"], datetime.fromisoformat(c["opened_at"]),
                              _when(c.get("closed_at")), c.get("pathway"),
                              _when(c.get("asb_opened_at")))
                 for first in range(0, len(ordered), 100)
                 for c in self._cases(ordered[first:first + 100])]
        return [c for c in found if c is not None]

    def _recent_lookups(self, key: str, besides: str) -> list[dict[str, Any]]:
        """References sort by year then a 6-digit number, so sort keys order cases by opening:
        below `besides` the newest, above it those opened soonest after it (a report joined to
        an older case counts cases opened before the report). The two ranges leave out
        `besides`, whose own reports cannot use up the bound. One page each, never paged on."""
        below = ("sk < :edge", f"{besides}#", False)  # newest first
        # "$" sorts just after the "#" of its keys; the cases opened soonest after it first
        above = ("sk > :edge", f"{besides}$", True)
        items: list[dict[str, Any]] = []
        for condition, edge, forward in (below, above):
            page = self._client.query(
                TableName=self._table, KeyConditionExpression=f"pk = :pk AND {condition}",
                ScanIndexForward=forward, Limit=RECENT_LOOKUPS_READ,
                ProjectionExpression="case_reference, #r", ExpressionAttributeNames={"#r": "role"},
                ExpressionAttributeValues=to_item({":pk": f"PERSON#{key}", ":edge": edge}))
            items += [from_item(i) for i in page["Items"]]
        return items

    def _cases(self, references: list[str]) -> list[dict[str, Any]]:
        wanted: dict[str, Any] = {self._table: {
            "Keys": [to_item(keys.case_key(r)) for r in references],
            # The case item stores its pathway only when it is not asb (asb.dynamo.case_items).
            "ProjectionExpression": "#ref, opened_at, closed_at, pathway, asb_opened_at",
            "ExpressionAttributeNames": {"#ref": "reference"}}}
        found: list[dict[str, Any]] = []
        for attempt in range(5):
            answer = self._client.batch_get_item(RequestItems=wanted)
            found += [from_item(i) for i in answer.get("Responses", {}).get(self._table, [])]
            wanted = dict(answer.get("UnprocessedKeys") or {})
            if not wanted:
                return found
            time.sleep(0.05 * 2 ** attempt)  # throttled: the rest again, with backoff
        raise RuntimeError("DynamoDB kept some of a complainant's cases unprocessed")

    def _query(self, **arguments: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for page in query_pages(self._client, TableName=self._table, **arguments):
            items += [from_item(i) for i in page["Items"]]
        return items

    def save(self, update: TriageUpdate) -> None:
        """Through the one writer; a conflict is not read for its version: triage reads the
        case's file again anyway."""
        tasks = [*[TaskChange(t.kind, t.due_at, t.title, write="new") for t in update.new_tasks],
                 *[TaskChange(t.kind, t.due_at, t.title, write="move")
                   for t in update.moved_tasks]]
        self._writer.commit(CaseChange(case=update.case, expected_version=update.expected_version,
                                       audit=update.audit, tasks=tasks, events=update.events),
                            read_current=False)


def _when(stored: str | None) -> datetime | None:
    return datetime.fromisoformat(stored) if stored else None


def _fields(item: dict[str, Any], model: type[Case] | type[Report]) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name in model.model_fields}
