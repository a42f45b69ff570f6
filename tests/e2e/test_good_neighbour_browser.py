"""The good-neighbour route (issue 23, item 4) in real headless Chromium against the local
runtime: a resident reports everyday noise through the form and is told on the confirmation page
why it is not an ASB case, what we will do and how to ask for ASB; through their link they ask;
the officer sees the request marked on the case list and the case, decides no with a reason the
reporter then reads on their page, and on a second request decides yes: an ASB case, triaged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from asb.policy.config import BEHAVIOURS
from infra.local.pollers import wait_until
from infra.local.runtime import LocalRuntime
from tests.conftest import sample_event
from tests.e2e.browser import axe_violations
from tests.e2e.report_journey import choice_id, fills, send, ticks, walk_to_check
from tests.e2e.test_console_browser import MANAGER, open_form, poll, saved, sign_in, staff_api
from tests.e2e.test_local_service import http


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context that lets axe-core in (the pages' CSP rightly refuses it)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


EVERYDAY_NOISE = {
    "what": ticks(choice_id("incident-behaviours", BEHAVIOURS, "household_noise")),
    "through-walls": ticks("incident-through_walls"),  # Yes
    "details": fills({"incident-description": "Footsteps and doors from the flat above every "
                                              "evening; we hear it through the ceiling."}),
    "where": fills({"location-postcode": "BA21 4XY"}),
    "where-home": lambda page: page.check("input[name='location.uprn'][value='not_listed']"),
    "where-address": fills({"location-address": "Flat 1, 3 Rowan Court, Yeovil"}),
    "whose-homes": ticks("address_to_check"),  # Yes
    "you": ticks("anonymous"),  # "Yes, I will give my name"
    "about-you": fills({"reporter-name": "Jo Lane"}, ticks("reporter-relationship")),
    "contact": fills({"reporter-email": "jo.lane@example.com"},
                     ticks("reporter-preferred_contact")),
}


def good_neighbour_request(service: LocalRuntime, street: str) -> tuple[str, str]:
    """A good-neighbour request through the JSON API, triaged: its reference and link."""
    data = json.loads(sample_event("intake-good-neighbour-json")["body"])
    data["location"]["address"] = f"Flat 1, 3 {street}, Yeovil"
    data["perpetrator"] = {"known": True, "address": f"Flat 3, 3 {street}, Yeovil"}
    status, _, answer = http(service, "POST", "/reports", json.dumps(data),
                             {"Content-Type": "application/json"})
    assert status == 201, answer
    body = json.loads(answer)
    reference = str(body["reference"])
    assert wait_until(lambda: staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)[
        "case"]["status"] == "triaged", seconds=20)
    url = urlsplit(body["tracking_url"])
    return reference, parse_qs(url.query)["secret"][0]


def ask_for_asb(service: LocalRuntime, reference: str, secret: str, reason: str) -> None:
    status, _, _ = http(service, "POST", f"/track/{reference}/asb-request",
                        urlencode({"secret": secret, "reason": reason}),
                        {"Content-Type": "application/x-www-form-urlencoded"})
    assert status in (200, 303)


def case_of(service: LocalRuntime, reference: str) -> dict[str, Any]:
    return staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)["case"]


def test_a_resident_reporting_everyday_noise_is_told_why_and_asks_for_asb(
        page: Page, service: LocalRuntime) -> None:
    page.goto(service.api_url + "/")
    seen = walk_to_check(page, EVERYDAY_NOISE)
    assert seen[:3] == ["what", "through-walls", "details"]
    reference = send(page)
    told = page.inner_text("#next-steps")
    assert "not anti-social behaviour" in told and "mediation" in told
    assert "check the building" in told
    assert "ask us to treat it as that" in told
    assert axe_violations(page) == []

    page.click("#tracking-link")
    expect(page.locator("#good-neighbour")).to_contain_text("not anti-social behaviour")
    expect(page.locator("#property-check")).to_contain_text("repairs team")
    page.click("#ask-for-asb")  # no reason given: refused on the page, nothing stored
    expect(page.locator(".error-summary")).to_contain_text("Tell us why")
    page.fill("#reason", "The banging starts the moment my son goes to bed, every night.")
    page.click("#ask-for-asb")
    expect(page.locator("#notice")).to_contain_text("An officer will decide")
    expect(page.locator("#asb-asked")).to_be_visible()
    assert axe_violations(page) == []
    assert wait_until(lambda: bool(case_of(service, reference).get("asb_request")))


def test_an_officer_sees_the_request_and_decides_no_then_yes(
        page: Page, service: LocalRuntime) -> None:
    reference, secret = good_neighbour_request(service, "Hazel Mews")
    ask_for_asb(service, reference, secret, "They stamp on purpose whenever we go to bed.")

    sign_in(page, service, "o.hughes")
    row = page.locator("table tbody tr", has_text=reference)
    expect(row).to_contain_text("Good neighbour (not ASB)")  # not "Not triaged"
    expect(row).not_to_contain_text("Not triaged")
    row.get_by_role("link", name=reference).click()
    expect(page.locator(".case-tags")).to_contain_text("Good neighbour (not ASB)")
    notice = page.locator("#good-neighbour")
    expect(notice).to_contain_text("not an ASB case")
    expect(page.locator("#asb-request")).to_contain_text("They stamp on purpose")

    open_form(page, "good-neighbour-decision")
    page.check("#good-neighbour-decision-treat_as_asb-no")
    page.fill("#good-neighbour-decision-reason", "short")
    page.click("#form-good-neighbour-decision button[type=submit]")
    expect(page.locator("#good-neighbour-decision-reason-error")).to_be_visible()
    page.fill("#good-neighbour-decision-reason",
              "We listened to your recordings: it is footsteps at normal hours.")
    page.click("#form-good-neighbour-decision button[type=submit]")
    saved(page, "The reporter is told your reason")
    expect(page.locator("#good-neighbour-decided")).to_contain_text("Decided: not ASB.")
    assert axe_violations(page) == []

    tracking = page.context.new_page()
    tracking.goto(f"{service.api_url}/track/{reference}?secret={secret}")
    expect(tracking.locator("#good-neighbour-decision")).to_contain_text(
        "footsteps at normal hours")
    tracking.close()

    open_form(page, "good-neighbour-decision")
    page.check("#good-neighbour-decision-treat_as_asb-first")  # Yes
    page.fill("#good-neighbour-decision-reason",
              "New recordings show banging at 3am most nights: persistent nuisance.")
    page.click("#form-good-neighbour-decision button[type=submit]")
    saved(page, "It is an ASB case from today")
    case = poll(lambda: (lambda c: c if c.get("category") else None)(
        case_of(service, reference)))
    assert case and case["pathway"] == "asb" and case["asb_opened_at"]
    expect(page.locator("#good-neighbour-decided")).to_contain_text("Decided: treat it as ASB.")
