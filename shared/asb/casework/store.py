"""The case store for staff: a case's folder in one Query, case work written in one
version-checked transaction, lists from the sparse listing indexes, and views recorded."""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from asb.case.change import CaseChange, CaseFolder
from asb.case.link_keys import ReportLink
from asb.case.loaded import CaseRecords, Page
from asb.case.models import AuditEntry
from asb.case.parties import Person
from asb.case.records import CaseReview, Disclosure, Evidence, Measure, Survey
from asb.case.tasks import ESCALATED, DueTask, TaskState
from asb.casework.listing import DETAIL_FIELDS
from asb.dynamo import keys
from asb.dynamo.case_items import case_from_item
from asb.dynamo.case_writer import CaseWriter
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.due_work import due_task, waiting
from asb.dynamo.paging import query_pages
from asb.dynamo.party_items import PARTY, party_from_item, person_from_item
from asb.dynamo.record_items import (
    meetings,
    open_deadlines,
    record_from_item,
    shown_records,
    witness_records,
)
from asb.dynamo.report_items import opened, report_from_item
from asb.dynamo.sealing import Sealer
from asb.dynamo.transactions import audit_item
from asb.kernel.json_text import NotJson, read_json

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

SUMMARY_FIELDS = ("reference", "status", "category", "emergency", "officer", "team",
                  "opened_at", "updated_at", "version", "anonymous", "targets", "postcode")


class BadCursor(ValueError):
    pass


class ListUnavailable(Exception):
    """DynamoDB left part of a page's details unread after every retry (throttled)."""


DETAIL_READ_ATTEMPTS = 4


# An audit entry's sort key as keys.audit_key writes it: the time (isoformat) and the entry's id.
_AUDIT_SK = re.compile(rf"{keys.AUDIT_PREFIX}[0-9TZ:.+-]{{19,40}}#[\w.:-]{{1,100}}", re.ASCII)


def encode_cursor(state: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str | None) -> dict[str, Any]:
    if not cursor:
        return {}
    try:
        state = read_json(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, UnicodeDecodeError, NotJson):
        raise BadCursor("cursor") from None
    if not isinstance(state, dict):
        raise BadCursor("cursor")
    return state


class DynamoDBCaseStore:
    def __init__(self, client: DynamoDBClient, table_name: str, sealer: Sealer,
                 pause: Callable[[float], None] = time.sleep) -> None:
        self._client = client
        self._table = table_name
        self._sealer = sealer
        self._pause = pause  # between retries of keys DynamoDB left unprocessed
        self._writer = CaseWriter(client, table_name, sealer)

    # ------------------------------------------------------------------ reading
    def load(self, reference: str) -> CaseRecords | None:
        items: list[dict[str, Any]] = []
        for page in query_pages(
            self._client, TableName=self._table, KeyConditionExpression=keys.CASE_WITHOUT_AUDIT,
            ConsistentRead=True,
            ExpressionAttributeValues=to_item(keys.case_without_audit(reference)),
        ):
            items += [opened(from_item(i), self._sealer) for i in page["Items"]]
        case = next((i for i in items if i[keys.SK] == "CASE"), None)
        if case is None:
            return None
        reports = [report_from_item(i, self._sealer) for i in items
                   if i[keys.SK].startswith("REPORT#")]
        tasks = {i["kind"]: TaskState(i["status"] == "open", datetime.fromisoformat(i["due_at"])
                                      if i.get("due_at") else None)
                 for i in items if i[keys.SK].startswith("TASK#")}
        measures = {i[keys.SK].removeprefix("MEASURE#"): record_from_item(Measure, i)
                    for i in items if i[keys.SK].startswith("MEASURE#")}
        case_reviews = {i["record_id"]: record_from_item(CaseReview, i) for i in items
                        if i.get(keys.ENTITY) == "CaseReview"}
        surveys = [record_from_item(Survey, i) for i in items if i.get(keys.ENTITY) == "Survey"]
        disclosures = {i["record_id"]: record_from_item(Disclosure, i) for i in items
                       if i.get(keys.ENTITY) == "Disclosure"}
        evidence = {i["record_id"]: record_from_item(Evidence, i) for i in items
                    if i.get(keys.ENTITY) == "Evidence"}
        parties = {i["party_id"]: party_from_item(i) for i in items
                   if i.get(keys.ENTITY) == PARTY}
        statements, needs = witness_records(items)
        folder = CaseFolder(case_from_item(case), reports, tasks, measures, case_reviews, surveys,
                            disclosures, evidence, *shown_records(items), parties=parties,
                            deadlines=open_deadlines(items), witness_statements=statements,
                            witness_needs=needs, meetings=meetings(items))
        return CaseRecords(folder, items)

    def report_reference(self, reference: str) -> tuple[str, str] | None:
        """A reporter's own reference -> (case reference, report id): one GetItem."""
        answer = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                       Key=to_item(keys.report_reference_key(reference)))
        if "Item" not in answer:
            return None
        item = from_item(answer["Item"])
        return str(item["case_reference"]), str(item["report_id"])

    def report_link(self, reference: str) -> ReportLink | None:
        """The case a reporter's reference is on, and the hashes of its working links: one
        GetItem, and all a link is checked against before anything of the case is read."""
        answer = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                       Key=to_item(keys.report_reference_key(reference)),
                                       ProjectionExpression="case_reference, links")
        if "Item" not in answer:
            return None
        item = from_item(answer["Item"])
        return ReportLink(str(item["case_reference"]),
                          {str(k): str(v) for k, v in (item.get("links") or {}).items()})

    def load_visible(self, reference: str,
                     visible: Callable[[str | None], bool]) -> CaseRecords | None:
        """The case's folder if `visible(its team)`, else None. The team is read first, alone
        (one GetItem): a case that is not there and another team's case cost that read and
        nothing more - no partition read, no unsealing - so the time taken tells them apart
        no better than the answer does."""
        answer = self._client.get_item(
            TableName=self._table, ConsistentRead=True, Key=to_item(keys.case_key(reference)),
            ProjectionExpression="pk, #team", ExpressionAttributeNames={"#team": "team"})
        head = from_item(answer["Item"]) if "Item" in answer else None
        if head is None or not visible(head.get("team")):
            return None
        return self.load(reference)

    def audit_trail(self, reference: str, newest: int,
                    cursor: str | None = None) -> tuple[list[dict[str, Any]], str | None]:
        """Up to `newest` of the case's audit entries, newest first, older than the `cursor`'s
        (none: from the newest), and the cursor of the rest (none: there is no more). One
        Query, of one entry more than is given, so that "more" is never a guess."""
        arguments: dict[str, Any] = {
            "TableName": self._table, "ConsistentRead": True, "ScanIndexForward": False,
            "Limit": newest + 1, "KeyConditionExpression": "pk = :pk AND begins_with(sk, :audit)",
            "ExpressionAttributeValues": to_item({":pk": keys.case_pk(reference),
                                                  ":audit": keys.AUDIT_PREFIX})}
        if cursor:
            before = decode_cursor(cursor).get("before")
            if not isinstance(before, str) or not _AUDIT_SK.fullmatch(before):
                raise BadCursor("cursor")
            arguments["ExclusiveStartKey"] = to_item({keys.PK: keys.case_pk(reference),
                                                      keys.SK: before})
        answer = self._client.query(**arguments)
        entries = [from_item(i) for i in answer["Items"]][:newest]
        # A page DynamoDB cut at 1 MB ends before the Limit and says where it stopped.
        more = entries and "LastEvaluatedKey" in answer
        return entries, encode_cursor({"before": entries[-1][keys.SK]}) if more else None

    def version_of(self, reference: str) -> int:
        return self._writer.version_of(reference)

    def persons(self, person_ids: list[str]) -> dict[str, Person]:
        """The persons of a case's parties, in BatchGetItems of up to 100, by id."""
        found: dict[str, Person] = {}
        wanted = sorted(set(person_ids))
        for start in range(0, len(wanted), 100):
            request: Any = {self._table: {"Keys": [
                to_item(keys.person_record_key(p)) for p in wanted[start:start + 100]]}}
            while request:
                answer = self._client.batch_get_item(RequestItems=request)
                for item in answer.get("Responses", {}).get(self._table, []):
                    person = person_from_item(from_item(item))
                    found[person.person_id] = person
                request = answer.get("UnprocessedKeys") or None
        return found

    def list_cases(self, lists: list[tuple[str, str]], limit: int,
                   cursor: str | None) -> Page:
        """Newest first, from one listing-index partition per (list, value) - several when a
        manager lists every team - merged, with one opaque cursor for them all."""
        state = decode_cursor(cursor)
        fetched: dict[str, list[dict[str, Any]]] = {}
        for list_name, value in lists:
            source = f"{list_name}:{value}"
            if state.get(source) == "done":
                continue
            index, attribute = keys.CASE_LISTS[list_name]
            arguments: dict[str, Any] = {
                "TableName": self._table, "IndexName": index, "Limit": limit,
                "ScanIndexForward": False, "KeyConditionExpression": "#k = :v",
                "ExpressionAttributeNames": {"#k": attribute},
                "ExpressionAttributeValues": to_item({":v": value}),
            }
            if isinstance(state.get(source), dict):
                arguments["ExclusiveStartKey"] = to_item(state[source])
            answer = self._client.query(**arguments)
            items = [from_item(i) for i in answer["Items"]]
            fetched[source] = [{**i, "_source": source, "_more": "LastEvaluatedKey" in answer,
                                "_key": {k: i[k] for k in (keys.PK, keys.SK, attribute,
                                                           "opened_at")}}
                               for i in items]
            if not items:
                state[source] = "done"
        merged = sorted((i for items in fetched.values() for i in items),
                        key=lambda i: i["opened_at"], reverse=True)[:limit]
        for source, items in fetched.items():
            taken = [i for i in merged if i["_source"] == source]
            if items and len(taken) == len(items) and not items[-1]["_more"]:
                state[source] = "done"
            elif taken:
                state[source] = taken[-1]["_key"]
        more = any(state.get(f"{n}:{v}") != "done" for n, v in lists)
        details = self._list_details([str(i["reference"]) for i in merged])
        summaries = [{**{k: i[k] for k in SUMMARY_FIELDS if k in i},
                      **details.get(str(i["reference"]), {})} for i in merged]
        return Page(summaries, encode_cursor(state) if more and merged else None)

    def _list_details(self, references: list[str]) -> dict[str, dict[str, Any]]:
        """What a listed case shows beyond the listing indexes' projections (its behaviours and
        place), for a whole page in one BatchGetItem of the case items - a page is at most 100,
        BatchGetItem's limit. Keys DynamoDB leaves unprocessed are asked again, a few times."""
        if not references:
            return {}
        found: dict[str, dict[str, Any]] = {}
        request: Any = {self._table: {
            "Keys": [to_item(keys.case_key(r)) for r in references],
            "ProjectionExpression": ", ".join(("pk", *DETAIL_FIELDS))}}
        for attempt in range(DETAIL_READ_ATTEMPTS):
            if attempt:
                self._pause(0.05 * 2 ** attempt)
            answer = self._client.batch_get_item(RequestItems=request)
            for item in answer.get("Responses", {}).get(self._table, []):
                plain = from_item(item)
                found[keys.reference_of(str(plain.pop(keys.PK)))] = plain
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                return found
        raise ListUnavailable("part of the page could not be read")

    def opened_between(self, teams: list[str], first: str, last: str) -> list[dict[str, Any]]:
        """Every case opened from `first` up to (not including) `last`, team by team."""
        index, attribute = keys.CASE_LISTS["team"]
        found: list[dict[str, Any]] = []
        for team in teams:
            for page in query_pages(
                self._client, TableName=self._table, IndexName=index,
                KeyConditionExpression="#k = :team AND opened_at BETWEEN :first AND :last",
                ExpressionAttributeNames={"#k": attribute},
                # A bare date sorts before every time on that day: the day itself is excluded.
                ExpressionAttributeValues=to_item({":team": team, ":first": first,
                                                   ":last": last}),
            ):
                found += [from_item(i) for i in page["Items"]]
        return found

    def matters_held(self, matter_keys: list[str], besides: str) -> dict[str, str | None]:
        """Each matter key with the open case other than `besides` that holds it (None: free,
        or its case closed): one BatchGetItem, consistent (a handful of keys)."""
        request: Any = {self._table: {
            "Keys": [to_item(keys.matter_key(k)) for k in matter_keys], "ConsistentRead": True,
            "ProjectionExpression": "pk, case_reference, #s",
            "ExpressionAttributeNames": {"#s": "status"}}} if matter_keys else None
        held: dict[str, str | None] = dict.fromkeys(matter_keys)
        while request:
            answer = self._client.batch_get_item(RequestItems=request)
            for item in map(from_item, answer["Responses"].get(self._table, [])):
                if item.get("status") == "open" and item["case_reference"] != besides:
                    held[str(item[keys.PK]).removeprefix("MATTER#")] = item["case_reference"]
            request = answer.get("UnprocessedKeys") or None
        return held

    def in_reporting_year(self, entity: str, year: int) -> list[dict[str, Any]]:
        """Case reviews or surveys of one reporting year, from the sparse ByReportingYear index."""
        found: list[dict[str, Any]] = []
        for page in query_pages(
            self._client, TableName=self._table, IndexName=keys.BY_REPORTING_YEAR,
            KeyConditionExpression="year_list = :year",
            ExpressionAttributeValues=to_item({":year": keys.year_list(entity, year)}),
        ):
            found += [from_item(i) for i in page["Items"]]
        return found

    def monitoring_rows(self, year: int) -> list[dict[str, Any]]:
        """The year's equality monitoring answers: rows with no link to any case."""
        found: list[dict[str, Any]] = []
        for page in query_pages(
            self._client, TableName=self._table, KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues=to_item({":pk": keys.monitoring_key(year, "")[keys.PK]}),
        ):
            found += [from_item(i) for i in page["Items"]]
        return found

    def waiting(self, kinds: list[str]) -> list[dict[str, Any]]:
        return waiting(self._client, self._table, kinds)

    def overdue(self, kinds: list[str], now: datetime, team: str | None,
                limit: int) -> list[DueTask]:
        """Open tasks past their due time, from the sparse DueWork index: a kind the sweep has
        escalated (`…:escalated`) is overdue whatever the time, until it is done - the sweep may
        have run as of a later time than this clock's."""
        found: list[DueTask] = []
        for kind in kinds:
            condition, values = "due_kind = :k", {":k": kind}
            if not kind.endswith(ESCALATED):
                condition, values = f"{condition} AND due_at < :now", {
                    **values, ":now": now.isoformat()}
            arguments: dict[str, Any] = {"TableName": self._table, "IndexName": keys.DUE_WORK,
                                         "KeyConditionExpression": condition}
            if team:  # a filter applies after a page is read: read on until enough match
                arguments["FilterExpression"] = "team = :team"
                values[":team"] = team
            arguments["ExpressionAttributeValues"] = to_item(values)
            matched: list[DueTask] = []
            for page in query_pages(self._client, **arguments):
                matched += [due_task(from_item(i)) for i in page["Items"]]
                if len(matched) >= limit:
                    break
            found += matched[:limit]
        found.sort(key=lambda task: task.due_at)
        return found[:limit]

    # ------------------------------------------------------------------ writing
    def record_view(self, entry: AuditEntry) -> None:
        """A read of personal data: in the case's partition, and by who read it (AccessByActor)."""
        self._client.put_item(TableName=self._table, Item=to_item({
            **audit_item(entry), keys.ACCESS_ACTOR: entry.actor}))

    def apply(self, change: CaseChange) -> None:
        self._writer.commit(change)
