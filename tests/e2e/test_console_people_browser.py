"""The console's parties, person pages and home pages (issue 21, item 5) in real headless Chromium
against the local runtime: open a case, follow a party to their person page and a tenancy to its
home's page, confirm a proposed party, merge a proposed match, a refusal in plain words, and
each new page at 375 px and through axe."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from playwright.sync_api import Browser, Page, expect

from infra.local.runtime import LocalRuntime
from tests.e2e.browser import axe_violations
from tests.e2e.test_console_browser import MANAGER, open_form, saved, sign_in, staff_api, triaged
from tests.e2e.test_notifications_flow import report
from tests.landlords_homes import HOMES, NUMBER_14, TENANCIES, TENANCY_14, living_at


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context that lets axe-core in (injected as a script of its own, which the
    console's CSP rightly refuses)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def load_register(service: LocalRuntime) -> None:
    """The test's few homes and tenancies as the local register (it starts empty)."""
    from asb.homes.register_import import Register
    from asb.homes.store import DynamoDBRegisterStore

    store = DynamoDBRegisterStore(boto3.client("dynamodb", endpoint_url=service.aws_endpoint),
                                  "asb-local-HomesTable")
    store.replace(store.current(), Register({home.uprn: home for home in HOMES},
                                            {t.reference: t for t in TENANCIES}),
                  datetime.now(UTC))


def about_number_14(data: dict[str, Any]) -> None:
    data["perpetrator"] = living_at(NUMBER_14)


def fits_a_phone(page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    page.set_viewport_size({"width": 1280, "height": 900})


def parties_row(page: Page, role: str) -> Any:
    return page.locator("#case-parties tbody tr", has_text=role)


def test_an_officer_follows_a_party_to_their_page_and_their_tenancy_to_its_home(
        page: Page, service: LocalRuntime) -> None:
    load_register(service)
    reference = report(service, "Quince Lane", about_number_14)
    triaged(service, reference)
    sign_in(page, service, "o.hughes", f"/console?case={reference}")

    perpetrator = parties_row(page, "Alleged perpetrator")
    expect(perpetrator).to_contain_text("Proposed: to check")
    expect(perpetrator).to_contain_text(TENANCY_14.reference)
    assert axe_violations(page) == []

    # Confirm the proposed party from the console.
    open_form(page, "party-confirm")
    page.select_option("#party-confirm-party_id", index=1)
    page.fill("#party-confirm-note", "Checked with the housing officer")
    page.click("#form-party-confirm button[type=submit]")
    saved(page, "The party is confirmed.")
    expect(parties_row(page, "Alleged perpetrator")).to_contain_text("Confirmed")

    # A refusal is shown in plain words beside the field.
    open_form(page, "party-unlink")
    page.select_option("#party-unlink-party_id", index=1)
    page.fill("#party-unlink-reason", "wrong")
    page.click("#form-party-unlink button[type=submit]")
    expect(page.locator("#form-party-unlink .error-summary")).to_contain_text("There is a problem")
    expect(page.locator("#party-unlink-reason-error")).to_be_visible()

    # The complainant's name opens their page.
    parties_row(page, "Complainant").get_by_role("link", name="Alex Morgan").click()
    expect(page.locator("#page-title")).to_have_text("Alex Morgan")
    cases = page.locator("table", has_text="Their cases")
    expect(cases).to_contain_text(reference)
    expect(cases).to_contain_text("Complainant")
    expect(page.locator("#vulnerability")).to_contain_text("Has this happened before?")
    fits_a_phone(page)
    assert axe_violations(page) == []

    # Back on the case, the tenancy opens the home's page.
    page.go_back()
    parties_row(page, "Alleged perpetrator").get_by_role(
        "link", name=TENANCY_14.reference, exact=False).click()
    expect(page.locator("#page-title")).to_have_text(NUMBER_14.address)
    tenancies = page.locator("table", has_text="Tenancies, current first")
    expect(tenancies.locator("tbody tr").first).to_contain_text(TENANCY_14.reference)
    expect(tenancies.locator("tbody tr").first).to_contain_text("Current")
    at_home = page.locator("table", has_text="Cases at this home").locator(
        "tbody tr", has_text=reference)
    # Why the case is at this home, in words: he lives there, and his party is tied to it.
    expect(at_home).to_contain_text("the alleged perpetrator's home; a party's tenancy")
    fits_a_phone(page)
    assert axe_violations(page) == []


def test_an_officer_merges_a_proposed_match_and_the_person_page_has_both_cases(
        page: Page, service: LocalRuntime) -> None:
    first = report(service, "Medlar Row")
    second = report(service, "Sloe Court")  # the same reporter: a proposed match, not merged
    triaged(service, first)
    triaged(service, second)
    sign_in(page, service, "o.hughes", f"/console?case={second}")
    expect(parties_row(page, "Complainant")).to_contain_text("same email")

    (earlier,) = [p["person_id"] for p in staff_api(service, "GET", f"/cases/{first}",
                                                    token=MANAGER)["parties"]
                  if "complainant" in p["roles"]]
    open_form(page, "party-merge")
    match = page.locator(f"#party-merge-pair option[value^='{earlier}|']")
    page.select_option("#party-merge-pair", match.get_attribute("value"))
    page.fill("#party-merge-reason", "The same reporter: same email and phone")
    page.click("#form-party-merge button[type=submit]")
    saved(page, "The records were merged.")

    parties_row(page, "Complainant").get_by_role("link", name="Alex Morgan").click()
    cases = page.locator("table", has_text="Their cases")
    expect(cases).to_contain_text(first)
    expect(cases).to_contain_text(second)
