"""Subject access requests as plain functions: the due date in calendar months (UK GDPR Art
12(3)), the extension only within the first month and with the person told, and no release
before the DPO's review of each case's free text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from asb.case.tasks import SUBJECT_ACCESS
from asb.data_protection.requests import (
    WITHHELD,
    ExtensionIn,
    FreeTextDecision,
    ReviewIn,
    SubjectAccessRequest,
    SubjectAccessRequestIn,
    due_on,
    extend,
    extended_due_on,
    overdue_from,
    receive,
    release,
    released_export,
    review,
    view,
)
from asb.kernel.errors import InvalidChange, RuleBroken
from asb.kernel.staff import NotAllowed, StaffMember

DPO = StaffMember("d.price", frozenset({"dpo"}), None)
MANAGER = StaffMember("m.jones", frozenset({"manager"}), "yeovil")
NOON = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
CASES = ["ASB-2026-000001", "ASB-2026-000002"]


def received(on: date = date(2026, 1, 31), now: datetime = NOON) -> SubjectAccessRequest:
    body = SubjectAccessRequestIn(received_on=on, email="alex.morgan@example.org")
    return receive(body, DPO, now, lambda: "5b1e7c2a-9d3f-4a6b-8c0e-1f2a3b4c5d6e").request


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def extension(sent_on: date) -> ExtensionIn:
    return ExtensionIn(reason="Fourteen years of cases and a large body of officers' notes.",
                       notice="letter", notice_sent_on=sent_on)


def reviewed(request: SubjectAccessRequest, decisions: dict[str, str],
             found: list[str] = CASES) -> SubjectAccessRequest:
    body = ReviewIn(cases=[FreeTextDecision.model_validate(
        {"case_reference": ref, "free_text": d}) for ref, d in decisions.items()])
    return review(request, found, body, DPO, NOON).request


@pytest.mark.parametrize(("received_on", "due"), [
    (date(2026, 3, 15), date(2026, 4, 15)),  # the corresponding date
    (date(2026, 1, 31), date(2026, 2, 28)),  # no 31 February: the month's last day
    (date(2028, 1, 31), date(2028, 2, 29)),  # a leap year
    (date(2026, 3, 31), date(2026, 4, 30)),
    (date(2026, 12, 31), date(2027, 1, 31)),  # into the next year
    (date(2026, 2, 28), date(2026, 3, 28)),  # not the end of March
])
def test_a_request_is_due_one_calendar_month_from_receipt(received_on: date, due: date) -> None:
    assert due_on(received_on) == due
    request = received(received_on, at(received_on))
    assert (request.first_due_on, request.due_on) == (due, due)
    assert request.due_kind == SUBJECT_ACCESS and request.due_at == overdue_from(due)


def test_an_extension_is_two_further_calendar_months_from_the_first_due_date() -> None:
    assert extended_due_on(date(2026, 2, 28)) == date(2026, 4, 28)
    assert extended_due_on(date(2026, 12, 31)) == date(2027, 2, 28)
    assert extended_due_on(date(2027, 12, 29)) == date(2028, 2, 29)


def test_overdue_once_the_due_day_has_ended_in_england() -> None:
    assert overdue_from(date(2026, 2, 28)) == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)  # GMT
    assert overdue_from(date(2026, 6, 30)) == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)  # BST
    request = received()  # due 28 February 2026
    assert not view(request, datetime(2026, 2, 28, 23, 59, tzinfo=UTC))["overdue"]
    assert view(request, datetime(2026, 3, 1, 0, 0, tzinfo=UTC))["overdue"]
    assert "person_keys" not in view(request, NOON)


def test_extended_only_once_within_the_first_month_with_the_person_told() -> None:
    request = received()  # due 28 February 2026
    on_the_day = extend(request, extension(date(2026, 2, 27)), DPO, at(date(2026, 2, 28), 22))
    extended = on_the_day.request
    assert (extended.due_on, extended.first_due_on) == (date(2026, 4, 28), date(2026, 2, 28))
    assert extended.status == "extended" and extended.version == 2
    assert extended.due_at == overdue_from(date(2026, 4, 28))
    assert on_the_day.expected_version == 1 and on_the_day.audit.action == "SubjectAccessExtended"
    assert extended.extension is not None and extended.extension.notice == "letter"
    with pytest.raises(RuleBroken, match="already extended"):
        extend(extended, extension(date(2026, 2, 27)), DPO, at(date(2026, 2, 28)))
    with pytest.raises(RuleBroken, match="within the first month"):
        extend(request, extension(date(2026, 2, 27)), DPO, at(date(2026, 3, 1)))
    for sent_on in (date(2026, 1, 30), date(2026, 2, 20)):  # before receipt; not yet sent
        with pytest.raises(InvalidChange) as refused:
            extend(request, extension(sent_on), DPO, at(date(2026, 2, 10)))
        assert refused.value.errors[0].field == "notice_sent_on"


def test_nothing_is_released_before_the_dpo_has_reviewed_the_free_text() -> None:
    request = received()
    with pytest.raises(RuleBroken, match="not been reviewed"):
        release(request, CASES, DPO, NOON)
    checked = reviewed(request, {CASES[0]: "release", CASES[1]: "redact"})
    assert checked.status == "reviewed" and checked.due_kind == SUBJECT_ACCESS
    with pytest.raises(RuleBroken, match="ASB-2026-000003 now holds data"):
        release(checked, [*CASES, "ASB-2026-000003"], DPO, NOON)
    step = release(checked, CASES, DPO, NOON)
    done = step.request
    assert done.status == "released" and done.due_kind is None and done.due_at is None
    assert done.release is not None and done.release.free_text_withheld == [CASES[1]]
    assert step.expected_due_kind == SUBJECT_ACCESS
    with pytest.raises(RuleBroken, match="released"):
        release(done, CASES, DPO, NOON)
    with pytest.raises(RuleBroken, match="released"):
        reviewed(done, {CASES[0]: "release", CASES[1]: "release"})


def test_the_review_decides_on_every_case_found_and_only_those() -> None:
    request = received()
    for decisions in ({CASES[0]: "release"},
                      {**dict.fromkeys(CASES, "release"), "ASB-2026-000009": "redact"}):
        with pytest.raises(InvalidChange) as refused:
            reviewed(request, decisions)
        assert refused.value.errors[0].field == "cases"


def test_redacted_free_text_is_withheld_from_the_released_export() -> None:
    def section(reference: str) -> dict[str, Any]:
        return {"case_reference": reference, "report": {"what_happened": "Casey shouts."},
                "contacts_with_you": [{"at": "2026-01-02", "summary": "Spoke to Sam."}],
                "shared_with_partners": [{"with": "Police", "purpose": "About Casey."}]}

    checked = reviewed(received(), {CASES[0]: "release", CASES[1]: "redact"})
    done = release(checked, CASES, DPO, NOON).request
    document = released_export(done, {"request": {"produced_at": NOON.isoformat()},
                                      "cases": [section(CASES[0]), section(CASES[1])]})
    kept, withheld = document["cases"]
    assert kept == section(CASES[0])
    assert withheld["report"]["what_happened"] == WITHHELD
    assert withheld["contacts_with_you"][0] == {"at": "2026-01-02", "summary": WITHHELD}
    assert withheld["shared_with_partners"][0]["purpose"] == WITHHELD
    assert "Casey" not in str(withheld) and "Sam" not in str(withheld)
    assert document["request"]["due_on"] == "2026-02-28"


def test_only_the_dpo_and_only_with_something_to_search_by() -> None:
    with pytest.raises(NotAllowed):
        receive(SubjectAccessRequestIn(received_on=date(2026, 1, 31), email="a@example.org"),
                MANAGER, NOON)
    with pytest.raises(InvalidChange) as refused:
        receive(SubjectAccessRequestIn(received_on=date(2026, 2, 1), name="Alex Morgan"),
                DPO, NOON)
    assert [e.field for e in refused.value.errors] == ["email", "received_on"]
    with pytest.raises(NotAllowed):
        extend(received(), extension(date(2026, 2, 1)), MANAGER, at(date(2026, 2, 2)))
