"""Every triage decision records the version of the landlord's policy it decided by, and a case
shows it (issue 24, item 3); a case triaged before versions is stored and shown as before."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime

from asb.case.change import CaseFolder
from asb.casework.views import summary
from asb.dynamo.case_items import case_from_item, case_item
from asb.intake.service import open_case, parse_submission
from asb.policy.config import POLICY_VERSION
from asb.triage.service import decide, triaged_case
from tests.conftest import sample_event

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def opened() -> CaseFolder:
    numbers = itertools.count(1)
    submission = parse_submission(json.loads(sample_event("intake-valid-json")["body"]), NOW)
    new = open_case(submission, "ASB-2026-000001", "api", NOW, lambda: f"id-{next(numbers)}")
    return CaseFolder(case=new.case, reports=[new.report])


def test_triage_records_the_policy_version_it_decided_by() -> None:
    file = opened()
    decision = decide(file, [], NOW)
    assert decision.policy_version == POLICY_VERSION == "magna-2026.1"
    after = triaged_case(file, file.reports[0], decision, NOW)
    assert after.policy_version == "magna-2026.1"
    item = case_item(after)
    assert item["policy_version"] == "magna-2026.1"
    assert case_from_item(item).policy_version == "magna-2026.1"
    assert summary(after)["policy_version"] == "magna-2026.1"


def test_a_case_not_triaged_by_a_versioned_policy_is_stored_and_shown_as_before() -> None:
    case = opened().case
    assert case.policy_version is None
    assert "policy_version" not in case_item(case)
    assert case_from_item(case_item(case)).policy_version is None
    assert summary(case)["policy_version"] is None
