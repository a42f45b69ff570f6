"""Enforcement's dates as the law and the policy count them, and the work each one makes fall due
on the sparse DueWork index: plain functions of a measure and its case.

Each date is one Deadline item in the case's partition (sk DEADLINE#<measure>.<slot>), on the
index while it is open - so a hearing, an agreement's review, an order's end and an absolute
ground's last day to serve are each on the officer's list and in the digest at once, however
many a case has. What falls due is derived from the measure as it is after each step; a date
the measure no longer has (a hearing held, a notice served) is written back done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from asb.case.change import Record
from asb.case.models import Case
from asb.case.records import Measure
from asb.case.targets import LONDON, long_date
from asb.case.tasks import (
    ABSOLUTE_GROUND_DEADLINE,
    AGREEMENT_REVIEW,
    HEARING,
    NOTICE_LAPSING,
    ORDER_REVIEW,
)
from asb.policy.calendar_months import last_day_of_period, months_after
from asb.policy.config import (
    ABSOLUTE_DEADLINE_WARNING_DAYS,
    ABSOLUTE_GROUND_CONDITIONS,
    NOTICE_GROUNDS,
    NOTICE_IN_FORCE_MONTHS,
    NOTICE_LAPSE_WARNING_DAYS,
    ORDER_REVIEW_DAYS_BEFORE,
    POLICY_VERSION,
)

DEADLINE_ENTITY = "Deadline"


def serve_by(condition: int, met_on: date) -> date:
    """The last day a notice on absolute ground 7A / s84A may be served: within 12 months of
    the conviction or finding, or 3 months of the closure order (the period beginning with it)."""
    return last_day_of_period(met_on, ABSOLUTE_GROUND_CONDITIONS[condition][1])


def notice_dates(ground: str, served_on: date) -> tuple[date, date]:
    """(the earliest day proceedings may begin, the last day the notice supports them)."""
    _, _, wait = NOTICE_GROUNDS[ground]
    return served_on + timedelta(days=wait), last_day_of_period(served_on, NOTICE_IN_FORCE_MONTHS)


def age_on(born_on: date, day: date) -> int:
    return day.year - born_on.year - ((day.month, day.day) < (born_on.month, born_on.day))


def order_end(made_on: date, months: int) -> date:
    return months_after(made_on, months)


def start_of_day(day: date) -> datetime:
    """Midnight in England at the start of `day`, in UTC: work shown from then on."""
    return datetime.combine(day, time(0, 0), LONDON).astimezone(UTC)


@dataclass(frozen=True)
class Deadline:
    """A date of a measure that makes work fall due: on the index from `due_at`."""

    slot: str  # unique within the measure: "hearing-<id>", "agreement-review", ...
    kind: str  # the index's due_kind
    due_at: datetime
    on: date  # the date itself (the hearing's day, the order's end, the last day to serve)
    title: str


def due_dates(measure: Measure | None) -> list[Deadline]:
    """What a measure, as it is now, makes fall due. Nothing once it is withdrawn or done with."""
    if measure is None or measure.status in ("withdrawn", "completed", "refused", "expired") \
            or measure.approval == "refused":
        return []
    found: list[Deadline] = []
    for hearing in measure.hearings:
        if hearing.outcome is None:
            day = hearing.at.astimezone(LONDON).date()
            found.append(Deadline(
                f"hearing-{hearing.hearing_id}", HEARING, start_of_day(day - timedelta(days=1)), day,
                f"Court hearing ({hearing.purpose}) on {long_date(day)} at "
                f"{hearing.at.astimezone(LONDON):%H:%M}, {hearing.court}: prepare, attend and "
                "record the outcome"))
    agreement = measure.agreement
    if agreement is not None and agreement.review_on is not None:
        review_on = agreement.review_on
        found.append(Deadline("agreement-review", AGREEMENT_REVIEW, start_of_day(review_on),
                              review_on,
                              f"Review the Acceptable Behaviour Agreement ({long_date(review_on)})"))
    order = measure.order
    if order is not None and order.expires_on is not None and order.ended_on is None:
        found.append(Deadline(
            "order-review", ORDER_REVIEW,
            start_of_day(order.expires_on - timedelta(days=ORDER_REVIEW_DAYS_BEFORE)), order.expires_on,
            f"The {_order_named(order.kind)} ends on {long_date(order.expires_on)}: review "
            "whether to apply to extend it or let it end"))
    ground = measure.absolute_ground
    if ground is not None and measure.notice is None:
        found.append(Deadline(
            "absolute-ground-deadline", ABSOLUTE_GROUND_DEADLINE,
            start_of_day(ground.serve_by - timedelta(days=ABSOLUTE_DEADLINE_WARNING_DAYS)),
            ground.serve_by,
            f"Serve the absolute-ground notice by {long_date(ground.serve_by)}, or lose the "
            "ground (condition " f"{ground.condition})"))
    notice = measure.notice
    if notice is not None and measure.application is None:
        found.append(Deadline(
            "notice-lapsing", NOTICE_LAPSING,
            start_of_day(notice.expires_on - timedelta(days=NOTICE_LAPSE_WARNING_DAYS)),
            notice.expires_on,
            f"The notice of seeking possession lapses after {long_date(notice.expires_on)}: "
            "issue the claim or decide not to"))
    return found


def _order_named(kind: str) -> str:
    """'injunction' -> 'injunction order'; a partner's notice or order is named so already."""
    return kind if kind.endswith(("notice", "order")) else f"{kind} order"


def deadline_records(case: Case, before: Measure | None, after: Measure,
                     now: datetime) -> list[Record]:
    """The Deadline items a step writes: each open date as it is now, each date the measure no
    longer has written back done (out of the index)."""
    was = {d.slot: d for d in due_dates(before)}
    now_due = {d.slot: d for d in due_dates(after)}
    records = [Record(DEADLINE_ENTITY, f"{after.record_id}.{slot}", now, _open(case, after, d),
                      replace=True)
               for slot, d in now_due.items() if was.get(slot) != d]
    records += [Record(DEADLINE_ENTITY, f"{after.record_id}.{slot}", now,
                       {"measure_id": after.record_id, "slot": slot, "kind": d.kind,
                        "status": "done", "on": d.on.isoformat(), "title": d.title,
                        "done_at": now.isoformat()}, replace=True)
                for slot, d in was.items() if slot not in now_due]
    return records


def _open(case: Case, measure: Measure, deadline: Deadline) -> dict[str, Any]:
    return {"measure_id": measure.record_id, "slot": deadline.slot, "kind": deadline.kind,
            "status": "open", "due_kind": deadline.kind, "due_at": deadline.due_at.isoformat(),
            "on": deadline.on.isoformat(), "title": deadline.title,
            "team": case.team, "officer": case.officer, "policy_version": POLICY_VERSION}


__all__ = ["ABSOLUTE_GROUND_DEADLINE", "AGREEMENT_REVIEW", "DEADLINE_ENTITY", "HEARING",
           "NOTICE_LAPSING", "ORDER_REVIEW", "Deadline", "age_on", "deadline_records",
           "due_dates", "notice_dates", "order_end", "serve_by", "start_of_day"]
