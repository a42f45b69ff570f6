"""Walks the report form's pages in a browser, as a resident does: the start page, one page for
each thing, "Check your answers", then "Send report"."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from playwright.sync_api import Page

from asb.policy.config import BEHAVIOURS
from tests.e2e.browser import tab_to

Answer = Callable[[Page], None]


def page_name(page: Page) -> str:
    """Which page of the journey is showing: a question page's name, 'check' or 'start'."""
    # a click waits only until the next page starts loading, so wait for its body to be parsed
    page.wait_for_load_state("domcontentloaded")
    if page.locator("#submit").count():
        return "check"
    names = page.locator("form:not(.back-form) input[name='page']")
    return names.last.get_attribute("value") or "" if names.count() else ""


def by_mouse(page: Page, button: str) -> None:
    page.click(f"#{button}")


def by_keyboard(page: Page, button: str) -> None:
    tab_to(page, button)
    with page.expect_navigation():  # Enter, unlike a click, does not wait for the next page
        page.keyboard.press("Enter")


def walk_to_check(page: Page, answers: Mapping[str, Answer],
                  press: Callable[[Page, str], None] = by_mouse) -> list[str]:
    """From the start page (or the page showing) to the check page, answering each page as
    `answers` says (a page not named is left blank): the pages seen."""
    if page.locator("#start").count():
        press(page, "start")
        page.wait_for_selector("#continue")
    seen = []
    while page_name(page) != "check":
        seen.append(page_name(page))
        answers.get(seen[-1], lambda _: None)(page)
        press(page, "continue")
        page.wait_for_load_state()
        assert not page.locator(".error-summary").count(), (seen[-1], page.inner_text("main"))
        assert len(seen) < 20, seen
    return seen


def send(page: Page, press: Callable[[Page, str], None] = by_mouse) -> str:
    """Presses "Send report" on the check page: the reference on the confirmation."""
    press(page, "submit")
    page.wait_for_selector("#reference")
    return page.inner_text("#reference")


def ticks(*ids: str) -> Answer:
    def answer(page: Page) -> None:
        for element_id in ids:
            page.check(f"#{element_id}")
    return answer


def fills(answers: Mapping[str, str], then: Answer | None = None) -> Answer:
    def answer(page: Page) -> None:
        for element_id, text in answers.items():
            page.fill(f"#{element_id}", text)
        if then:
            then(page)
    return answer


def chooses(question: str, value: str) -> Answer:
    """A radio by its value: a home from a list of the landlord's homes, or "not_listed"."""
    def answer(page: Page) -> None:
        page.check(f"input[name='{question}'][value='{value}']")
    return answer


def choice_id(question: str, options: Mapping[str, str], value: str) -> str:
    """A choice's id: the question's own for the first (an error links there), else
    '<question>-<value>'."""
    return question if value == next(iter(options)) else f"{question}-{value}"


def named_report(behaviours: tuple[str, ...] = ("noise", "verbal_abuse"), email: str = "",
                 description: str = "Shouting and banging on my door late at night, three "
                                    "times this week.",
                 address: str = "7 Willow Court, Yeovil") -> dict[str, Answer]:
    """A resident who gives their name: each page's answers. The place's postcode has none of
    the landlord's homes, so the address is typed and "one of us lives in one of your homes"
    answered Yes (a report with no home of the register's opens a case of its own)."""
    contact: dict[str, Answer] = {"contact": fills({"reporter-email": email},
                                                   ticks("reporter-preferred_contact"))} \
        if email else {}
    return {
        "what": ticks(*(choice_id("incident-behaviours", BEHAVIOURS, b) for b in behaviours)),
        "details": fills({"incident-description": description}),
        "where": fills({"location-postcode": "BA21 4XY"}),
        "where-home": chooses("location.uprn", "not_listed"),
        "where-address": fills({"location-address": address}),
        "whose-homes": ticks("address_to_check"),  # Yes
        "harm": ticks("harm-feels_unsafe"),
        "you": ticks("anonymous"),  # "Yes, I will give my name"
        "about-you": fills({"reporter-name": "Sam Taylor"}, ticks("reporter-relationship")),
        **contact,
        "sharing": ticks("consent_to_share"),
    }
