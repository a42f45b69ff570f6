"""The console's ASB Case Review as a participant (issue 23, item 6; the policy's default) in real
headless Chromium against the local runtime: an officer records an application and sees it
referred to the council's point of contact, waiting for a manager's approval, then sent; records
the lead body's meeting (whether we attended), the recommendations made to us row by row with
their due dates (one without a date refused beside its own row), what we did about one (done
ends it), and the lead body's outcome; the lead body's own steps are never offered; the page fits
a phone and passes axe."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from asb.case.targets import local_day
from asb.policy.config import CASE_REVIEW_POINT_OF_CONTACT
from infra.local.runtime import LocalRuntime
from tests.e2e.browser import axe_violations
from tests.e2e.test_console_browser import MANAGER, open_form, poll, saved, sign_in, staff_api, triaged
from tests.e2e.test_console_people_browser import fits_a_phone
from tests.e2e.test_notifications_flow import report

LEAD = CASE_REVIEW_POINT_OF_CONTACT.name


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context that lets axe-core in (the console's CSP rightly refuses it)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def the_review(service: LocalRuntime, reference: str) -> dict[str, Any]:
    case = staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)
    (review,) = [e["detail"] for e in case["timeline"] if e["kind"] == "case_review"]
    return review


def referral_status(service: LocalRuntime, reference: str) -> str:
    case = staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)
    (referral,) = [e["detail"] for e in case["timeline"] if e["kind"] == "disclosure"
                   and e["detail"]["kind"] == "case_review_referral"]
    return str(referral["status"])


def test_an_officer_records_a_review_the_council_runs_and_acts_on_its_recommendations(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Hazel Row")
    triaged(service, reference)
    today = local_day(datetime.now(UTC))
    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    expect(page.locator("#case-reviews")).to_contain_text("No ASB Case Review")

    open_form(page, "review-application")
    expect(page.locator("#write-review-application")).to_contain_text(f"{LEAD} runs the review")
    page.fill("#review-application-received_on", today.isoformat())
    page.check("#review-application-applicant-first")
    page.fill("#review-application-summary", "Alex asks for the case to be looked at again.")
    page.click("#form-review-application button[type=submit]")
    saved(page, f"Application recorded. Its referral to {LEAD} goes to a manager or the DPO")
    shown = page.locator("#case-reviews")
    expect(shown).to_contain_text(f"Run by {LEAD}")
    expect(shown.locator(".review-referral")).to_contain_text("waits for a manager's or the DPO's")
    # The lead body acknowledges and decides the threshold: we are never offered those steps.
    expect(page.locator("details[id^=write-review-acknowledgement-]")).to_have_count(0)
    expect(page.locator("details[id^=write-review-threshold-decision-]")).to_have_count(0)

    review = the_review(service, reference)
    staff_api(service, "POST",
              f"/cases/{reference}/disclosures/{review['referral_id']}/decision",
              {"approved": True, "reason": "The Act requires the referral, with the history."},
              version=staff_api(service, "GET", f"/cases/{reference}",
                                token=MANAGER)["case"]["version"], token=MANAGER)
    assert poll(lambda: referral_status(service, reference) == "sent" or None)
    page.reload()
    expect(page.locator("#case-reviews .review-referral")).to_contain_text(
        f"The referral was sent to {LEAD}")

    rid = review["review_id"]
    open_form(page, f"review-meeting-{rid}")
    page.fill(f"#review-meeting-{rid}-held_on", today.isoformat())
    page.fill(f"#review-meeting-{rid}-agencies", f"{LEAD}\nAvon and Somerset Constabulary")
    page.check(f"#review-meeting-{rid}-landlord_attended-first")
    page.fill(f"#review-meeting-{rid}-summary", "The panel went through the case history.")
    page.click(f"#form-review-meeting-{rid} button[type=submit]")
    saved(page, "Meeting recorded.")
    expect(page.locator("#case-reviews .review-meeting")).to_contain_text("we attended")

    open_form(page, f"review-recommendations-{rid}")
    form = page.locator(f"#form-review-recommendations-{rid}")
    form.get_by_role("button", name="Add a recommendation").click()
    page.fill(f"#review-recommendations-{rid}-recommendations-0-action",
              "Fit a door entry system to the block")
    page.fill(f"#review-recommendations-{rid}-recommendations-0-due_on",
              (today + timedelta(days=28)).isoformat())
    form.get_by_role("button", name="Add a recommendation").click()
    page.fill(f"#review-recommendations-{rid}-recommendations-1-action",
              "Offer mediation to both households")
    page.click(f"#form-review-recommendations-{rid} button[type=submit]")
    # The second has no due date: refused beside its own row, nothing stored.
    expect(page.locator(f"#review-recommendations-{rid}-recommendations-1-due_on-error")
           ).to_contain_text("the day the lead body expects it done")
    refused = the_review(service, reference)
    assert refused["status"] == "review held" and "recommendations" not in refused
    page.fill(f"#review-recommendations-{rid}-recommendations-1-due_on",
              (today + timedelta(days=14)).isoformat())
    page.click(f"#form-review-recommendations-{rid} button[type=submit]")
    saved(page, "Each is in your due work until you record it done.")
    table = page.locator("#case-reviews table")
    expect(table).to_contain_text("Recommendations made to us")
    expect(table.locator("tbody tr", has_text="door entry")).to_contain_text("Open")

    door = next(r for r in the_review(service, reference)["recommendations"]
                if "door entry" in r["action"])
    form_id = f"review-response-{door['recommendation_id']}"
    open_form(page, form_id)
    page.fill(f"#{form_id}-what_we_did", "Fitted by our contractor; the residents have fobs.")
    page.fill(f"#{form_id}-on", today.isoformat())
    page.check(f"#{form_id}-done-first")
    page.click(f"#form-{form_id} button[type=submit]")
    saved(page, "Recorded as done")
    expect(table.locator("tbody tr", has_text="door entry")).to_contain_text("Done")
    expect(page.locator(f"#write-{form_id}")).to_have_count(0)

    open_form(page, f"review-outcome-{rid}")
    page.fill(f"#review-outcome-{rid}-summary", "Every agency agreed the action plan.")
    page.click(f"#form-review-outcome-{rid} button[type=submit]")
    saved(page, f"Outcome recorded. {LEAD} tells the applicant.")
    expect(page.locator("#case-reviews .review-outcome")).to_contain_text(
        "Every agency agreed the action plan.")
    # The mediation is still ours to do, after the outcome too.
    expect(page.locator("details[id^=write-review-response-]")).to_have_count(1)
    fits_a_phone(page)
    assert axe_violations(page) == []


def council_entry(service: LocalRuntime) -> dict[str, Any]:
    listed = staff_api(service, "GET", "/partners", token=MANAGER)["partners"]
    return dict(next(p for p in listed if p["partner_id"] == CASE_REVIEW_POINT_OF_CONTACT.partner_id))


def save_council(service: LocalRuntime, active: bool) -> None:
    entry = council_entry(service)
    body = {k: v for k, v in entry.items() if k not in ("partner_id", "version", "updated_at",
                                                        "updated_by", "created_at")}
    staff_api(service, "PUT", f"/partners/{entry['partner_id']}", {**body, "active": active},
              version=entry["version"], token=MANAGER)


def test_an_application_whose_point_of_contact_is_not_active_is_kept_and_referred_later(
        page: Page, service: LocalRuntime) -> None:
    """The statutory application is never lost: recorded, shown as not referred yet, and the
    officer refers it once a manager has the point of contact back in the registry."""
    reference = report(service, "Larch Mews")
    triaged(service, reference)
    today = local_day(datetime.now(UTC))
    save_council(service, active=False)
    try:
        sign_in(page, service, "o.hughes", f"/console?case={reference}")
        open_form(page, "review-application")
        page.fill("#review-application-received_on", today.isoformat())
        page.check("#review-application-applicant-first")
        page.fill("#review-application-summary", "Alex asks for the case to be looked at again.")
        page.click("#form-review-application button[type=submit]")
        saved(page, "Application recorded.")
        expect(page.locator("#case-reviews .review-referral")).to_contain_text(
            f"Not referred to {LEAD} yet")
        review = the_review(service, reference)
        assert review["status"] == "referred" and not review.get("referral_id")
    finally:
        save_council(service, active=True)

    rid = review["review_id"]
    page.reload()
    open_form(page, f"review-referral-{rid}")
    page.fill(f"#review-referral-{rid}-reason", "The council is back in the registry.")
    page.click(f"#form-review-referral-{rid} button[type=submit]")
    saved(page, "a manager or the DPO approves it today")
    expect(page.locator("#case-reviews .review-referral")).to_contain_text(
        "waits for a manager's or the DPO's")
    assert referral_status(service, reference) == "requested"
