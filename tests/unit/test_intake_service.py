"""Opening a case from a report, exactly once, against an in-memory store."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from asb.case.matters import matter_keys
from asb.case.models import CaseStatus
from asb.case.references import is_case_reference
from asb.intake.next_steps import next_steps
from asb.intake.service import IntakeService, parse_submission
from asb.kernel.clock import FixedClock
from asb.kernel.errors import IdempotencyKeyReused
from tests.conftest import sample_event
from tests.fakes import InMemoryIntakeStore

NOW = datetime(2026, 11, 25, 9, 15, tzinfo=UTC)


def report(address: str = "12 Orchard Close, Yeovil", perpetrator: str | None = None,
           postcode: str | None = "BA20 1AB",
           perpetrator_postcode: str | None = None) -> dict[str, Any]:
    data = json.loads(sample_event("intake-valid-json")["body"])
    data["location"]["address"] = address
    data["location"]["postcode"] = postcode
    data["perpetrator"]["address"] = perpetrator or "14 Orchard Close, Yeovil"
    data["perpetrator"]["postcode"] = perpetrator_postcode
    return data


@pytest.fixture
def store() -> InMemoryIntakeStore:
    return InMemoryIntakeStore()


@pytest.fixture
def service(store: InMemoryIntakeStore) -> IntakeService:
    return IntakeService(store, FixedClock(NOW))


def test_references_are_sequential_within_the_year(service: IntakeService) -> None:
    first = service.submit(report("1 Mill Lane", "2 Mill Lane"), "api")
    second = service.submit(report("9 Elm Row", "11 Elm Row"), "api")
    assert (first.reference, second.reference) == ("ASB-2026-000001", "ASB-2026-000002")


def test_a_report_opens_a_new_case_with_its_audit_line_and_event(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    receipt = service.submit(report(), "web_form")
    (opened,) = store.opened
    assert opened.case.reference == receipt.reference
    assert opened.case.status is CaseStatus.NEW
    assert opened.case.behaviours == ["noise", "verbal_abuse"]
    assert opened.report.report_id == receipt.report_id
    assert opened.audit.action == "CaseOpened"
    assert opened.audit.actor == "reporter:web_form"
    assert opened.event.type == "ReportReceived"
    assert opened.event.detail == {"report_id": receipt.report_id, "channel": "web_form",
                                   "joined": False}


def test_events_carry_no_personal_data(service: IntakeService, store: InMemoryIntakeStore) -> None:
    service.submit(report(), "api")
    text = store.opened[0].event.model_dump_json()
    for personal in ("Alex", "alex.morgan", "07700", "Orchard"):
        assert personal not in text


def test_a_retry_with_the_same_key_returns_the_same_reference_and_stores_one_case(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    first = service.submit(report(), "api", idempotency_key="k-1")
    again = service.submit(report(), "api", idempotency_key="k-1")
    assert again.reference == first.reference
    assert again.replayed and not first.replayed
    assert len(store.opened) == 1


def test_the_same_key_with_a_different_report_is_refused(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    service.submit(report(), "api", idempotency_key="k-1")
    changed = report()
    changed["incident"]["description"] = "Something else entirely happened last night."
    with pytest.raises(IdempotencyKeyReused):
        service.submit(changed, "api", idempotency_key="k-1")
    assert len(store.opened) == 1


def test_next_steps_differ_for_anonymous_reporters(service: IntakeService) -> None:
    named = service.submit(report(), "api")
    anonymous_report = report("3 Quarry Road", "5 Quarry Road")
    anonymous_report["anonymous"] = True
    anonymous = service.submit(anonymous_report, "api")
    # Noise and verbal abuse, no threats: category B, 3 working days from Wednesday
    # 25 November 2026 (the clock); by the reporter's email, with the link.
    assert "contact you by Monday 30 November 2026" in next_steps(named)
    assert "by email to say we have your report, with the link" in next_steps(named)
    assert "cannot contact you" in next_steps(anonymous)
    assert "it is the only way to follow your report" in next_steps(anonymous)
    assert "999" in next_steps(named) and "999" in next_steps(anonymous)


def test_a_replayed_submission_is_told_the_same(service: IntakeService) -> None:
    first = service.submit(report(), "api", idempotency_key="k-2")
    again = service.submit(report(), "api", idempotency_key="k-2")
    assert again.replayed and next_steps(again) == next_steps(first)


def test_a_report_about_the_same_place_joins_the_open_case_under_its_own_reference(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    first = service.submit(report(), "api")
    again = service.submit(report("12 orchard close yeovil", "30 Other Street", "ba201ab"),
                           "web_form")
    assert again.joined and len(store.opened) == 1
    (joined,) = store.joined
    assert joined.case_reference == first.reference
    assert joined.audit.action == "ReportAdded"
    assert joined.event.detail["joined"] is True
    # The reporter is told their own reference, never the case's: from the same counter and
    # in the same format, so nothing in it says a case was already open about that address.
    assert again.reference == joined.report.reference == "ASB-2026-000002"
    assert is_case_reference(again.reference)
    assert store.report_references == {first.reference: (first.reference, first.report_id),
                                       again.reference: (first.reference, again.report_id)}


def test_a_joining_reporter_is_told_what_a_new_cases_reporter_is_told(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    first = service.submit(report(), "api")
    joined = service.submit(report(), "api")
    alone = service.submit(report("1 Mill Lane, Yeovil", "2 Mill Lane, Yeovil", "BA21 5AA"),
                           "api")
    assert joined.joined and not alone.joined
    assert len({first.reference, joined.reference, alone.reference}) == 3
    assert next_steps(joined).replace(joined.reference, "REF") == \
        next_steps(alone).replace(alone.reference, "REF")


def test_a_replayed_joining_report_keeps_its_own_reference(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    first = service.submit(report(), "api")
    joined = service.submit(report(perpetrator="30 Other Street"), "api", idempotency_key="k-2")
    again = service.submit(report(perpetrator="30 Other Street"), "api", idempotency_key="k-2")
    assert again.replayed and again.reference == joined.reference != first.reference
    assert len(store.joined) == 1


def test_a_report_about_the_same_perpetrator_joins_only_with_their_postcode(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    service.submit(report("12 Orchard Close, Yeovil", "14 Orchard Close, Yeovil",
                          perpetrator_postcode="BA20 1AB"), "api")
    neighbour = service.submit(report("16 Orchard Close, Yeovil", "14, Orchard Close Yeovil",
                                      perpetrator_postcode="ba20 1ab"), "api")
    assert neighbour.joined
    no_postcode = service.submit(report("18 Orchard Close, Yeovil", "14 Orchard Close, Yeovil"),
                                 "api")
    assert not no_postcode.joined
    assert [o.report.reference for o in store.opened] == [o.case.reference for o in store.opened]


def test_the_same_address_in_another_town_does_not_join(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    service.submit(report("1 High Street", "3 High Street", "BA20 1AB",
                          perpetrator_postcode="BA20 1AB"), "api")
    place = service.submit(report("1 High Street", "5 Station Road", "TA1 1AA"), "api")
    perpetrator = service.submit(report("9 Church Lane", "3 High Street", "TA1 2BB",
                                        perpetrator_postcode="TA1 1AA"), "api")
    assert not place.joined and not perpetrator.joined
    assert len(store.opened) == 3 and store.joined == []


def test_without_a_postcode_a_report_opens_its_own_case(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    service.submit(report(postcode=None), "api")
    again = service.submit(report(postcode=None), "api")
    assert not again.joined and len(store.opened) == 2
    assert store.opened[0].case.matter_keys == []


def test_matter_keys_need_postcodes() -> None:
    def keys(data: dict[str, Any]) -> list[str]:
        return matter_keys(parse_submission(data, NOW))

    assert keys(report(postcode=None)) == []
    assert keys(report()) == ["LOCATION#BA20 1AB#12 ORCHARD CLOSE YEOVIL"]
    assert keys(report(postcode=None, perpetrator_postcode="ba201ab")) == [
        "PERPETRATOR#BA20 1AB#14 ORCHARD CLOSE YEOVIL"]


def test_after_closure_the_same_matter_opens_a_new_case_linked_to_the_old(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    first = service.submit(report(), "api")
    store.close(first.reference)
    later = service.submit(report(), "api")
    assert later.reference != first.reference and not later.joined
    assert store.opened[-1].case.linked_to == first.reference


def test_a_case_opened_by_someone_else_meanwhile_is_joined_not_duplicated(
    service: IntakeService, store: InMemoryIntakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    rival = service.submit(report(), "api")
    real_look_up = store.look_up
    calls = {"n": 0}

    def stale_then_fresh(*args: Any) -> Any:
        calls["n"] += 1
        answer = real_look_up(*args)
        return type(answer)(answer.record, {}) if calls["n"] == 1 else answer

    monkeypatch.setattr(store, "look_up", stale_then_fresh)
    mine = service.submit(report(), "api")
    assert mine.joined and mine.reference != rival.reference
    assert store.joined[0].case_reference == rival.reference
    assert len(store.opened) == 1
