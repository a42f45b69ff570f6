"""Retention as plain functions: how long a closed case is kept, and what survives it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from asb.case.retention import ERASED, anonymised_submission, retain_until
from asb.case.submission import ReportSubmission
from tests.conftest import sample_event

CLOSED = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def test_a_closed_case_is_kept_six_years() -> None:
    assert retain_until(CLOSED, []) == date(2032, 11, 25)
    assert retain_until(datetime(2028, 2, 29, tzinfo=UTC), []) == date(2034, 2, 28)


def test_a_live_order_keeps_it_six_years_after_the_order_ends() -> None:
    order = {"legal": True, "status": "granted", "expires_on": "2028-05-01"}
    refused = {"legal": True, "status": "refused", "expires_on": "2030-01-01"}
    warning = {"legal": False, "status": "completed"}
    assert retain_until(CLOSED, [order, refused, warning]) == date(2034, 5, 1)
    open_ended = {"legal": True, "status": "granted"}
    assert retain_until(CLOSED, [open_ended]).year > 8000


def test_what_survives_is_the_facts_not_the_people() -> None:
    original = json.loads(sample_event("intake-form-encoded")["body"] and
                          sample_event("intake-valid-json")["body"])
    original["harm"]["targeted_for_identity"] = ["race"]
    kept = ReportSubmission.model_validate(anonymised_submission(original))
    assert kept.reporter is None and kept.anonymous
    assert kept.incident.behaviours == ["noise", "verbal_abuse"]
    assert kept.incident.description == ERASED
    assert kept.location.address == ERASED
    assert kept.is_hate_incident
    text = kept.model_dump_json()
    for personal in ("Alex", "Morgan", "07700", "Orchard", "number 14"):
        assert personal not in text
