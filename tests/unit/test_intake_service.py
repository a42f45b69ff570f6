"""Opening a case from a report, exactly once, against an in-memory store."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from asb.clock import FixedClock
from asb.errors import IdempotencyKeyReused
from asb.intake import IntakeService
from asb.models.case import CaseStatus
from asb.next_steps import next_steps
from tests.conftest import sample_event
from tests.fakes import InMemoryIntakeStore

NOW = datetime(2026, 11, 25, 9, 15, tzinfo=UTC)


def report() -> dict[str, Any]:
    return json.loads(sample_event("intake-valid-json")["body"])


@pytest.fixture
def store() -> InMemoryIntakeStore:
    return InMemoryIntakeStore()


@pytest.fixture
def service(store: InMemoryIntakeStore) -> IntakeService:
    return IntakeService(store, FixedClock(NOW))


def test_references_are_sequential_within_the_year(service: IntakeService) -> None:
    first = service.submit(report(), "api")
    second = service.submit(report(), "api")
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
    assert opened.event.detail == {"report_id": receipt.report_id, "channel": "web_form"}


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
    anonymous_report = report()
    anonymous_report["anonymous"] = True
    anonymous = service.submit(anonymous_report, "api")
    assert "contact you within 5 working days" in next_steps(named)
    assert "cannot contact you" in next_steps(anonymous)
    assert "999" in next_steps(named) and "999" in next_steps(anonymous)
