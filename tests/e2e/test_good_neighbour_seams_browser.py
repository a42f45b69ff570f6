"""A good-neighbour request moved to ASB when another open case already handles its alleged
perpetrator's tenancy (fixes from the review of issue 23, item 4), in real headless Chromium
against the local runtime: the console tells the officer the request's follow-up ends with a
contact with the reporter, and after the decision which case to join it into."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from playwright.sync_api import Browser, Page, expect

from infra.local.pollers import wait_until
from infra.local.runtime import LocalRuntime
from tests.conftest import sample_event
from tests.e2e.browser import axe_violations
from tests.e2e.test_console_browser import MANAGER, open_form, saved, sign_in, staff_api, triaged
from tests.e2e.test_local_service import http
from tests.e2e.test_notifications_flow import report
from tests.landlords_homes import living_at, tenanted_home


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context that lets axe-core in (the pages' CSP rightly refuses it)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def good_neighbour_request(service: LocalRuntime, perpetrator: dict[str, Any]) -> str:
    data = json.loads(sample_event("intake-good-neighbour-json")["body"])
    data["perpetrator"] = perpetrator
    status, _, answer = http(service, "POST", "/reports", json.dumps(data),
                             {"Content-Type": "application/json"})
    assert status == 201, answer
    reference = str(json.loads(answer)["reference"])
    assert wait_until(lambda: staff_api(service, "GET", f"/cases/{reference}", token=MANAGER)[
        "case"]["status"] == "triaged", seconds=20)
    return reference


def test_moved_to_asb_the_officer_is_told_which_open_case_handles_its_tenancy(
        page: Page, service: LocalRuntime) -> None:
    home = tenanted_home(boto3.client("dynamodb", endpoint_url=service.aws_endpoint),
                         "asb-local-HomesTable")

    def about_our_tenant(data: dict[str, Any]) -> None:
        data["perpetrator"] = living_at(home)

    held = report(service, "Linden Row", about_our_tenant)
    triaged(service, held)
    request = good_neighbour_request(service, living_at(home))

    sign_in(page, service, "o.hughes")
    page.goto(f"{service.api_url}/console?case={request}")
    expect(page.locator("#good-neighbour")).to_contain_text(
        "record it as a contact with the reporter: that ends the follow-up")
    expect(page.locator("#good-neighbour-held")).to_have_count(0)
    open_form(page, "good-neighbour-decision")
    page.check("#good-neighbour-decision-treat_as_asb-first")  # Yes
    page.fill("#good-neighbour-decision-reason",
              "Recordings show banging at 3am most nights: persistent nuisance.")
    page.click("#form-good-neighbour-decision button[type=submit]")
    saved(page, "It is an ASB case from today")
    warning = page.locator("#good-neighbour-held")
    expect(warning).to_contain_text(held)
    expect(warning).to_contain_text("join this one into it")
    assert axe_violations(page) == []
