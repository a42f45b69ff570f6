"""The public report form in real headless Chromium: keyboard only, errors, accessibility."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from playwright.sync_api import Browser, Page

from infra.local.runtime import LocalRuntime
from tests.e2e.browser import axe_violations, tab_to


def opened_form(browser: Browser, service: LocalRuntime, **options: Any) -> Iterator[Page]:
    context = browser.new_context(**options)
    opened = context.new_page()
    opened.goto(service.api_url + "/")
    yield opened
    context.close()


@pytest.fixture
def page(browser: Browser, service: LocalRuntime) -> Iterator[Page]:
    yield from opened_form(browser, service)


@pytest.fixture
def audited_page(browser: Browser, service: LocalRuntime) -> Iterator[Page]:
    # axe-core is injected as an inline script, which the page's policy refuses
    yield from opened_form(browser, service, bypass_csp=True)


def cases(service: LocalRuntime) -> list[dict[str, Any]]:
    client = boto3.client("dynamodb", endpoint_url=service.aws_endpoint)
    items = client.scan(TableName="asb-local-CasesTable")["Items"]  # a test may look everywhere
    return [item for item in items if item.get("entity", {}).get("S") == "Case"]


def type_into(page: Page, element_id: str, text: str) -> None:
    tab_to(page, element_id)
    page.keyboard.type(text)


def choose(page: Page, element_id: str) -> None:
    tab_to(page, element_id)
    page.keyboard.press("Space")


def fill_with_keyboard(page: Page) -> None:
    choose(page, "anonymous")  # "Yes, I will give my name"
    choose(page, "reporter-relationship")  # resident
    type_into(page, "reporter-name", "Sam Taylor")
    type_into(page, "reporter-email", "sam.taylor@example.com")
    choose(page, "reporter-preferred_contact")  # email
    type_into(page, "location-address", "7 Willow Court, Yeovil")
    type_into(page, "location-postcode", "BA21 4XY")
    choose(page, "incident-behaviours")  # noise
    choose(page, "incident-behaviours-verbal_abuse")
    type_into(page, "incident-description",
              "Shouting and banging on my door late at night, three times this week.")
    choose(page, "harm-feels_unsafe")  # yes
    choose(page, "consent_to_share")  # yes


def test_the_form_says_to_call_999_before_anything_else(page: Page) -> None:
    main_text = page.inner_text("main")
    assert main_text.lstrip().startswith("If you or someone else is in immediate danger, call 999")
    assert "children playing" in main_text


def test_a_resident_can_report_with_the_keyboard_alone(page: Page, service: LocalRuntime) -> None:
    before = len(cases(service))
    fill_with_keyboard(page)
    tab_to(page, "submit")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    page.keyboard.press("Enter")
    page.wait_for_selector("#reference")
    reference = page.inner_text("#reference")
    assert re.fullmatch(r"ASB-\d{4}-\d{6}", reference)
    assert "Report sent" in page.inner_text("h1")
    assert "keep a diary" in page.inner_text("#next-steps")
    stored = cases(service)
    assert len(stored) == before + 1
    assert reference in {item["reference"]["S"] for item in stored}


def test_an_anonymous_report_is_sent_even_with_a_connection_and_a_contact_method_ticked(
    browser: Browser, service: LocalRuntime
) -> None:
    """Someone starts to say who they are, then chooses to stay anonymous: the answers they
    ticked on the way are dropped, not held against them (issue 19)."""
    before = len(cases(service))
    for page in opened_form(browser, service, java_script_enabled=False):
        tab_to(page, "anonymous")
        page.keyboard.press("ArrowDown")  # "No, I want to stay anonymous"
        assert page.is_checked("#anonymous-yes")
        choose(page, "reporter-relationship")  # resident
        choose(page, "reporter-preferred_contact")  # email
        choose(page, "reporter-unsafe_channels-sms")
        type_into(page, "location-address", "Car park behind Orchard Close, Yeovil")
        choose(page, "incident-behaviours")  # noise
        type_into(page, "incident-description", "Cars revving and music until 3am most nights.")
        type_into(page, "incident-first_occurred", "3")  # GOV.UK's date input: day,
        type_into(page, "incident-first_occurred-month", "11")  # month
        type_into(page, "incident-first_occurred-year", "2026")  # and year
        tab_to(page, "submit")
        page.keyboard.press("Enter")
        page.wait_for_selector("#reference")
        assert "You did not give your name" in page.inner_text("main")
    assert len(cases(service)) == before + 1


def test_a_very_long_description_comes_back_on_the_form_with_the_answers_kept(
    browser: Browser, service: LocalRuntime
) -> None:
    for page in opened_form(browser, service, java_script_enabled=False):
        fill_with_keyboard(page)
        long_text = "The music is loud. " * 5_400  # about 100 KB
        page.fill("#incident-description", long_text)
        page.click("#submit")
        page.wait_for_selector(".error-summary")
        assert "characters or fewer" in page.inner_text(".error-summary")
        assert page.input_value("#reporter-name") == "Sam Taylor"
        assert page.input_value("#incident-description") == long_text


def test_an_empty_form_shows_an_error_summary_and_stores_nothing(
    page: Page, service: LocalRuntime
) -> None:
    before = len(cases(service))
    tab_to(page, "submit")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Error:")
    links = page.locator(".error-summary a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {"#reporter-name-field", "#location-address-field", "#incident-behaviours-field",
            "#incident-description-field"} <= set(targets)
    page.click(".error-summary a[href='#location-address-field']")
    page.keyboard.press("Tab")  # the link took the reader to the question; Tab, into its box
    assert page.evaluate("document.activeElement.id") == "location-address"
    assert len(cases(service)) == before


# In view, and below the "Exit this page" bar that stays at the top of the screen.
IN_VIEW = """selector => { const box = document.querySelector(selector).getBoundingClientRect();
  const bar = document.querySelector('.exit-this-page').getBoundingClientRect();
  return box.top >= bar.bottom && box.bottom <= window.innerHeight; }"""


@pytest.mark.parametrize("question", ["incident-description", "incident-behaviours",
                                      "reporter-name"])
def test_on_a_phone_without_javascript_an_error_link_shows_the_question_and_its_error(
    browser: Browser, service: LocalRuntime, question: str
) -> None:
    """Issue 19: the link scrolled the input to the top, its label and message off screen."""
    for page in opened_form(browser, service, java_script_enabled=False,
                            viewport={"width": 375, "height": 667}):
        page.click("#submit")
        page.wait_for_selector(".error-summary")
        page.click(f".error-summary a[href='#{question}-field']")
        page.wait_for_function("location.hash.length > 1")
        heading = f"label[for='{question}']" if question != "incident-behaviours" else (
            f"#{question}-field legend")
        for shown in (heading, f"#{question}-error", f"#{question}"):
            assert page.evaluate(IN_VIEW, shown), f"{shown} is off screen"


def test_answers_are_kept_after_an_error(page: Page) -> None:
    type_into(page, "reporter-name", "Sam Taylor")
    type_into(page, "location-address", "7 Willow Court, Yeovil")
    tab_to(page, "submit")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.input_value("#reporter-name") == "Sam Taylor"
    assert page.input_value("#location-address") == "7 Willow Court, Yeovil"
    assert page.locator("#incident-description-error").is_visible()


def test_the_form_and_its_confirmation_work_under_their_content_security_policy(
        browser: Browser, service: LocalRuntime) -> None:
    context = browser.new_context()
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    try:
        page.goto(service.api_url + "/")
        assert "Arial" in page.evaluate("getComputedStyle(document.body).fontFamily")
        fill_with_keyboard(page)
        page.click("#submit")
        page.wait_for_selector("#reference")
        assert "Arial" in page.evaluate("getComputedStyle(document.body).fontFamily")
        assert refused == []
        with pytest.raises(Exception, match="Content Security Policy"):
            page.add_script_tag(content="document.title = 'injected'")
    finally:
        context.close()


@pytest.mark.parametrize("state", ["form", "errors", "confirmation"])
def test_no_serious_or_critical_accessibility_violations(audited_page: Page, state: str) -> None:
    page = audited_page
    if state == "errors":
        page.click("#submit")
        page.wait_for_selector(".error-summary")
    if state == "confirmation":
        fill_with_keyboard(page)
        page.click("#submit")
        page.wait_for_selector("#reference")
    assert axe_violations(page) == []


EXIT_IN_VIEW = """() => { const box = document.getElementById('exit-this-page').getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight && box.width > 0; }"""


def test_exit_this_page_is_at_the_top_of_every_public_page_and_leaves_nothing_behind(
    browser: Browser, service: LocalRuntime
) -> None:
    """Issue 19: someone at risk at home can leave at once - the form, its confirmation and the
    tracking page, on a phone, without JavaScript, and scrolled to the bottom."""
    sent: list[dict[str, str]] = []
    for page in opened_form(browser, service, java_script_enabled=False,
                            viewport={"width": 375, "height": 667}):
        page.route("https://www.bbc.co.uk/**", lambda route: (
            sent.append(route.request.headers), route.fulfill(body="Weather")))
        fill_with_keyboard(page)
        for step in ("form", "confirmation", "tracking"):
            if step == "confirmation":
                page.click("#submit")
                page.wait_for_selector("#reference")
            if step == "tracking":
                page.click("#tracking-link")
                page.wait_for_load_state()
            exit_link = page.locator("#exit-this-page")
            assert exit_link.inner_text() == "Exit this page"
            assert exit_link.get_attribute("href") == "https://www.bbc.co.uk/weather"
            assert "noreferrer" in (exit_link.get_attribute("rel") or "")
            assert page.evaluate(EXIT_IN_VIEW), f"{step}: not at the top"
            page.keyboard.press("End")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            assert page.evaluate(EXIT_IN_VIEW), f"{step}: gone once scrolled down"
        tracking = page.url
        page.click("#exit-this-page")
        page.wait_for_url("https://www.bbc.co.uk/weather")
    assert "secret=" in tracking
    assert sent and all("referer" not in headers for headers in sent)
