"""The console's safeguarding (issue 23, item 1) in real headless Chromium against the local
runtime: self-harm answered yes puts the prompt at the very top of the case (role="alert"); the
alleged perpetrator is marked not screened until the officer records their vulnerability; the
prompt's button opens the referral form, which refuses a referral without consent and without a
reason (the field named beside it) and then sends it for a decision; the prompt is gone and the
referral is on the case. The page fits a phone and passes axe."""

from __future__ import annotations

from collections.abc import Iterator

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


def test_the_prompt_a_screening_and_a_referral_without_consent(page: Page,
                                                                service: LocalRuntime) -> None:
    reference = report(service, "Willow Court")
    version = triaged(service, reference)["version"]
    staff_api(service, "POST", f"/cases/{reference}/risk-assessments",
              {"answers": {"self_harm_risk": True}}, version=version, token=MANAGER)
    sign_in(page, service, "o.hughes", f"/console?case={reference}")

    prompt = page.locator("#safeguarding-prompt")
    expect(prompt).to_be_visible()
    expect(prompt).to_have_attribute("role", "alert")
    expect(prompt).to_contain_text("Consider a safeguarding referral")
    expect(prompt).to_contain_text("Have they thought about harming themselves?")
    # At the very top: the first thing under the page's heading.
    assert page.evaluate("document.querySelector('#page-title').nextElementSibling.id") == \
        "case-safeguarding-prompt"
    safeguarding = page.locator("#safeguarding")
    expect(safeguarding).to_contain_text("Alleged perpetrator not screened")

    # The alleged perpetrator's own vulnerability, screened.
    open_form(page, "vulnerability")
    page.select_option("#vulnerability-party_id", label="Alleged perpetrator: Name not known")
    page.click("#form-vulnerability .add-row")
    page.select_option("#vulnerability-vulnerabilities-0-type", "situational")
    page.select_option("#vulnerability-vulnerabilities-0-kind", "substance_misuse")
    page.fill("#vulnerability-vulnerabilities-0-note", "Drinks heavily since losing his job")
    page.check("#vulnerability-safeguarding_concerns-no")
    page.click("#form-vulnerability button[type=submit]")
    saved(page, "The party's vulnerability screening was saved.")
    expect(page.locator("#safeguarding")).not_to_contain_text("Alleged perpetrator not screened")
    expect(page.locator("#safeguarding")).to_contain_text("Drug or alcohol misuse")

    # The prompt's button opens the referral form.
    page.click("#safeguarding-prompt-refer")
    expect(page.locator("#form-safeguarding-referral")).to_be_visible()
    expect(page.locator("#safeguarding-referral-referral_type")).to_be_focused()
    page.select_option("#safeguarding-referral-referral_type", "adult")
    page.select_option("#safeguarding-referral-partner_id", "somerset-adult-social-care")
    page.select_option("#safeguarding-referral-party_id", index=1)  # the complainant, first
    page.check("#safeguarding-referral-consent-no")
    page.fill("#safeguarding-referral-purpose",
              "Adult at risk: they told us they have thought of ending their life.")
    page.fill("#safeguarding-referral-necessity",
              "Adult social care must decide on enquiries under Care Act 2014 s42.")
    page.check("#safeguarding-referral-data_categories-first")  # case summary
    page.check("#safeguarding-referral-data_categories-person_at_risk")
    page.check("#safeguarding-referral-urgent")
    page.click("#form-safeguarding-referral button[type=submit]")
    expect(page.locator("#form-safeguarding-referral .error-summary")).to_contain_text(
        "There is a problem")
    expect(page.locator("#safeguarding-referral-without_consent_reason-error")).to_contain_text(
        "Schedule 1 paragraph 18")
    assert staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)[
        "safeguarding_referrals"] == []  # nothing stored

    page.fill("#safeguarding-referral-without_consent_reason",
              "They said they would act tonight and refused help; the risk to life comes first.")
    page.click("#form-safeguarding-referral button[type=submit]")
    saved(page, "sent for a decision")
    expect(page.locator("#safeguarding-prompt")).to_have_count(0)
    referrals = page.locator("#safeguarding tbody tr", has_text="Somerset Adult Social Care")
    expect(referrals).to_contain_text("Waiting for a decision")
    expect(referrals).to_contain_text("Without consent: They said they would act tonight")
    (made,) = staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)[
        "safeguarding_referrals"]
    assert made["legal_route"] == "dpa_2018_sch1_para18" and made["urgent"] is True
    # An ordinary request to share never offers that route: it is the referral's only.
    open_form(page, "disclosure")
    routes = page.locator("#disclosure-legal_route option").evaluate_all(
        "options => options.map(o => o.value)")
    assert "consent" in routes and "dpa_2018_sch1_para18" not in routes
    fits_a_phone(page)
    assert axe_violations(page) == []

    # A manager (not the officer who asked) decides it, marked urgent, its basis in words.
    page.evaluate("localStorage.clear()")  # the officer signs out
    sign_in(page, service, "m.jones", "/console?view=manager")
    waiting = page.locator(".approvals li", has_text=reference)
    expect(waiting).to_contain_text("Urgent")
    expect(waiting).to_contain_text("safeguarding referral to Somerset Adult Social Care")
    expect(waiting).to_contain_text("DPA 2018 Schedule 1 paragraph 18")
    waiting.locator("summary").click()
    waiting.locator("input[value=yes]").check()
    waiting.locator("textarea").fill("Risk to life: Care Act s42 duty; consent refused.")
    waiting.locator("button[type=submit]").click()
    saved(page, "Approved")
    (decided,) = staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)[
        "safeguarding_referrals"]
    assert decided["status"] in ("approved", "sent") and decided["decided_by"] == "m.jones"
