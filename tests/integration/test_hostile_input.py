"""Hostile input everywhere it can arrive: markup and template syntax in free text come back as
text, never as markup or evaluated; oversize and deeply nested bodies get a clear 4xx, never a
500; spreadsheet formulas never reach a spreadsheet."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from asb.notifications.render import render
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff
from tests.integration.routes import route_event, route_handlers, template_routes

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


# Python refuses to read an integer of more than 4,300 digits (ValueError, not JSONDecodeError).
LONG_NUMBER = '{"text": ' + "7" * 5_000 + "}"


def test_a_number_too_long_to_read_is_a_4xx_naming_the_body_on_every_json_route(
        load_handler: Callable[[str], ModuleType]) -> None:
    handlers = route_handlers(load_handler)
    writes = [route for route in template_routes() if route[1] in ("POST", "PUT", "PATCH")]
    assert len(writes) > 30  # every write the template routes, not a chosen few
    for logical_id, method, path in writes:
        event = route_event(method, path, LONG_NUMBER)
        answer = handlers[logical_id].lambda_handler(event, LambdaContext())
        assert 400 <= answer["statusCode"] < 500, (method, path, answer["statusCode"])
        assert "body" in answer["body"], (method, path)
        if answer["statusCode"] != 415:  # a route that takes JSON says what is wrong with it
            assert "4,300 digits" in answer["body"], (method, path)


def test_a_partner_message_that_cannot_be_read_is_refused_saying_why(
        load_handler: Callable[[str], ModuleType], caplog: pytest.LogCaptureFixture) -> None:
    inbound = load_handler("PartnerInboundFunction")
    for body, reason in (('{"type": "acknowledgement", "partner_id": ' + "7" * 5_000 + "}",
                          "4,300 digits"), ("[1, 2]", "not a JSON object")):
        event = sample_event("partner_inbound-acknowledgement")
        event["Records"][0]["body"] = body
        caplog.clear()
        answer = inbound.lambda_handler(event, LambdaContext())
        assert len(answer["batchItemFailures"]) == 1  # refused: to the dead-letter queue
        assert any(r.getMessage() == "partner message not readable"
                   and reason in r.__dict__["reason"] for r in caplog.records), caplog.records


def test_a_cursor_nested_too_deeply_is_a_bad_cursor(staff: Staff) -> None:
    cursor = base64.urlsafe_b64encode(("[" * 1_400 + "]" * 1_400).encode()).decode()
    status, answer = staff.call("case_queries-list-team", query={"cursor": cursor})
    assert status == 422 and answer["errors"][0]["field"] == "cursor"
