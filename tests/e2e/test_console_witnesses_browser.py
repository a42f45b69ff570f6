"""The console's witnesses (issue 23, item 2) in real headless Chromium against the local runtime:
an officer adds a witness, sees their contact schedule, records a statement (refused without its
day, the field named in plain words), records their needs, records a contact naming them, then
records the statement signed; the witnesses table says each, the page fits a phone and passes
axe."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from asb.case.targets import local_day
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


def witnesses_row(page: Page) -> object:
    return page.locator("#case-witnesses tbody tr", has_text="Jo Witness")


def test_an_officer_records_a_witnesss_statement_needs_and_contact(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Rowan Close")
    triaged(service, reference)
    today = local_day(datetime.now(UTC)).isoformat()
    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    expect(page.locator("#case-witnesses")).to_contain_text("No witness is recorded")

    open_form(page, "party-add")
    page.check("#party-add-roles-witness")
    page.fill("#party-add-name", "Jo Witness")
    page.click("#form-party-add button[type=submit]")
    saved(page, "The party was added.")
    row = page.locator("#case-witnesses tbody tr", has_text="Jo Witness")
    expect(row).to_contain_text("None yet")
    expect(row).to_contain_text("every 10 working days")

    # A statement without its day is refused, the field named beside it.
    open_form(page, "witness-statement")
    page.select_option("#witness-statement-party_id", label="Witness: Jo Witness")
    page.fill("#witness-statement-text", "I saw the man from number 9 kick the door of number 7.")
    page.click("#form-witness-statement button[type=submit]")
    expect(page.locator("#form-witness-statement .error-summary")).to_contain_text(
        "There is a problem")
    expect(page.locator("#witness-statement-made_on-error")).to_be_visible()

    page.fill("#witness-statement-made_on", today)
    page.check("#witness-statement-signed-no")
    page.check("#witness-statement-willing_to_attend_court-first")
    page.click("#form-witness-statement button[type=submit]")
    saved(page, "The statement was saved.")
    row = page.locator("#case-witnesses tbody tr", has_text="Jo Witness")
    expect(row).to_contain_text("not signed, will attend court")

    open_form(page, "witness-needs")
    page.select_option("#witness-needs-party_id", label="Witness: Jo Witness")
    page.check("#witness-needs-support-pre_court_visit")
    page.check("#witness-needs-special_measures-first")  # screens
    page.fill("#witness-needs-contact_every_working_days", "5")
    page.click("#form-witness-needs button[type=submit]")
    saved(page, "The witness's needs were saved.")
    row = page.locator("#case-witnesses tbody tr", has_text="Jo Witness")
    expect(row).to_contain_text("A visit to the court before the hearing")
    expect(row).to_contain_text("Screens")
    expect(row).to_contain_text("every 5 working days")

    # A contact with a witness names which one; the witness's schedule moves on.
    open_form(page, "contact")
    page.select_option("#contact-channel", "phone")
    page.check("#contact-with_whom-witness")
    page.select_option("#contact-party_id", label="Jo Witness")
    page.fill("#contact-summary", "Told her about the court's pre-trial visit.")
    page.click("#form-contact button[type=submit]")
    saved(page, "Contact recorded.")
    case = staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)
    contact = next(e["detail"] for e in case["timeline"] if e["kind"] == "contact")
    (witness,) = case["witnesses"]
    assert contact["party_id"] == witness["party_id"]

    open_form(page, "witness-signature")
    page.select_option("#witness-signature-statement", index=1)
    page.fill("#witness-signature-signed_on", today)
    page.click("#form-witness-signature button[type=submit]")
    saved(page, "The statement is recorded as signed.")
    expect(page.locator("#case-witnesses tbody tr", has_text="Jo Witness")).to_contain_text(
        "signed")
    assert staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)[
        "witnesses"][0]["statements"][0]["signed_on"] == today
    fits_a_phone(page)
    assert axe_violations(page) == []
