"""Enforcement's dates as due work: the DueWork index's row alone says the date (its projection is
fixed), so the digest and the staff list call a date still to come "due", never "overdue" (a
hearing tomorrow is today's work); and a reassigned case's open dates go to its new officer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from asb.case.change import CaseChange, CaseFolder, Record
from asb.case.models import CaseStatus
from asb.case.targets import LONDON, long_date
from asb.case.tasks import (
    AGREEMENT_REVIEW,
    FIRST_CONTACT,
    HEARING,
    ORDER_REVIEW,
    SHOWN_DAYS_BEFORE,
    DueTask,
    date_of,
    is_overdue,
)
from asb.casework.commands import assign
from asb.casework.models import AssignmentIn
from asb.casework.service import overdue_work
from asb.due_work.digest import digests
from asb.dynamo import keys
from asb.dynamo.record_items import open_deadlines
from asb.enforcement.dates import deadline_records, due_dates
from asb.kernel.errors import InvalidChange, RuleBroken
from asb.kernel.staff import NotAllowed, StaffMember
from asb.policy.config import UNASSIGNED_TEAM
from tests.unit.test_enforcement_steps import NOW, approved, deadlines, recorded, step

MANAGER = StaffMember("m.jones", frozenset({"manager"}), "yeovil")


def london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON).astimezone(UTC)


def as_the_index_gives(record: Record) -> DueTask:
    return DueTask(case_reference="ASB-2026-000001", kind=record.data["due_kind"],
                   due_at=datetime.fromisoformat(record.data["due_at"]),
                   officer=record.data["officer"], team=record.data["team"],
                   title=record.data["title"], item_kind=record.data["kind"])


def hearing_listed(at: str = "2026-12-10T10:00:00Z") -> tuple[CaseFolder, str, CaseChange]:
    """An injunction approved, applied for on 2 December 2026 and its first hearing listed."""
    folder, measure_id = approved("civil_injunction")
    folder, _ = step(folder, measure_id, step="applied", applied_on="2026-12-02",
                     court="Yeovil County Court", respondent_born_on="1990-05-01")
    folder, listed = step(folder, measure_id, step="hearing_listed", at=at,
                          court="Yeovil County Court", purpose="first")
    return folder, measure_id, listed


def every_kind_of_date() -> list[Record]:
    """A hearing (the day after the clocks go forward), an order ending, an agreement's review, an
    absolute ground's last day to serve and a notice lapsing, each as the steps write it."""
    at, injunction, first = hearing_listed()
    hearing_id = at.measures[injunction].hearings[0].hearing_id
    at, made = step(at, injunction, datetime(2026, 12, 10, 15, tzinfo=UTC), step="hearing_held",
                    hearing_id=hearing_id, outcome="order made", note="Granted for a year.",
                    order={"kind": "injunction", "terms": ["Not to enter Orchard Close"],
                           "expires_on": "2027-12-17"})
    at, spring = step(at, injunction, datetime(2026, 12, 11, tzinfo=UTC), step="hearing_listed",
                      at="2027-03-29T09:30:00+01:00", court="Yeovil County Court",
                      purpose="review")
    ground, ground_id = approved("possession_absolute_ground",
                                 absolute_ground={"condition": 4, "met_on": "2026-10-31"})
    _, served = step(ground, ground_id, step="notice_served", ground="ground_7a",
                     served_on="2026-12-02")
    agreement, _ = recorded("acceptable_behaviour_agreement", agreement={
        "terms": ["No loud music after 11pm"], "signatories": ["Sam Carter"],
        "starts_on": "2026-12-02", "review_on": "2027-03-02"})
    changes = [first, made, spring, served]
    records = [r for change in changes for r in change.records
               if r.entity == "Deadline" and "due_kind" in r.data]
    absolute = deadline_records(ground.case, None, ground.measures[ground_id], NOW)
    review = deadline_records(agreement.case, None, next(iter(agreement.measures.values())), NOW)
    return [*records, *absolute, *review]


def test_the_index_row_says_the_date_of_every_kind_of_enforcement_date() -> None:
    records = every_kind_of_date()
    assert {r.data["due_kind"] for r in records} == set(SHOWN_DAYS_BEFORE)
    for record in records:
        assert date_of(as_the_index_gives(record)) == date.fromisoformat(record.data["on"]), \
            record.record_id


def test_a_hearing_tomorrow_is_due_today_and_overdue_once_its_day_has_passed() -> None:
    hearing_day = date(2026, 12, 10)
    _, _, listed = hearing_listed()
    (record,) = [r for r in listed.records if r.entity == "Deadline"]
    hearing = as_the_index_gives(record)
    the_day_before = hearing_day - timedelta(days=1)
    assert hearing.due_at == london(the_day_before, 0)  # on the lists from then
    for moment in (london(the_day_before, 7), london(hearing_day, 23, 59)):
        assert not is_overdue(hearing, moment)
        assert overdue_work(hearing, moment)["overdue"] is False
    assert is_overdue(hearing, london(hearing_day + timedelta(days=1), 0, 1))
    # Every other kind of work is late from its due time, as before; escalated work always.
    contact = DueTask("ASB-2026-000001", FIRST_CONTACT, london(the_day_before, 17))
    assert not is_overdue(contact, london(the_day_before, 16))
    assert is_overdue(contact, london(the_day_before, 18))
    assert is_overdue(DueTask("ASB-2026-000001", f"{FIRST_CONTACT}:escalated",
                              london(the_day_before, 17)), london(the_day_before, 9))


def test_the_digest_lists_a_hearing_tomorrow_as_due_today_under_its_own_title() -> None:
    hearing = DueTask("ASB-2026-000001", HEARING, london(date(2026, 12, 9), 0), "o.hughes",
                      "yeovil", title="Court hearing (first) on Thursday 10 December 2026 at "
                                      "10:00, Yeovil County Court: prepare, attend and record "
                                      "the outcome", item_kind=HEARING)
    (today,) = digests([hearing], london(date(2026, 12, 9), 7))
    assert today.overdue == []
    (line,) = today.due_today
    assert line.what == hearing.title and line.due == "Thursday 10 December 2026"
    (hearing_day,) = digests([hearing], london(date(2026, 12, 10), 7))
    assert hearing_day.overdue == [] and len(hearing_day.due_today) == 1
    (after,) = digests([hearing], london(date(2026, 12, 11), 7))
    assert [line.due for line in after.overdue] == ["Thursday 10 December 2026"]
    # An agreement's review is due on its day, and overdue after it.
    review = DueTask("ASB-2026-000001", AGREEMENT_REVIEW, london(date(2027, 3, 2), 0),
                     "o.hughes", "yeovil", title="Review the Acceptable Behaviour Agreement "
                                                 f"({long_date(date(2027, 3, 2))})")
    assert digests([review], london(date(2027, 3, 2), 7))[0].due_today
    assert digests([review], london(date(2027, 3, 3), 7))[0].overdue


def test_a_reassigned_case_takes_its_open_enforcement_dates_to_the_new_officer() -> None:
    at, measure_id, listed = hearing_listed()
    hearing_id = at.measures[measure_id].hearings[0].hearing_id
    at, adjourned = step(at, measure_id, datetime(2026, 12, 10, 15, tzinfo=UTC),
                         step="hearing_held", hearing_id=hearing_id, outcome="adjourned",
                         note="Respondent asked for time.", adjourned_to="2026-12-17T10:00:00Z")
    # As the store reads them back: the first hearing's date done, the adjourned one open.
    items = [{**keys.record_id_key("ASB-2026-000001", "Deadline", r.record_id),
              keys.ENTITY: "Deadline", "record_id": r.record_id, "at": NOW.isoformat(),
              "case_reference": "ASB-2026-000001", **r.data}
             for r in [*listed.records, *adjourned.records] if r.entity == "Deadline"]
    stored = {i["record_id"]: i for i in items}  # the later write of each item wins
    folder = CaseFolder(at.case, [], measures=at.measures, deadlines=open_deadlines(
        list(stored.values())))
    assert [d["status"] for d in folder.deadlines.values()] == ["open"]
    change = assign(folder, AssignmentIn(officer="k.evans", team="taunton",
                                         reason="The family moved to Taunton."), MANAGER,
                    NOW + timedelta(days=9))
    (moved,) = [r for r in change.records if r.entity == "Deadline"]
    assert (moved.data["officer"], moved.data["team"]) == ("k.evans", "taunton")
    assert moved.data["due_kind"] == HEARING and moved.data["on"] == "2026-12-17"
    assert {k: v for k, v in moved.data.items() if k not in ("officer", "team")} == {
        k: v for k, v in folder.deadlines[moved.record_id].items() if k not in ("officer", "team")}
    assert due_dates(at.measures[measure_id])[0].on == date(2026, 12, 17)
    assert deadlines(adjourned)  # the step itself wrote them


def _closed_with(deadlines: dict[str, dict[str, object]]) -> CaseFolder:
    """A closed case (its officer o.hughes) with these Deadline items open, as the store reads
    them back."""
    folder, _ = approved("civil_injunction")
    case = folder.case.model_copy(update={"status": CaseStatus.CLOSED, "closed_at": NOW,
                                          "officer": "o.hughes", "team": "yeovil"})
    return CaseFolder(case, [], measures=folder.measures, deadlines=deadlines)


def test_a_closed_cases_open_work_goes_to_a_new_officer_and_the_case_stays_closed() -> None:
    """An order outlives its case: its review stays due after closure, so when the officer
    leaves, a manager gives it to another - who is told - without reopening the case."""
    review = {"record_id": "d-1", "kind": ORDER_REVIEW, "status": "open", "on": "2027-11-20",
              "due_kind": ORDER_REVIEW, "due_at": "2027-10-23T00:00:00+00:00",
              "officer": "o.hughes", "team": "yeovil", "title": "Review the injunction"}
    change = assign(_closed_with({"d-1": review}), AssignmentIn(
        officer="k.evans", team="yeovil", reason="o.hughes has left."), MANAGER, NOW)
    (moved,) = [r for r in change.records if r.entity == "Deadline"]
    assert (moved.data["officer"], moved.data["due_kind"]) == ("k.evans", ORDER_REVIEW)
    assert change.case.status == CaseStatus.CLOSED and change.case.officer == "k.evans"
    assert [e.type for e in change.events] == ["OfficerAssigned"]


def test_a_closed_case_with_no_open_work_is_not_reassigned() -> None:
    with pytest.raises(RuleBroken, match="reopen it first"):
        assign(_closed_with({}), AssignmentIn(officer="k.evans", team="yeovil"), MANAGER, NOW)


def test_a_closed_cases_open_work_goes_to_an_officer_not_a_queue() -> None:
    review = {"record_id": "d-1", "kind": ORDER_REVIEW, "status": "open", "due_kind": ORDER_REVIEW,
              "due_at": "2027-10-23T00:00:00+00:00", "officer": "o.hughes", "team": "yeovil"}
    with pytest.raises(InvalidChange) as refused:
        assign(_closed_with({"d-1": review}), AssignmentIn(team="taunton"), MANAGER, NOW)
    # Nor to another team: the case stays in its team's lists and figures.
    assert [e.field for e in refused.value.errors] == ["officer", "team"]
    with pytest.raises(NotAllowed):  # the intake team assigns new cases, not closed ones
        assign(_closed_with({"d-1": review}), AssignmentIn(officer="k.evans", team="yeovil"),
               StaffMember("c.intake", frozenset({"officer"}), UNASSIGNED_TEAM), NOW)
