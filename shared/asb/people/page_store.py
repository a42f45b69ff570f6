"""What a person's page and a home's page read of the cases table beyond the case folders: the
cases at a home (its CASE# lookups, one Query: asb.dynamo.home_case_items) and the reads'
audit entries. GetItem and Query only: no Scan."""

from __future__ import annotations

from asb.case.home_cases import HomeRole
from asb.case.models import AuditEntry
from asb.dynamo import keys
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.home_case_items import CASES_AT_HOME, home_roles
from asb.dynamo.paging import query_pages
from asb.dynamo.transactions import audit_item
from asb.people.store import DynamoDBPeopleStore


class DynamoDBPeoplePagesStore(DynamoDBPeopleStore):
    def cases_at(self, uprn: str) -> dict[str, list[HomeRole]]:
        found: dict[str, list[HomeRole]] = {}
        for page in query_pages(
            self._client, TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :cases)",
            ExpressionAttributeValues=to_item({":pk": keys.home_reads_pk(uprn),
                                               ":cases": CASES_AT_HOME}),
        ):
            found.update((str(i["case_reference"]), home_roles(i))
                         for i in map(from_item, page["Items"]))
        return found

    def record_reads(self, entries: list[AuditEntry], home_uprn: str | None = None) -> None:
        pk = keys.home_reads_pk(home_uprn) if home_uprn else None
        for entry in entries:
            self._client.put_item(TableName=self._table, Item=to_item({
                **audit_item(entry, pk), keys.ACCESS_ACTOR: entry.actor}))

