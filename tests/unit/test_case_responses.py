"""The staff API's case answers as response models: the OpenAPI document describes them field by
field, and the JSON Powertools writes from them is the service's answer unchanged - no key
added as null, none dropped, no time rewritten."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.event_handler.openapi.encoders import jsonable_encoder
from pydantic import BaseModel

from asb.case.change import CaseFolder
from asb.case.models import AuditEntry, CaseStatus
from asb.case.records import ActionPlanVersion, Contact, DiaryEntry, Referral
from asb.case.risk import assess
from asb.case.targets import targets_for
from asb.casework.listing import listed_case
from asb.casework.service import CaseService
from asb.casework.views import case_view
from asb.dynamo.codec import from_item
from asb.dynamo.record_items import shown_records
from asb.intake.service import open_case, parse_submission
from asb.kernel.clock import FixedClock
from asb.kernel.staff import StaffMember
from asb.partners.models import PartnerIn
from asb.partners.service import Partners
from asb.web.case_responses import Partner, WaitingDisclosure, WaitingLegalAction
from asb.web.staff_answers import (
    CaseList,
    CaseReviews,
    CaseView,
    LegalApprovalList,
    PartnerList,
    WaitingList,
)
from infra.local.partners import SEEDS
from tests.conftest import sample_event
from tests.unit.test_shown_records import (
    CONTACT,
    OFFICER_DIARY,
    PLAN_BEFORE_PLANS_NAMED_A_COMPLAINANT,
    PLAN_NOT_YET_AGREED,
    REFERRAL,
    REPORTER_DIARY,
)

NOW = datetime(2026, 12, 1, 10, 30, 15, 250000, tzinfo=UTC)


def _as_powertools_writes(answer: BaseModel) -> Any:
    return json.loads(json.dumps(jsonable_encoder(answer)))


def _as_the_service_gave(answer: dict[str, Any]) -> Any:
    return json.loads(json.dumps(answer, default=str))


def _worked_case() -> tuple[Any, list[Any]]:
    submission = parse_submission(json.loads(sample_event("intake-valid-json")["body"]), NOW)
    opened = open_case(submission, "ASB-2026-000042", "api", NOW, lambda: "report-1")
    case = opened.case.model_copy(update={
        "status": CaseStatus.OPEN, "category": "B", "team": "east", "officer": "o.hughes",
        "risk": assess({"threats_or_violence": True}).as_dict(),
        "targets": targets_for("B", "medium", NOW).as_dict(),
        "hate_finding": {"by": "o.hughes", "at": NOW.isoformat(), "source": "risk assessment"},
        "action_plan": {"landlord_actions": ["Visit the neighbour"],
                        "customer_actions": ["Keep a diary"], "contact_channel": "phone",
                        "contact_every_working_days": 5, "review_on": "2026-12-20",
                        "customer_agreed": True, "agreed_with": "report-1", "version": 1,
                        "by": "o.hughes", "agreed_on": "2026-12-01"},
        "legal_hold": {"reason": "Litigation about the landlord.", "by": "d.p.officer",
                       "at": "2026-12-01T11:00:00+00:00"}})
    return case, [opened.report]


# Items of each kind the timeline shows by its own model, as stored (tests/unit/test_shown_records).
SHOWN_RECORDS = [from_item(i) for i in (
    OFFICER_DIARY, REPORTER_DIARY, CONTACT, REFERRAL, PLAN_BEFORE_PLANS_NAMED_A_COMPLAINANT,
    PLAN_NOT_YET_AGREED)]


def test_a_case_is_answered_as_the_service_built_it() -> None:
    case, reports = _worked_case()
    items = [
        {"pk": "CASE#ASB-2026-000042", "sk": "MEASURE#m-1", "entity": "Measure",
         "record_id": "m-1", "at": "2026-12-01T10:00:00+00:00", "measure": "written_warning",
         "equality_impact": None, "history": [], "recorded_at": "2026-12-01T10:00:00+00:00"},
        {"pk": "CASE#ASB-2026-000042", "sk": "EVIDENCE#e-1", "entity": "Evidence",
         "record_id": "e-1", "at": "2026-12-01T10:05:00+00:00", "status": "awaiting upload",
         "kind": "image", "incoming_key": "incoming/e-1"},
        *SHOWN_RECORDS,
    ]
    view = case_view(CaseFolder(case, reports, *[{}] * 6, *shown_records(items)), items)
    answered = _as_powertools_writes(CaseView(**view))
    assert answered == _as_the_service_gave(view)
    assert "reference" not in answered["people"][-1]  # the perpetrator has no reference
    assert answered["case"]["risk"]["reasons"]
    # Each record of a typed kind is shown as it is stored, less its keys.
    hidden = ("pk", "sk", "entity")
    assert [e["detail"] for e in answered["timeline"] if e["kind"] != "tool_or_power"
            and e["kind"] != "evidence"] == [
        {k: v for k, v in i.items() if k not in hidden}
        for i in sorted(SHOWN_RECORDS, key=lambda i: str(i["at"]))]


def test_a_plan_not_yet_agreed_keeps_its_nulls() -> None:
    # Before a null in the plan was dropped from the answer: agreed_on and agreed_with went
    # missing where the service gave null.
    case, reports = _worked_case()
    plan = {**(case.action_plan or {}), "customer_agreed": False, "agreed_on": None,
            "agreed_with": None}
    view = case_view(CaseFolder(case.model_copy(update={"action_plan": plan}), reports), [])
    answered = _as_powertools_writes(CaseView(**view))
    assert answered == _as_the_service_gave(view)
    assert answered["case"]["action_plan"]["agreed_on"] is None


def test_the_timeline_describes_each_typed_record_field_by_field() -> None:
    entry = CaseView.model_json_schema()["$defs"]["TimelineEntry"]
    by_kind = entry["discriminator"]["mapping"]
    assert by_kind["contact"].endswith("/ContactTimelineEntry")
    assert by_kind["audit"].endswith("/AuditTimelineEntry")
    assert by_kind["task"].endswith("/RecordTimelineEntry")
    described = {"DiaryEntryDetail": DiaryEntry, "ContactDetail": Contact,
                 "ReferralDetail": Referral, "ActionPlanVersionDetail": ActionPlanVersion}
    defs = CaseView.model_json_schema()["$defs"]
    for detail, model in described.items():  # every attribute the record keeps, described
        assert set(model.model_fields) <= set(defs[detail]["properties"]), detail
    kept = set(AuditEntry.model_fields) - {"case_reference", "at"}  # the entry's own keys
    assert kept <= set(defs["AuditDetail"]["properties"])


def test_a_listed_case_and_overdue_work_are_answered_unchanged() -> None:
    listed = [listed_case({"reference": "ASB-2026-000042", "status": "open", "team": "east",
                           "opened_at": "2026-12-01T10:30:15.250000Z", "version": 3,
                           "targets": {"first_contact_due": "2026-12-03"},
                           "behaviours": ["noise"], "location_address": "Flat 3, 14 Orchard Close"}),
              listed_case({"reference": "ASB-2026-000043"})]
    overdue = [{"case_reference": "ASB-2026-000042", "kind": "FIRST_CONTACT",
                "title": "Make first contact with the reporter",
                "due_at": "2026-12-03T17:00:00+00:00", "due_on": "2026-12-03", "officer": None,
                "team": "east", "overdue": True}]
    answer = {"cases": listed, "cursor": None, "overdue": overdue}
    assert _as_powertools_writes(CaseList(**answer)) == _as_the_service_gave(answer)


def test_the_years_case_reviews_are_answered_unchanged() -> None:
    reviews = [
        {"case_reference": "ASB-2026-000042", "review_id": "cr-1", "status": "appealed",
         "received_on": "2026-11-02", "applicant": "victim",
         "threshold": {"met": True, "reasons": "Three qualifying complaints.", "by": "m.patel",
                       "on": "2026-11-04"},
         "meeting": {"held_on": "2026-11-20", "agencies": ["police"], "summary": "Met.",
                     "by": "m.patel"},
         "recommendations": [{"action": "Mediation", "owner": "landlord"}],
         "appeal": {"received_on": "2026-11-28", "grounds": "Not heard.", "against": "completed"},
         "outcome": {"summary": "Mediation offered.", "by": "m.patel", "on": "2026-11-25"}},
        {"case_reference": "ASB-2020-000001", "review_id": "cr-2", "status": "completed",
         "received_on": "2020-06-01", "applicant": "victim", "threshold": "[erased]",
         "meeting": "[erased]", "outcome": "[erased]"},
        {"case_reference": "ASB-2026-000043", "review_id": "cr-3", "status": "applied",
         "received_on": "2026-11-30", "applicant": "someone with the victim's consent"},
    ]
    answer = {"year": "2026/27", "statistics": {"applications": 3}, "reviews": reviews}
    assert _as_powertools_writes(CaseReviews(**answer)) == _as_the_service_gave(answer)


class _SharingStore:
    """The partner store and the case store as far as the registry and the waiting lists read
    them: items as DynamoDB gives them back."""

    def __init__(self, partners: list[dict[str, Any]], waiting: list[dict[str, Any]]) -> None:
        self._partners = partners
        self._waiting = waiting

    def partners(self) -> list[dict[str, Any]]:
        return self._partners

    def waiting_for_decision(self, kinds: list[str], now: datetime) -> list[dict[str, Any]]:
        return self._waiting

    def waiting(self, kinds: list[str]) -> list[dict[str, Any]]:
        return self._waiting


MANAGER = StaffMember("m.jones", frozenset({"manager"}), "east")


def _saved_partner(partner_id: str, **changes: Any) -> dict[str, Any]:
    body = PartnerIn.model_validate({**SEEDS[partner_id], **changes})
    return {**body.model_dump(mode="json"), "partner_id": partner_id, "version": 2}


def test_the_partner_registry_is_answered_unchanged() -> None:
    # One agreement sets a rank for the crime exemption, the other none: saved as null.
    registry = [_saved_partner("avon-somerset-police"),
                _saved_partner("west-mediation", crime_exemption_sign_off_rank=None)]
    partners = Partners(_SharingStore(registry, []), None, FixedClock(NOW))  # type: ignore[arg-type]
    answer = {"partners": partners.registry(MANAGER)}
    answered = _as_powertools_writes(PartnerList(**answer))
    assert answered == _as_the_service_gave(answer)
    assert answered["partners"][1]["crime_exemption_sign_off_rank"] is None
    assert set(answered["partners"][0]) == set(Partner.model_fields)  # each field described


def test_requests_to_share_waiting_are_answered_unchanged() -> None:
    waiting = [{"pk": "CASE#ASB-2026-000042", "sk": "DISCLOSURE#d-1", "entity": "Disclosure",
                "case_reference": "ASB-2026-000042", "disclosure_id": "d-1",
                "direction": "outbound", "kind": "referral", "partner_id": "west-mediation",
                "partner_name": "West Mediation", "purpose": "Mediation between neighbours.",
                "legal_route": "consent", "data_categories": ["contact_details"],
                "requested_by": "o.hughes", "requested_at": "2026-12-01T10:00:00+00:00",
                "due_at": "2026-12-03T17:00:00+00:00", "team": "east"},
               {"case_reference": "ASB-2026-000043", "disclosure_id": "d-2",
                "direction": "inbound", "kind": "disclosure", "partner_id": "avon-somerset-police",
                "partner_name": "Avon and Somerset Police", "purpose": "A police enquiry.",
                "legal_route": "crime_and_disorder_act_s115", "data_categories": ["incidents"],
                "due_at": "2026-12-04T17:00:00+00:00", "team": "east"}]
    partners = Partners(_SharingStore([], waiting), None, FixedClock(NOW))  # type: ignore[arg-type]
    answer = {"waiting": partners.waiting(MANAGER)}
    answered = _as_powertools_writes(WaitingList(**answer))
    assert answered == _as_the_service_gave(answer)
    assert answered["waiting"][1]["requested_by"] is None  # a partner's request: no officer
    # Every field described; urgent only a safeguarding referral answers.
    assert set(answered["waiting"][0]) == set(WaitingDisclosure.model_fields) - {"urgent"}


def test_legal_action_waiting_is_answered_unchanged() -> None:
    waiting = [{"pk": "CASE#ASB-2026-000042", "sk": "MEASURE#m-1", "entity": "Measure",
                "case_reference": "ASB-2026-000042", "record_id": "m-1",
                "measure": "injunction", "name": "Civil injunction", "subject": "perpetrator",
                "rationale": "Threats continue after a warning.", "equality_impact": None,
                "by": "o.hughes", "recorded_at": "2026-12-01T10:00:00+00:00",
                "due_at": "2026-12-03T17:00:00+00:00", "team": "east", "officer": "o.hughes"}]
    cases = CaseService(_SharingStore([], waiting), FixedClock(NOW))  # type: ignore[arg-type]
    answer = {"waiting": cases.legal_approvals(MANAGER)}
    answered = _as_powertools_writes(LegalApprovalList(**answer))
    assert answered == _as_the_service_gave(answer)
    assert set(answered["waiting"][0]) == set(WaitingLegalAction.model_fields)
