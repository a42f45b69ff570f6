"""Where a good-neighbour request meets ASB case work (fixes from the review of issue 23,
item 4), through the handlers on moto: a request is no earlier case of a repeat victim until it
is ASB; moved to ASB, it claims its alleged perpetrator's tenancy (or says which open case holds
it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest

from asb.case.targets import local_day
from tests.integration.helpers import Staff
from tests.integration.test_good_neighbour import (
    case_item,
    decide,
    good_neighbour_report,
    items,
    triage,
)
from tests.landlords_homes import NUMBER_14, living_at


@pytest.fixture
def tracking(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("TrackingFunction")


def test_a_good_neighbour_request_makes_nobody_a_repeat_victim_until_it_is_asb(
        staff: Staff) -> None:
    _, request = good_neighbour_report(staff)  # Alex Morgan's everyday noise
    triage(staff, request)
    later = staff.open_case("20 Rowan Court, Yeovil", ["noise"])  # Alex Morgan again: ASB
    case = case_item(staff, later)
    assert "reported_before" not in case and case["risk"]["level"] == "standard"
    assert decide(staff, request, True, "The diary shows it at 3am every night.")[0] == 200
    triage(staff, request)
    again = staff.open_case("3 Mill Lane, Taunton", ["noise"])
    earlier = {r["reference"] for r in case_item(staff, again)["reported_before"]}
    assert earlier == {request, later}  # an ASB case from the day it was moved


def about_number_14(data: dict[str, Any]) -> None:
    data["perpetrator"] = living_at(NUMBER_14)


def test_a_request_moved_to_asb_claims_its_tenancy_so_a_later_report_joins_it(
        staff: Staff, homes: str) -> None:
    _, request = good_neighbour_report(staff, about_number_14)
    triage(staff, request)
    assert case_item(staff, request)["matter_keys"] == []  # a request claims nothing
    assert decide(staff, request, True, "The diary shows it at 3am every night.")[0] == 200
    (tenancy,) = case_item(staff, request)["matter_keys"]
    assert tenancy.startswith("TENANCY#")
    triage(staff, request)
    # A later ASB report about the same tenancy is a further report, not a second case.
    assert staff.open_case(home=NUMBER_14) == request
    assert len(items(staff, request, "Report")) == 2


def test_a_tenancy_another_open_case_handles_is_not_claimed_and_the_decision_says_so(
        staff: Staff, homes: str) -> None:
    held = staff.open_case(home=NUMBER_14)
    _, request = good_neighbour_report(staff, about_number_14)
    triage(staff, request)
    status, body = decide(staff, request, True, "Persistent banging at night, every night.")
    assert status == 200, body
    shown = staff.get(request)[1]["case"]["good_neighbour_decision"]
    assert shown["matter_held_by"] == [held]
    assert case_item(staff, request)["matter_keys"] == []
    triage(staff, request)
    version = case_item(staff, request)["version"]
    status, body = staff.write(held, "join", {"case_reference": request, "case_version": version,
                                              "reason": "The same tenancy, the same noise."})
    assert status == 200, body
    assert staff.open_case(home=NUMBER_14) == held  # its matter still names the open case


def test_a_request_moved_to_domestic_abuse_ends_its_own_work_and_is_triaged_as_a_case(
        staff: Staff, tracking: ModuleType) -> None:
    from tests.integration.test_domestic_abuse_pathway import move
    from tests.integration.test_good_neighbour import ask, open_tasks, secret_of

    answer, request = good_neighbour_report(staff)
    triage(staff, request)
    assert ask(tracking, answer["reference"], secret_of(answer),
               "It is every night and I am scared of him.")["statusCode"] in (200, 303)
    assert open_tasks(staff, request) == {"GOOD_NEIGHBOUR_FOLLOW_UP", "GOOD_NEIGHBOUR_DECISION"}
    status, body = move(staff, request)
    assert status == 200, body
    case = case_item(staff, request)
    assert (case["pathway"], case["status"], case.get("asb_request")) == (
        "domestic_abuse", "new", None)
    assert open_tasks(staff, request) == {"DA_SPECIALIST_REFERRAL"}
    triage(staff, request)  # its report, received again
    case = case_item(staff, request)
    assert case["status"] == "triaged" and case["risk"]
    assert {"FIRST_CONTACT", "CUSTOMER_CONTACT", "DA_SPECIALIST_REFERRAL"} <= open_tasks(
        staff, request)


def test_no_asb_case_review_nor_warning_on_a_request_through_the_handlers(
        staff: Staff) -> None:
    from tests.integration.test_case_review import step

    _, request = good_neighbour_report(staff)
    triage(staff, request)
    before = case_item(staff, request)["version"]
    status, body = step(staff, request, "case-reviews", {
        "received_on": local_day(datetime.now(UTC)).isoformat(),
        "summary": "Asks for the case to be looked at again."})
    assert status == 409 and "decide whether it is ASB first" in body["message"]
    status, body = staff.write(request, "measures", {
        "measure": "first_written_warning",
        "rationale": "Footsteps at night after advice was given twice."})
    assert status == 409 and "decide whether it is ASB first" in body["message"]
    assert case_item(staff, request)["version"] == before  # nothing stored
    assert staff.write(request, "measures", {
        "measure": "mediation", "rationale": "Both neighbours agreed to meet a mediator."})[0] == 200
