"""A case's records as models: items written before the models existed read into them and write
back attribute for attribute (no data migration), and what the rules make is stored as before."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from asb.case.change import CaseFolder
from asb.case.models import Case, CaseStatus
from asb.case.records import (
    CaseReview,
    Disclosure,
    Evidence,
    Measure,
    ReviewAppeal,
    Signatory,
    StoredRecord,
    Survey,
)
from asb.case_review.models import AppealDecisionIn
from asb.case_review.process import decide_appeal
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.record_items import record_from_item
from asb.enforcement.measures import decide_measure, record_measure, update_measure
from asb.enforcement.models import ApprovalIn, BreachRecorded, MeasureIn, MeasureStatusIn
from asb.enforcement.steps import take_step
from asb.kernel.errors import RuleBroken
from asb.kernel.staff import StaffMember

NOW = datetime(2026, 12, 1, 10, 30, 15, 250000, tzinfo=UTC)
OFFICER = StaffMember("o.hughes", frozenset({"officer"}), "east")
MANAGER = StaffMember("m.patel", frozenset({"manager"}), None)
KEYS = {"pk": {"S": "CASE#ASB-2026-000042"}, "case_reference": {"S": "ASB-2026-000042"}}

# Items as the code before the record models wrote them (DynamoDB JSON), one per shape.
LEGAL_MEASURE_AWAITING_APPROVAL = {
    **KEYS, "sk": {"S": "MEASURE#m-1"}, "entity": {"S": "Measure"}, "record_id": {"S": "m-1"},
    "at": {"S": "2026-11-30T09:00:00+00:00"}, "measure": {"S": "civil_injunction"},
    "rationale": {"S": "Threats to neighbours continued after the warning."},
    "equality_impact": {"S": "The respondent's disability was considered with the team."},
    "subject": {"S": "perpetrator"}, "name": {"S": "Civil injunction (ASBCPA 2014 Part 1)"},
    "legal": {"BOOL": True},
    "status": {"S": "considered"}, "approval": {"S": "pending"}, "by": {"S": "o.hughes"},
    "recorded_at": {"S": "2026-11-30T09:00:00+00:00"}, "history": {"L": []},
    "due_kind": {"S": "LEGAL_APPROVAL"}, "title": {"S": "Approve or refuse legal action"},
    "due_at": {"S": "2026-12-02T23:59:59.999999+00:00"}, "team": {"S": "east"},
    "officer": {"S": "o.hughes"},
}
WARNING_UPDATED_AND_ERASED = {
    **KEYS, "sk": {"S": "MEASURE#m-2"}, "entity": {"S": "Measure"}, "record_id": {"S": "m-2"},
    "at": {"S": "2026-06-01T08:15:00.123456+00:00"}, "measure": {"S": "written_warning"},
    "rationale": {"S": "[erased]"}, "equality_impact": {"NULL": True},
    "subject": {"S": "household"}, "name": {"S": "Written warning"}, "legal": {"BOOL": False},
    "status": {"S": "completed"}, "approval": {"S": "not needed"}, "by": {"S": "o.hughes"},
    "recorded_at": {"S": "2026-06-01T08:15:00.123456+00:00"},
    "history": {"L": [{"M": {"from": {"S": "applied"}, "to": {"S": "completed"},
                             "by": {"S": "o.hughes"},
                             "at": {"S": "2026-07-01T12:00:00+01:00"}}}]},
}
ORDER_DECIDED_BEFORE_HISTORY = {  # stored before measures had a history
    **KEYS, "sk": {"S": "MEASURE#m-3"}, "entity": {"S": "Measure"}, "record_id": {"S": "m-3"},
    "at": {"S": "2025-01-10T10:00:00+00:00"}, "measure": {"S": "civil_injunction"},
    "rationale": {"S": "Repeated violence against a neighbour."},
    "equality_impact": {"S": "No protected characteristic is affected by this order."},
    "subject": {"S": "perpetrator"}, "name": {"S": "Civil injunction (ASBCPA 2014 Part 1)"},
    "legal": {"BOOL": True},
    "status": {"S": "granted"}, "approval": {"S": "approved"}, "by": {"S": "o.hughes"},
    "recorded_at": {"S": "2025-01-10T10:00:00+00:00"}, "expires_on": {"S": "2027-01-10"},
    "approval_reason": {"S": "Proportionate."}, "approved_by": {"S": "m.patel"},
    "approval_at": {"S": "2025-01-11T10:00:00+00:00"}, "a_later_attribute": {"N": "3"},
}
FILE_AWAITED = {
    **KEYS, "sk": {"S": "EVIDENCE#e-1"}, "entity": {"S": "Evidence"}, "record_id": {"S": "e-1"},
    "at": {"S": "2026-12-01T10:00:00+00:00"}, "kind": {"S": "image"},
    "report_id": {"S": "r-1"}, "status": {"S": "awaiting upload"},
    "incoming_key": {"S": "incoming/e-1"},
}
FILE_REFUSED = {
    **FILE_AWAITED, "status": {"S": "refused"},
    "reason": {"S": "The file was empty, so we did not keep it."}, "content_type": {"NULL": True},
    "size": {"N": "0"}, "checked_at": {"S": "2026-12-01T10:01:00+00:00"},
    "object_key": {"NULL": True},
}
FILE_CHECKED_THEN_ERASED = {  # retention removed object_key
    **FILE_AWAITED, "status": {"S": "checked"}, "reason": {"NULL": True},
    "content_type": {"S": "image/jpeg"}, "size": {"N": "48213"},
    "checked_at": {"S": "2026-12-01T10:01:00+00:00"},
}
REVIEW_APPLIED = {
    **KEYS, "sk": {"S": "CASEREVIEW#cr-1"}, "entity": {"S": "CaseReview"},
    "record_id": {"S": "cr-1"}, "at": {"S": "2026-11-02T09:00:00+00:00"},
    "review_id": {"S": "cr-1"}, "status": {"S": "applied"}, "received_on": {"S": "2026-11-02"},
    "applicant": {"S": "victim"}, "report_id": {"S": "r-1"},
    "summary": {"S": "Nothing has changed after three reports."}, "by": {"S": "o.hughes"},
    "threshold_suggested": {"BOOL": True}, "history": {"L": []},
    "reporting_year": {"N": "2026"}, "year_on": {"S": "2026-11-02"},
    "year_list": {"S": "CaseReview#2026"},
}
REVIEW_APPEALED_AFTER_OUTCOME = {
    **REVIEW_APPLIED, "status": {"S": "appealed"},
    "acknowledged_on": {"S": "2026-11-03"}, "note": {"NULL": True},
    "threshold": {"M": {"met": {"BOOL": True}, "reasons": {"S": "Three qualifying complaints."},
                        "by": {"S": "m.patel"}, "on": {"S": "2026-11-04"}}},
    "meeting": {"M": {"held_on": {"S": "2026-11-20"},
                      "agencies": {"L": [{"S": "police"}, {"S": "landlord"}]},
                      "summary": {"S": "The panel met."}, "by": {"S": "m.patel"}}},
    "recommendations": {"L": [{"M": {"action": {"S": "Mediation"}, "owner": {"S": "landlord"}}}]},
    "outcome": {"M": {"summary": {"S": "Mediation offered."}, "by": {"S": "m.patel"},
                      "on": {"S": "2026-11-25"}}},
    "appeal": {"M": {"received_on": {"S": "2026-11-28"},
                     "grounds": {"S": "The panel did not hear from me."},
                     "against": {"S": "completed"}}},
    "history": {"L": [{"M": {"from": {"S": "applied"}, "to": {"S": "acknowledged"},
                             "by": {"S": "m.patel"},
                             "at": {"S": "2026-11-03T10:00:00+00:00"}}}]},
}
REVIEW_ERASED = {
    **REVIEW_APPEALED_AFTER_OUTCOME, "status": {"S": "completed"},
    **{part: {"S": "[erased]"} for part in
       ("summary", "meeting", "recommendations", "outcome", "appeal", "threshold")},
}
SHARING_REQUESTED = {
    **KEYS, "sk": {"S": "DISCLOSURE#d-1"}, "entity": {"S": "Disclosure"},
    "record_id": {"S": "d-1"}, "at": {"S": "2026-12-01T09:00:00+00:00"},
    "disclosure_id": {"S": "d-1"}, "direction": {"S": "outbound"}, "kind": {"S": "disclosure"},
    "partner_id": {"S": "avon-somerset-police"}, "partner_name": {"S": "Avon and Somerset Police"},
    "purpose": {"S": "Joint visit after threats."}, "necessity": {"NULL": True},
    "legal_route": {"S": "cda_1998_s115"}, "subject": {"S": "perpetrator"},
    "data_categories": {"L": [{"S": "case_summary"}]}, "consent": {"BOOL": False},
    "status": {"S": "requested"}, "requested_by": {"S": "o.hughes"},
    "requested_at": {"S": "2026-12-01T09:00:00+00:00"}, "officer": {"NULL": True},
    "team": {"S": "east"}, "due_kind": {"S": "DISCLOSURE_DECISION"},
    "due_at": {"S": "2026-12-03T23:59:59.999999+00:00"},
    "title": {"S": "Decide a request to share information with a partner"},
}
PARTNER_REQUEST_ACKNOWLEDGED = {
    **SHARING_REQUESTED, "direction": {"S": "inbound"},
    "requested_by": {"S": "partner:avon-somerset-police"},
    "signed_off_by": {"M": {"name": {"S": "Sam Patel"}, "rank": {"S": "Inspector"}}},
    "status": {"S": "acknowledged"}, "decided_by": {"S": "m.patel"},
    "decided_at": {"S": "2026-12-01T10:00:00+00:00"}, "reason": {"S": "Necessary."},
    "package": {"M": {"disclosure_id": {"S": "d-1"}, "data_categories": {"L": [
        {"S": "case_summary"}]}, "case": {"M": {"category": {"S": "A"}}}}},
    "sent_at": {"S": "2026-12-01T10:01:00+00:00"}, "queue": {"S": "https://queue/police"},
    "acknowledged_at": {"S": "2026-12-01T10:05:00Z"}, "acknowledged_by": {"S": "PC Day"},
}
for _undue in ("due_kind", "due_at", "title"):
    del PARTNER_REQUEST_ACKNOWLEDGED[_undue]
SHARING_ERASED = {**PARTNER_REQUEST_ACKNOWLEDGED, **{part: {"S": "[erased]"} for part in (
    "package", "purpose", "necessity", "signed_off_by")}}
SURVEY = {
    **KEYS, "sk": {"S": "SURVEY#2026-12-01T10:00:00+00:00#s-1"}, "entity": {"S": "Survey"},
    "record_id": {"S": "s-1"}, "at": {"S": "2026-12-01T10:00:00+00:00"},
    "answer": {"S": "fairly satisfied"}, "answered_on": {"S": "2026-12-01"},
    "channel": {"S": "phone"}, "report_id": {"S": "r-1"}, "comments": {"NULL": True},
    "closure": {"S": "2026-11-20T16:00:00Z"}, "satisfied": {"BOOL": True}, "by": {"S": "o.hughes"},
    "reporting_year": {"N": "2026"}, "year_on": {"S": "2026-12-01"},
    "year_list": {"S": "Survey#2026"},
}
_DERIVED = ("pk", "sk", "entity", "case_reference", "year_list")


@pytest.mark.parametrize(("model", "stored"), [
    (Measure, LEGAL_MEASURE_AWAITING_APPROVAL), (Measure, WARNING_UPDATED_AND_ERASED),
    (Measure, ORDER_DECIDED_BEFORE_HISTORY), (Evidence, FILE_AWAITED), (Evidence, FILE_REFUSED),
    (Evidence, FILE_CHECKED_THEN_ERASED), (CaseReview, REVIEW_APPLIED),
    (CaseReview, REVIEW_APPEALED_AFTER_OUTCOME), (CaseReview, REVIEW_ERASED),
    (Disclosure, SHARING_REQUESTED), (Disclosure, PARTNER_REQUEST_ACKNOWLEDGED),
    (Disclosure, SHARING_ERASED), (Survey, SURVEY)])
def test_an_item_written_before_the_models_reads_into_one_and_writes_back_unchanged(
        model: type[StoredRecord], stored: dict[str, Any]) -> None:
    record = record_from_item(model, from_item(stored))
    assert isinstance(record, model)
    assert to_item(record.as_stored()) == {k: v for k, v in stored.items() if k not in _DERIVED}


def test_the_models_read_what_they_name() -> None:
    order = record_from_item(Measure, from_item(ORDER_DECIDED_BEFORE_HISTORY))
    assert (order.legal, order.status, order.expires_on, order.history) == (
        True, "granted", datetime(2027, 1, 10).date(), [])
    warning = record_from_item(Measure, from_item(WARNING_UPDATED_AND_ERASED))
    assert (warning.history[0].from_status, warning.history[0].note) == ("applied", None)
    assert record_from_item(Evidence, from_item(FILE_CHECKED_THEN_ERASED)).object_key is None


def _folder(*measures: Measure) -> CaseFolder:
    case = Case(reference="ASB-2026-000042", status=CaseStatus.OPEN, opened_at=NOW,
                updated_at=NOW, anonymous=False, behaviours=["threats"], hate_incident=False,
                location_address="12 Orchard Close, Yeovil", category="B", team="east",
                officer="o.hughes")
    return CaseFolder(case, [], measures={m.record_id: m for m in measures})


def test_a_measure_is_stored_with_the_attributes_it_always_had() -> None:
    ids = iter(["m-9", "audit-1"])
    change = record_measure(_folder(), MeasureIn(measure="first_written_warning", rationale=(
        "Noise every night for a month, after a visit.")), OFFICER, NOW, lambda: next(ids))
    [record] = change.records
    assert record.data == {
        "record_id": "m-9", "at": NOW.isoformat(), "measure": "first_written_warning",
        "rationale": "Noise every night for a month, after a visit.", "equality_impact": None,
        "subject": "perpetrator", "name": "First written warning", "legal": False, "status": "applied",
        "approval": "not needed", "by": "o.hughes", "recorded_at": NOW.isoformat(),
        "history": [], "reporting_year": 2026, "year_on": "2026-12-01"}  # its year's figures


def test_deciding_legal_action_takes_it_off_the_due_work_index_and_keeps_the_rest() -> None:
    pending = record_from_item(Measure, from_item(LEGAL_MEASURE_AWAITING_APPROVAL))
    change = decide_measure(_folder(pending), "m-1", ApprovalIn(
        approved=True, reason="Proportionate to the threats."), MANAGER, NOW, lambda: "id")
    stored = change.records[0].data
    assert not {"due_kind", "due_at", "title"} & set(stored)
    assert stored == {**from_item({k: v for k, v in LEGAL_MEASURE_AWAITING_APPROVAL.items()
                                   if k not in (*_DERIVED, "due_kind", "due_at", "title")}),
                      "approval": "approved", "approval_reason": "Proportionate to the threats.",
                      "approved_by": "m.patel", "approval_at": NOW.isoformat()}


def test_a_breach_of_an_order_granted_before_orders_were_recorded_appends_to_its_history() -> None:
    order = record_from_item(Measure, from_item(ORDER_DECIDED_BEFORE_HISTORY))
    with pytest.raises(RuleBroken, match="moves on by its steps"):
        update_measure(_folder(order), "m-3", MeasureStatusIn(
            status="breached", note="Seen at the address again."), OFFICER, NOW, lambda: "id")
    change = take_step(_folder(order), "m-3", BreachRecorded(
        step="breach", on=NOW.date(), what="Seen at the address again."), OFFICER, NOW,
        lambda: "id")
    stored = change.records[0].data
    assert stored["history"] == [{"from": "granted", "to": "breached", "note": "breach",
                                  "by": "o.hughes", "at": NOW.isoformat()}]
    assert stored["breaches"][0]["what"] == "Seen at the address again."
    assert stored["a_later_attribute"] == 3 and stored["expires_on"] == "2027-01-10"


def test_an_appeal_decided_keeps_the_review_as_stored_and_adds_the_decision() -> None:
    appealed = record_from_item(CaseReview, from_item(REVIEW_APPEALED_AFTER_OUTCOME))
    assert isinstance(appealed.appeal, ReviewAppeal) and appealed.meeting != "[erased]"
    folder = CaseFolder(_folder().case, [], case_reviews={"cr-1": appealed})
    change = decide_appeal(folder, "cr-1", AppealDecisionIn(
        upheld=False, reasons="The panel heard every agency."), MANAGER, NOW, lambda: "id")
    stored = change.records[0].data
    before = from_item({k: v for k, v in REVIEW_APPEALED_AFTER_OUTCOME.items()
                        if k not in _DERIVED})
    assert stored == {**before, "status": "completed", "appeal": {
        **before["appeal"], "upheld": False, "reasons": "The panel heard every agency.",
        "decided_by": "m.patel", "decided_on": "2026-12-01"}, "history": [
        *before["history"], {"from": "appealed", "to": "completed", "by": "m.patel",
                             "at": NOW.isoformat()}]}


def test_a_partners_signatory_reads_as_one() -> None:
    acknowledged = record_from_item(Disclosure, from_item(PARTNER_REQUEST_ACKNOWLEDGED))
    assert acknowledged.signed_off_by == Signatory(name="Sam Patel", rank="Inspector")
    assert record_from_item(Disclosure, from_item(SHARING_ERASED)).signed_off_by == "[erased]"
