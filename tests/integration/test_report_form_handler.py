"""GET / and POST / through the report form handler: the pages residents use, one thing per page.
Nothing is stored on the way: the answers travel in the pages until the check page sends them."""

from __future__ import annotations

import base64
import copy
import io
import json
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.conftest import LambdaContext, sample_event


@pytest.fixture
def form(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("ReportFormFunction")


def posted(form: ModuleType, body: str | None = None, **headers: str) -> dict[str, Any]:
    event = copy.deepcopy(sample_event("report_form-next-page"))
    if body is not None:
        event["body"] = body
    for name, value in headers.items():
        event["headers"][name.replace("_", "-")] = value
        event["multiValueHeaders"][name.replace("_", "-")] = [value]
    answer: dict[str, Any] = form.lambda_handler(event, LambdaContext())
    return answer


def test_the_form_page_is_served_with_a_fresh_idempotency_key(form: ModuleType) -> None:
    first = form.lambda_handler(sample_event("report_form-get"), LambdaContext())
    second = form.lambda_handler(sample_event("report_form-get"), LambdaContext())
    assert first["statusCode"] == 200
    assert first["multiValueHeaders"]["Content-Type"] == ["text/html; charset=utf-8"]
    assert first["multiValueHeaders"]["Cache-Control"] == ["no-store"]
    page = first["body"]
    assert page.index("call 999") < page.index("<form")
    assert 'action="./"' in page and 'method="post"' in page
    key = 'name="idempotency_key" value="'
    assert page.split(key)[1][:36] != second["body"].split(key)[1][:36]


def test_the_sample_post_answers_with_the_next_page_carrying_the_answers(form: ModuleType) -> None:
    answer = posted(form)
    assert answer["statusCode"] == 200
    assert answer["multiValueHeaders"]["Cache-Control"] == ["no-store"]  # answers in the page
    page = answer["body"]
    assert "<title>Tell us what happened" in page  # the page after the behaviours
    assert page.count('name="incident.behaviours" value="threats"') == 2  # back and continue
    assert 'name="idempotency_key" value="0d4c1e52-93f5-4a0e-8a8b-6c3d2e1f0a9b"' in page


def test_a_page_without_its_answer_comes_back_as_a_422_with_an_error_summary(
        form: ModuleType) -> None:
    lines = io.StringIO()
    form.logger.registered_handler.setStream(lines)  # the JSON lines CloudWatch would get
    answer = posted(form, "idempotency_key=k&page=details&incident.behaviours=noise"
                          "&incident.description=Noisy&go=continue")
    assert answer["statusCode"] == 422
    page = answer["body"]
    assert '<a href="#incident-description-field">Tell us a little more' in page
    assert ">Noisy</textarea>" in page
    (logged,) = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert (logged["page"], logged["fields"]) == ("details", ["incident.description"])
    assert "Noisy" not in lines.getvalue() and "noise" not in lines.getvalue()


def test_a_json_body_or_one_too_large_gets_a_page_not_json(form: ModuleType) -> None:
    refused = posted(form, json.dumps({"page": "what"}), Content_Type="application/json")
    assert refused["statusCode"] == 415
    assert refused["multiValueHeaders"]["Content-Type"][0].startswith("text/html")
    too_long = posted(form, urlencode({"page": "details", "incident.description": "x" * 1_100_000}))
    assert too_long["statusCode"] == 413
    assert "Your answers are too long" in too_long["body"]
    assert "0300 123 4567" in too_long["body"]


def test_a_body_in_base64_is_read_as_lambda_gives_it(form: ModuleType) -> None:
    event_body = "page=where&location.address=7+Willow+Court%2C+Yeovil&go=continue"
    event = copy.deepcopy(sample_event("report_form-next-page"))
    event["body"], event["isBase64Encoded"] = base64.b64encode(event_body.encode()).decode(), True
    answer = form.lambda_handler(event, LambdaContext())
    assert answer["statusCode"] == 200
    assert re.search(r'name="location.address" value="7 Willow Court, Yeovil"', answer["body"])
