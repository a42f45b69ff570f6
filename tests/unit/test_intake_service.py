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
from asb.intake.service import HOME_ELSEWHERE, UNKNOWN_HOME, IntakeService, parse_submission
from asb.kernel.clock import FixedClock
from asb.kernel.errors import IdempotencyKeyReused, InvalidReport
from tests.conftest import sample_event
from tests.fakes import FakeHomesRegister, InMemoryIntakeStore
from tests.landlords_homes import (
    ELM_ROW,
    HOMES,
    NUMBER_14,
    NUMBER_16,
    NUMBER_18,
    ORCHARD_CLOSE,
    TENANCIES,
    TENANCY_14,
)

NOW = datetime(2026, 11, 25, 9, 15, tzinfo=UTC)


def report(address: str = "12 Orchard Close, Yeovil", perpetrator: str | None = None,
           postcode: str | None = "BA20 1AB",
           perpetrator_postcode: str | None = None,
           perpetrator_uprn: str | None = None) -> dict[str, Any]:
    data = json.loads(sample_event("intake-valid-json")["body"])
    data["location"]["address"] = address
    data["location"]["postcode"] = postcode
    data["perpetrator"]["address"] = perpetrator or "14 Orchard Close, Yeovil"
    data["perpetrator"]["postcode"] = perpetrator_postcode
    if perpetrator_uprn:
        data["perpetrator"]["uprn"] = perpetrator_uprn
    return data


def about_number_14(address: str = "12 Orchard Close, Yeovil",
                    perpetrator: str | None = None) -> dict[str, Any]:
    """A report whose reporter picked number 14 from the landlord's homes as where the person
    doing it lives (whatever they wrote of the place)."""
    return report(address, perpetrator, perpetrator_postcode=ORCHARD_CLOSE,
                  perpetrator_uprn=NUMBER_14.uprn)


@pytest.fixture
def store() -> InMemoryIntakeStore:
    return InMemoryIntakeStore()


@pytest.fixture
def service(store: InMemoryIntakeStore) -> IntakeService:
    return IntakeService(store, FixedClock(NOW), homes=FakeHomesRegister(HOMES, TENANCIES))


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


def test_a_report_about_the_same_tenancy_joins_the_open_case_under_its_own_reference(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    first = service.submit(about_number_14(), "api")
    again = service.submit(about_number_14("16 Orchard Close, Yeovil", "Flat over the shop"),
                           "web_form")
    assert again.joined and len(store.opened) == 1
    (joined,) = store.joined
    assert joined.case_reference == first.reference
    assert joined.matter_key == f"TENANCY#{TENANCY_14.reference}"
    assert joined.audit.action == "ReportAdded" and joined.audit.after["matched_on"] == "tenancy"
    assert joined.event.detail["joined"] is True
    # The reporter is told their own reference, never the case's: from the same counter and
    # in the same format, so nothing in it says a case was already open about that home.
    assert again.reference == joined.report.reference == "ASB-2026-000002"
    assert is_case_reference(again.reference)
    assert store.report_references == {first.reference: (first.reference, first.report_id),
                                       again.reference: (first.reference, again.report_id)}


def test_the_report_records_the_alleged_perpetrators_home_and_current_tenancy(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    service.submit(about_number_14(), "api")
    (opened,) = store.opened
    assert (opened.report.perpetrator_home, opened.report.perpetrator_tenancy) == (
        NUMBER_14.uprn, TENANCY_14.reference)  # not the tenancy that ended there in 2025
    assert opened.case.matter_keys == [f"TENANCY#{TENANCY_14.reference}"]


def test_a_joining_reporter_is_told_what_a_new_cases_reporter_is_told(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    first = service.submit(about_number_14(), "api")
    joined = service.submit(about_number_14(), "api")
    alone = service.submit(report("1 Mill Lane, Yeovil", "2 Mill Lane, Yeovil", "BA21 5AA"),
                           "api")
    assert joined.joined and not alone.joined
    assert len({first.reference, joined.reference, alone.reference}) == 3
    assert next_steps(joined).replace(joined.reference, "REF") == \
        next_steps(alone).replace(alone.reference, "REF")


def test_a_replayed_joining_report_keeps_its_own_reference(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    first = service.submit(about_number_14(), "api")
    joined = service.submit(about_number_14("30 Other Street"), "api", idempotency_key="k-2")
    again = service.submit(about_number_14("30 Other Street"), "api", idempotency_key="k-2")
    assert again.replayed and again.reference == joined.reference != first.reference
    assert len(store.joined) == 1


def test_the_same_address_in_words_never_joins_a_case(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    # Before issue 21 these joined: the same place, and the same perpetrator's address and
    # postcode, typed alike. Words are not a person: each opens its own case.
    service.submit(report(perpetrator_postcode="BA20 1AB"), "api")
    place = service.submit(report("12 orchard close yeovil", "30 Other Street", "ba201ab"), "api")
    perpetrator = service.submit(report("16 Orchard Close, Yeovil", "14, Orchard Close Yeovil",
                                        perpetrator_postcode="ba20 1ab"), "api")
    assert not place.joined and not perpetrator.joined
    assert len(store.opened) == 3 and store.joined == []
    assert [o.case.matter_keys for o in store.opened] == [[], [], []]
    assert [o.report.reference for o in store.opened] == [o.case.reference for o in store.opened]


def test_a_home_without_a_current_tenancy_or_not_the_landlords_joins_nothing(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    for home in (NUMBER_16, NUMBER_18, NUMBER_16, NUMBER_18):
        service.submit(report(perpetrator=home.address, perpetrator_uprn=home.uprn), "api")
    assert store.joined == [] and len(store.opened) == 4
    assert [(o.report.perpetrator_home, o.report.perpetrator_tenancy)
            for o in store.opened[:2]] == [(NUMBER_16.uprn, None), (NUMBER_18.uprn, None)]


def test_domestic_abuse_is_never_joined_to_a_neighbour_case_about_the_same_tenancy(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    neighbour = service.submit(about_number_14(), "api")
    abuse = about_number_14()
    abuse["incident"]["behaviours"] = ["domestic_abuse"]
    abused = service.submit(abuse, "api")
    later = service.submit(about_number_14(), "api")
    assert not abused.joined and later.joined
    assert store.joined[0].case_reference == neighbour.reference
    assert store.opened[1].case.matter_keys == []
    assert [o.case.pathway for o in store.opened] == ["asb", "domestic_abuse"]


@pytest.mark.parametrize(("part", "uprn", "postcode", "message"), [
    ("perpetrator", "100099999999", "BA20 1AB", UNKNOWN_HOME),
    ("location", "100099999999", "BA20 1AB", UNKNOWN_HOME),
    ("location", ELM_ROW.uprn, "BA20 1AB", HOME_ELSEWHERE),
    ("perpetrator", "14 Orchard Close", None, "Choose the address from the list of our homes"),
])
def test_a_home_the_register_does_not_have_there_is_refused_naming_the_field(
    service: IntakeService, store: InMemoryIntakeStore, part: str, uprn: str,
    postcode: str | None, message: str
) -> None:
    data = report()
    data[part].update(uprn=uprn, postcode=postcode)
    with pytest.raises(InvalidReport) as refused:
        service.submit(data, "api", idempotency_key="k-1")
    assert [(e.field, e.message) for e in refused.value.errors] == [(f"{part}.uprn", message)]
    assert store.opened == [] and store.records == {} and store.sequences == {}


def test_a_service_without_a_register_knows_no_home(store: InMemoryIntakeStore) -> None:
    with pytest.raises(InvalidReport):
        IntakeService(store, FixedClock(NOW)).submit(about_number_14(), "api")
    assert store.opened == []


def test_without_a_picked_home_a_report_opens_its_own_case(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    service.submit(report(postcode=None), "api")
    again = service.submit(report(postcode=None), "api")
    assert not again.joined and len(store.opened) == 2
    assert store.opened[0].case.matter_keys == []


def test_matter_keys_are_the_perpetrators_current_tenancy() -> None:
    submission = parse_submission(report(perpetrator_postcode="BA20 1AB"), NOW)
    assert matter_keys(submission, None) == []
    assert matter_keys(submission, "T-000114") == ["TENANCY#T-000114"]


def test_the_report_that_cannot_find_its_home_is_flagged_on_its_case(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    flagged = report()
    flagged["address_to_check"] = True
    service.submit(flagged, "web_form")
    service.submit(report(), "api")
    assert [o.case.address_to_check for o in store.opened] == [True, False]


def test_after_closure_the_same_tenancy_opens_a_new_case_linked_to_the_old(
    service: IntakeService, store: InMemoryIntakeStore
) -> None:
    first = service.submit(about_number_14(), "api")
    store.close(first.reference)
    later = service.submit(about_number_14(), "api")
    assert later.reference != first.reference and not later.joined
    assert store.opened[-1].case.linked_to == first.reference


def test_a_case_opened_by_someone_else_meanwhile_is_joined_not_duplicated(
    service: IntakeService, store: InMemoryIntakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    rival = service.submit(about_number_14(), "api")
    real_look_up = store.look_up
    calls = {"n": 0}

    def stale_then_fresh(*args: Any) -> Any:
        calls["n"] += 1
        answer = real_look_up(*args)
        return type(answer)(answer.record, {}) if calls["n"] == 1 else answer

    monkeypatch.setattr(store, "look_up", stale_then_fresh)
    mine = service.submit(about_number_14(), "api")
    assert mine.joined and mine.reference != rival.reference
    assert store.joined[0].case_reference == rival.reference
    assert len(store.opened) == 1
