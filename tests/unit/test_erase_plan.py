"""Retention's erase plan as a pure function: what anonymising a case erases from each kind of
record it holds, what it keeps for the figures, and the audit entry it leaves."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from asb.case.models import Case, CaseStatus, Report
from asb.case.people import REPORTER, email_key
from asb.case.retention import (
    ERASABLE_FIELDS,
    ERASED,
    ErasePlan,
    ItemErasure,
    RetentionPolicy,
    StoredCase,
    StoredRecord,
    StoredReport,
    erase_plan,
)
from asb.case.submission import STORED, ReportSubmission
from tests.conftest import sample_event

AS_OF = datetime(2032, 11, 26, 2, 0, tzinfo=UTC)
REFERENCE = "ASB-2026-000042"


def closed_case(**changes: Any) -> Case:
    return Case.model_validate({
        "reference": REFERENCE, "status": CaseStatus.CLOSED, "anonymous": False,
        "opened_at": datetime(2026, 11, 2, tzinfo=UTC), "updated_at": datetime(2026, 11, 25, tzinfo=UTC),
        "behaviours": ["noise"], "hate_incident": False, "location_address": "12 Orchard Close, Yeovil",
        "postcode": "BA20 1AB", "matter_keys": ["LOCATION#BA20 1AB#12 ORCHARD CLOSE YEOVIL"],
        "category": "B", "outcome": "resolved", "closure_reasons": "Alex says it stopped.",
        "closed_at": datetime(2026, 11, 25, tzinfo=UTC), "retain_until": date(2032, 11, 25),
        **changes})


def report(report_id: str = "r1", reference: str | None = REFERENCE,
           **submission_changes: Any) -> StoredReport:
    submission = json.loads(sample_event("intake-valid-json")["body"])
    submission["harm"]["targeted_for_identity"] = ["race"]
    submission.update(submission_changes)
    return StoredReport(f"REPORT#2026-11-02T09:00:00.000000+00:00#{report_id}", Report(
        report_id=report_id, case_reference=REFERENCE, reference=reference,
        received_at=datetime(2026, 11, 2, 9, tzinfo=UTC), channel="api",
        submission=ReportSubmission.model_validate(submission, context=STORED),
        reporter_key="a-hash", tracking_hash="b-hash", perpetrator_home="100040001014",
        perpetrator_tenancy="T-000114"))


def plan_of(*records: StoredRecord, reports: tuple[StoredReport, ...] = (),
            case: Case | None = None, policy: RetentionPolicy | None = None) -> ErasePlan:
    stored = StoredCase(case or closed_case(), reports, records)
    if policy:
        return erase_plan(stored, AS_OF, "audit-1", policy)
    return erase_plan(stored, AS_OF, "audit-1")


def test_a_report_keeps_what_the_figures_count_and_loses_everyone_in_it() -> None:
    plan = plan_of(reports=(report(),))
    [erasure] = plan.items
    assert erasure.sort_key.endswith("#r1")
    # the alleged perpetrator's home and tenancy (issue 21) go with the rest of them
    assert erasure.remove == ("reporter_key", "location_key", "tracking_hash",
                              "perpetrator_home", "perpetrator_tenancy")
    kept = ReportSubmission.model_validate(erasure.overwrite["submission"], context=STORED)
    assert kept.anonymous and kept.reporter is None
    assert kept.incident.behaviours == ["noise", "verbal_abuse"]
    assert kept.incident.first_occurred == date(2026, 11, 1)
    assert kept.harm.targeted_for_identity == ["race"]
    text = json.dumps(erasure.overwrite)
    for personal in ("Alex", "Morgan", "07700", "Orchard", "number 14"):
        assert personal not in text
    # Its subject access lookups go, and its reporter's tracking link stops.
    lookups = {(p.key, p.role) for p in plan.person_lookups}
    assert (email_key("alex.morgan@example.org"), REPORTER) in lookups
    assert {(p.case_reference, p.report_id) for p in plan.person_lookups} == {(REFERENCE, "r1")}
    assert plan.report_links == (REFERENCE,)


def test_a_report_already_anonymised_has_no_lookups_left_to_delete() -> None:
    once = plan_of(reports=(report(),)).items[0].overwrite["submission"]
    again = plan_of(reports=(report(**once),))
    assert again.person_lookups == ()
    assert again.items[0].overwrite["submission"] == once  # the same values: idempotent


def test_each_reporters_own_link_stops_a_report_from_before_own_references_by_the_case() -> None:
    plan = plan_of(reports=(report("r1"), report("r2", "ASB-2026-000050"), report("r3", None)))
    assert plan.report_links == (REFERENCE, "ASB-2026-000050")


def test_a_file_is_deleted_and_its_record_forgets_where_it_was() -> None:
    plan = plan_of(StoredRecord("EVIDENCE#e1", "Evidence", frozenset({"object_key"}),
                                "evidence/ASB-2026-000042/e1"),
                   StoredRecord("EVIDENCE#e2", "Evidence", frozenset()))  # refused: no file
    assert plan.files == ("evidence/ASB-2026-000042/e1",)
    assert plan.items == (ItemErasure(sort_key="EVIDENCE#e1", remove=("object_key",)),
                          ItemErasure(sort_key="EVIDENCE#e2", remove=("object_key",)))


def test_each_kind_of_case_work_record_loses_the_free_text_it_holds() -> None:
    for entity, fields in ERASABLE_FIELDS.items():
        holding = frozenset({*fields, "at", "record_id"})
        [erasure] = plan_of(StoredRecord(f"{entity.upper()}#1", entity, holding)).items
        assert erasure.overwrite == dict.fromkeys(fields, ERASED), entity
        assert erasure.remove == ()
    # Only the fields that hold something are written; a record with none is left alone.
    partly = plan_of(StoredRecord("DIARY#1", "DiaryEntry", frozenset({"text"})),
                     StoredRecord("CONTACT#1", "Contact", frozenset({"channel"})))
    assert partly.items == (ItemErasure(sort_key="DIARY#1", overwrite={"text": ERASED}),)


def test_audit_entries_events_tasks_and_notices_are_kept_as_they_are() -> None:
    kept = [StoredRecord(f"{e.upper()}#1", e, frozenset({"at", "detail", "after"}))
            for e in ("AuditEntry", "Event", "Task", "Notification")]
    plan = plan_of(*kept)
    assert plan.items == () and plan.files == () and plan.person_lookups == ()


def test_the_policy_says_which_fields_are_erased() -> None:
    policy = RetentionPolicy({"DiaryEntry": ("effect",)})
    plan = plan_of(StoredRecord("DIARY#1", "DiaryEntry", frozenset({"text", "effect"})),
                   policy=policy)
    assert plan.items == (ItemErasure(sort_key="DIARY#1", overwrite={"effect": ERASED}),)


def test_the_case_keeps_its_facts_and_district_and_leaves_the_retention_index() -> None:
    plan = plan_of()
    assert plan.case.overwrite == {"location_address": ERASED, "closure_reasons": ERASED,
                                   "anonymised_at": AS_OF.isoformat(), "matter_keys": [],
                                   "postcode": "BA20"}
    assert plan.case.remove == ("due_kind", "due_at", "kind")
    assert plan.matter_keys == ("LOCATION#BA20 1AB#12 ORCHARD CLOSE YEOVIL",)
    assert "postcode" not in plan_of(case=closed_case(postcode=None)).case.overwrite


def test_the_audit_entry_says_who_when_and_what_was_kept() -> None:
    audit = plan_of().audit
    assert (audit.entry_id, audit.case_reference, audit.at, audit.actor, audit.action) == (
        "audit-1", REFERENCE, AS_OF, "system:retention", "CaseAnonymised")
    assert audit.after == {"retain_until": "2032-11-25",
                           "kept": "behaviours, category, dates, outcome, hate flag"}
