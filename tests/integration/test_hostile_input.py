"""Hostile input everywhere it can arrive: markup and template syntax in free text come back as
text, never as markup or evaluated; oversize and deeply nested bodies get a clear 4xx, never a
500; spreadsheet formulas never reach a spreadsheet."""

from __future__ import annotations

import json
from typing import Any

import pytest

from asb.notifications.render import render
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff

HOSTILE = ['<script>alert("x")</script>', "{{ 7*7 }}", "{% for x in y %}", "=1+1",
           "@SUM(A1:A2)", "</textarea><img src=x onerror=alert(1)>"]
MANAGER = ("m.jones", "manager", "yeovil")


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("sample", ["case_work-add-diary-entry", "partners-request-disclosure",
                                    "case_review-apply", "data_protection-rectification"])
def test_deeply_nested_and_oversize_bodies_are_refused_plainly(staff: Staff,
                                                               sample: str) -> None:
    reference = staff.open_case()
    for body in (nested(30_000), json.dumps({"text": "x" * 2_000_000})):
        event = sample_event(sample)
        event["body"] = body
        event["pathParameters"] = {**(event["pathParameters"] or {}), "reference": reference}
        handler = staff.handlers[{"case_work": "CaseWork", "partners": "Partners",
                                  "case_review": "CaseReview",
                                  "data_protection": "DataProtection"}[sample.split("-")[0]]]
        answer = handler.lambda_handler(event, LambdaContext())
        assert 400 <= answer["statusCode"] < 500, (sample, answer["statusCode"])
        assert "Traceback" not in answer["body"]


def test_a_deeply_nested_report_is_refused_plainly(staff: Staff) -> None:
    event = sample_event("intake-valid-json")
    event["body"] = nested(30_000)
    answer = staff.handlers["Intake"].lambda_handler(event, LambdaContext())
    assert answer["statusCode"] == 400


def test_free_text_is_shown_as_text_in_pages_letters_and_the_case(staff: Staff) -> None:
    reference = staff.open_case()
    for text in HOSTILE:
        assert staff.write(reference, "diary-entries", {"text": f"Note: {text}"})[0] == 200
    status, view = staff.get(reference)
    assert status == 200
    notes = [e["detail"]["text"] for e in view["timeline"] if e["kind"] == "diary"]
    assert sorted(notes) == sorted(f"Note: {t}" for t in HOSTILE)  # stored and shown as typed
    context: dict[str, Any] = {"reference": reference, "landlord": "ASB team",
                               "phone": "0300 123 4567", "reasons": " ".join(HOSTILE),
                               "outcome": "{{ 7*7 }}"}
    rendered = render("closure", "email", context)
    assert "{{ 7*7 }}" in rendered.text and "49" not in rendered.text
    assert "<script>" not in rendered.html and "<img" not in rendered.html
