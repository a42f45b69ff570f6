"""The console's multi-agency meetings (issue 23, item 5) in real headless Chromium against the
local runtime: an officer records a problem-solving panel with the police, someone of another
agency and two actions added row by row (an action with no owner refused, named beside its own
row), sees the meeting and its actions on the case, records our action done, and sends the
minutes for approval; the page fits a phone and passes axe."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

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


def test_an_officer_records_a_meeting_its_actions_and_shares_its_minutes(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Larch Close")
    triaged(service, reference)
    today = local_day(datetime.now(UTC))
    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    expect(page.locator("#case-meetings")).to_contain_text("No multi-agency meeting")

    open_form(page, "meeting")
    form = page.locator("#form-meeting")
    page.select_option("#meeting-kind", "problem_solving_panel")
    page.fill("#meeting-held_on", today.isoformat())
    form.get_by_label("Avon and Somerset Constabulary", exact=True).check()
    page.fill("#meeting-others", "Kim Ray, Outreach worker, Drug and Alcohol Service")
    page.fill("#meeting-minutes", "Music at night goes on. The police will patrol; we will "
                                  "visit the tenant and offer support.")
    form.get_by_role("button", name="Add an action").click()
    page.fill("#meeting-actions-0-description", "Visit the tenant and offer support")
    page.fill("#meeting-actions-0-due_on", (today + timedelta(days=7)).isoformat())
    form.get_by_role("button", name="Add an action").click()
    page.fill("#meeting-actions-1-description", "Patrol the close on Friday and Saturday")
    page.select_option("#meeting-actions-1-owner", "avon-somerset-police")
    page.fill("#meeting-actions-1-due_on", (today + timedelta(days=3)).isoformat())
    page.click("#form-meeting button[type=submit]")
    # The first action has no owner: refused, said beside that row's owner, nothing stored.
    expect(page.locator("#form-meeting .error-summary")).to_contain_text("There is a problem")
    expect(page.locator("#meeting-actions-0-owner-error")).to_be_visible()
    expect(page.locator("#meeting-actions-0-owner-error")).to_contain_text("who owns")
    expect(page.locator("#meeting-actions-1-owner-error")).to_be_hidden()
    assert staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)["meetings"] == []

    page.select_option("#meeting-actions-0-owner", "landlord")
    page.click("#form-meeting button[type=submit]")
    saved(page, "Meeting recorded.")
    shown = page.locator("#case-meetings")
    expect(shown).to_contain_text("Problem-solving panel")
    expect(shown).to_contain_text("Kim Ray, Outreach worker, Drug and Alcohol Service")
    expect(shown.locator("tbody tr", has_text="Visit the tenant")).to_contain_text("Open")
    expect(shown.locator("tbody tr", has_text="Patrol the close")).to_contain_text(
        "Avon and Somerset Constabulary")

    (meeting,) = staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)["meetings"]
    ours = meeting["actions"][0]
    assert (ours["owner"], meeting["actions"][1]["owner"]) == ("landlord", "avon-somerset-police")
    open_form(page, f"action-done-{ours['action_id']}")
    page.fill(f"#action-done-{ours['action_id']}-note", "Visited; he agreed to keep it down.")
    page.click(f"#form-action-done-{ours['action_id']} button[type=submit]")
    saved(page, "Action recorded as done.")
    expect(page.locator("#case-meetings tbody tr", has_text="Visit the tenant")).to_contain_text(
        "Done")

    open_form(page, f"share-{meeting['meeting_id']}")
    page.fill(f"#share-{meeting['meeting_id']}-necessity",
              "The police patrol the close and need the actions agreed and what we will do.")
    page.click(f"#form-share-{meeting['meeting_id']} button[type=submit]")
    saved(page, "Sent for approval")
    case = staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)
    (request,) = [e["detail"] for e in case["timeline"] if e["kind"] == "disclosure"]
    assert request["kind"] == "meeting_minutes" and request["status"] == "requested"
    fits_a_phone(page)
    assert axe_violations(page) == []
