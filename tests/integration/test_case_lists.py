"""GET /cases gives each case what to triage by - its behaviours and its place - read for the
whole page in one BatchGetItem beyond the listing indexes, against moto."""

from __future__ import annotations

import os
from types import ModuleType
from typing import Any

import boto3
import pytest

from asb.casework.store import DETAIL_READ_ATTEMPTS, DynamoDBCaseStore, ListUnavailable
from asb.dynamo.sealing import KmsSealer
from tests.integration.helpers import Staff

MANAGER = ("m.jones", "manager", "")


def listed(staff: Staff, query: dict[str, str],
           who: tuple[str, str, str] = ("o.hughes", "officer", "yeovil")) -> list[dict[str, Any]]:
    status, page = staff.call("case_queries-list-team", query=query, who=who)
    assert status == 200, page
    return list(page["cases"])


def test_every_list_gives_each_case_its_behaviours_and_place(staff: Staff) -> None:
    noisy = staff.open_case("Flat 3, 14 Orchard Close, Yeovil")
    threatening = staff.open_case("7 Alder Walk, Yeovil", ["threats", "verbal_abuse"])
    expected = {
        noisy: ([{"code": "noise", "label": "Loud noise"},
                 {"code": "verbal_abuse", "label": "Verbal abuse or insults"}],
                {"postcode": "BA20 1AB", "area": "Orchard Close"}),
        threatening: ([{"code": "threats", "label": "Threats"},
                       {"code": "verbal_abuse", "label": "Verbal abuse or insults"}],
                      {"postcode": "BA20 1AB", "area": "Alder Walk"}),
    }
    for query in ({}, {"view": "mine"}, {"status": "triaged"}, {"category": "A"},
                  {"emergency": "true"}, {"limit": "1"}):
        cases = listed(staff, query)
        assert cases, query
        for case in cases:
            assert (case["behaviours"], case["place"]) == expected[case["reference"]], query
            assert "location_address" not in case  # the street, never the door
    assert {c["reference"] for c in listed(staff, {}, who=MANAGER)} == set(expected)


class Throttled:
    """The DynamoDB client, except that its first `times` BatchGetItems leave every key
    unprocessed, as DynamoDB does when a table is throttled."""

    def __init__(self, client: Any, times: int) -> None:
        self._client = client
        self.times = times
        self.batches = 0

    def batch_get_item(self, **arguments: Any) -> Any:
        self.batches += 1
        if self.times:
            self.times -= 1
            return {"Responses": {}, "UnprocessedKeys": arguments["RequestItems"]}
        return self._client.batch_get_item(**arguments)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def throttled_store(table: str, times: int) -> tuple[DynamoDBCaseStore, Throttled, list[float]]:
    client = Throttled(boto3.client("dynamodb"), times)
    pauses: list[float] = []
    store = DynamoDBCaseStore(client, table,  # type: ignore[arg-type]
                              KmsSealer(boto3.client("kms"), os.environ["DATA_KEY_ID"]),
                              pauses.append)
    return store, client, pauses


def test_keys_left_unprocessed_are_asked_again_a_few_times(staff: Staff) -> None:
    reference = staff.open_case()
    store, client, pauses = throttled_store(staff.table, DETAIL_READ_ATTEMPTS - 1)
    page = store.list_cases([("team", "yeovil")], 25, None)
    assert [c["behaviours"] for c in page.items] == [["noise", "verbal_abuse"]]
    assert page.items[0]["reference"] == reference
    assert client.batches == DETAIL_READ_ATTEMPTS and pauses == [0.1, 0.2, 0.4]

    store, client, _ = throttled_store(staff.table, DETAIL_READ_ATTEMPTS)
    with pytest.raises(ListUnavailable):
        store.list_cases([("team", "yeovil")], 25, None)
    assert client.batches == DETAIL_READ_ATTEMPTS  # bounded: then the list says so


def test_a_list_still_throttled_after_its_retries_answers_503(
        staff: Staff, handlers: dict[str, ModuleType], monkeypatch: pytest.MonkeyPatch) -> None:
    staff.open_case()
    store, _, _ = throttled_store(staff.table, DETAIL_READ_ATTEMPTS)
    monkeypatch.setattr(handlers["CaseQueries"].service, "_store", store)
    status, body = staff.call("case_queries-list-team", query={})
    assert status == 503 and "try again" in body["message"]
