"""Retention covers parties and persons (issue 21, item 7): a closed case past retention loses
its parties' persons, tenancies, matches and reasons with the rest of its personal data; a person
whose every case is anonymised loses their record and their match keys; a person still in a kept
case keeps theirs. On the table made before parties, carried over (test_migrate_parties)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from types import ModuleType
from typing import Any

import boto3

from asb.case.retention import ERASED
from asb.dynamo.codec import from_item
from infra.migrate_parties import migrate
from tests.integration.helpers import Staff, case_partition, table_items
from tests.integration.test_migrate_parties import before  # noqa: F401 - the fixture
from tests.integration.test_retention import sweep

CASE, OTHER = "ASB-2026-000001", "ASB-2026-000004"
MANAGER = ("m.jones", "manager", "yeovil")


def _person(table: str, person_id: str) -> dict[str, Any] | None:
    answer = boto3.client("dynamodb").get_item(
        TableName=table, Key={"pk": {"S": f"PERSONID#{person_id}"}, "sk": {"S": "PERSON"}})
    return from_item(answer["Item"]) if "Item" in answer else None


def test_a_case_past_retention_takes_its_parties_persons_with_it_unless_kept_elsewhere(
        before: list[dict[str, Any]], table: str, staff: Staff,  # noqa: F811
        load_handler: Callable[[str], ModuleType]) -> None:
    migrate(boto3.client("dynamodb"), table)
    parties = {p["person"]["name"] if p.get("person") else None: p
               for p in staff.get(CASE, who=MANAGER)[1]["parties"]}
    ann, cat, bob = (parties[n]["person_id"] for n in ("Ann Example", "Cat Example",
                                                       "Bob Sample"))
    # Bob is also a witness on another case, which is kept.
    assert staff.write(OTHER, "parties", {"roles": ["witness"], "person_id": bob},
                       who=("m.jones", "manager", "central-intake"))[0] == 200
    assert staff.write(CASE, "closure", {
        "outcome": "resolved", "reasons": "The music stopped after our letter."})[0] == 200
    keep_until = date.fromisoformat(staff.get(CASE, who=MANAGER)[1]["case"]["retain_until"])

    retention = load_handler("RetentionFunction")
    assert sweep(retention, keep_until - timedelta(days=1)) == []
    assert sweep(retention, keep_until) == [CASE]

    erased = [i for i in case_partition(table, CASE) if i["entity"] == "Party"]
    assert len(erased) == 3 and not any("person_id" in p for p in erased)
    assert {tuple(p["roles"]) for p in erased} == {("complainant",), ("alleged_perpetrator",)}
    assert _person(table, ann) is None and _person(table, cat) is None
    assert _person(table, bob) is not None  # still a party of a case that is kept
    everything = table_items(table)
    text = json.dumps([i for i in everything if CASE in json.dumps(i)])
    for personal in ("Ann Example", "Cat Example", "ann@example.org", "07700 900 002"):
        assert personal not in text, personal
    lookups = [i for i in everything if i["entity"] == "PersonsParty"]
    assert {i["case_reference"] for i in lookups} == {OTHER}
    keys = {i["pk"]: i for i in everything if i["entity"] == "MatchKey"}
    named = {k.removeprefix("person:") for i in keys.values() for k in i if
             k.startswith("person:")}
    assert ann not in named and cat not in named
    # Ann's other record, on the case still kept, is as it was.
    other_ann = next(p for p in staff.get(OTHER, who=("m.jones", "manager", "central-intake"))[1][
        "parties"] if (p.get("person") or {}).get("name") == "Ann Example")
    assert _person(table, other_ann["person_id"]) is not None
    assert other_ann["person_id"] in named
    assert ERASED not in json.dumps(erased)  # none was unlinked: no reason to erase
