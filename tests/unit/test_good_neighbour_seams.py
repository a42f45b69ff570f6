"""Where the good-neighbour route meets the rest of case work (issue 23, item 4; fixes from its
review): what a contact with the reporter does, what a moved request claims, how the figures
and repeat-victim risk see requests, and the tools an officer may not use on one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from asb.case.change import CaseFolder
from asb.case.tasks import CUSTOMER_CONTACT, FIRST_CONTACT, GOOD_NEIGHBOUR_FOLLOW_UP, TaskState
from asb.case_review.process import Arrangement, apply_for_review
from asb.casework.commands import record_contact
from asb.casework.models import ContactIn
from asb.enforcement.measures import record_measure
from asb.enforcement.models import MeasureIn
from asb.kernel.errors import RuleBroken
from asb.partners.power_requests import request_power
from asb.policy.config import GOOD_NEIGHBOUR_TOOLS
from tests.unit.test_good_neighbour import MONDAY, OFFICER, folder, ids

ADVICE_SENT = ContactIn.model_validate({
    "with_whom": "reporter", "channel": "phone",
    "summary": "Sent the advice pack and offered mediation."})


def test_a_contact_with_the_reporter_of_a_request_is_its_follow_up_and_no_asb_contact() -> None:
    file = folder(**{GOOD_NEIGHBOUR_FOLLOW_UP: TaskState(True, MONDAY)})
    change = record_contact(file, ADVICE_SENT, OFFICER, MONDAY, ids())
    assert [(t.kind, t.due_at, t.outcome) for t in change.tasks] == [
        (GOOD_NEIGHBOUR_FOLLOW_UP, None, "advice sent")]
    # No ContactDue schedule, no first-contact target: it is not an ASB case.
    assert change.case.targets == file.case.targets and change.case.first_contact_at is None
    assert change.audit.after and "first_contact" not in change.audit.after
    again = record_contact(folder(**{GOOD_NEIGHBOUR_FOLLOW_UP: TaskState(False, None)}),
                           ADVICE_SENT, OFFICER, MONDAY, ids())
    assert again.tasks == []


def test_on_an_asb_case_a_contact_with_the_reporter_still_keeps_the_asb_targets() -> None:
    file = folder(**{FIRST_CONTACT: TaskState(True, MONDAY)})
    file = type(file)(case=file.case.model_copy(update={"pathway": "asb"}), reports=file.reports,
                      tasks=file.tasks)
    change = record_contact(file, ADVICE_SENT, OFFICER, MONDAY, ids())
    assert [t.kind for t in change.tasks] == [FIRST_CONTACT, CUSTOMER_CONTACT]


def good_neighbour(file: CaseFolder) -> CaseFolder:
    return replace(file, case=file.case.model_copy(update={"pathway": "good_neighbour"}))


def test_no_asb_case_review_on_a_good_neighbour_request() -> None:
    from tests.unit.test_case_review_application import application
    from tests.unit.test_case_review_application import folder as asb_case

    received = date(2026, 5, 5)
    now = datetime(2026, 5, 5, 12, 0, tzinfo=UTC)
    with pytest.raises(RuleBroken, match="decide whether it is ASB first"):
        apply_for_review(good_neighbour(asb_case()), application(received), OFFICER, now,
                         arrangement=Arrangement.lead())
    assert apply_for_review(asb_case(), application(received), OFFICER, now,
                            arrangement=Arrangement.lead()).records


@pytest.mark.parametrize("tool", ["first_written_warning", "acceptable_behaviour_agreement",
                                  "civil_injunction", "cctv"])
def test_no_warning_or_tool_against_a_neighbour_on_a_good_neighbour_request(tool: str) -> None:
    from tests.unit.test_parties import COMPLAINANT
    from tests.unit.test_parties import folder as parties_folder
    from tests.unit.test_warning_letters import AGAINST_SAM, RATIONALE, warning, with_reporter

    request = good_neighbour(with_reporter(parties_folder(COMPLAINANT, AGAINST_SAM)))
    with pytest.raises(RuleBroken, match="decide whether it is ASB first"):
        record_measure(request, MeasureIn(measure=tool, rationale=RATIONALE), OFFICER, MONDAY,
                       ids())
    # What the route offers is still recorded: advice, mediation, a good neighbour agreement.
    for offered in sorted(GOOD_NEIGHBOUR_TOOLS):
        assert record_measure(request, MeasureIn(measure=offered, rationale=RATIONALE), OFFICER,
                              MONDAY, ids()).records
    # A warning recorded before pathways were checked sends no letter while it is a request.
    at, measure_id = warning("first_written_warning")
    from tests.unit.test_warning_letters import letter
    with pytest.raises(RuleBroken, match="decide whether it is ASB first"):
        letter(good_neighbour(at), measure_id)


def test_no_power_asked_of_a_partner_on_a_good_neighbour_request() -> None:
    from tests.unit.test_power_requests import COUNCIL, a_case, ask

    with pytest.raises(RuleBroken, match="decide whether it is ASB first"):
        request_power(good_neighbour(a_case()), COUNCIL, ask(), OFFICER, MONDAY, ids())


def test_a_request_is_no_earlier_case_and_a_moved_one_counts_from_its_move() -> None:
    from asb.triage.repeat_victim import EarlierCase, earlier_case

    moved_on = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
    assert earlier_case("ASB-2026-000001", MONDAY, None, "good_neighbour", None) is None
    assert earlier_case("ASB-2026-000001", MONDAY, None, None, moved_on) == EarlierCase(
        "ASB-2026-000001", moved_on, None)
    assert earlier_case("ASB-2026-000002", MONDAY, None, "domestic_abuse", None) == EarlierCase(
        "ASB-2026-000002", MONDAY, None)


def test_a_request_moved_to_asb_in_a_later_year_leaves_its_first_years_figures_alone() -> None:
    from asb.reporting.regulator import HomesOwned, figures

    homes = HomesOwned(1000, "register")
    came = "2026-03-20T10:00:00+00:00"  # reporting year 2025/26
    request = {"reference": "ASB-2026-000001", "opened_at": came,
               "targets": {"pathway": "good_neighbour"}}
    # Moved on 2 April 2026 (2026/27): its listing row in 2025/26 carries the move's day.
    moved_row = {"reference": "ASB-2026-000001", "opened_at": came,
                 "targets": {"asb_opened_at": "2026-04-02T10:00:00+00:00"}}
    before, after = figures([request], homes, 2025), figures([moved_row], homes, 2025)
    assert after.counted_apart == before.counted_apart
    assert after.counted_apart["good_neighbour"]["cases_opened"] == 1
    assert after.cases_opened == 0
    # Moved within the year it came in: an ASB case of that year, not counted apart too.
    same_year = {**moved_row, "targets": {"asb_opened_at": "2026-03-27T10:00:00+00:00"}}
    counted = figures([same_year], homes, 2025)
    assert counted.cases_opened == 1
    assert counted.counted_apart["good_neighbour"]["cases_opened"] == 0


def test_moved_to_asb_it_claims_the_free_tenancies_and_names_the_case_holding_another() -> None:
    from asb.case import good_neighbour as route

    file = folder()
    matters = {"TENANCY#T-14": None, "TENANCY#T-16": "ASB-2026-000009"}
    change = route.decide(file, True, "The diary shows it at 3am every night.", OFFICER, MONDAY,
                          ids(), matters)
    assert change.case.matter_keys == ["TENANCY#T-14"] == change.matters_claimed
    decision = change.case.good_neighbour_decision or {}
    assert decision["matter_held_by"] == ["ASB-2026-000009"]
    assert change.audit.after and change.audit.after["matter_held_by"] == ["ASB-2026-000009"]
    # No: nothing is claimed.
    kept = route.decide(file, False, "Footsteps at 11pm are everyday living.", OFFICER, MONDAY,
                        ids(), matters)
    assert kept.matters_claimed == [] and kept.case.matter_keys == []


def test_a_requests_matters_are_its_reports_tenancies_keyed_as_intake_keys_them() -> None:
    from asb.case.matters import matter_keys, tenancy_matters
    from tests.unit.test_good_neighbour import submission

    file = folder()
    report = file.reports[0].model_copy(update={"perpetrator_tenancy": "T-14"})
    assert tenancy_matters([report, report, file.reports[0]]) == ["TENANCY#T-14"]
    asb = submission("noise")
    assert matter_keys(asb, "T-14") == tenancy_matters([report])


def test_a_request_moved_to_domestic_abuse_is_sent_to_triage_and_its_own_work_ends() -> None:
    from asb.case.models import CaseStatus
    from asb.case.tasks import DA_SPECIALIST_REFERRAL, GOOD_NEIGHBOUR_DECISION
    from asb.casework.models import PathwayMoveIn
    from asb.casework.pathway_moves import move_to_pathway

    body = PathwayMoveIn(pathway="domestic_abuse",
                         reason="At the visit she said her partner hits her.")
    file = folder(**{GOOD_NEIGHBOUR_FOLLOW_UP: TaskState(True, MONDAY),
                     GOOD_NEIGHBOUR_DECISION: TaskState(True, MONDAY)})
    file = replace(file, case=file.case.model_copy(update={
        "asb_request": {"report_id": "r", "reason": "Every night.", "at": MONDAY.isoformat()},
        "triaged_report_ids": [file.reports[0].report_id]}))
    later = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)
    change = move_to_pathway(file, body, OFFICER, later, ids())
    case = change.case
    assert (case.pathway, case.status, case.triaged_report_ids, case.asb_request,
            case.asb_opened_at) == ("domestic_abuse", CaseStatus.NEW, [], None, later)
    assert [(t.kind, t.due_at is None) for t in change.tasks] == [
        (GOOD_NEIGHBOUR_FOLLOW_UP, True), (GOOD_NEIGHBOUR_DECISION, True),
        (DA_SPECIALIST_REFERRAL, False)]
    assert [e.type for e in change.events] == ["PathwayChanged", "ReportReceived"]
    # An ASB case moved keeps its triage: nothing is received again.
    asb = replace(file, case=file.case.model_copy(update={"pathway": "asb"}), tasks={})
    assert [e.type for e in move_to_pathway(asb, body, OFFICER, later, ids()).events] == [
        "PathwayChanged"]
