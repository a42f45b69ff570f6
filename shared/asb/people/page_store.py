"""What a person's page and a home's page read of the cases table beyond the case folders: the
persons under a home's tenancies' match keys (BatchGetItem), their parties' lookups (one Query
each) and those parties' tenancy ties (BatchGetItem, projected); and the reads' audit entries.
GetItem, Query and BatchGetItem only: no Scan."""

from __future__ import annotations

from typing import Any

from asb.case.models import AuditEntry
from asb.dynamo import keys
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.paging import query_pages
from asb.dynamo.party_items import matched_persons
from asb.dynamo.transactions import audit_item
from asb.people.store import DynamoDBPeopleStore


class DynamoDBPeoplePagesStore(DynamoDBPeopleStore):
    def _batch_get(self, item_keys: list[dict[str, str]],
                   projection: str | None = None,
                   names: dict[str, str] | None = None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for start in range(0, len(item_keys), 100):
            wanted: Any = {"Keys": [to_item(k) for k in item_keys[start:start + 100]]}
            if projection:
                wanted["ProjectionExpression"] = projection
            if names:
                wanted["ExpressionAttributeNames"] = names
            request: Any = {self._table: wanted}
            while request:
                answer = self._client.batch_get_item(RequestItems=request)
                found += [from_item(i) for i in answer.get("Responses", {}).get(self._table, [])]
                request = answer.get("UnprocessedKeys") or None
        return found

    def persons_under(self, match_keys: list[str]) -> list[str]:
        items = self._batch_get([keys.match_key(k) for k in dict.fromkeys(match_keys)])
        return sorted({p for item in items for p in matched_persons(item)})

    def _parties_of(self, person_id: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for page in query_pages(
            self._client, TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :party)",
            ExpressionAttributeValues=to_item({":pk": keys.person_pk(person_id),
                                               ":party": "PARTY#"}),
        ):
            found += [from_item(i) for i in page["Items"]]
        return found

    def cases_tied_to(self, person_ids: list[str], uprn: str) -> list[str]:
        lookups = [i for p in person_ids for i in self._parties_of(p) if i.get("active", True)]
        party_keys = {(str(i["case_reference"]), str(i["party_id"])) for i in lookups}
        parties = self._batch_get([keys.party_key(ref, party) for ref, party in sorted(party_keys)],
                                  projection="case_reference, #tenancy, #unlinked",
                                  names={"#tenancy": "tenancy", "#unlinked": "unlinked"})
        return sorted({str(p["case_reference"]) for p in parties
                       if not p.get("unlinked") and (p.get("tenancy") or {}).get("uprn") == uprn})

    def record_reads(self, entries: list[AuditEntry], home_uprn: str | None = None) -> None:
        pk = keys.home_reads_pk(home_uprn) if home_uprn else None
        for entry in entries:
            self._client.put_item(TableName=self._table, Item=to_item({
                **audit_item(entry, pk), keys.ACCESS_ACTOR: entry.actor}))

