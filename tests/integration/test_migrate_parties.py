"""The carry-over of cases from before parties (infra/migrate_parties.py), on a table made by the
code before them: tests/fixtures/table_before_parties.json, 48 items that
tests/fixtures/make_table_before_parties.py made at commit bd4170e (four reports: one joined to
another's case, one anonymous, one with an alleged perpetrator described but not named)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest

from asb.dynamo.codec import from_item
from asb.dynamo.sealing import SEALED, KmsSealer
from infra.migrate_parties import main, migrate
from tests.integration.helpers import Staff, table_items

BEFORE = Path(__file__).parents[1] / "fixtures" / "table_before_parties.json"
ANN, CAT, BOB = "Ann Example", "Cat Example", "Bob Sample"
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
# The harm every fixture report gave (its generator's `base`), sealed when it was made.
HARM = {"harm": {"feels_unsafe": True, "targeted_for_identity": [], "affects_health": True}}


@pytest.fixture
def before(aws: Any, table: str) -> list[dict[str, Any]]:
    """The fixture's items in the table. Its reports' harm answers were sealed under the data
    key of the moto that made them, which no other moto can open: they are sealed again, the
    same answers under this one's key, so that the case pages can read them."""
    sealer = KmsSealer(boto3.client("kms"), str(aws.ref("DataKey")))
    client = boto3.client("dynamodb")
    for item in json.loads(BEFORE.read_text())["items"]:
        if item["entity"]["S"] == "Report":
            context = {"case_reference": item["case_reference"]["S"],
                       "report_id": item["report_id"]["S"]}
            sealed = sealer.seal(json.dumps(HARM).encode(), context)
            item["submission"]["M"][SEALED] = {"S": base64.b64encode(sealed).decode()}
        client.put_item(TableName=table, Item=item)
    return _everything(table)


def _everything(table: str) -> list[dict[str, Any]]:
    return sorted(table_items(table), key=lambda i: (i["pk"], i["sk"]))


def _of(items: list[dict[str, Any]], entity: str) -> list[dict[str, Any]]:
    return [i for i in items if i["entity"] == entity]


def _person(items: list[dict[str, Any]], party: dict[str, Any]) -> dict[str, Any]:
    return next(i for i in _of(items, "Person") if i["person_id"] == party["person_id"])


def test_cases_before_parties_are_carried_over_once(before: list[dict[str, Any]], table: str,
                                                    staff: Staff) -> None:
    client = boto3.client("dynamodb")
    counts = migrate(client, table)
    after = _everything(table)
    assert counts["cases carried over"] == 3
    assert counts["persons"] == 5

    new = [i for i in after if i not in before]
    assert [i for i in before if i not in after] == []  # nothing that was there changed
    assert {i["entity"] for i in new} == {"Party", "PersonsParty", "Person", "MatchKey",
                                          "AuditEntry"}
    parties = {(i["case_reference"], tuple(i["roles"]), _name(new, i)): i
               for i in _of(new, "Party")}
    assert set(parties) == {
        ("ASB-2026-000001", ("complainant",), ANN), ("ASB-2026-000001", ("complainant",), CAT),
        ("ASB-2026-000001", ("alleged_perpetrator",), BOB),  # two reports name him: one party
        ("ASB-2026-000003", ("complainant",), None),  # anonymous: no person
        ("ASB-2026-000004", ("complainant",), ANN),
        ("ASB-2026-000004", ("alleged_perpetrator",), None)}
    assert {(p["roles"][0], p["status"]) for p in parties.values()} == {
        ("complainant", "confirmed"), ("alleged_perpetrator", "proposed")}  # as intake has them
    assert {p["added_by"] for p in parties.values()} == {"system:migration"}
    anonymous = parties[("ASB-2026-000003", ("complainant",), None)]
    assert "person_id" not in anonymous
    bob = _person(new, parties[("ASB-2026-000001", ("alleged_perpetrator",), BOB)])
    assert (bob["address"], bob["postcode"], bob["description"]) == (
        "12 Larch Walk, Yeovil", "BA20 9ZZ", "Tall, about 40")
    unnamed = parties[("ASB-2026-000004", ("alleged_perpetrator",), None)]
    assert _person(new, unnamed)["description"] == "Teenagers on bikes"
    ann = _person(new, parties[("ASB-2026-000001", ("complainant",), ANN)])
    assert (ann["email"], ann["phone"], ann["address"]) == (
        "ann@example.org", "07700 900 001", "10 Larch Walk, Yeovil")

    # Ann reported twice: two persons, each proposed as the other (same email), never merged.
    first, again = (parties[(case, ("complainant",), ANN)]
                    for case in ("ASB-2026-000001", "ASB-2026-000004"))
    assert first["proposed_matches"] == [{"person_id": again["person_id"],
                                          "reasons": ["same_email"]}]
    assert again["proposed_matches"] == [{"person_id": first["person_id"],
                                          "reasons": ["same_email"]}]
    assert not any(p.get("merged_into") for p in _of(new, "Person"))
    assert parties[("ASB-2026-000001", ("complainant",), CAT)].get("proposed_matches", []) == []

    audits = _of(new, "AuditEntry")
    assert sorted(a["case_reference"] for a in audits) == [
        "ASB-2026-000001", "ASB-2026-000003", "ASB-2026-000004"]
    assert {(a["action"], a["actor"]) for a in audits} == {("PartiesMigrated", "system:migration")}
    assert ANN not in json.dumps(audits) and "ann@example.org" not in json.dumps(audits)
    lookups = _of(new, "PersonsParty")
    assert len(lookups) == 5  # each person's lookup of their party: a person's cases in a Query

    assert migrate(client, table)["cases carried over"] == 0  # again: nothing to do
    assert _everything(table) == after

    for case in _of(before, "Case"):
        status, answer = staff.get(case["reference"], who=("m.jones", "manager", case["team"]))
        assert status == 200
        assert {p["party_id"] for p in answer["parties"]} == {
            p["party_id"] for p in parties.values() if p["case_reference"] == case["reference"]}


def _name(items: list[dict[str, Any]], party: dict[str, Any]) -> str | None:
    if "person_id" not in party:
        return None
    return _person(items, party).get("name")


def test_a_run_stopped_half_way_runs_again(before: list[dict[str, Any]], table: str) -> None:
    """Case 4 not carried over (as if the run stopped before it): the next run carries over
    that case only, with the ids the first would have given."""
    client = boto3.client("dynamodb")
    migrate(client, table, now=NOW)
    whole = _everything(table)
    undone = [i for i in whole if i not in before and (
        i.get("case_reference") == "ASB-2026-000004" and i["entity"] != "PersonsParty")]
    persons = {i["person_id"] for i in undone if i["entity"] == "Party" and "person_id" in i}
    for item in [*undone, *(i for i in whole if i["entity"] == "PersonsParty"
                            and i["case_reference"] == "ASB-2026-000004"),
                 *(i for i in whole if i["entity"] == "Person" and i["person_id"] in persons)]:
        client.delete_item(TableName=table, Key={"pk": {"S": item["pk"]},
                                                 "sk": {"S": item["sk"]}})

    counts = migrate(client, table, now=NOW)
    assert counts["cases carried over"] == 1 and counts["persons"] == 2
    assert _everything(table) == whole


def test_a_dry_run_prints_counts_and_writes_nothing(
        before: list[dict[str, Any]], table: str, capsys: pytest.CaptureFixture[str]) -> None:
    main([table, "--dry-run"])
    printed = capsys.readouterr().out
    assert "dry run: nothing written" in printed
    assert "cases carried over: 3" in printed and "persons: 5" in printed
    assert "anonymous complainants: 1" in printed
    assert not any(name in printed for name in (ANN, CAT, BOB, "ann@example.org", "Larch"))
    assert _everything(table) == before


def test_the_fixture_is_what_the_code_before_parties_stored() -> None:
    items = [from_item(i) for i in json.loads(BEFORE.read_text())["items"]]
    assert len(items) == 48
    assert not {"Party", "Person", "PersonsParty", "MatchKey"} & {i["entity"] for i in items}
