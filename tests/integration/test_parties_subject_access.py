"""Subject access finds a person through their party records (issue 21, item 7): their own
records, and every case they are a party of whatever their role, with their roles only - on the
table made before parties, carried over (test_migrate_parties)."""

from __future__ import annotations

import json
from typing import Any

import boto3

from infra.migrate_parties import migrate
from tests.integration.helpers import Staff, case_partition
from tests.integration.test_data_protection import access
from tests.integration.test_migrate_parties import before  # noqa: F401 - the fixture

CASE, OTHER = "ASB-2026-000001", "ASB-2026-000004"
MANAGER = ("m.jones", "manager", "yeovil")


def _carried_over(staff: Staff) -> dict[str | None, dict[str, Any]]:
    migrate(boto3.client("dynamodb"), staff.table)
    return {p["person"]["name"] if p.get("person") else None: p
            for p in staff.get(CASE, who=MANAGER)[1]["parties"]}


def test_a_reporter_gets_their_records_and_each_case_they_are_a_party_of(
        before: list[dict[str, Any]], staff: Staff) -> None:  # noqa: F811
    _carried_over(staff)
    status, body = access(staff, {"email": "ann@example.org"})
    assert status == 200
    assert sorted(r["email"] for r in body["your_records"]) == ["ann@example.org"] * 2
    assert sorted((p["case_reference"], tuple(p["your_roles"]))
                  for p in body["your_places_in_cases"]) == [
        (CASE, ("complainant",)), (OTHER, ("complainant",))]
    places = json.dumps(body["your_places_in_cases"])
    for someone_else in ("Cat Example", "Bob Sample", "Teenagers", "person_id"):
        assert someone_else not in places


def test_the_alleged_perpetrator_is_found_through_the_party_his_report_brought_in_every_role(
        before: list[dict[str, Any]], staff: Staff) -> None:  # noqa: F811
    bob = _carried_over(staff)["Bob Sample"]["person_id"]
    assert staff.write(OTHER, "parties", {"roles": ["witness"], "person_id": bob},
                       who=("m.jones", "manager", "central-intake"))[0] == 200

    status, body = access(staff, {"name": "Bob Sample", "address": "12 Larch Walk, Yeovil"})
    assert status == 200
    (record,) = body["your_records"]
    assert (record["person_id"], record["name"]) == (bob, "Bob Sample")
    assert sorted((p["case_reference"], tuple(p["your_roles"]))
                  for p in body["your_places_in_cases"]) == [
        (CASE, ("alleged_perpetrator",)), (OTHER, ("witness",))]
    text = json.dumps(body)
    assert "Ann Example" not in text and "ann@example.org" not in text
    # The case he is only a party of was read for it, and that read is audited there.
    (read,) = [i for i in case_partition(staff.table, OTHER)
               if i.get("action") == "SubjectAccessExported"]
    assert read["after"]["roles"] == ["witness"] and read["actor"] == "staff:d.price"


def test_someone_the_service_does_not_know_has_no_records(
        before: list[dict[str, Any]], staff: Staff) -> None:  # noqa: F811
    _carried_over(staff)
    status, body = access(staff, {"email": "nobody@example.org"})
    assert status == 200
    assert (body["cases"], body["your_records"], body["your_places_in_cases"]) == ([], [], [])
