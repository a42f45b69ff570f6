"""A case's audit trail grows with every read of it (each staff view writes an entry), so the
reads of a case leave it out: the case's own read, triage's and the notifier's read only the
rest of its partition, and the staff view reads the trail's newest entries apart."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

import boto3
import pytest

from asb import bootstrap
from asb.casework.service import AUDIT_SHOWN
from asb.dynamo.codec import from_item
from tests.conftest import LambdaContext
from tests.integration.helpers import (
    Staff,
    case_partition,
    earlier_views,
    outbox_events,
    queue_delivery,
)

EARLIER_VIEWS = AUDIT_SHOWN + 50


class ReadingClient:
    """boto3's DynamoDB client, keeping what each Query asked and the items it answered."""

    def __init__(self) -> None:
        self._client = boto3.client("dynamodb")
        self.queries: list[tuple[str, list[dict[str, Any]]]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def query(self, **arguments: Any) -> Any:
        answer = self._client.query(**arguments)
        self.queries.append((arguments["KeyConditionExpression"],
                             [from_item(i) for i in answer["Items"]]))
        return answer


def _viewed_before(table: str, reference: str, times: int) -> None:
    """The audit entries `times` earlier staff views of the case left, a minute apart, the last
    a day ago."""
    earlier_views(boto3.client("dynamodb"), table, reference, times,
                  datetime.now(UTC) - timedelta(days=1))


def _audit_read(client: ReadingClient, besides: Callable[[str], bool]) -> list[str]:
    """The audit entries the Queries matching `besides` answered."""
    return [i["sk"] for condition, items in client.queries if besides(condition)
            for i in items if i["sk"].startswith("AUDIT#")]


def _trail_query(condition: str) -> bool:
    return "begins_with(sk, :audit)" in condition


@pytest.fixture
def reading(staff: Staff, monkeypatch: pytest.MonkeyPatch) -> ReadingClient:
    """The staff read handler's service rebuilt, as at cold start, on a reading client."""
    client = ReadingClient()
    monkeypatch.setattr(staff.handlers["CaseQueries"], "service",
                        bootstrap.case_service(clients=bootstrap.Clients(dynamodb=client)))
    return client


def _viewed_often(staff: Staff, table: str) -> tuple[str, list[str], dict[str, Any]]:
    """A case with EARLIER_VIEWS earlier views: its reference, its audit trail's keys in order
    before this view, and this view."""
    reference = staff.open_case()
    _viewed_before(table, reference, EARLIER_VIEWS)
    trail = sorted(i["sk"] for i in case_partition(table, reference)
                   if i["entity"] == "AuditEntry")
    status, view = staff.get(reference)
    assert status == 200
    return reference, trail, view


def test_a_case_viewed_often_is_read_without_its_trail_and_shows_its_newest_entries(
        staff: Staff, table: str, reading: ReadingClient) -> None:
    _, trail, view = _viewed_often(staff, table)
    shown = [entry["detail"] for entry in view["timeline"] if entry["kind"] == "audit"]
    assert len(shown) == AUDIT_SHOWN and view["older_audit"]
    newest = {sk.split("#")[-1] for sk in trail[-AUDIT_SHOWN:]}
    assert {entry["entry_id"] for entry in shown} == newest  # this view's own entry is not one
    assert _audit_read(reading, lambda condition: not _trail_query(condition)) == []
    assert len(_audit_read(reading, _trail_query)) == AUDIT_SHOWN + 1  # one more: are there older?


def _pages(staff: Staff, reference: str, cursor: str | None, limit: int) -> list[dict[str, Any]]:
    """Every page of the audit trail from `cursor` on."""
    pages = []
    while True:
        query = {"limit": str(limit), **({"cursor": cursor} if cursor else {})}
        status, page = staff.call("case_queries-get-audit-trail", reference=reference,
                                  query=query)
        assert status == 200, page
        pages.append(page)
        cursor = page["cursor"]
        if cursor is None:
            return pages


def test_the_rest_of_the_trail_is_a_page_at_a_time_newest_first(
        staff: Staff, table: str) -> None:
    reference, trail, view = _viewed_often(staff, table)
    pages = _pages(staff, reference, view["older_audit"], 40)
    older = [e["detail"]["entry_id"] for page in pages for e in page["entries"]]
    assert older == [sk.split("#")[-1] for sk in reversed(trail[:-AUDIT_SHOWN])]
    assert {e["kind"] for page in pages for e in page["entries"]} == {"audit"}
    assert [len(page["entries"]) for page in pages][:-1] == [40] * (len(pages) - 1)
    # From the newest, the whole trail: the view's and each page's reads were audited too.
    whole = [e["detail"] for page in _pages(staff, reference, None, 200) for e in page["entries"]]
    assert len(whole) == len(trail) + 1 + len(pages)
    assert {e["action"] for e in whole[:1 + len(pages)]} == {"CaseViewed"}
    assert {e["after"]["route"] for e in whole[:len(pages)]} == {"GET /cases/{reference}/audit"}


def _cursor(before: object) -> str:
    return base64.urlsafe_b64encode(json.dumps({"before": before}).encode()).decode()


@pytest.mark.parametrize("cursor", [
    "not-base64!", "e30=", _cursor("CASE"), _cursor(7), _cursor(["AUDIT#"]),
    _cursor("AUDIT#2026-12-01T09:00:00.000000+00:00#" + "x" * 1500),
    _cursor("AUDIT#2026-12-01T09:00:00.000000+00:00#\ud800")],
    ids=["not a cursor", "empty", "outside the trail", "a number", "a list",
         "longer than a key", "not a key's characters"])
def test_a_cursor_that_is_not_the_trails_is_refused(staff: Staff, cursor: str) -> None:
    reference = staff.open_case()
    status, body = staff.call("case_queries-get-audit-trail", reference=reference,
                              query={"cursor": cursor})
    assert status == 422 and body["errors"][0]["field"] == "cursor"


def test_another_teams_trail_is_not_found(staff: Staff) -> None:
    reference = staff.open_case()
    status, _ = staff.call("case_queries-get-audit-trail", reference=reference,
                           who=("k.evans", "officer", "taunton"))
    assert status == 404


def test_a_case_with_a_short_trail_shows_all_of_it(staff: Staff, table: str) -> None:
    reference = staff.open_case()
    trail = {i["entry_id"] for i in case_partition(table, reference)
             if i["entity"] == "AuditEntry"}
    status, view = staff.get(reference)
    assert status == 200 and view["older_audit"] is None
    assert {e["detail"]["entry_id"] for e in view["timeline"] if e["kind"] == "audit"} == trail


def test_the_notifier_reads_the_case_without_its_trail(
        staff: Staff, table: str, load_handler: Callable[[str], ModuleType],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Its read was one page: a case with more than a page of audit entries, which sort before
    the case, would have been "not found", its messages never sent."""
    reference = staff.open_case()
    _viewed_before(table, reference, EARLIER_VIEWS)
    notifications, client = load_handler("NotificationFunction"), ReadingClient()
    monkeypatch.setattr(notifications, "service", bootstrap.notification_service(
        clients=bootstrap.Clients(dynamodb=client)))
    (triaged,) = outbox_events(table, reference, "CaseTriaged")
    assert notifications.lambda_handler(queue_delivery("notifications-case-triaged", triaged),
                                        LambdaContext()) == {"batchItemFailures": []}
    assert client.queries and _audit_read(client, lambda condition: True) == []
    assert any(i["entity"] == "Notification" for i in case_partition(table, reference))
