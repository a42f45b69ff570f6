"""Rectification and erasure cover a person's record and their party records (issue 21, item 7),
on the table made before parties, carried over (test_migrate_parties)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from asb import bootstrap
from asb.case.people import email_key, phone_key
from asb.dynamo.codec import from_item
from infra.migrate_parties import migrate
from tests.integration.helpers import Staff, case_partition
from tests.integration.test_data_protection import access, dpo_write
from tests.integration.test_migrate_parties import before  # noqa: F401 - the fixture

CASE = "ASB-2026-000001"
ANNS_REPORT, CATS_REPORT = ("36ca34d1-fac2-44f6-9266-12ea586938eb",
                            "923845e5-fa16-406d-a18c-f0037f8e42bb")
MANAGER = ("m.jones", "manager", "yeovil")


def _item(table: str, pk: str, sk: str) -> dict[str, Any] | None:
    answer = boto3.client("dynamodb").get_item(TableName=table,
                                               Key={"pk": {"S": pk}, "sk": {"S": sk}})
    return from_item(answer["Item"]) if "Item" in answer else None


def _named(table: str, key: str) -> set[str]:
    item = _item(table, f"MATCHKEY#{key}", "MATCHKEY") or {}
    return {k.removeprefix("person:") for k in item if k.startswith("person:")}


def _parties(staff: Staff) -> dict[str | None, dict[str, Any]]:
    return {p["person"]["name"] if p.get("person") else None: p
            for p in staff.get(CASE, who=MANAGER)[1]["parties"]}


def test_a_correction_on_a_report_corrects_the_persons_record_and_their_match_keys(
        before: list[dict[str, Any]], staff: Staff) -> None:  # noqa: F811
    migrate(boto3.client("dynamodb"), staff.table)
    ann = _parties(staff)["Ann Example"]["person_id"]
    correction = {"report_id": ANNS_REPORT, "person": "reporter", "field": "email",
                  "value": "ann.new@example.org",
                  "reason": "Ann says the address we hold is one she no longer uses."}
    assert dpo_write(staff, CASE, "rectification", correction)[0] == 200

    record = _item(staff.table, f"PERSONID#{ann}", "PERSON")
    assert record and (record["email"], record["version"]) == ("ann.new@example.org", 2)
    assert ann not in _named(staff.table, f"email:{email_key('ann@example.org')}")
    assert ann in _named(staff.table, f"email:{email_key('ann.new@example.org')}")
    (entry,) = [i for i in case_partition(staff.table, CASE)
                if i.get("action") == "PersonalDataRectified"]
    assert entry["after"]["person_id"] == ann and "ann.new" not in str(entry)
    found = access(staff, {"email": "ann.new@example.org"})[1]
    assert [r["person_id"] for r in found["your_records"]] == [ann]


def test_erasing_a_report_erases_the_party_it_brought_and_a_person_no_case_needs(
        before: list[dict[str, Any]], staff: Staff) -> None:  # noqa: F811
    migrate(boto3.client("dynamodb"), staff.table)
    parties = _parties(staff)
    cat, ann = parties["Cat Example"], parties["Ann Example"]
    assert staff.write(CASE, "closure", {
        "outcome": "resolved", "reasons": "The music stopped after our letter."})[0] == 200
    erasure = {"report_id": CATS_REPORT,
               "reason": "Cat asked for erasure; the case closed without action."}
    assert dpo_write(staff, CASE, "erasure", erasure)[0] == 200

    party = _item(staff.table, f"CASE#{CASE}", f"PARTY#{cat['party_id']}")
    assert party and "person_id" not in party and party["roles"] == ["complainant"]
    assert _item(staff.table, f"PERSONID#{cat['person_id']}", "PERSON") is None
    assert _item(staff.table, f"PERSONID#{cat['person_id']}",
                 f"PARTY#{CASE}#{cat['party_id']}") is None
    assert cat["person_id"] not in _named(staff.table, f"phone:{phone_key('07700 900 002')}")
    assert access(staff, {"phone": "07700 900 002"})[1]["your_records"] == []
    # Ann's party and record, from her own report, are as they were.
    assert _item(staff.table, f"PERSONID#{ann['person_id']}", "PERSON") is not None
    (entry,) = [i for i in case_partition(staff.table, CASE)
                if i.get("action") == "PersonalDataErased"]
    assert entry["after"]["parties"] == [cat["party_id"]]
    # The record went in the erasure's one transaction, which says so by id alone.
    assert entry["after"]["person_records_erased"] == [cat["person_id"]]
    assert "07700 900 002" not in str(entry) and "Cat Example" not in str(entry)


class ThrottledOutsideTransactions:
    """The table's client, except that every DeleteItem or UpdateItem made outside a transaction
    is throttled, as DynamoDB may throttle any one call."""

    def __init__(self) -> None:
        self._client = boto3.client("dynamodb")
        self.throttled: list[str] = []

    def __getattr__(self, name: str) -> Any:
        if name not in ("delete_item", "update_item"):
            return getattr(self._client, name)

        def throttle(**_: Any) -> None:
            self.throttled.append(name)
            raise ClientError({"Error": {"Code": "ThrottlingException",
                                         "Message": "Rate exceeded"}}, name)
        return throttle


def test_an_erasure_erases_the_person_no_case_needs_in_its_one_transaction(
        before: list[dict[str, Any]], staff: Staff,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A write after the case's transaction could fail with the erasure committed: a 500, and a
    retry would find nothing to erase, leaving the person's record and keys for ever."""
    migrate(boto3.client("dynamodb"), staff.table)
    cat = _parties(staff)["Cat Example"]
    assert staff.write(CASE, "closure", {
        "outcome": "resolved", "reasons": "The music stopped after our letter."})[0] == 200
    client = ThrottledOutsideTransactions()
    monkeypatch.setattr(staff.handlers["DataProtection"], "service",
                        bootstrap.data_protection(clients=bootstrap.Clients(dynamodb=client)))

    erasure = {"report_id": CATS_REPORT,
               "reason": "Cat asked for erasure; the case closed without action."}
    status, answer = dpo_write(staff, CASE, "erasure", erasure)

    assert status == 200, answer
    assert client.throttled == []
    assert _item(staff.table, f"PERSONID#{cat['person_id']}", "PERSON") is None
    assert cat["person_id"] not in _named(staff.table, f"phone:{phone_key('07700 900 002')}")
