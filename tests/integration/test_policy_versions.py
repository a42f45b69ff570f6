"""Every decision records the landlord's policy version it used (issue 24), through the handlers
from the sample events: a report's triage and an officer's override each store it on their audit
entry, the tasks triage set carry it, and the case view answers each entry's version; an entry
stored before versions were recorded is answered with none."""

from __future__ import annotations

from typing import Any

import boto3

from asb.dynamo.codec import to_item
from asb.policy.config import POLICY_VERSION
from tests.integration.helpers import Staff, case_partition


def audited(table: str, reference: str) -> dict[str, dict[str, Any]]:
    return {i["action"]: i for i in case_partition(table, reference)
            if i["entity"] == "AuditEntry"}


def test_a_triage_and_an_override_record_the_policy_and_the_case_view_shows_it(
        handlers: Any, table: str) -> None:
    staff = Staff(handlers, table)
    reference = staff.open_case()
    override = {"field": "risk", "value": "high", "reason": "Victim disclosed a new threat today."}
    assert staff.write(reference, "overrides", override)[0] == 200

    stored = audited(table, reference)
    assert stored["CaseTriaged"]["policy_version"] == POLICY_VERSION == "magna-2026.1"
    assert stored["RiskOverridden"]["policy_version"] == POLICY_VERSION
    tasks = [i for i in case_partition(table, reference) if i["entity"] == "Task"]
    assert tasks and {t["policy_version"] for t in tasks} == {POLICY_VERSION}

    status, view = staff.get(reference)
    assert status == 200
    shown = {e["detail"]["action"]: e["detail"] for e in view["timeline"] if e["kind"] == "audit"}
    assert shown["CaseTriaged"]["policy_version"] == POLICY_VERSION
    assert shown["RiskOverridden"]["policy_version"] == POLICY_VERSION
    assert view["case"]["policy_version"] == POLICY_VERSION


def test_an_entry_stored_before_versions_were_recorded_is_answered_with_none(
        handlers: Any, table: str) -> None:
    staff = Staff(handlers, table)
    reference = staff.open_case()
    triaged = audited(table, reference)["CaseTriaged"]
    older = {k: v for k, v in triaged.items() if k != "policy_version"}
    older["sk"] = triaged["sk"].replace(triaged["entry_id"], "older-entry")
    older.update(entry_id="older-entry", action="CaseNoted")
    boto3.client("dynamodb").put_item(TableName=table, Item=to_item(older))

    status, view = staff.get(reference)
    assert status == 200
    shown = {e["detail"]["action"]: e["detail"] for e in view["timeline"] if e["kind"] == "audit"}
    assert "policy_version" not in shown["CaseNoted"]
    assert shown["CaseTriaged"]["policy_version"] == POLICY_VERSION
