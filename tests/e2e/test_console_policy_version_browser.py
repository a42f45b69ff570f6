"""The console's case timeline says which landlord's policy an older decision was made under
(issue 24): an entry recorded under another version than the case's own is tagged with it; the
case's own version, named in the summary, is not repeated beside every entry."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
from playwright.sync_api import Page, expect

from asb.case.models import AuditEntry
from asb.dynamo.codec import to_item
from asb.dynamo.transactions import audit_item
from asb.policy.config import POLICY_VERSION
from infra.local.runtime import LocalRuntime
from tests.e2e.test_console_browser import sign_in, triaged
from tests.e2e.test_notifications_flow import report

EARLIER = "magna-2025.4"


def test_a_decision_made_under_an_earlier_policy_is_tagged_with_its_version(
        page: Page, service: LocalRuntime) -> None:
    reference = report(service, "Hazel Grove")
    assert triaged(service, reference)["policy_version"] == POLICY_VERSION
    # A risk override recorded while the landlord's previous policy was in force.
    earlier = AuditEntry(entry_id="earlier-override", case_reference=reference,
                         at=datetime(2026, 1, 5, 10, tzinfo=UTC), actor="staff:o.hughes",
                         action="RiskOverridden", before={"risk": "standard"},
                         after={"risk": "high", "reason": "Victim disclosed a threat."},
                         policy_version=EARLIER)
    boto3.client("dynamodb", endpoint_url=service.aws_endpoint).put_item(
        TableName="asb-local-CasesTable", Item=to_item(audit_item(earlier)))

    sign_in(page, service, "o.hughes", f"/console?case={reference}")
    expect(page.locator("#policy-version")).to_have_text(POLICY_VERSION)
    tags = page.locator("#case-timeline .policy-tag")
    expect(tags).to_have_count(1)  # the triage's own entry, under the case's policy: no tag
    expect(tags).to_have_text(f"policy {EARLIER}")
    tagged = page.locator("#case-timeline .timeline__item", has=page.locator(".policy-tag"))
    expect(tagged).to_have_count(1)
    expect(tagged).to_contain_text("Risk overridden")
