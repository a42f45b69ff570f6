"""In-memory stand-ins for the DynamoDB adapters, for fast tests of the domain services."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from asb.case.homes import OWNED_TENURES, Home, Tenancy, address_order
from asb.case.models import JoinedReport, OpenedCase
from asb.dynamo import keys
from asb.dynamo.codec import from_item, to_item
from asb.intake.service import IdempotencyRecord, Lookup, Matter
from asb.kernel.errors import MATTER_CHANGED, VersionConflict


class InMemoryIntakeStore:
    def __init__(self) -> None:
        self.sequences: dict[int, int] = defaultdict(int)
        self.opened: list[OpenedCase] = []
        self.joined: list[JoinedReport] = []
        self.records: dict[str, IdempotencyRecord] = {}
        self.matters: dict[str, Matter] = {}
        # A reporter's own reference -> (case reference, report id), as the table keeps it.
        self.report_references: dict[str, tuple[str, str]] = {}

    def look_up(self, key_hash: str | None, matter_keys: list[str], now: datetime) -> Lookup:
        record = self.records.get(key_hash) if key_hash else None
        live = record if record and record.expires_at > now else None
        return Lookup(live, {k: self.matters[k] for k in matter_keys if k in self.matters})

    def next_reference_sequence(self, year: int) -> int:
        self.sequences[year] += 1
        return self.sequences[year]

    def _hold(self, idempotency: IdempotencyRecord | None, now: datetime) -> IdempotencyRecord | None:
        if idempotency:
            held = self.look_up(idempotency.key_hash, [], now).record
            if held:
                return held
            self.records[idempotency.key_hash] = idempotency
        return None

    def save_opened_case(
        self, opened: OpenedCase, idempotency: IdempotencyRecord | None, now: datetime
    ) -> IdempotencyRecord | None:
        if any(self.matters.get(k, Matter("", False)).open for k in opened.case.matter_keys):
            raise VersionConflict(MATTER_CHANGED)
        held = self._hold(idempotency, now)
        if held:
            return held
        self.opened.append(opened)
        self._resolve(opened.report.public_reference, opened.case.reference,
                      opened.report.report_id)
        for key in opened.case.matter_keys:
            self.matters[key] = Matter(opened.case.reference, True)
        return None

    def save_joined_report(
        self, joined: JoinedReport, idempotency: IdempotencyRecord | None, now: datetime
    ) -> IdempotencyRecord | None:
        matter = self.matters.get(joined.matter_key)
        if not matter or not matter.open or matter.case_reference != joined.case_reference:
            raise VersionConflict(MATTER_CHANGED)
        held = self._hold(idempotency, now)
        if held:
            return held
        self.joined.append(joined)
        self._resolve(joined.report.public_reference, joined.case_reference,
                      joined.report.report_id)
        return None

    def _resolve(self, reference: str, case_reference: str, report_id: str) -> None:
        assert reference not in self.report_references, "a reference is never given twice"
        self.report_references[reference] = (case_reference, report_id)

    def close(self, reference: str) -> None:
        for key, matter in self.matters.items():
            if matter.case_reference == reference:
                self.matters[key] = Matter(reference, False)


class RecordingDynamoDB:
    """A table held in memory; every call recorded with the references it names blanked out, so
    that calls about two references compare equal when they do the same work. UpdateItem does
    what the wrong-link count asks of it: ADD, SET and REMOVE of top-level attributes."""

    def __init__(self, items: list[dict[str, Any]], blanked: tuple[str, ...]) -> None:
        self.items = {(i[keys.PK], i[keys.SK]): to_item(i) for i in items}
        self.calls: list[tuple[str, str]] = []
        self._blanked = blanked

    def _record(self, operation: str, arguments: dict[str, Any]) -> None:
        shown = str({k: v for k, v in arguments.items() if k != "TableName"})
        for reference in self._blanked:
            shown = shown.replace(reference, "<reference>")
        self.calls.append((operation, shown))

    def get_item(self, **arguments: Any) -> dict[str, Any]:
        self._record("GetItem", arguments)
        key = from_item(arguments["Key"])
        found = self.items.get((key[keys.PK], key[keys.SK]))
        return {"Item": found} if found else {}

    def query(self, **arguments: Any) -> dict[str, Any]:
        """The partition's items in sk order, as far as the sort key conditions the stores use
        (`sk >= :v`, `begins_with(sk, :v)`), ScanIndexForward and Limit say."""
        self._record("Query", arguments)
        values = from_item(arguments["ExpressionAttributeValues"])
        condition = arguments["KeyConditionExpression"]
        at_least = re.search(r"sk >= (:\w+)", condition)
        prefix = re.search(r"begins_with\(sk, (:\w+)\)", condition)
        found = [i for (p, sk), i in sorted(self.items.items())
                 if p == values[":pk"] and (not at_least or sk >= values[at_least.group(1)])
                 and (not prefix or sk.startswith(values[prefix.group(1)]))]
        if arguments.get("ScanIndexForward") is False:
            found.reverse()
        return {"Items": found[:arguments.get("Limit", len(found))]}

    def put_item(self, **arguments: Any) -> dict[str, Any]:
        self._record("PutItem", arguments)
        return {}

    def transact_write_items(self, **arguments: Any) -> dict[str, Any]:
        self._record("TransactWriteItems", arguments)
        return {}

    def update_item(self, **arguments: Any) -> dict[str, Any]:
        self._record("UpdateItem", arguments)
        key = from_item(arguments["Key"])
        item = from_item(self.items.get((key[keys.PK], key[keys.SK]), to_item(key)))
        names = arguments.get("ExpressionAttributeNames", {})
        values = from_item(arguments.get("ExpressionAttributeValues", {}))
        for clause, body in re.findall(r"(ADD|SET|REMOVE) (.*?)(?= ADD | SET | REMOVE |$)",
                                       arguments["UpdateExpression"]):
            for part in body.split(","):
                words = part.replace("=", " ").split()
                name = names.get(words[0], words[0])
                if clause == "ADD":
                    item[name] = item.get(name, 0) + values[words[1]]
                elif clause == "SET":
                    item[name] = values[words[1]]
                else:
                    item.pop(name, None)
        self.items[(key[keys.PK], key[keys.SK])] = to_item(item)
        assert arguments.get("ReturnValues") == "ALL_NEW"
        return {"Attributes": to_item(item)}


class RecordingTransactions:
    """A DynamoDB client that keeps every TransactWriteItems call whole (its TransactItems and
    ClientRequestToken), and cancels the next one with the given reasons when told to, as
    DynamoDB does: a TransactionCanceledException carrying one reason per item. GetItem answers
    the case's current version (`current_version`), the only read a writer makes."""

    def __init__(self, current_version: int | None = None) -> None:
        self.transactions: list[dict[str, Any]] = []
        self.current_version = current_version
        self._cancel_with: list[str] | None = None
        self._held: dict[str, Any] | None = None

    def cancel_next(self, codes: list[str], last_held: dict[str, Any] | None = None) -> None:
        """`last_held`: the item the last one's condition found (ReturnValuesOnConditionCheckFailure)."""
        self._cancel_with, self._held = codes, last_held

    def transact_write_items(self, **arguments: Any) -> dict[str, Any]:
        self.transactions.append(arguments)
        codes, self._cancel_with = self._cancel_with, None
        if codes is not None:
            reasons: list[dict[str, Any]] = [{"Code": c} for c in codes]
            if self._held is not None:
                reasons[-1]["Item"] = to_item(self._held)
            raise ClientError({"Error": {"Code": "TransactionCanceledException",
                                         "Message": "Transaction cancelled"},
                               "CancellationReasons": reasons}, "TransactWriteItems")
        return {}

    def get_item(self, **arguments: Any) -> dict[str, Any]:
        if self.current_version is None:
            return {}
        return {"Item": to_item({"version": self.current_version})}

    def batch_get_item(self, **arguments: Any) -> dict[str, Any]:
        """Intake's read of the match keys: nobody known yet."""
        return {"Responses": {}}


class FakeHomesRegister:
    """asb.case.homes.HomesRegister in memory, from a list of homes and tenancies: what the
    DynamoDB register (asb.homes.store) answers, for unit tests of intake, triage and figures."""

    def __init__(self, homes: list[Home] | None = None,
                 tenancies: list[Tenancy] | None = None) -> None:
        self.homes = {home.uprn: home for home in homes or []}
        self.tenancies = {tenancy.reference: tenancy for tenancy in tenancies or []}

    def homes_at(self, postcode: str) -> list[Home]:
        """The landlord's homes at the postcode (not those not_ours or gone), by address."""
        return sorted((home for home in self.homes.values()
                       if home.postcode == postcode and home.landlords), key=address_order)

    def home(self, uprn: str) -> Home | None:
        return self.homes.get(uprn)

    def tenancies_of(self, uprn: str) -> list[Tenancy]:
        return sorted((t for t in self.tenancies.values() if t.uprn == uprn),
                      key=lambda t: (t.start_date, t.reference), reverse=True)

    def tenancy(self, reference: str) -> Tenancy | None:
        return self.tenancies.get(reference)

    def homes_owned(self) -> int:
        return sum(1 for home in self.homes.values()
                   if home.tenure in OWNED_TENURES and home.left_register_on is None)


class InMemoryCaseFiles:
    """The evidence bucket (asb.tracking.store.S3CaseFiles) as a dict of objects by key."""

    def __init__(self, objects: dict[str, bytes] | None = None) -> None:
        self.objects: dict[str, bytes] = dict(objects or {})
        self.copies: list[str] = []
        self.forms: list[tuple[str, int]] = []

    def statement_upload_form(self, key: str, largest: int) -> dict[str, Any]:
        self.forms.append((key, largest))
        return {"url": "https://evidence.example/", "fields": {"key": key}}

    def head(self, key: str) -> int | None:
        return len(self.objects[key]) if key in self.objects else None

    def first_bytes(self, key: str, count: int) -> bytes:
        return self.objects[key][:count]

    def copy(self, incoming: str, kept: str) -> None:
        self.objects[kept] = self.objects[incoming]
        self.copies.append(kept)

    def discard(self, key: str) -> None:
        self.objects.pop(key, None)
