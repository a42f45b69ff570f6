"""The staff API's case answers as response models: the OpenAPI document describes them field by
field, and the JSON Powertools writes from them is the service's answer unchanged - no key
added as null, none dropped, no time rewritten."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.event_handler.openapi.encoders import jsonable_encoder
from pydantic import BaseModel

from asb.case.models import CaseStatus
from asb.case_listing import listed_case
from asb.case_views import case_view
from asb.intake import open_case, parse_submission
from asb.risk import assess
from asb.targets import targets_for
from asb.web.staff_api import CaseList, CaseReviews, CaseView
from tests.conftest import sample_event

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


def test_a_case_is_answered_as_the_service_built_it() -> None:
    case, reports = _worked_case()
    items = [
        {"pk": "CASE#ASB-2026-000042", "sk": "MEASURE#m-1", "entity": "Measure",
         "record_id": "m-1", "at": "2026-12-01T10:00:00+00:00", "measure": "written_warning",
         "equality_impact": None, "history": [], "recorded_at": "2026-12-01T10:00:00+00:00"},
        {"pk": "CASE#ASB-2026-000042", "sk": "EVIDENCE#e-1", "entity": "Evidence",
         "record_id": "e-1", "at": "2026-12-01T10:05:00+00:00", "status": "awaiting upload",
         "kind": "image", "incoming_key": "incoming/e-1"},
    ]
    view = case_view(case, reports, items)
    answered = _as_powertools_writes(CaseView(**view))
    assert answered == _as_the_service_gave(view)
    assert "reference" not in answered["people"][-1]  # the perpetrator has no reference
    assert answered["case"]["risk"]["reasons"]


def test_a_listed_case_and_overdue_work_are_answered_unchanged() -> None:
    listed = [listed_case({"reference": "ASB-2026-000042", "status": "open", "team": "east",
                           "opened_at": "2026-12-01T10:30:15.250000Z", "version": 3,
                           "targets": {"first_contact_due": "2026-12-03"},
                           "behaviours": ["noise"], "location_address": "Flat 3, 14 Orchard Close"}),
              listed_case({"reference": "ASB-2026-000043"})]
    overdue = [{"case_reference": "ASB-2026-000042", "kind": "FIRST_CONTACT:escalated",
                "title": "Make first contact with the reporter",
                "due_at": "2026-12-03T17:00:00+00:00", "officer": None, "team": "east"}]
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
