"""Every decision records the version of the landlord's policy it used (issue 24): a triage's
audit entry and the tasks whose due times it set, an officer's override, an ASB Case Review
threshold decision, an enforcement date; an entry stored before versions were recorded reads as
none. Under a second landlord's document (ASB_POLICY_FILE, in a fresh interpreter, since
asb.policy.config reads its document at import) the same decisions record its version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

from asb.case.change import CaseFolder
from asb.case.models import AuditEntry, OpenedCase
from asb.case_review import process
from asb.case_review.models import CaseReviewApplicationIn, ThresholdDecisionIn
from asb.casework.views import timeline
from asb.intake.service import open_case, parse_submission
from asb.kernel.clock import FixedClock
from asb.policy.config import POLICY_VERSION
from asb.triage.service import TriageService, TriageUpdate, override
from asb.triage.store import DynamoDBTriageStore
from infra.policy import LANDLORDS, ROOT
from tests.conftest import sample_event
from tests.fakes import RecordingTransactions
from tests.unit.test_case_review_application import folder as complained_folder
from tests.unit.test_case_review_participant import MANAGER, NOW, OFFICER, after, ids
from tests.unit.test_case_transactions import MarkedSealer
from tests.unit.test_enforcement_due_work import every_kind_of_date

REFERENCE = "ASB-2026-000001"
REPORTED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # after the sample report's incident


def opened() -> OpenedCase:
    submission = parse_submission(json.loads(sample_event("intake-valid-json")["body"]), REPORTED)
    return open_case(submission, REFERENCE, "api", REPORTED, ids())


class WritingTriageStore:
    """The case's file in memory; its update written by the real triage store to a client that
    keeps each transaction, so the items are as DynamoDB would get them."""

    def __init__(self, file: CaseFolder) -> None:
        self.file = file
        self.client = RecordingTransactions()
        self.writer = DynamoDBTriageStore(self.client, "cases",  # type: ignore[arg-type]
                                          MarkedSealer())

    def load(self, reference: str) -> CaseFolder | None:
        return self.file if reference == self.file.case.reference else None

    def complaints_on(self, reference: str) -> list[Any]:
        return []

    def cases_reported_by(self, person_keys: list[str], besides: str) -> list[Any]:
        return []

    def save(self, update: TriageUpdate) -> None:
        self.writer.save(update)


def _unwrapped(value: dict[str, Any]) -> Any:
    (kind, inner), = value.items()
    return inner if kind == "S" else None


def triaged_items() -> list[dict[str, Any]]:
    """The items a triage of the sample report writes: case, tasks, audit entry, events."""
    new = opened()
    store = WritingTriageStore(CaseFolder(new.case, [new.report]))
    TriageService(store, FixedClock(REPORTED), new_id=ids()).triage(REFERENCE,
                                                                    new.report.report_id)
    (transaction,) = store.client.transactions
    items = []
    for action in transaction["TransactItems"]:
        if "Put" in action:
            items.append({k: _unwrapped(v) for k, v in action["Put"]["Item"].items()
                          if "S" in v})
        elif "Update" in action and action["Update"]["Key"]["sk"]["S"].startswith("TASK"):
            values = action["Update"]["ExpressionAttributeValues"]
            items.append({"entity": "Task", "policy_version": _unwrapped(values[":policy"])})
    return items


def recorded_versions() -> dict[str, list[str | None]]:
    """Each kind of decision, and the policy versions it recorded."""
    items = triaged_items()
    case = next(i for i in items if i.get("entity") == "Case")
    _, overridden = override(opened().case, "risk", "high",
                             "Victim disclosed a new threat today.", "staff:o.hughes", REPORTED)
    return {
        "triage case": [case.get("policy_version")],
        "triage audit": [i.get("policy_version") for i in items
                         if i.get("entity") == "AuditEntry"],
        "triage tasks": [i.get("policy_version") for i in items if i.get("entity") == "Task"],
        "override audit": [overridden.policy_version],
        "threshold decision": threshold_versions(),
        "enforcement dates": [r.data.get("policy_version") for r in every_kind_of_date()],
    }


def threshold_versions() -> list[str | None]:
    """An ASB Case Review the landlord leads, its threshold decided: the decision and its audit."""
    start = complained_folder()
    applied = process.apply_for_review(
        start, CaseReviewApplicationIn(received_on=NOW.date(), summary="Nothing has changed."),
        OFFICER, NOW, ids(), arrangement=process.Arrangement.lead())
    folder = after(start, applied)
    (review_id,) = folder.case_reviews
    decided = process.decide_threshold(folder, review_id, ThresholdDecisionIn(
        met=True, reasons="Three qualifying complaints."), MANAGER, NOW, ids())
    (review,) = [r for r in decided.records if r.entity == "CaseReview"]
    return [review.data["threshold"].get("policy_version"), decided.audit.policy_version]


def test_every_decision_records_the_policy_it_was_made_under() -> None:
    versions = recorded_versions()
    assert all(versions.values()), versions  # each kind decided something
    assert {v for found in versions.values() for v in found} == {POLICY_VERSION}


def test_an_audit_entry_written_before_versions_were_recorded_reads_as_none() -> None:
    entry = AuditEntry(entry_id="a-1", case_reference=REFERENCE, at=REPORTED,
                       actor="staff:o.hughes", action="CaseTriaged")
    assert entry.policy_version == POLICY_VERSION  # written now: the policy in force
    stored = entry.model_dump(mode="json", exclude_none=True)
    older = {k: v for k, v in stored.items() if k != "policy_version"}
    shown = timeline(CaseFolder(opened().case, []), [{"entity": "AuditEntry", **stored},
                              {"entity": "AuditEntry", **older, "entry_id": "a-0"}])
    assert [e["detail"].get("policy_version") for e in shown] == [POLICY_VERSION, None]


def test_under_the_second_landlord_every_decision_records_its_version() -> None:
    env = {**os.environ, "ASB_POLICY_FILE": str(LANDLORDS / "fenmoor.yaml")}
    code = ("import json; from tests.unit.test_policy_version_recorded import recorded_versions;"
            "print(json.dumps(recorded_versions()))")
    ran = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120, check=False)
    assert ran.returncode == 0, ran.stderr[-3000:]
    versions = json.loads(ran.stdout.splitlines()[-1])
    assert all(versions.values()), versions
    assert {v for found in versions.values() for v in found} == {"fenmoor-2026.1"}, versions
