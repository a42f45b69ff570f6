"""Where a good-neighbour request meets ASB case work (fixes from the review of issue 23,
item 4), through the handlers on moto: a request is no earlier case of a repeat victim until it
is ASB."""

from __future__ import annotations

from tests.integration.helpers import Staff
from tests.integration.test_good_neighbour import case_item, decide, good_neighbour_report, triage


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
