"""The good-neighbour route's pure rules (issue 23, item 4): which reports take it, what the
reporter is told, triage's light follow-up and property check, asking for ASB and the officer's
decision, and what the reporter's page, messages, retention and subject access make of them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from asb.case import good_neighbour
from asb.case.change import CaseFolder
from asb.case.matters import matter_keys
from asb.case.models import CaseStatus
from asb.case.pathways import pathway_of
from asb.case.retention import ERASED, StoredCase, erase_plan
from asb.case.submission import ReportSubmission
from asb.case.tasks import (
    DUE_KINDS,
    GOOD_NEIGHBOUR_DECISION,
    GOOD_NEIGHBOUR_FOLLOW_UP,
    TaskState,
)
from asb.intake.next_steps import confirmation
from asb.intake.service import Receipt, open_case
from asb.kernel.errors import RuleBroken
from asb.kernel.staff import StaffMember
from asb.notifications.plan import DutyOfficer, messages_for
from asb.tracking.reporter_page import good_neighbour_view
from asb.triage.good_neighbour import good_neighbour_triage
from tests.conftest import sample_event

MONDAY = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "yeovil")
DUTY = DutyOfficer("duty@example.org", "+447700900000")


def submission(*behaviours: str, **changes: Any) -> ReportSubmission:
    data: dict[str, Any] = json.loads(sample_event("intake-good-neighbour-json")["body"])
    if behaviours:
        data["incident"]["behaviours"] = list(behaviours)
    for part, values in changes.items():
        data[part].update(values)
    return ReportSubmission.model_validate(data)


def folder(report: ReportSubmission | None = None, **tasks: TaskState) -> CaseFolder:
    ids = iter(f"id-{n}" for n in range(100))
    opened = open_case(report or submission(), "ASB-2026-000001", "api", MONDAY,
                       lambda: next(ids))
    case = opened.case.model_copy(update={"status": CaseStatus.TRIAGED, "team": "yeovil",
                                          "officer": "o.hughes"})
    return CaseFolder(case=case, reports=[opened.report], tasks=dict(tasks))


def ids() -> Any:
    counter = iter(range(1000))
    return lambda: f"new-{next(counter)}"


@pytest.mark.parametrize(("behaviours", "changes", "pathway"), [
    (("household_noise",), {}, "good_neighbour"),
    (("lifestyle_differences",), {}, "good_neighbour"),
    (("household_noise", "lifestyle_differences"), {}, "good_neighbour"),
    # anything beyond everyday living is ASB (or domestic abuse, which comes first)
    (("household_noise", "noise"), {}, "asb"),
    (("household_noise", "domestic_abuse"), {}, "domestic_abuse"),
    (("household_noise",), {"harm": {"threats_or_violence": True}}, "asb"),
    (("household_noise",), {"harm": {"targeted_for_identity": ["disability"]}}, "asb"),
    (("household_noise",), {"harm": {"feels_unsafe": True}}, "asb"),
    # a risk above standard: health, vulnerability, isolation, daily life, children (3+4+2+2+2)
    (("household_noise",), {"harm": {"affects_health": True, "vulnerable_household": True,
                                     "lives_alone_or_isolated": True, "affects_daily_life": True,
                                     "children_affected": True}}, "asb"),
])
def test_only_everyday_living_with_no_harm_takes_the_good_neighbour_route(
        behaviours: tuple[str, ...], changes: dict[str, Any], pathway: str) -> None:
    assert pathway_of(submission(*behaviours, **changes)) == pathway


def test_a_good_neighbour_request_claims_no_matter() -> None:
    assert matter_keys(submission(), "T-1") == []
    assert matter_keys(submission("noise"), "T-1") == ["TENANCY#T-1"]


def test_the_reporter_is_told_why_what_we_will_do_and_how_to_ask_for_asb() -> None:
    receipt = Receipt("ASB-2026-000001", "r-1", MONDAY, False, submission=submission())
    said = confirmation(receipt)
    assert said.what_happens.startswith("Thank you. We have your report.")
    for words in (good_neighbour.WHY_NOT_ASB, good_neighbour.WHAT_WE_WILL_DO,
                  good_neighbour.PROPERTY_CHECK, good_neighbour.HOW_TO_ASK, "999"):
        assert words in said.what_happens
    assert said.reachable and not said.emergency
    quiet = confirmation(Receipt("ASB-2026-000001", "r-1", MONDAY, False, submission=submission(
        incident={"through_walls": None})))
    assert good_neighbour.PROPERTY_CHECK not in quiet.what_happens


def test_triage_opens_the_follow_up_and_asks_repairs_for_a_minimised_check() -> None:
    file = folder()
    file = CaseFolder(case=file.case.model_copy(update={"status": CaseStatus.NEW,
                                                        "team": None, "officer": None}),
                      reports=file.reports)
    after, tasks, events, audit = good_neighbour_triage(file, file.reports[0], MONDAY, ids())
    assert (after.status, after.team, after.category, after.risk) == (
        CaseStatus.TRIAGED, "yeovil", None, None)
    (task,) = tasks
    assert task.kind == GOOD_NEIGHBOUR_FOLLOW_UP
    assert task.due_at == datetime(2026, 12, 7, 17, 0, tzinfo=UTC)  # 5 working days on
    assert [e.type for e in events] == ["CaseTriaged", "PropertyCheckRequested"]
    check = events[1].detail
    assert set(check) == {"uprn", "address", "postcode", "neighbouring_uprn", "what",
                          "requested_by"}
    assert check["address"] == "Flat 1, 14 Orchard Close, Yeovil"
    assert audit.action == "GoodNeighbourRequestTriaged"
    # the policy whose behaviours put it on this route
    assert after.policy_version == audit.after["policy_version"] == "magna-2026.1"
    assert GOOD_NEIGHBOUR_FOLLOW_UP in DUE_KINDS and GOOD_NEIGHBOUR_DECISION in DUE_KINDS
    again = good_neighbour_triage(
        CaseFolder(case=file.case, reports=file.reports,
                   tasks={GOOD_NEIGHBOUR_FOLLOW_UP: TaskState(True, task.due_at)}),
        file.reports[0], MONDAY, ids())
    assert again[1] == []  # opened once


def test_asking_for_asb_puts_the_decision_on_the_team_once() -> None:
    file = folder()
    change = good_neighbour.ask_for_asb(file, file.reports[0], "It is every night at 3am.",
                                        MONDAY, ids())
    assert change.case.asb_request == {"report_id": file.reports[0].report_id,
                                       "reason": "It is every night at 3am.",
                                       "at": MONDAY.isoformat()}
    (task,) = change.tasks
    assert (task.kind, task.due_at) == (GOOD_NEIGHBOUR_DECISION,
                                        datetime(2026, 12, 7, 17, 0, tzinfo=UTC))
    assert "3am" not in json.dumps(change.audit.model_dump(mode="json"))  # words not audited
    asked = CaseFolder(case=change.case, reports=file.reports,
                       tasks={GOOD_NEIGHBOUR_DECISION: TaskState(True, task.due_at)})
    again = good_neighbour.ask_for_asb(asked, file.reports[0], "And now at 4am as well.",
                                       MONDAY, ids())
    assert again.tasks == [] and (again.case.asb_request or {})["reason"] == "And now at 4am as well."


@pytest.mark.parametrize("update", [{"pathway": "asb"}, {"status": CaseStatus.CLOSED}])
def test_only_an_open_good_neighbour_request_can_be_asked_about_or_decided(
        update: dict[str, Any]) -> None:
    file = folder()
    file = CaseFolder(case=file.case.model_copy(update=update), reports=file.reports)
    with pytest.raises(RuleBroken):
        good_neighbour.ask_for_asb(file, file.reports[0], "It is every night at 3am.", MONDAY)
    with pytest.raises(RuleBroken):
        good_neighbour.decide(file, True, "Persistent noise at night.", OFFICER, MONDAY)


def test_no_keeps_the_request_on_its_route_and_tells_the_reporter_who_asked() -> None:
    file = folder()
    asked = good_neighbour.ask_for_asb(file, file.reports[0], "It is every night at 3am.",
                                       MONDAY, ids())
    file = CaseFolder(case=asked.case, reports=file.reports,
                      tasks={GOOD_NEIGHBOUR_DECISION: TaskState(True, MONDAY)})
    change = good_neighbour.decide(file, False, "Footsteps at 11pm are everyday living.",
                                   OFFICER, MONDAY, ids())
    assert change.case.pathway == "good_neighbour" and change.case.asb_request is None
    assert change.case.good_neighbour_decision == {
        "treat_as_asb": False, "reason": "Footsteps at 11pm are everyday living.",
        "by": "o.hughes", "at": MONDAY.isoformat(), "asked_by_report": file.reports[0].report_id}
    assert [(t.kind, t.due_at) for t in change.tasks] == [(GOOD_NEIGHBOUR_DECISION, None)]
    (told,) = change.events
    assert (told.type, told.detail) == ("GoodNeighbourDecided", {
        "treat_as_asb": False, "report_id": file.reports[0].report_id})
    view = good_neighbour_view(change.case, file.reports[0])
    assert view and view["decision"] == {"treat_as_asb": False,
                                         "reason": "Footsteps at 11pm are everyday living."}
    (message,) = messages_for(told.model_dump(mode="json"), change.case, file.reports, DUTY,
                              MONDAY)
    assert message.template == "good_neighbour_decision"
    assert message.context["reason"] == "Footsteps at 11pm are everyday living."


def test_yes_makes_it_an_asb_case_from_today_and_sends_its_reports_to_triage() -> None:
    file = folder()
    file = CaseFolder(case=file.case.model_copy(update={"triaged_report_ids": ["x"]}),
                      reports=file.reports,
                      tasks={GOOD_NEIGHBOUR_FOLLOW_UP: TaskState(True, MONDAY)})
    later = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
    change = good_neighbour.decide(file, True, "The diary shows it at 3am every night.",
                                   OFFICER, later, ids())
    case = change.case
    assert (case.pathway, case.asb_opened_at, case.status, case.triaged_report_ids) == (
        "asb", later, CaseStatus.NEW, [])
    assert case.opened_at == MONDAY  # when the request came; NM01 counts from asb_opened_at
    assert [(t.kind, t.due_at) for t in change.tasks] == [(GOOD_NEIGHBOUR_FOLLOW_UP, None)]
    (received,) = change.events
    assert received.type == "ReportReceived"
    assert received.detail["report_id"] == file.reports[0].report_id
    assert received.detail["moved_to_asb"] is True
    assert change.audit.after and change.audit.after["pathway"] == "asb"


def test_the_reporters_first_message_is_the_good_neighbour_one() -> None:
    file = folder()
    event = {"event_id": "e-1", "type": "CaseTriaged", "case_reference": "ASB-2026-000001",
             "detail": {"report_id": file.reports[0].report_id, "pathway": "good_neighbour",
                        "property_check": True}}
    (message,) = messages_for(event, file.case, file.reports, DUTY, MONDAY)
    assert message.template == "good_neighbour" and message.context["property_check"] is True


def test_retention_erases_the_request_and_the_decisions_words() -> None:
    file = folder()
    case = file.case.model_copy(update={
        "status": CaseStatus.CLOSED,
        "asb_request": {"report_id": "r", "reason": "Every night.", "at": MONDAY.isoformat()},
        "good_neighbour_decision": {"treat_as_asb": False, "reason": "Everyday living.",
                                    "by": "o.hughes", "at": MONDAY.isoformat()}})
    plan = erase_plan(StoredCase(case, (), ()), MONDAY, "audit-1")
    assert plan.case.overwrite["asb_request"]["reason"] == ERASED
    assert plan.case.overwrite["good_neighbour_decision"]["reason"] == ERASED
    assert plan.case.overwrite["good_neighbour_decision"]["treat_as_asb"] is False


def test_the_form_asks_about_walls_only_of_a_reporter_of_everyday_noise() -> None:
    from asb.web.report_form import submission_from_form
    from asb.web.report_journey import applicable

    def pages(*behaviours: str) -> list[str]:
        return [step.name for step in applicable({"incident.behaviours": list(behaviours)})]

    assert pages("household_noise")[:3] == ["what", "through-walls", "details"]
    assert "through-walls" not in pages("noise") + pages("lifestyle_differences")
    data, _ = submission_from_form({"incident.behaviours": ["household_noise"],
                                    "incident.through_walls": ["yes"],
                                    "incident.description": ["Footsteps every night."],
                                    "location.address": ["Flat 1, Yeovil"], "anonymous": ["yes"]})
    assert ReportSubmission.model_validate(data).incident.through_walls is True


def test_nm01_counts_a_moved_request_in_the_year_it_was_moved() -> None:
    from asb.reporting.regulator import HomesOwned, figures

    homes = HomesOwned(1000, "register")
    came = {"reference": "ASB-2027-000001", "opened_at": "2027-03-20T10:00:00+00:00",
            "targets": {"pathway": "good_neighbour"}}
    moved = {"reference": "ASB-2027-000001", "opened_at": "2027-03-20T10:00:00+00:00",
             "asb_opened_at": "2027-04-02T10:00:00+00:00"}
    # The year it came in: on the listing index as the request it was, not counted in NM01.
    before = figures([{**came, "targets": {"asb_opened_at": moved["asb_opened_at"]}}], homes,
                     2026)
    assert before.cases_opened == 0
    # The year it was moved in: found on ByReportingYear, counted once.
    after = figures([], homes, 2027, moved_to_asb=[moved])
    assert after.cases_opened == 1
    still = figures([came], homes, 2026)
    assert still.cases_opened == 0 and still.counted_apart["good_neighbour"]["cases_opened"] == 1


def test_a_closed_request_offers_no_asb_case_review() -> None:
    from asb.notifications.render import render

    file = folder()
    closed = {"event_id": "e-9", "type": "CaseClosed", "case_reference": "ASB-2026-000001",
              "detail": {"outcome": "not_asb"}}
    for pathway, offered in (("good_neighbour", False), ("asb", True)):
        case = file.case.model_copy(update={"pathway": pathway, "status": CaseStatus.CLOSED,
                                            "outcome": "not_asb"})
        (message,) = messages_for(closed, case, file.reports, DUTY, MONDAY)
        for channel in ("email", "letter", "sms"):
            text = render("closure", channel, message.context).text
            assert ("ASB Case Review" in text) is offered, (pathway, channel)


def test_a_request_waiting_too_long_for_a_decision_is_escalated_to_the_managers() -> None:
    from asb.case.tasks import DueTask
    from asb.due_work.sweep import SWEPT_KINDS, action_for

    assert GOOD_NEIGHBOUR_DECISION in SWEPT_KINDS
    late = DueTask("ASB-2026-000001", GOOD_NEIGHBOUR_DECISION, MONDAY, officer="o.hughes",
                   team="yeovil", key={"pk": "CASE#ASB-2026-000001",
                                       "sk": f"TASK#{GOOD_NEIGHBOUR_DECISION}"})
    action = action_for(late, datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    assert action.event.type == "GoodNeighbourDecisionOverdue"
    assert action.next_kind == f"{GOOD_NEIGHBOUR_DECISION}:escalated"
    managers = DutyOfficer("duty@example.org", None, managers_email="managers@example.org",
                           service_url="https://asb.example.org/prod")
    (message,) = messages_for(action.event.model_dump(mode="json"), folder().case,
                              folder().reports, managers, MONDAY)
    assert message.recipient.email == "managers@example.org"
    assert "good-neighbour" in message.context["about"]
