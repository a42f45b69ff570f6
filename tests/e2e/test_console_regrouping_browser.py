"""Splitting a report out and joining two cases from the console (issue 21, item 4) in real
headless Chromium against the local runtime: a further report about the same tenant is split out
into a case of its own, then joined back; each case page says where its reports went."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from infra.local.runtime import LocalRuntime
from tests.e2e.browser import axe_violations
from tests.e2e.test_console_browser import MANAGER, open_form, saved, sign_in, staff_api, triaged
from tests.e2e.test_console_people_browser import about_number_14, load_register
from tests.e2e.test_notifications_flow import report


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context that lets axe-core in (the console's CSP rightly refuses its script)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_an_officer_splits_a_report_out_and_joins_the_cases_again(
        page: Page, service: LocalRuntime) -> None:
    load_register(service)
    first = report(service, "Quince Lane", about_number_14)

    def neighbour(data: dict[str, Any]) -> None:
        about_number_14(data)
        data["reporter"].update(name="Jo Nowak", email="jo.nowak@example.org")

    joined = report(service, "Quince Lane", neighbour)
    triaged(service, first)
    sign_in(page, service, "o.hughes", f"/console?case={first}")

    open_form(page, "split")
    page.check("#split-report_id-first")  # the report that opened the case is not offered
    page.fill("#split-reason", "Jo's complaint is about a different flat")
    page.click("#form-split button[type=submit]")
    expect(page.locator(".notice--success")).to_contain_text("Report split out into ASB-")
    expect(page.locator("#main")).to_contain_text("Reports")
    new = staff_api(service, "GET", f"/cases/{joined}", token=MANAGER)["case"]["reference"]
    assert new not in (first, joined)
    assert axe_violations(page) == []

    open_form(page, "join")
    page.fill("#join-case_reference", new)
    page.fill("#join-reason", "The same household after all: one matter")
    page.click("#form-join button[type=submit]")
    saved(page, f"{new} joined into this case.")
    expect(page.locator("#main")).to_contain_text("Joined from")
    assert staff_api(service, "GET", f"/cases/{new}", token=MANAGER)["case"]["joined_into"] \
        == first
