"""The domestic abuse pathway in the console (issue 23, item 3) in real headless Chromium against
the local runtime: a case whose report disclosed domestic abuse is marked in the officer's list
and on its page, with its safe-contact rules and its specialist referral's due date; a neighbour
case has none of it, and an officer moves one there with a reason (refused without one, the
field named), once a risk re-assessment finds it the page says so. Both pages pass axe and fit
a phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from infra.local.runtime import LocalRuntime
from tests.e2e.browser import axe_violations
from tests.e2e.test_console_browser import MANAGER, open_form, saved, sign_in, staff_api, triaged
from tests.e2e.test_console_people_browser import fits_a_phone
from tests.e2e.test_notifications_flow import report


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context that lets axe-core in (the console's CSP rightly refuses it)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def disclosing(data: dict[str, Any]) -> None:
    data["incident"].update(behaviours=["domestic_abuse"],
                            description="My partner shouts at me and pushes me around.")


def test_a_domestic_abuse_case_is_marked_and_an_officer_moves_another_to_its_pathway(
        page: Page, service: LocalRuntime) -> None:
    abuse = report(service, "Sorrel Way", disclosing)
    neighbour = report(service, "Teasel Way")
    triaged(service, abuse)
    triaged(service, neighbour)

    sign_in(page, service, "o.hughes")
    expect(page.locator("tr", has_text=abuse)).to_contain_text("Domestic abuse")
    expect(page.locator("tr", has_text=neighbour)).not_to_contain_text("Domestic abuse")

    page.goto(f"{service.api_url}/console?case={abuse}")
    notice = page.locator("#domestic-abuse")
    expect(notice).to_contain_text("Domestic abuse: its own pathway")
    expect(page.locator("#specialist-referral")).to_contain_text(
        "Refer to the domestic abuse specialist service")
    expect(page.locator("#specialist-referral")).to_contain_text("Due ")
    expect(notice).to_contain_text("never an address or number the alleged perpetrator may see")
    expect(page.locator("#case-summary")).to_contain_text("Domestic abuse (its own pathway)")
    expect(page.locator(".case-tags")).to_contain_text("Domestic abuse")
    expect(page.locator("#write-pathway")).to_have_count(0)  # it is not moved back
    assert axe_violations(page) == []
    fits_a_phone(page)

    page.goto(f"{service.api_url}/console?case={neighbour}")
    expect(page.locator("#case-summary")).to_contain_text("Anti-social behaviour")
    expect(page.locator("#domestic-abuse")).to_have_count(0)
    expect(page.locator("#domestic-abuse-prompt")).to_have_count(0)
    # A re-assessment finds domestic abuse: the page says to move the case.
    version = staff_api(service, "GET", f"/cases/{neighbour}", token=MANAGER)["case"]["version"]
    staff_api(service, "POST", f"/cases/{neighbour}/risk-assessments",
              {"answers": {"domestic_abuse": True}}, version)
    page.reload()
    expect(page.locator("#domestic-abuse-prompt")).to_contain_text(
        "The risk assessment says domestic abuse is involved")
    open_form(page, "pathway")
    page.click("#form-pathway button[type=submit]")  # no reason: refused, the field named
    expect(page.locator("#form-pathway .error-summary")).to_be_visible()
    expect(page.locator("#pathway-reason-error")).to_be_visible()
    page.fill("#pathway-reason", "On a visit she told us her partner at the flat hits her.")
    page.click("#form-pathway button[type=submit]")
    saved(page, "The case is on the domestic abuse pathway")
    expect(page.locator("#domestic-abuse-prompt")).to_have_count(0)
    expect(page.locator("#domestic-abuse")).to_contain_text(
        "Refer to the domestic abuse specialist service")
    assert staff_api(service, "GET", f"/cases/{neighbour}", token=MANAGER)["case"][
        "pathway"] == "domestic_abuse"
    assert axe_violations(page) == []
