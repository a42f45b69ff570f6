"""The public report form in real headless Chromium, a page for each thing (issue 19): keyboard
only, errors, going back and changing an answer, no JavaScript, accessibility."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from playwright.sync_api import Browser, Page

from infra.local.runtime import LocalRuntime
from tests.e2e.browser import axe_violations, tab_to
from tests.e2e.report_journey import (
    by_keyboard,
    chooses,
    fills,
    named_report,
    page_name,
    send,
    ticks,
    walk_to_check,
)

PHONE = {"width": 375, "height": 667}


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


def with_keyboard(*steps: tuple[str, str] | tuple[str, str, str]) -> Any:
    """A page answered with the keyboard alone: ("choose", id) or ("type", id, text)."""
    def answer(page: Page) -> None:
        for step in steps:
            if step[0] == "choose":
                choose(page, step[1])
            else:
                type_into(page, step[1], step[2])  # type: ignore[misc]
    return answer


KEYBOARD_REPORT = {
    "what": with_keyboard(("choose", "incident-behaviours"),  # noise
                          ("choose", "incident-behaviours-verbal_abuse")),
    "details": with_keyboard(("type", "incident-description",
                              "Shouting and banging on my door late at night, three times.")),
    "where": with_keyboard(("type", "location-postcode", "BA21 4XY")),
    "where-home": with_keyboard(("choose", "location-uprn")),  # none there: "It is not listed"
    "where-address": with_keyboard(("type", "location-address", "7 Willow Court, Yeovil")),
    "whose-homes": with_keyboard(("choose", "address_to_check")),  # Yes
    "harm": with_keyboard(("choose", "harm-feels_unsafe")),
    "you": with_keyboard(("choose", "anonymous")),  # "Yes, I will give my name"
    "about-you": with_keyboard(("choose", "reporter-relationship"),  # resident
                               ("type", "reporter-name", "Sam Taylor")),
    "contact": with_keyboard(("type", "reporter-email", "sam.taylor@example.com"),
                             ("choose", "reporter-preferred_contact")),  # email
    "sharing": with_keyboard(("choose", "consent_to_share")),  # yes
}


def test_the_form_says_to_call_999_before_anything_else(page: Page) -> None:
    main_text = page.inner_text("main")
    assert main_text.lstrip().startswith("If you or someone else is in immediate danger, call 999")
    assert "children playing" in main_text


def test_a_resident_can_report_with_the_keyboard_alone(page: Page, service: LocalRuntime) -> None:
    before = len(cases(service))
    seen = walk_to_check(page, KEYBOARD_REPORT, press=by_keyboard)
    assert seen[:4] == ["what", "details", "when", "where"]
    tab_to(page, "submit")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    reference = send(page, press=by_keyboard)
    assert re.fullmatch(r"ASB-\d{4}-\d{6}", reference)
    assert "Report sent" in page.inner_text("h1")
    assert "keep a diary" in page.inner_text("#next-steps")
    stored = cases(service)
    assert len(stored) == before + 1
    assert reference in {item["reference"]["S"] for item in stored}


def test_choosing_anonymity_after_giving_contact_details_sends_none_of_them(
    browser: Browser, service: LocalRuntime
) -> None:
    """Someone starts to say who they are, then goes back and chooses to stay anonymous: what
    they gave on the way is dropped, not held against them (issue 19), and they are not asked
    about themselves again."""
    before = len(cases(service))
    for page in opened_form(browser, service, java_script_enabled=False):
        answers = {**named_report(email="sam.taylor@example.com",
                                  address="Car park behind Orchard Close, Yeovil"),
                   "safe-contact": ticks("reporter-unsafe_channels-sms")}
        walk_to_check(page, answers)
        assert "sam.taylor@example.com" in page.inner_text("main")
        page.click("#change-anonymous")
        tab_to(page, "anonymous")
        page.keyboard.press("ArrowDown")  # "No, I want to stay anonymous"
        assert page.is_checked("#anonymous-yes")
        page.click("#continue")
        assert page_name(page) == "check"  # nothing more to ask an anonymous reporter
        main = page.inner_text("main")
        assert "sam.taylor@example.com" not in main and "Sam Taylor" not in main
        send(page)
        assert "You did not give your name" in page.inner_text("main")
    assert len(cases(service)) == before + 1


def test_a_very_long_description_comes_back_on_its_page_with_the_answers_kept(
    browser: Browser, service: LocalRuntime
) -> None:
    before = len(cases(service))
    long_text = "The music is loud. " * 5_400  # about 100 KB
    for page in opened_form(browser, service, java_script_enabled=False):
        page.click("#start")
        page.check("#incident-behaviours")
        page.click("#continue")
        page.fill("#incident-description", long_text)
        page.click("#continue")
        page.wait_for_selector(".error-summary")
        assert "characters or fewer" in page.inner_text(".error-summary")
        assert page.input_value("#incident-description") == long_text
        page.click("#back")  # the answers before it are kept too
        assert page.is_checked("#incident-behaviours")
    assert len(cases(service)) == before


def test_a_page_without_its_answer_shows_an_error_summary_and_stores_nothing(
    page: Page, service: LocalRuntime
) -> None:
    before = len(cases(service))
    page.click("#start")
    by_keyboard(page, "continue")  # nothing ticked
    page.wait_for_selector(".error-summary")
    assert page.title().startswith("Error:")
    assert page.get_attribute(".error-summary a", "href") == "#incident-behaviours-field"
    page.check("#incident-behaviours")
    page.click("#continue")
    page.fill("#incident-description", "Loud music every night.")
    page.click("#continue")
    page.click("#continue")  # when: all optional
    page.click("#continue")  # where: no postcode (a park has none), so no list of homes
    page.click("#continue")  # the address or place is needed
    page.wait_for_selector(".error-summary")
    page.click(".error-summary a[href='#location-address-field']")
    page.keyboard.press("Tab")  # the link took the reader to the question; Tab, into its box
    assert page.evaluate("document.activeElement.id") == "location-address"
    assert len(cases(service)) == before


# In view, and below the "Exit this page" bar that stays at the top of the screen.
IN_VIEW = """selector => { const box = document.querySelector(selector).getBoundingClientRect();
  const bar = document.querySelector('.exit-this-page').getBoundingClientRect();
  return box.top >= bar.bottom && box.bottom <= window.innerHeight; }"""
ON_PAGE = {"incident-behaviours": "what", "incident-description": "details",
           "reporter-name": "about-you"}


@pytest.mark.parametrize("question", list(ON_PAGE))
def test_on_a_phone_without_javascript_an_error_link_shows_the_question_and_its_error(
    browser: Browser, service: LocalRuntime, question: str
) -> None:
    """Issue 19: the link scrolled the input to the top, its label and message off screen."""
    answers = named_report()
    for page in opened_form(browser, service, java_script_enabled=False, viewport=PHONE):
        page.click("#start")
        while page_name(page) != ON_PAGE[question]:  # the pages before it, answered
            answers.get(page_name(page), lambda _: None)(page)
            page.click("#continue")
        page.click("#continue")  # its own, not
        page.wait_for_selector(".error-summary")
        page.click(f".error-summary a[href='#{question}-field']")
        page.wait_for_function("location.hash.length > 1")
        heading = f"label[for='{question}']" if question != "incident-behaviours" else (
            f"#{question}-field legend")
        for shown in (heading, f"#{question}-error", f"#{question}"):
            assert page.evaluate(IN_VIEW, shown), f"{shown} is off screen"


def test_answers_are_kept_after_an_error(page: Page) -> None:
    page.click("#start")
    for name in ("what", "details", "when", "where", "where-home", "where-address", "who",
                 "whose-homes", "harm", "you"):
        named_report().get(name, lambda _: None)(page)
        page.click("#continue")
    type_into(page, "reporter-name", "Sam Taylor")  # no connection to us chosen
    tab_to(page, "continue")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.input_value("#reporter-name") == "Sam Taylor"
    assert page.locator("#reporter-relationship-error").is_visible()


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
        walk_to_check(page, named_report())
        send(page)
        assert "Arial" in page.evaluate("getComputedStyle(document.body).fontFamily")
        assert refused == []
        with pytest.raises(Exception, match="Content Security Policy"):
            page.add_script_tag(content="document.title = 'injected'")
    finally:
        context.close()


def test_no_serious_or_critical_accessibility_violations_on_any_page(audited_page: Page) -> None:
    page = audited_page
    found: dict[str, Any] = {"start": axe_violations(page)}
    page.click("#start")
    page.click("#continue")  # the first page's error summary
    page.wait_for_selector(".error-summary")
    found["errors"] = axe_violations(page)
    answers = {**named_report(email="sam.taylor@example.com"), "who": ticks("perpetrator-known"),
               "about-them": fills({"perpetrator-name": "Dean Cole",  # every page asked
                                    "perpetrator-postcode": "BA21 4XY"}),
               "their-home": chooses("perpetrator.uprn", "not_listed")}
    while page_name(page) != "check":
        name = page_name(page)
        found[name] = axe_violations(page)
        answers.get(name, lambda _: None)(page)
        page.click("#continue")
    found["check"] = axe_violations(page)
    send(page)
    found["confirmation"] = axe_violations(page)
    assert len(found) == 22  # start, errors, 18 question pages, check, confirmation
    assert {name: violations for name, violations in found.items() if violations} == {}


EXIT_IN_VIEW = """() => { const box = document.getElementById('exit-this-page').getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight && box.width > 0; }"""


def test_exit_this_page_is_at_the_top_of_every_public_page_and_leaves_nothing_behind(
    browser: Browser, service: LocalRuntime
) -> None:
    """Issue 19: someone at risk at home can leave at once - the form's pages, its
    confirmation and the tracking page, on a phone, without JavaScript, and scrolled down."""
    sent: list[dict[str, str]] = []
    for page in opened_form(browser, service, java_script_enabled=False, viewport=PHONE):
        page.route("https://www.bbc.co.uk/**", lambda route: (
            sent.append(route.request.headers), route.fulfill(body="Weather")))
        for step in ("start", "question", "check", "confirmation", "tracking"):
            if step == "question":
                page.click("#start")
            if step == "check":
                walk_to_check(page, named_report())
            if step == "confirmation":
                send(page)
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


def test_the_whole_journey_on_a_phone_without_javascript_with_back_and_change(
    browser: Browser, service: LocalRuntime
) -> None:
    """Issue 19: a page for each thing on a 375 px phone, no script: Back keeps the answers,
    "Change" on the check page opens the page and comes back, and only the final "Send report"
    stores anything."""
    before = len(cases(service))
    for page in opened_form(browser, service, java_script_enabled=False, viewport=PHONE):
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.click("#start")
        named_report()["what"](page)
        page.click("#continue")
        named_report()["details"](page)
        page.click("#continue")
        page.click("#back")  # back to the description, as typed
        assert "three times this week" in page.input_value("#incident-description")
        page.click("#back")
        assert page.is_checked("#incident-behaviours-verbal_abuse")
        seen = walk_to_check(page, {**named_report(email="sam.taylor@example.com",
                                                   address="12 Orchard Close, Yeovil"),
                                    "who": ticks("perpetrator-known"),
                                    "about-them": fills({"perpetrator-name": "Dean Cole"})})
        assert seen == ["what", "details", "when", "where", "where-home", "where-address", "who",
                        "about-them", "whose-homes", "harm", "you", "about-you", "contact",
                        "safe-contact", "adjustments", "sharing"]
        assert len(cases(service)) == before  # nothing stored on the way
        check = page.inner_text("main")
        assert "12 Orchard Close, Yeovil" in check and "Dean Cole" in check
        page.click("#change-location-address")
        assert page.input_value("#location-address") == "12 Orchard Close, Yeovil"
        page.fill("#location-address", "14 Orchard Close, Yeovil")
        page.click("#continue")
        assert page_name(page) == "check"  # straight back, nothing else asked again
        assert "14 Orchard Close, Yeovil" in page.inner_text("#location-address-field")
        page.click("#change-perpetrator-known")
        page.check("#perpetrator-known-no")
        page.click("#continue")
        assert page_name(page) == "check" and "Dean Cole" not in page.inner_text("main")
        page.click("#back")
        assert page_name(page) == "sharing"
        page.click("#continue")
        # The check page, whole, before measuring it (the click may still have been navigating:
        # once the run measured a page that had no document yet)
        page.wait_for_selector("#submit")
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        reference = send(page)
    stored = cases(service)
    assert len(stored) == before + 1 and reference in {c["reference"]["S"] for c in stored}


NONE_OF_THESE_ERROR = "Select the harms that apply, or select 'None of these'"


def test_none_of_these_on_a_phone_without_javascript(
        browser: Browser, service: LocalRuntime) -> None:
    """Issue 19: the harm list's exclusive "None of these", after "or", works with no script:
    ticked with a harm it is refused naming the question; alone it is shown on the check page
    (and sent as a "no" to each harm: tests/integration/test_report_form_handler.py)."""
    for page in opened_form(browser, service, java_script_enabled=False, viewport=PHONE):
        page.click("#start")
        while page_name(page) != "harm":
            named_report().get(page_name(page), lambda _: None)(page)
            page.click("#continue")
        assert page.locator("#harm-field .choices__divider").inner_text() == "or"
        assert page.locator("label[for='harm-none']").inner_text() == "None of these"
        page.check("#harm-threats_or_violence")
        page.check("#harm-none")
        page.click("#continue")
        assert page_name(page) == "harm"
        assert page.inner_text(".error-summary a") == NONE_OF_THESE_ERROR
        assert page.text_content("#harm-error") == f"Error: {NONE_OF_THESE_ERROR}"
        assert page.locator("#harm-error").is_visible()
        assert page.is_checked("#harm-threats_or_violence") and page.is_checked("#harm-none")
        page.uncheck("#harm-threats_or_violence")
        page.click("#continue")
        walk_to_check(page, named_report())
        assert page.inner_text("#harm-field dd.summary-list__value") == "None of these"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.click("#change-harm")
        assert page.is_checked("#harm-none") and not page.is_checked("#harm-feels_unsafe")


def test_none_of_these_and_its_error_have_no_accessibility_violations(audited_page: Page) -> None:
    page = audited_page
    page.click("#start")
    while page_name(page) != "harm":
        named_report().get(page_name(page), lambda _: None)(page)
        page.click("#continue")
    page.check("#harm-feels_unsafe")
    page.check("#harm-none")
    page.click("#continue")
    page.wait_for_selector(".error-summary")
    assert axe_violations(page) == []


@pytest.fixture(scope="module")
def landlords_homes(service: LocalRuntime) -> None:
    """A few of the fictional landlord's homes (tests/landlords_homes.py) as the register, put
    there through its adapter as an import puts them."""
    from asb.homes.register_import import Register
    from asb.homes.store import DynamoDBRegisterStore
    from tests.landlords_homes import HOMES, TENANCIES

    store = DynamoDBRegisterStore(
        boto3.client("dynamodb", endpoint_url=service.aws_endpoint), "asb-local-HomesTable")
    store.replace(store.current(), Register({h.uprn: h for h in HOMES},
                                            {t.reference: t for t in TENANCIES}),
                  datetime.now(UTC))


def reports_of(service: LocalRuntime, reference: str) -> list[dict[str, Any]]:
    client = boto3.client("dynamodb", endpoint_url=service.aws_endpoint)
    items = client.query(TableName="asb-local-CasesTable", KeyConditionExpression="pk = :pk",
                         ExpressionAttributeValues={":pk": {"S": f"CASE#{reference}"}})["Items"]
    return [item for item in items if item["entity"]["S"] == "Report"]


def listed_then(choice: Any) -> Any:
    """The list of homes at BA20 1AB as shown: ours there (not number 18, sold), then "It is
    not listed" after "or"; then the choice."""
    def answer(page: Page) -> None:
        assert page.locator("#location-uprn-field label").all_inner_texts() == [
            "12 Orchard Close, Yeovil", "14 Orchard Close, Yeovil", "16 Orchard Close, Yeovil",
            "It is not listed"]
        choice(page)
    return answer


def test_a_resident_picks_the_addresses_from_the_landlords_homes_and_reports_join_by_tenancy(
    browser: Browser, service: LocalRuntime, landlords_homes: None
) -> None:
    """GOV.UK's address lookup without JavaScript: a postcode, then our homes there to choose
    from; the same for the home of the person doing it. A second report about the same tenancy
    joins the first's case, whatever its reporter says of the place."""
    from tests.landlords_homes import FLAT_4, FLAT_4_TENANCY, NUMBER_12, NUMBER_14

    before = len(cases(service))
    references = []
    for place in (NUMBER_14, NUMBER_12):
        for page in opened_form(browser, service, java_script_enabled=False, viewport=PHONE):
            answers = {**named_report(), "where": fills({"location-postcode": "ba20 1ab"}),
                       "where-home": listed_then(chooses("location.uprn", place.uprn)),
                       "who": ticks("perpetrator-known"),
                       "about-them": fills({"perpetrator-postcode": "BA21 5AA"}),
                       "their-home": chooses("perpetrator.uprn", FLAT_4.uprn)}
            seen = walk_to_check(page, answers)
            assert seen[3:9] == ["where", "where-home", "who", "about-them", "their-home",
                                 "harm"]  # no address to type, no "one of our homes?"
            check = page.inner_text("main")
            assert place.address in check and FLAT_4.address in check
            references.append(send(page))
    stored = cases(service)
    assert len(stored) == before + 1  # the second joined the first's case
    (case,) = [c for c in stored if c["reference"]["S"] == references[0]]
    assert case["matter_keys"]["L"] == [{"S": f"TENANCY#{FLAT_4_TENANCY.reference}"}]
    reports = reports_of(service, references[0])
    assert len(reports) == 2
    assert {r["perpetrator_tenancy"]["S"] for r in reports} == {FLAT_4_TENANCY.reference}


def test_when_neither_home_is_ours_the_resident_is_told_who_can_help_and_nothing_is_sent(
    browser: Browser, service: LocalRuntime
) -> None:
    before = len(cases(service))
    for page in opened_form(browser, service, java_script_enabled=False, viewport=PHONE):
        answers = {**named_report(), "whose-homes": ticks("address_to_check-no")}
        page.click("#start")
        while page_name(page) != "whose-homes":
            answers.get(page_name(page), lambda _: None)(page)
            page.click("#continue")
        answers["whose-homes"](page)
        page.click("#continue")
        assert page.inner_text("h1") == "We cannot take this report, but others can help"
        words = page.inner_text("main")
        assert "call 999" in words and "call 101" in words and "local council" in words
        assert not page.locator("#submit, #continue").count()
        page.click("#back")
        assert page_name(page) == "whose-homes"
    assert len(cases(service)) == before
