"""Another team's case is "not found" - and found out no faster than a missing one: both stop at
the same first read, with the same calls to the table, before the case's partition is read or
unsealed or any audit entry written. The real store and service over a fake DynamoDB client
that records every call (timing itself is not tested: calls are what take the time)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from asb.case.change import CaseChange
from asb.case.models import Case, CaseStatus
from asb.casework.service import CaseService
from asb.casework.store import DynamoDBCaseStore
from asb.dynamo import keys
from asb.dynamo.case_items import case_item
from asb.dynamo.case_writer import report_reference_item
from asb.dynamo.codec import to_item
from asb.kernel.clock import FixedClock
from asb.kernel.errors import CaseNotFound
from asb.kernel.staff import StaffMember
from tests.fakes import RecordingDynamoDB

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
YEOVIL_CASE = "ASB-2026-000001"
NO_SUCH_CASE = "ASB-2026-000999"
JOINED_REPORT = "ASB-2026-000002"  # a report that joined YEOVIL_CASE, with its own reference
OUTSIDER = StaffMember("k.evans", frozenset({"officer"}), "taunton")
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")


class NoSealer:
    def seal(self, plain: bytes, context: dict[str, str]) -> bytes:
        raise AssertionError("nothing is sealed here")

    def unseal(self, sealed: bytes, context: dict[str, str]) -> bytes:
        raise AssertionError("nothing is unsealed here")


@pytest.fixture
def table() -> RecordingDynamoDB:
    case = Case(reference=YEOVIL_CASE, status=CaseStatus.OPEN, opened_at=NOW, updated_at=NOW,
                anonymous=False, behaviours=["noise"], hate_incident=False,
                location_address="12 Orchard Close, Yeovil", officer="o.hughes", team="yeovil")
    # As intake writes them: every report's reference names its case, the first report's (the
    # case's own reference) too.
    return RecordingDynamoDB([
        case_item(case),
        report_reference_item(YEOVIL_CASE, YEOVIL_CASE, "report-1", "hash-1"),
        report_reference_item(JOINED_REPORT, YEOVIL_CASE, "report-2", "hash-2")],
        blanked=(YEOVIL_CASE, NO_SUCH_CASE, JOINED_REPORT))


def unchanged(folder: Any) -> CaseChange:
    raise AssertionError("never reached for a case one cannot see")


# Every way the staff API reaches a case: its view, a file on it, a change to it.
ACCESSES: dict[str, Callable[[CaseService, str, StaffMember], Any]] = {
    "view": lambda service, reference, staff: service.view(reference, staff, "GET /cases/{r}"),
    "evidence": lambda service, reference, staff: service.evidence(
        reference, "0b7e4c1a-2f3d-4e5a-9b6c-7d8e9f0a1b2c", staff),
    "change": lambda service, reference, staff: service.change(
        reference, staff, '"1"', unchanged),
}


@pytest.mark.parametrize("access", ACCESSES)
def test_another_teams_case_makes_the_same_calls_as_a_missing_one(
        table: RecordingDynamoDB, access: str) -> None:
    service = CaseService(DynamoDBCaseStore(table, "cases", NoSealer()),  # type: ignore[arg-type]
                          FixedClock(NOW))
    made: dict[str, list[tuple[str, str]]] = {}
    for reference in (YEOVIL_CASE, JOINED_REPORT, NO_SUCH_CASE):
        table.calls.clear()
        with pytest.raises(CaseNotFound) as refused:
            ACCESSES[access](service, reference, OUTSIDER)
        assert str(refused.value) == f"There is no case {reference} that you can see"
        made[reference] = list(table.calls)
    assert made[YEOVIL_CASE] == made[JOINED_REPORT] == made[NO_SUCH_CASE]
    # which case the reference names, then that case's team (read alone): no more
    assert [operation for operation, _ in made[YEOVIL_CASE]] == ["GetItem", "GetItem"]


def test_an_officer_of_the_team_goes_on_to_read_the_case_and_the_read_is_recorded(
        table: RecordingDynamoDB) -> None:
    service = CaseService(DynamoDBCaseStore(table, "cases", NoSealer()),  # type: ignore[arg-type]
                          FixedClock(NOW))
    for reference in (YEOVIL_CASE, JOINED_REPORT):  # the case, by its own or a report's
        table.calls.clear()
        view = service.view(reference, OFFICER, "GET /cases/{reference}")
        assert view["case"]["reference"] == YEOVIL_CASE
        # The case without its audit trail, then the trail's newest entries, then this read.
        assert [operation for operation, _ in table.calls] == [
            "GetItem", "GetItem", "Query", "Query", "PutItem"]


def test_a_file_retention_erased_is_not_found_and_a_checked_one_opens(
        table: RecordingDynamoDB) -> None:
    """Retention removes a checked file's object key: opening it is a 404, not a 500."""
    checked = {**keys.record_id_key(YEOVIL_CASE, "Evidence", "e-1"), "entity": "Evidence",
               "record_id": "e-1", "at": NOW.isoformat(), "case_reference": YEOVIL_CASE,
               "kind": "image", "report_id": "report-1", "status": "checked",
               "content_type": "image/jpeg", "size": 1024, "checked_at": NOW.isoformat(),
               "object_key": f"evidence/{YEOVIL_CASE}/e-1"}
    erased = {**checked, **keys.record_id_key(YEOVIL_CASE, "Evidence", "e-2"), "record_id": "e-2"}
    del erased["object_key"]
    table.items |= {(i[keys.PK], i[keys.SK]): to_item(i) for i in (checked, erased)}
    service = CaseService(DynamoDBCaseStore(table, "cases", NoSealer()),  # type: ignore[arg-type]
                          FixedClock(NOW))
    assert service.evidence(YEOVIL_CASE, "e-1", OFFICER).object_key == checked["object_key"]
    with pytest.raises(CaseNotFound):
        service.evidence(YEOVIL_CASE, "e-2", OFFICER)
