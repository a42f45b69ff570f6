"""The due-work sweep as plain functions: what each kind of due task becomes, acted on once."""

from __future__ import annotations

from datetime import UTC, datetime

from asb.case.targets import end_of_day
from asb.case.tasks import DueTask
from asb.due_work.sweep import SweepAction, action_for, sweep
from asb.policy.working_days import add_working_days

AS_OF = datetime(2026, 12, 1, 9, 15, tzinfo=UTC)
DUE = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)


def task(kind: str, every: int | None = None) -> DueTask:
    return DueTask("ASB-2026-000001", kind, DUE, "o.hughes", "yeovil", every)


def test_first_contact_overdue_is_escalated_as_a_missed_target() -> None:
    action = action_for(task("FIRST_CONTACT"), AS_OF)
    assert action.event.type == "FirstContactOverdue"
    assert action.event.detail["missed_target"] is True
    assert action.next_kind == "FIRST_CONTACT:escalated" and action.next_due_at == DUE


def test_customer_contact_due_sends_an_update_and_sets_the_next() -> None:
    action = action_for(task("CUSTOMER_CONTACT", every=5), AS_OF)
    assert action.event.type == "ContactDue"
    assert action.next_kind == "CUSTOMER_CONTACT"
    assert action.next_due_at == end_of_day(add_working_days(AS_OF.date(), 5))


def test_the_same_task_due_at_the_same_time_always_makes_the_same_event() -> None:
    first = action_for(task("PLAN_REVIEW"), AS_OF)
    again = action_for(task("PLAN_REVIEW"), datetime(2026, 12, 1, 9, 30, tzinfo=UTC))
    assert first.event.event_id == again.event.event_id
    assert first.event.type == "PlanReviewDue"
    assert action_for(task("EMERGENCY_LEGAL_CONSIDERATION"), AS_OF).event.type == (
        "EmergencyConsiderationOverdue")


class Store:
    def __init__(self) -> None:
        self.tasks = {t.kind: t for t in (task("FIRST_CONTACT"), task("CUSTOMER_CONTACT"))}

    def due(self, kind: str, as_of: datetime) -> list[DueTask]:
        return [t for t in self.tasks.values() if t.kind == kind and t.due_at <= as_of]

    def act(self, action: SweepAction, as_of: datetime) -> bool:
        current = self.tasks.get(action.task.kind)
        if current != action.task:
            return False
        del self.tasks[action.task.kind]
        moved = DueTask(current.case_reference, action.next_kind, action.next_due_at,
                        current.officer, current.team, current.every)
        self.tasks[moved.kind] = moved
        return True


def test_a_sweep_run_twice_as_of_the_same_time_acts_once() -> None:
    store = Store()
    first = sweep(store, AS_OF)
    second = sweep(store, AS_OF)
    assert (first.due, first.acted) == (2, 2)
    assert first.events == {"FirstContactOverdue": 1, "ContactDue": 1}
    assert (second.due, second.acted) == (0, 0)
