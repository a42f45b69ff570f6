"""The due-work sweep through its scheduled handler, against moto: a month of days, as of each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from types import ModuleType
from typing import Any

from asb.targets import local_day, no_activity_due
from asb.working_days import add_working_days
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import case_partition, report_and_triage


def test_a_month_of_sweeps_acts_on_exactly_what_falls_due(
    load_handler: Callable[[str], ModuleType], aws: Any
) -> None:
    intake, triage, reviews = (load_handler(f"{n}Function")
                               for n in ("Intake", "Triage", "ReviewSweep"))
    table = str(aws.ref("CasesTable"))
    reference = report_and_triage(intake, triage, table)  # category B, standard risk

    today = local_day(datetime.now(UTC))
    days = [datetime.combine(today + timedelta(days=n), time(9, 15), UTC) for n in range(1, 36)]

    def run_month() -> Counter[str]:
        raised: Counter[str] = Counter()
        for day in days:
            event = {**sample_event("review_sweep-scheduled"),
                     "scheduled_time": day.strftime("%Y-%m-%dT%H:%M:%SZ")}
            answer = reviews.lambda_handler(event, LambdaContext())
            raised.update(answer["events"])
        return raised

    raised = run_month()
    first_contact = add_working_days(today, 3)
    contacts, due = 0, add_working_days(first_contact, 10)
    while due < days[-1].date():  # a sweep after each due day's 17:00
        contacts += 1
        due = add_working_days(due, 10)
    case = next(i for i in case_partition(table, reference) if i["sk"] == "CASE")
    quiet = int(no_activity_due(datetime.fromisoformat(case["updated_at"])) < days[-1])
    assert raised == {"FirstContactOverdue": 1, "ContactDue": contacts, "PlanReviewDue": 1,
                      "NoRecentActivity": quiet}
    assert quiet == 1  # a month without anyone touching the case
    assert run_month() == Counter()  # the same month again: nothing more to do

    kinds = {i["kind"]: i.get("due_kind") for i in case_partition(table, reference)
             if i["entity"] == "Task"}
    assert kinds["FIRST_CONTACT"] == "FIRST_CONTACT:escalated"
    assert kinds["PLAN_REVIEW"] == "PLAN_REVIEW:escalated"
    events = Counter(i["type"] for i in case_partition(table, reference)
                     if i["entity"] == "Event")
    assert events["ContactDue"] == contacts
