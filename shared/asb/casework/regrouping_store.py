"""A split or a join written in one TransactWriteItems: both cases' changes through the one
writer's item shapes, and the items that move - each report (deleted where it was, written new
on its case now), the REPORTREF item of its reporter's reference (pointing at that case, on
condition that it pointed at the case it left), its people lookups, its parties and their
persons' lookups of them, and what its reporter added (diary entries, files), and the matters a
joined case held (pointing at the case that holds them now, on condition), and the home lookups
of the case a split leaves that it no longer holds (the new case's are its change's). More than DynamoDB's
100 items in one transaction: refused whole by the writer (409, in words), nothing written."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from asb.case.change import PartyWrite
from asb.case.home_cases import CASE_HOME, CaseAtHome, homes_left
from asb.case.models import Report
from asb.case.parties import Party
from asb.case.people import people_of
from asb.casework.regrouping import Regrouping
from asb.dynamo import keys
from asb.dynamo.case_writer import CaseWriter
from asb.dynamo.codec import to_item
from asb.dynamo.home_case_items import home_roles
from asb.dynamo.party_items import party_writes
from asb.dynamo.report_items import report_item
from asb.dynamo.sealing import Sealer
from asb.dynamo.transactions import put_new, put_person_lookup

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

# What a reporter adds to their case themselves, each item carrying their report's id.
REPORTERS_OWN = frozenset({"DiaryEntry", "Evidence"})


class DynamoDBRegroupingStore:
    def __init__(self, client: DynamoDBClient, table_name: str, sealer: Sealer) -> None:
        self._client = client
        self._table = table_name
        self._sealer = sealer
        self._writer = CaseWriter(client, table_name, sealer)

    def commit(self, regrouping: Regrouping, items: list[dict[str, Any]]) -> None:
        """`items`: the stored items of the case reports move out of, as loaded."""
        self._writer.commit_together(list(regrouping.changes), self._moves(regrouping, items))

    def _moves(self, regrouping: Regrouping,
               items: list[dict[str, Any]]) -> list[TransactWriteItemTypeDef]:
        source, to = regrouping.moved_from, regrouping.to
        left = source.case.reference
        ids = regrouping.report_ids
        actions: list[TransactWriteItemTypeDef] = []
        before = {r.report_id: r for r in source.reports}
        for report in regrouping.reports:
            actions += self._moved_report(before[report.report_id].received_at, left, report)
        for party in source.parties.values():
            if regrouping.all_parties or party.report_id in ids:
                moved = party.model_copy(update={"case_reference": to,
                                                 "version": party.version + 1})
                actions += self._moved_party(left, party.party_id, party.version,
                                             party.person_id, moved)
        actions += [a for i in items
                    if i.get(keys.ENTITY) in REPORTERS_OWN and i.get("report_id") in ids
                    for a in self._moved_item(i, to)]
        actions += [self._matter(key, left, to) for key in regrouping.matter_keys]
        if regrouping.homes_left is not None:
            actions += self._homes_left(left, regrouping.homes_left, items)
        return actions

    def _homes_left(self, reference: str, still_at: tuple[CaseAtHome, ...],
                    items: list[dict[str, Any]]) -> list[TransactWriteItemTypeDef]:
        """Both lookups of each home the case is no longer at go; a home it is at in fewer
        roles keeps its lookups with only those."""
        stored = [CaseAtHome(i["uprn"], frozenset(home_roles(i))) for i in items
                  if i.get(keys.ENTITY) == CASE_HOME]
        narrowed, gone = homes_left(stored, still_at)
        lookups = [(keys.home_case_key(uprn, reference), keys.case_home_key(reference, uprn))
                   for uprn in gone]
        actions: list[TransactWriteItemTypeDef] = [
            {"Delete": {"TableName": self._table, "Key": to_item(key)}}
            for pair in lookups for key in pair]
        for home in narrowed:
            roles = {":roles": {"SS": sorted(r.value for r in home.roles)}}
            actions += [{"Update": {
                "TableName": self._table, "Key": to_item(key), "UpdateExpression": "SET #roles = :roles",
                "ExpressionAttributeNames": {"#roles": "roles"}, "ExpressionAttributeValues": roles}}
                for key in (keys.home_case_key(home.uprn, reference),
                            keys.case_home_key(reference, home.uprn))]
        return actions

    def _moved_report(self, received_at: datetime, left: str,
                      report: Report) -> list[TransactWriteItemTypeDef]:
        to = report.case_reference
        people = people_of(report.submission)
        gone: list[TransactWriteItemTypeDef] = [
            {"Delete": {"TableName": self._table, "Key": to_item(keys.person_key(
                p.key, left, report.report_id, p.role))}} for p in people]
        return [
            {"Delete": {"TableName": self._table, "Key": to_item(keys.report_key(
                left, received_at, report.report_id)),
                "ConditionExpression": "attribute_exists(pk)"}},
            put_new(self._table, report_item(report, self._sealer)),
            self._report_reference(report.public_reference, left, to),
            *gone,
            *[put_person_lookup(self._table, p.key, to, report.report_id, p.role)
              for p in people],
        ]

    def _report_reference(self, reference: str, left: str,
                          to: str) -> TransactWriteItemTypeDef:
        """The reporter's reference names the case their report is on now. A joined case's own
        reference keeps naming it (staff read its record there): the reporter's link follows
        `joined_into` from it (asb.tracking.links)."""
        if reference == left:
            return {"ConditionCheck": {
                "TableName": self._table, "Key": to_item(keys.report_reference_key(reference)),
                # A case from before every report had its own reference may have no item.
                "ConditionExpression": "attribute_not_exists(pk) OR case_reference = :left",
                "ExpressionAttributeValues": to_item({":left": left})}}
        return {"Update": {
            "TableName": self._table, "Key": to_item(keys.report_reference_key(reference)),
            "UpdateExpression": "SET case_reference = :to",
            "ConditionExpression": "case_reference = :left",
            "ExpressionAttributeValues": to_item({":to": to, ":left": left})}}

    def _moved_party(self, left: str, party_id: str, version: int, person_id: str | None,
                     moved: Party) -> list[TransactWriteItemTypeDef]:
        actions: list[TransactWriteItemTypeDef] = [{"Delete": {
            "TableName": self._table, "Key": to_item(keys.party_key(left, party_id)),
            "ConditionExpression": "#v = :version", "ExpressionAttributeNames": {"#v": "version"},
            "ExpressionAttributeValues": to_item({":version": version})}}]
        if person_id:
            actions.append({"Delete": {"TableName": self._table, "Key": to_item(
                keys.persons_party_key(person_id, left, party_id))}})
        return actions + party_writes(self._table, PartyWrite(moved))

    def _moved_item(self, item: dict[str, Any], to: str) -> list[TransactWriteItemTypeDef]:
        """A reporter's own record: the same sort key in the partition of the case it moves to
        (its file stays where it was uploaded: the record names its object)."""
        moved = {**item, keys.PK: keys.case_pk(to), "case_reference": to}
        return [{"Delete": {"TableName": self._table, "Key": to_item(
                    {keys.PK: item[keys.PK], keys.SK: item[keys.SK]})}},
                put_new(self._table, moved)]

    def _matter(self, key: str, left: str, to: str) -> TransactWriteItemTypeDef:
        return {"Update": {
            "TableName": self._table, "Key": to_item(keys.matter_key(key)),
            "UpdateExpression": "SET case_reference = :to",
            "ConditionExpression": "case_reference = :left",
            "ExpressionAttributeValues": to_item({":to": to, ":left": left})}}
