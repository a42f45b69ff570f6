"""Each complainant's own action plan (issue 21, item 4): agreed with one named complainant,
shown on their page and sent to them, never to another complainant of the same case."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest

from asb.case.change import CaseChange, CaseFolder
from asb.case.models import Case
from asb.casework.commands import agree_action_plan
from asb.casework.models import ActionPlanIn
from asb.casework.views import case_view
from asb.kernel.errors import InvalidChange
from asb.kernel.staff import StaffMember
from asb.notifications.plan import messages_for
from asb.notifications.render import render
from asb.tracking.reporter_page import tracking_view
from tests.unit.test_reporters_own_part import DUTY, LATER, case, low_priority, serious

OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "east")
ALEX_STEP, SAM_STEP = "Visit Alex's block with the police", "Clear the fly-tipping by the bins"


def _ids() -> object:
    numbers = count(1)
    return lambda: f"id-{next(numbers)}"


def _plan(step: str, agreed_with: str | None, days: int = 20) -> ActionPlanIn:
    return ActionPlanIn(landlord_actions=[step], customer_actions=[f"Keep a diary ({step})"],
                        contact_channel="email", contact_every_working_days=5,
                        review_on=LATER.date() + timedelta(days=days), customer_agreed=True,
                        agreed_with=agreed_with)


def _agreed(folder: CaseFolder, step: str, agreed_with: str | None, days: int = 20) -> CaseChange:
    return agree_action_plan(folder, _plan(step, agreed_with, days), OFFICER, LATER, _ids())


def _two_plans() -> tuple[Case, CaseChange]:
    reports = [serious(), low_priority()]
    first = _agreed(CaseFolder(case(), reports), ALEX_STEP, "report-1", days=30)
    second = _agreed(CaseFolder(first.case, reports), SAM_STEP, "report-2")
    return second.case, second


def test_a_further_complainants_plan_is_their_own_and_leaves_the_leads_plan() -> None:
    agreed, change = _two_plans()
    assert agreed.action_plan is not None and agreed.action_plan["landlord_actions"] == [ALEX_STEP]
    assert agreed.action_plan["agreed_with"] == "report-1"
    assert agreed.complainant_plans["report-2"]["landlord_actions"] == [SAM_STEP]
    assert [r.record_id for r in change.records] == ["0002"]  # versions count across the case
    # The plan review falls due at the earliest complainant's review date.
    assert agreed.targets and agreed.targets["review_due"] == (
        LATER.date() + timedelta(days=20)).isoformat()


def test_each_complainants_page_shows_their_own_plan_only() -> None:
    agreed, _ = _two_plans()
    reports = [serious(), low_priority()]
    alex = tracking_view(agreed, reports[0], reports, [])
    sam = tracking_view(agreed, reports[1], reports, [])
    assert alex["plan"]["we_will"] == [ALEX_STEP] and SAM_STEP not in str(alex)
    assert sam["plan"]["we_will"] == [SAM_STEP] and ALEX_STEP not in str(sam)
    assert "Alex" not in str(sam) and "Sam" not in str(alex)


def test_each_complainants_plan_email_is_their_own_only() -> None:
    agreed, _ = _two_plans()
    reports = [serious(), low_priority()]
    for report_id, own, other, name in (("report-1", ALEX_STEP, SAM_STEP, "Sam"),
                                        ("report-2", SAM_STEP, ALEX_STEP, "Alex")):
        event = {"event_id": "e-1", "type": "ActionPlanAgreed", "case_reference": agreed.reference,
                 "detail": {"plan_version": 2, "agreed_with": report_id}}
        [message] = [m for m in messages_for(event, agreed, reports, DUTY, LATER)
                     if m.template == "action_plan"]
        assert message.recipient.report_id == report_id
        text = render("action_plan", "email", message.context).text
        assert own in text and other not in text and name not in text


def test_a_plan_stored_before_plans_named_one_is_the_first_complainants() -> None:
    reports = [serious(), low_priority()]
    old = case(action_plan={"landlord_actions": [ALEX_STEP], "customer_actions": ["Diary"],
                            "review_on": "2026-12-20", "version": 1})
    assert tracking_view(old, reports[0], reports, [])["plan"]["we_will"] == [ALEX_STEP]
    assert tracking_view(old, reports[1], reports, [])["plan"] is None


def test_staff_see_every_plan_with_whom_it_was_agreed() -> None:
    agreed, _ = _two_plans()
    shown = case_view(CaseFolder(agreed, [serious(), low_priority()]), [])["case"]
    assert [(p["agreed_with"], p["landlord_actions"]) for p in shown["action_plans"]] == [
        ("report-1", [ALEX_STEP]), ("report-2", [SAM_STEP])]


def test_a_plan_is_agreed_with_a_complainant_party_by_its_id() -> None:
    from asb.case.parties import Party, PartyStatus, Role

    reports = [serious(), low_priority()]
    party = Party(party_id="party-2", case_reference=case().reference, person_id="p-2",
                  roles=(Role.COMPLAINANT,), status=PartyStatus.CONFIRMED, report_id="report-2",
                  added_at=LATER, added_by="reporter:api")
    first = _agreed(CaseFolder(case(), reports), ALEX_STEP, "report-1")
    second = _agreed(CaseFolder(first.case, reports, parties={"party-2": party}), SAM_STEP,
                     "party-2")
    assert second.case.complainant_plans["report-2"]["landlord_actions"] == [SAM_STEP]


def test_a_plan_with_an_unknown_complainant_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidChange) as refused:
        _agreed(CaseFolder(case(), [serious()]), ALEX_STEP, "report-9")
    assert "agreed_with" in str(refused.value.errors)

