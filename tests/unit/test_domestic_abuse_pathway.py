"""The domestic abuse pathway (issue 23, item 3): a report that discloses domestic abuse takes it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from asb.case.change import CaseFolder
from asb.case.pathways import may_be_joined, pathway_of
from asb.case.submission import ReportSubmission
from asb.case.targets import specialist_referral_due
from asb.case.tasks import DA_SPECIALIST_REFERRAL, DUE_KINDS, TASK_TITLES, TaskState
from asb.intake.service import open_case
from asb.triage.service import decide
from tests.conftest import sample_event

MONDAY_MORNING = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


def submission(*behaviours: str) -> ReportSubmission:
    data: dict[str, Any] = json.loads(sample_event("intake-valid-json")["body"])
    data["incident"]["behaviours"] = list(behaviours)
    return ReportSubmission.model_validate(data)


@pytest.mark.parametrize(("behaviours", "pathway"), [
    (("domestic_abuse",), "domestic_abuse"),
    (("noise", "domestic_abuse"), "domestic_abuse"),  # a disclosure is never a neighbour dispute
    (("violence", "threats"), "asb"),
    (("noise", "verbal_abuse"), "asb"),
])
def test_a_report_disclosing_domestic_abuse_takes_its_pathway(
    behaviours: tuple[str, ...], pathway: str
) -> None:
    assert pathway_of(submission(*behaviours)) == pathway


@pytest.mark.parametrize(("first", "second", "joined"), [
    ("domestic_abuse", "asb", False),
    ("asb", "domestic_abuse", False),
    ("domestic_abuse", "good_neighbour", False),
    ("domestic_abuse", "domestic_abuse", True),
    ("asb", "asb", True),
])
def test_a_domestic_abuse_case_is_never_one_with_a_case_on_another_pathway(
    first: str, second: str, joined: bool
) -> None:
    assert may_be_joined(first, second) is joined  # type: ignore[arg-type]


def folder_of(report: ReportSubmission, now: datetime) -> CaseFolder:
    ids = iter(f"id-{n}" for n in range(10))
    opened = open_case(report, "ASB-2026-000001", "api", now, lambda: next(ids))
    return CaseFolder(case=opened.case, reports=[opened.report])


def test_triage_opens_the_specialist_referral_on_a_domestic_abuse_case_only() -> None:
    abuse = decide(folder_of(submission("domestic_abuse"), MONDAY_MORNING), [], MONDAY_MORNING)
    noise = decide(folder_of(submission("noise"), MONDAY_MORNING), [], MONDAY_MORNING)
    (referral,) = [t for t in abuse.new_tasks if t.kind == DA_SPECIALIST_REFERRAL]
    assert referral.title == "Refer to the domestic abuse specialist service"
    assert referral.due_at == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # that working day
    assert DA_SPECIALIST_REFERRAL not in {t.kind for t in noise.new_tasks}
    assert DA_SPECIALIST_REFERRAL in DUE_KINDS and TASK_TITLES[DA_SPECIALIST_REFERRAL]


@pytest.mark.parametrize(("now", "due"), [
    (datetime(2026, 11, 30, 16, 59, tzinfo=UTC), datetime(2026, 11, 30, 17, 0, tzinfo=UTC)),
    # after 17:00, on a Saturday, on Christmas Day: the next working day's end
    (datetime(2026, 11, 30, 17, 30, tzinfo=UTC), datetime(2026, 12, 1, 17, 0, tzinfo=UTC)),
    (datetime(2026, 12, 5, 10, 0, tzinfo=UTC), datetime(2026, 12, 7, 17, 0, tzinfo=UTC)),
    (datetime(2026, 12, 25, 10, 0, tzinfo=UTC), datetime(2026, 12, 29, 17, 0, tzinfo=UTC)),
    # British Summer Time: 17:00 in London is 16:00 UTC
    (datetime(2026, 6, 1, 8, 0, tzinfo=UTC), datetime(2026, 6, 1, 16, 0, tzinfo=UTC)),
])
def test_the_specialist_referral_is_due_by_the_end_of_the_working_day(
    now: datetime, due: datetime
) -> None:
    assert specialist_referral_due(now) == due


def test_a_later_report_does_not_move_or_reopen_the_referral() -> None:
    file = folder_of(submission("domestic_abuse"), MONDAY_MORNING)
    first = decide(file, [], MONDAY_MORNING)
    (referral,) = [t for t in first.new_tasks if t.kind == DA_SPECIALIST_REFERRAL]
    later = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    opened = CaseFolder(case=file.case, reports=file.reports,
                        tasks={DA_SPECIALIST_REFERRAL: TaskState(True, referral.due_at)})
    again = decide(opened, [], later)
    assert DA_SPECIALIST_REFERRAL not in {t.kind for t in [*again.new_tasks, *again.moved_tasks]}
