"""The domestic abuse pathway (issue 23, item 3): a report that discloses domestic abuse takes it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from asb.case.change import CaseFolder
from asb.case.models import CaseStatus
from asb.case.pathways import may_be_joined, pathway_of
from asb.case.submission import ReportSubmission
from asb.case.targets import specialist_referral_due
from asb.case.tasks import DA_SPECIALIST_REFERRAL, DUE_KINDS, TASK_TITLES, TaskState
from asb.casework.models import PathwayMoveIn
from asb.casework.pathway_moves import move_to_pathway
from asb.intake.service import open_case
from asb.kernel.errors import RuleBroken
from asb.kernel.staff import StaffMember
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


# Never joined with a neighbour case: the officer's join and split (asb.casework.regrouping).

def _regrouping_folders() -> tuple[CaseFolder, CaseFolder]:
    from tests.unit.test_regrouping import _folder, _second

    return _folder(), _second()


def test_an_officer_never_joins_a_domestic_abuse_case_with_a_neighbour_case() -> None:
    from asb.casework.regrouping import join_cases
    from tests.unit.test_regrouping import LATER, OFFICER, _join

    first, second = _regrouping_folders()
    abuse = CaseFolder(first.case.model_copy(update={"pathway": "domestic_abuse"}),
                       first.reports)
    for into, joined in ((abuse, second), (second, abuse)):
        with pytest.raises(RuleBroken, match="never joined") as refused:
            join_cases(into, joined, _join(), OFFICER, LATER)
        assert "domestic abuse" in str(refused.value)
    both = CaseFolder(second.case.model_copy(update={"pathway": "domestic_abuse"}),
                      second.reports, tasks=second.tasks, parties=second.parties)
    assert join_cases(abuse, both, _join(), OFFICER, LATER).changes[1].case.pathway == \
        "domestic_abuse"  # the same victim's two cases may be one


def test_a_report_split_out_of_a_domestic_abuse_case_stays_on_the_pathway() -> None:
    from asb.casework.regrouping import split_report
    from tests.unit.test_regrouping import LATER, OFFICER, SPLIT

    first, _ = _regrouping_folders()
    abuse = CaseFolder(first.case.model_copy(update={"pathway": "domestic_abuse"}),
                       first.reports)
    new = split_report(abuse, SPLIT, OFFICER, LATER, "ASB-2026-000300").changes[1].case
    assert new.pathway == "domestic_abuse"
    plain = split_report(first, SPLIT, OFFICER, LATER, "ASB-2026-000300").changes[1].case
    assert plain.pathway == "asb"


# An officer moves a case to the pathway (asb.casework.pathway_moves).

MOVE = PathwayMoveIn(pathway="domestic_abuse",
                     reason="At the visit she said her partner at the address hits her.")
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")


def test_an_officer_moves_a_case_to_the_pathway_with_its_referral_and_without_its_matter() -> None:
    folder = folder_of(submission("harassment"), MONDAY_MORNING)
    folder = CaseFolder(folder.case.model_copy(update={"matter_keys": ["TENANCY#T-14"]}),
                        folder.reports)
    change = move_to_pathway(folder, MOVE, OFFICER, MONDAY_MORNING)
    assert change.case.pathway == "domestic_abuse" and change.case.matter_keys == []
    assert change.matters_released == ["TENANCY#T-14"]  # no later report finds it by them
    (task,) = change.tasks
    assert (task.kind, task.due_at) == (DA_SPECIALIST_REFERRAL, specialist_referral_due(
        MONDAY_MORNING))
    assert change.audit.action == "PathwayChanged"
    assert change.audit.before == {"pathway": "asb"}
    assert change.audit.after == {"pathway": "domestic_abuse", "reason": MOVE.reason}
    (event,) = change.events
    assert event.detail == {"from": "asb", "to": "domestic_abuse"}  # no free text in events


def test_a_joined_closed_or_already_moved_case_is_not_moved() -> None:
    folder = folder_of(submission("harassment"), MONDAY_MORNING)
    joined = CaseFolder(folder.case.model_copy(update={"joined_from": ["ASB-2026-000002"]}),
                        folder.reports)
    with pytest.raises(RuleBroken, match="never joined with a neighbour case"):
        move_to_pathway(joined, MOVE, OFFICER, MONDAY_MORNING)
    closed = CaseFolder(folder.case.model_copy(update={"status": CaseStatus.CLOSED}),
                        folder.reports)
    with pytest.raises(RuleBroken, match="closed"):
        move_to_pathway(closed, MOVE, OFFICER, MONDAY_MORNING)
    abuse = folder_of(submission("domestic_abuse"), MONDAY_MORNING)
    with pytest.raises(RuleBroken, match="already"):
        move_to_pathway(abuse, MOVE, OFFICER, MONDAY_MORNING)


def test_a_referral_already_opened_is_not_opened_again() -> None:
    folder = folder_of(submission("harassment"), MONDAY_MORNING)
    opened = CaseFolder(folder.case, folder.reports,
                        tasks={DA_SPECIALIST_REFERRAL: TaskState(False, None)})
    assert move_to_pathway(opened, MOVE, OFFICER, MONDAY_MORNING).tasks == []


@pytest.mark.parametrize("body", [
    {"pathway": "asb", "reason": "It was not domestic abuse after all."},
    {"pathway": "good_neighbour", "reason": "Only everyday living noise."},
    {"pathway": "domestic_abuse", "reason": "short"},
    {"pathway": "domestic_abuse"},
])
def test_a_move_names_the_field_it_cannot_take(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        PathwayMoveIn.model_validate(body)


# Counted apart in the year's figures (asb.reporting.regulator).

def test_nm01_counts_only_the_asb_pathway_and_every_other_pathway_apart() -> None:
    from asb.reporting.regulator import HomesOwned, as_csv, figures

    def listed(pathway: str, hate: bool = False) -> dict[str, Any]:
        """A case as the listing index projects it: a pathway other than asb in its targets."""
        targets = {"first_contact_due": "2026-12-01"} | (
            {} if pathway == "asb" else {"pathway": pathway})
        return {"opened_at": "2026-11-30T09:30:00+00:00", "hate_incident": hate,
                "targets": targets}

    cases = [listed("asb"), listed("asb", hate=True), listed("domestic_abuse", hate=True),
             listed("domestic_abuse"), listed("good_neighbour")]
    result = figures(cases, HomesOwned(1000, "test"), 2026)
    assert (result.cases_opened, result.hate_cases, result.nm01_1, result.nm01_2) == (
        2, 1, 2.0, 1.0)
    assert {p: c["cases_opened"] for p, c in result.counted_apart.items()} == {
        "domestic_abuse": 2, "good_neighbour": 1}
    assert all("not in NM01" in c["notes"] for c in result.counted_apart.values())
    written = as_csv(result)
    assert "Domestic abuse (its own pathway): cases opened (not in NM01),2," in written
    none = figures([listed("asb")], HomesOwned(1000, "test"), 2026).counted_apart
    assert {p: c["cases_opened"] for p, c in none.items()} == {
        "domestic_abuse": 0, "good_neighbour": 0}  # each pathway's line, though none took it



def test_a_case_from_before_pathways_that_discloses_it_is_treated_as_on_the_pathway() -> None:
    from asb.case.pathways import pathway_of_case
    from asb.case.people import PERPETRATOR
    from asb.data_protection.subject_access import withheld_from
    from asb.dynamo.case_items import case_from_item, case_item
    from asb.reporting import regulator

    before = folder_of(submission("noise", "domestic_abuse"), MONDAY_MORNING)
    before = CaseFolder(before.case.model_copy(update={"pathway": "asb"}), before.reports)
    assert pathway_of_case(before.case) == "domestic_abuse"
    assert withheld_from(before, role=PERPETRATOR)
    item = case_item(before.case)
    assert "pathway" not in item and item["targets"]["pathway"] == "domestic_abuse"
    assert case_from_item(item).pathway == "asb"  # its own pathway: still the officer's move
    row = {"opened_at": item["opened_at"], "targets": {}}  # an index row written before
    assert regulator.pathway_of_case({**row, "behaviours": item["behaviours"]}) == \
        "domestic_abuse"
    assert regulator.pathway_of_case(row) == "asb"  # infra/backfill_domestic_abuse_pathway
    neighbour = folder_of(submission("noise", "verbal_abuse"), MONDAY_MORNING)
    assert pathway_of_case(neighbour.case) == "asb"
    assert not withheld_from(neighbour, role=PERPETRATOR)

# Safe contact: every message of a domestic abuse pathway case (asb.notifications.plan).

def test_no_letter_goes_to_a_reporter_on_the_pathway_unless_they_asked_for_letters() -> None:
    from asb.case.submission import Reporter
    from asb.notifications.plan import reporter_channels

    reporter = Reporter(name="Alex Morgan", email="alex@example.org", address="12 Orchard Close",
                        relationship="resident", unsafe_channels=["sms"])
    assert reporter_channels(reporter, ["harassment"]) == ("email", "letter")
    # Moved to the pathway by an officer, though no report chose the behaviour:
    assert reporter_channels(reporter, ["harassment"], "domestic_abuse") == ("email",)
    assert reporter_channels(reporter, ["domestic_abuse"]) == ("email",)
    asked = reporter.model_copy(update={"preferred_contact": "letter"})
    assert reporter_channels(asked, ["harassment"], "domestic_abuse") == ("letter", "email")


# A warning letter to the alleged perpetrator waits for the specialist referral (asb.enforcement).

def test_a_warning_letter_on_the_pathway_waits_for_the_specialist_referral() -> None:
    from dataclasses import replace

    from asb.enforcement.letters import DA_LETTER_WAITS
    from tests.unit.test_warning_letters import letter, warning

    at, measure_id = warning("first_written_warning")
    abuse = replace(at, case=at.case.model_copy(update={"pathway": "domestic_abuse"}))
    for tasks in ({}, {DA_SPECIALIST_REFERRAL: TaskState(True, MONDAY_MORNING)}):
        with pytest.raises(RuleBroken) as refused:
            letter(replace(abuse, tasks=tasks), measure_id)
        assert str(refused.value) == DA_LETTER_WAITS
    referred = replace(abuse, tasks={DA_SPECIALIST_REFERRAL: TaskState(False, None)})
    assert letter(referred, measure_id).events[0].type == "WarningLetterRequested"
    assert letter(at, measure_id).events  # an ASB case's letter never waited


def test_a_referral_not_made_by_its_day_is_escalated_to_the_managers_without_the_words() -> None:
    from asb.case.tasks import DueTask
    from asb.due_work.sweep import action_for
    from asb.notifications.plan import DutyOfficer, messages_for
    from asb.notifications.render import render
    from tests.unit.test_notifications import NOW, case, report

    due = specialist_referral_due(MONDAY_MORNING)
    action = action_for(DueTask("ASB-2026-000123", DA_SPECIALIST_REFERRAL, due, "o.hughes",
                                "yeovil"), datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    assert action.event.type == "SpecialistReferralOverdue"
    from asb.case.outbox import ROUTES

    assert ROUTES[action.event.type] == ("notification",)  # the stream publisher sends it on
    assert action.next_kind == f"{DA_SPECIALIST_REFERRAL}:escalated"
    duty = DutyOfficer("duty@example.org", None, "managers@example.org")
    event = {"event_id": "e-9", **action.event.model_dump(mode="json")}
    (message,) = messages_for(event, case(), [report()], duty, NOW)
    assert message.recipient.kind == "managers"
    text = render("escalation", "email", message.context)
    assert "domestic abuse specialist service" in text.text
    assert "Alex" not in text.text and "Orchard" not in text.text  # nothing of the victim


def test_the_confirmation_of_a_disclosure_says_what_happens_in_plain_words() -> None:
    from asb.intake.next_steps import confirmation
    from asb.intake.service import Receipt
    from tests.unit.test_notifications import reading_age

    def confirmed(*behaviours: str) -> str:
        return confirmation(Receipt("ASB-2026-000001", "r-1", MONDAY_MORNING, False,
                                    submission=submission(*behaviours))).text

    told = confirmed("domestic_abuse")
    assert "National Domestic Abuse Helpline on 0808 2000 247" in told
    assert "only contact you in the safe ways you told us" in told
    assert reading_age(told) <= 11, reading_age(told)
    assert "Domestic Abuse" not in confirmed("harassment")
