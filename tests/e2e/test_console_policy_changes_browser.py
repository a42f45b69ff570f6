"""The console's Policy page (issue 24): the policy the service decides by and who changed it,
when - newest first, a page at a time - for officers and managers; the data protection officer
has no Policy entry and is told the page is not theirs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
from playwright.sync_api import Page, expect

from asb.kernel.clock import FixedClock
from asb.policy.config import LANDLORD, POLICY_VERSION
from asb.policy_changes.models import LOCAL_WATCHER, ChangeState
from asb.policy_changes.service import PolicyChanges
from asb.policy_changes.store import DynamoDBPolicyChangeStore
from infra.local.runtime import LocalRuntime
from tests.e2e.test_console_browser import sign_in

AT = datetime(2026, 11, 2, 9, tzinfo=UTC)


def test_an_officer_reads_the_policy_in_force_and_its_changes_newest_first_in_pages(
        page: Page, service: LocalRuntime) -> None:
    store = DynamoDBPolicyChangeStore(
        boto3.client("dynamodb", endpoint_url=service.aws_endpoint), "asb-local-CasesTable")
    changes = PolicyChanges(store, FixedClock(AT), POLICY_VERSION)
    changes.record(key="browser#1", landlord=LANDLORD, to_version="magna-2025.4",
                   state=ChangeState.COMPLETED, by=LOCAL_WATCHER)
    for n in range(26):  # a page of 25 and one more
        changes.record(key=f"browser#deploy-{n}", landlord=LANDLORD, to_version=POLICY_VERSION,
                       state=ChangeState.STARTED if n % 2 else ChangeState.ROLLED_BACK,
                       by=f"AWS AppConfig deployment {n}", at=AT + timedelta(days=1, hours=n))

    sign_in(page, service, "o.hughes")
    page.click("#nav >> text=Policy")
    expect(page.locator("#page-title")).to_have_text("Policy")
    expect(page.locator("#policy-in-force-version")).to_have_text(POLICY_VERSION)
    rows = page.locator("table.policy-changes tbody tr")
    expect(rows).to_have_count(25)
    expect(rows.first).to_contain_text("AWS AppConfig deployment 25")
    expect(rows.first).to_contain_text("Deployment started")
    expect(rows.first).to_contain_text("magna-2025.4")  # from the version last in force
    page.click("#policy-older")
    expect(page.locator("#page-title")).to_have_text("Policy")
    older = page.locator("table.policy-changes tbody tr")
    expect(older).to_contain_text(["AWS AppConfig deployment 0", LOCAL_WATCHER])
    expect(older.last).to_contain_text("Deployment completed")


def test_the_data_protection_officer_has_no_policy_page(page: Page, service: LocalRuntime) -> None:
    sign_in(page, service, "d.price")
    expect(page.locator("#nav >> text=Policy")).to_be_hidden()
    page.goto(service.api_url + "/console?view=policy")
    expect(page.locator("#page-title")).to_have_text("Policy")
    expect(page.locator("main .notice")).to_contain_text("for officers and managers")
