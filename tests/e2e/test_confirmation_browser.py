"""The page a resident sees once their report is in, in headless Chromium:
exactly what we will send and how, or - when nothing can reach them - that the page's link is
all they have and the team's number; an emergency told what will happen and by when."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from asb.case.targets import local_day, long_date
from asb.policy.config import LANDLORD_PHONE
from asb.policy.working_days import add_working_days
from infra.local.runtime import LocalRuntime
from tests.e2e.browser import axe_violations
from tests.e2e.report_journey import named_report, send, walk_to_check
from tests.e2e.test_console_browser import sign_in, triaged


@pytest.fixture
def page(browser: Browser, service: LocalRuntime) -> Iterator[Page]:
    # axe-core is injected as a script, which the page's policy refuses
    context = browser.new_context(bypass_csp=True)
    opened = context.new_page()
    opened.goto(service.api_url + "/")
    yield opened
    context.close()


def send_report(page: Page, behaviours: list[str], email: str = "") -> None:
    """Through the form's pages (asb.web.report_journey) to "Send report"."""
    answers = named_report(tuple(behaviours), email=email,
                           description="Shouting at my door late at night, three times.")
    walk_to_check(page, {**answers, "harm": lambda _: None})  # no harm answers
    send(page)


def test_a_reporter_nothing_can_reach_is_told_to_keep_the_link_and_given_the_number(
        page: Page, service: LocalRuntime) -> None:
    send_report(page, ["verbal_abuse"])
    told = page.locator("#how-we-tell-you")
    expect(told).to_contain_text("You did not give us a safe way to contact you")
    expect(told).to_contain_text("Keep this page's link: it is the only way to follow your report.")
    expect(told).to_contain_text(LANDLORD_PHONE)
    expect(page.locator("#tracking-link")).to_be_visible()
    main = page.inner_text("main")
    assert "sent it to you" not in main and "contact you by" not in main
    assert axe_violations(page) == []

    # The officer is told on the case page, so nobody waits for a reply.
    reference = page.inner_text("#reference")
    triaged(service, reference)
    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    expect(page.locator("#cannot-be-reached")).to_contain_text(
        f"{reference} (no safe way to contact them): nothing we send reaches them")


def test_an_emergency_is_told_what_happens_now_and_by_when(page: Page) -> None:
    sent = datetime.now().astimezone()
    send_report(page, ["verbal_abuse", "threats"], email="sam.taylor@example.com")
    due = long_date(add_working_days(local_day(sent), 1))
    steps = page.locator("#next-steps")
    expect(steps).to_contain_text("Because you told us about threats, we are treating it as urgent.")
    expect(steps).to_contain_text(f"The duty officer will be told now and we will contact you by {due}.")
    expect(steps).to_contain_text("call 999")
    expect(page.locator("#how-we-tell-you")).to_contain_text(
        "We will write to you by email to say we have your report, with the link to this page.")
    assert "5 working days" not in page.inner_text("main")
