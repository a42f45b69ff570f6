"""The one writer of a change to a case: a CaseChange turned into one TransactWriteItems -
the case on condition of the version read, its records, tasks, outbox events and audit entry,
its matters, corrected reports, people, the links reporters' references carry and the homes
the case is at (asb.case.home_cases)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.case.change import CaseChange, PartyWrite, PersonWrite, Record, TaskChange
from asb.case.home_cases import homes_of_report
from asb.case.models import Case, JoinedReport, OpenedCase, Report
from asb.case.people import people_of
from asb.case.report_parties import ReportParties
from asb.case.targets import contact_every, local_day
from asb.dynamo import keys
from asb.dynamo.case_items import case_item
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.home_case_items import home_case_writes
from asb.dynamo.party_items import match_key_writes, party_writes, person_erasure, person_write
from asb.dynamo.report_items import report_item
from asb.dynamo.sealing import Sealer
from asb.dynamo.transactions import cancelled, put_audit, put_event, put_new, put_person_lookup
from asb.kernel.errors import MATTER_CHANGED, RuleBroken, VersionConflict, case_changed
from asb.policy.reporting_year import year_of

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

MATTER_TAKEN = "A newer case now handles this matter: work on that one"
RECORDED_MEANWHILE = "Part of this change was recorded meanwhile: read the case again"
TRANSACTION_LIMIT = 100  # DynamoDB's TransactWriteItems


def _within_limit(actions: list[TransactWriteItemTypeDef]) -> list[TransactWriteItemTypeDef]:
    """A change of more items than one transaction takes is refused in words (409), never sent:
    DynamoDB would refuse it as a ValidationException, a 500."""
    if len(actions) > TRANSACTION_LIMIT:
        raise RuleBroken("This change touches too many records to make at once "
                         f"({len(actions)}, at most {TRANSACTION_LIMIT})")
    return actions


class CaseWriter:
    def __init__(self, client: DynamoDBClient, table_name: str, sealer: Sealer) -> None:
        self._client = client
        self._table = table_name
        self._sealer = sealer

    def commit(self, change: CaseChange, read_current: bool = True) -> None:
        """One transaction. The case's version moved on: VersionConflict, with the version it
        is at now unless `read_current` is False (a caller that reads the case again anyway).
        A matter another case holds now, or any other condition failing (a task, record or
        event already there): RuleBroken, answered 409. Anything else (throttling, a conflicting
        transaction) is raised as DynamoDB said it."""
        actions = _within_limit(self.transact_items(change))
        try:
            self._client.transact_write_items(TransactItems=actions)
        except ClientError as error:
            reasons = cancelled(error)
            if reasons is None:
                raise
            if reasons.failed(0):
                reference = change.case.reference
                raise (case_changed(self.version_of(reference)) if read_current else
                       VersionConflict(f"{reference} changed since it was read")) from None
            if any(_is_matter(actions[i]) for i in reasons.conditions_failed):
                raise RuleBroken(MATTER_TAKEN) from None
            if reasons.conditions_failed:
                raise RuleBroken(RECORDED_MEANWHILE) from None
            raise

    def file_report(self, filed: OpenedCase | JoinedReport, now: datetime,
                    guard: TransactWriteItemTypeDef | None = None,
                    parties: ReportParties | None = None) -> dict[str, Any] | None:
        """A report intake files, in one transaction: on a new case (written as new, its
        matters claimed), or joining the open case its matter names (on condition that the
        matter still names it open). Intake reads no case, so there is no version to check.
        `guard` (intake's idempotency record) goes last; if its condition failed, what it found
        there is returned. With a ClientRequestToken, so the SDK's own retry is idempotent.
        A matter another case took or closed meanwhile: VersionConflict."""
        if isinstance(filed, OpenedCase):
            case = filed.case
            actions = [put_new(self._table, case_item(case)), *self._filed(filed),
                       *[self._claim_matter(key, case.reference, now) for key in case.matter_keys]]
            token = case.reference
        else:
            actions = [self._still_open(filed), *self._filed(filed)]
            token = filed.report.report_id[:36]
        if parties:
            actions += self._parties(parties)
        actions += [a for at_home in homes_of_report(filed.report, parties.parties if parties else ())
                    for a in home_case_writes(self._table, filed.report.case_reference, at_home)]
        if guard:
            actions.append(guard)
        try:
            self._client.transact_write_items(TransactItems=actions, ClientRequestToken=token)
        except ClientError as error:
            reasons = cancelled(error)
            if reasons is None:
                raise
            held = reasons.items[-1] if reasons.items else None
            if guard and reasons.failed(-1) and held:
                return held
            if reasons.conditions_failed:
                raise VersionConflict(MATTER_CHANGED) from None
            raise
        return None

    def _parties(self, filed: ReportParties) -> list[TransactWriteItemTypeDef]:
        """The report's new persons and parties, and the match keys that find them again."""
        return [*[person_write(self._table, PersonWrite(p)) for p in filed.persons],
                *[a for p in filed.parties for a in party_writes(self._table, PartyWrite(p))],
                *match_key_writes(self._table, list(filed.match_keys))]

    def version_of(self, reference: str) -> int:
        answer = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                       Key=to_item(keys.case_key(reference)),
                                       ProjectionExpression="version")
        return int(from_item(answer.get("Item", {"version": {"N": "0"}}))["version"])

    def transact_items(self, change: CaseChange) -> list[TransactWriteItemTypeDef]:
        case = change.case
        actions: list[TransactWriteItemTypeDef] = [
            self._versioned(case, change.expected_version),
            *[self._record(case.reference, r) for r in change.records],
            *[self._task(case, t) for t in change.tasks],
            *[put_event(self._table, e) for e in change.events],
            put_audit(self._table, change.audit),
        ]
        if change.matters_open is not None:
            actions += [self._matter(case, key, change.matters_open) for key in case.matter_keys]
        actions += [self._release_matter(case, key) for key in change.matters_released]
        actions += [self._claim_matter(key, case.reference, case.updated_at)
                    for key in change.matters_claimed]
        actions += [{"Put": {"TableName": self._table,
                             "Item": to_item(report_item(r, self._sealer))}}
                    for r in change.reports]
        actions += [{"Delete": {"TableName": self._table, "Key": to_item(keys.person_key(
            key, case.reference, report_id, role))}} for key, report_id, role in change.people_removed]
        actions += [put_person_lookup(self._table, key, case.reference, report_id, role)
                    for key, report_id, role in change.people_added]
        actions += [self._report_links(case.reference, reference, hashes)
                    for reference, hashes in change.report_links.items()]
        actions += [action for write in change.parties for action in party_writes(self._table, write)]
        actions += [person_write(self._table, write) for write in change.persons]
        actions += [person_erasure(self._table, erased) for erased in change.persons_erased]
        actions += match_key_writes(self._table, change.match_keys)
        actions += [a for at_home in change.homes
                    for a in home_case_writes(self._table, case.reference, at_home)]
        return actions

    def commit_together(self, changes: list[CaseChange],
                        moves: list[TransactWriteItemTypeDef] | None = None) -> None:
        """Changes of several cases (a merge of two persons; a split or a join, with the items
        it `moves`) in one transaction: any case, party or person changed since it was read is
        VersionConflict, answered 412."""
        actions = _within_limit([*(a for change in changes for a in self.transact_items(change)),
                                 *(moves or [])])
        try:
            self._client.transact_write_items(TransactItems=actions)
        except ClientError as error:
            reasons = cancelled(error)
            if reasons is None or not reasons.conditions_failed:
                raise
            raise VersionConflict("A case or record this changes was changed meanwhile: "
                                  "read it again") from None

    def _versioned(self, case: Case, expected_version: int) -> TransactWriteItemTypeDef:
        """The case, on condition that it is at the version read (0: a new case, on condition
        that it is not there yet)."""
        if expected_version == 0:
            return put_new(self._table, case_item(case))
        return {"Put": {"TableName": self._table, "Item": to_item(case_item(case)),
                        "ConditionExpression": "#v = :expected",
                        "ExpressionAttributeNames": {"#v": "version"},
                        "ExpressionAttributeValues": to_item({":expected": expected_version})}}

    def _record(self, reference: str, record: Record) -> TransactWriteItemTypeDef:
        item = {**keys.record_key(reference, record.entity, record.at, record.record_id),
                keys.ENTITY: record.entity, "record_id": record.record_id,
                "at": record.at.isoformat(), "case_reference": reference, **record.data}
        if "reporting_year" in record.data:
            item["year_list"] = keys.year_list(record.entity, int(record.data["reporting_year"]))
        if record.replace:
            return {"Put": {"TableName": self._table, "Item": to_item(item)}}
        return put_new(self._table, item)

    def _task(self, case: Case, task: TaskChange) -> TransactWriteItemTypeDef:
        if task.write == "new":
            return self._new_task(case, task)
        if task.write == "move":
            return self._moved_task(case, task)
        if task.due_at is None:
            return self._done_task(case, task)
        values = {":open": "open", ":kind": task.kind, ":title": task.title,
                  ":due": task.due_at.isoformat(), ":ref": case.reference,
                  ":officer": case.officer or "", ":team": case.team or "",
                  ":entity": "Task", ":every": contact_every(case),
                  ":policy": task.policy_version}
        return {"Update": {
            "TableName": self._table, "Key": to_item(keys.task_key(case.reference, task.kind)),
            "UpdateExpression": "SET #status = :open, #kind = :kind, title = :title, "
                                "due_kind = :kind, due_at = :due, case_reference = :ref, "
                                "officer = :officer, team = :team, entity = :entity, "
                                "every = :every, policy_version = :policy "
                                "REMOVE outcome, completed_at",
            "ExpressionAttributeNames": {"#status": "status", "#kind": "kind"},
            "ExpressionAttributeValues": to_item(values),
        }}

    def _done_task(self, case: Case, task: TaskChange) -> TransactWriteItemTypeDef:
        return {"Update": {
            "TableName": self._table, "Key": to_item(keys.task_key(case.reference, task.kind)),
            "UpdateExpression": "SET #status = :done, outcome = :outcome, completed_at = :at "
                                "REMOVE due_kind, due_at",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_item({":done": "done",
                                                  ":outcome": task.outcome or "done",
                                                  ":at": case.updated_at.isoformat()}),
        }}

    def _new_task(self, case: Case, task: TaskChange) -> TransactWriteItemTypeDef:
        assert task.due_at is not None, "a new task is due"
        return put_new(self._table, {
            **keys.task_key(case.reference, task.kind), keys.ENTITY: "Task",
            "kind": task.kind, "title": task.title, "status": "open",
            "case_reference": case.reference, "officer": case.officer, "team": case.team,
            "created_at": case.updated_at.isoformat(),
            # The sparse DueWork index holds a task only while these two are set.
            "due_kind": task.kind, "due_at": task.due_at.isoformat(),
            "every": contact_every(case), "policy_version": task.policy_version,
        })

    def _moved_task(self, case: Case, task: TaskChange) -> TransactWriteItemTypeDef:
        assert task.due_at is not None, "a task is moved to a due time"
        return {"Update": {
            "TableName": self._table, "Key": to_item(keys.task_key(case.reference, task.kind)),
            "UpdateExpression": "SET due_at = :due, policy_version = :policy",
            "ConditionExpression": "#status = :open",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_item({":due": task.due_at.isoformat(),
                                                  ":open": "open",
                                                  ":policy": task.policy_version}),
        }}

    def _matter(self, case: Case, key: str, open_: bool) -> TransactWriteItemTypeDef:
        return {"Update": {
            "TableName": self._table, "Key": to_item(keys.matter_key(key)),
            "UpdateExpression": "SET #status = :status, updated_at = :at",
            "ConditionExpression": "case_reference = :ref",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_item({":status": "open" if open_ else "closed",
                                                  ":at": case.updated_at.isoformat(),
                                                  ":ref": case.reference}),
        }}

    def _release_matter(self, case: Case, key: str) -> TransactWriteItemTypeDef:
        """Deleted while it is this case's (an open case's matter no other case can claim)."""
        return {"Delete": {
            "TableName": self._table, "Key": to_item(keys.matter_key(key)),
            "ConditionExpression": "attribute_not_exists(pk) OR case_reference = :ref",
            "ExpressionAttributeValues": to_item({":ref": case.reference}),
        }}

    def _filed(self, filed: OpenedCase | JoinedReport) -> list[TransactWriteItemTypeDef]:
        """The report, the item its reference names, its equality monitoring apart, its audit
        entry and event, and the lookups of the people it names (no call more per report)."""
        report = filed.report
        ref = report.case_reference
        # Equality monitoring never stays with the report: it goes apart, with no link back.
        monitoring = report.submission.monitoring
        return [
            put_new(self._table, report_item(report, self._sealer)),
            put_new(self._table, report_reference_item(report.public_reference, ref,
                                                       report.report_id, report.tracking_hash)),
            *([self._monitoring(monitoring.model_dump(mode="json", exclude_none=True), report)]
              if monitoring else []),
            put_audit(self._table, filed.audit),
            put_event(self._table, filed.event),
            *[put_person_lookup(self._table, person.key, ref, report.report_id, person.role)
              for person in people_of(report.submission)],
        ]

    def _monitoring(self, answers: dict[str, Any], report: Report) -> TransactWriteItemTypeDef:
        """One anonymous row per answered form: the month and the answers, nothing else."""
        day = local_day(report.received_at)
        return {"Put": {"TableName": self._table, "Item": to_item({
            **keys.monitoring_key(year_of(day), str(uuid.uuid4())), keys.ENTITY: "Monitoring",
            "month": f"{day:%Y-%m}", **answers})}}

    def _claim_matter(self, key: str, reference: str, now: datetime) -> TransactWriteItemTypeDef:
        """The matter now points at this case, unless another open case holds it."""
        return {"Put": {
            "TableName": self._table,
            "Item": to_item({**keys.matter_key(key), keys.ENTITY: "Matter",
                             "case_reference": reference, "status": "open",
                             "updated_at": now.isoformat()}),
            "ConditionExpression": "attribute_not_exists(pk) OR #status = :closed",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_item({":closed": "closed"}),
        }}

    def _still_open(self, joined: JoinedReport) -> TransactWriteItemTypeDef:
        return {"ConditionCheck": {
            "TableName": self._table, "Key": to_item(keys.matter_key(joined.matter_key)),
            "ConditionExpression": "case_reference = :ref AND #status = :open",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_item({":ref": joined.case_reference, ":open": "open"}),
        }}

    def _report_links(self, case_reference: str, reference: str,
                      hashes: dict[str, str]) -> TransactWriteItemTypeDef:
        """The links a reference carries, set whole on its REPORTREF item (made, if a report
        from before reports had their own reference has none yet)."""
        return {"Update": {
            "TableName": self._table, "Key": to_item(keys.report_reference_key(reference)),
            "UpdateExpression": "SET links = :links, case_reference = :case, #entity = :entity",
            "ExpressionAttributeNames": {"#entity": keys.ENTITY},
            "ExpressionAttributeValues": to_item({":links": hashes, ":case": case_reference,
                                                  ":entity": "ReportReference"}),
        }}


def report_reference_item(public_reference: str, case_reference: str, report_id: str,
                          tracking_hash: str | None) -> dict[str, Any]:
    """What a reporter's reference names - for every report, the first report's too (whose
    reference is the case's own): the case and report, and the link's hash, since a link is
    checked with this item alone (asb.tracking)."""
    return {**keys.report_reference_key(public_reference), keys.ENTITY: "ReportReference",
            "case_reference": case_reference, "report_id": report_id,
            "links": {report_id: tracking_hash} if tracking_hash else {}}


def _is_matter(action: TransactWriteItemTypeDef) -> bool:
    key: Any = (action["Update"]["Key"] if "Update" in action
                else action["Put"]["Item"] if "Put" in action else {})
    pk = from_item({k: v for k, v in key.items() if k == keys.PK}).get(keys.PK, "")
    return str(pk).startswith("MATTER#")
