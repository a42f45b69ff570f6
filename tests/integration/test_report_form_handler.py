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
from urllib.parse import parse_qsl, urlencode

import boto3
import pytest

from asb.dynamo.sealing import KmsSealer, unseal_report
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import table_items
from tests.landlords_homes import FLAT_3, FLAT_4, NUMBER_12, NUMBER_14, NUMBER_16, NUMBER_18


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


HARMS = ["harm.feels_unsafe", "harm.threats_or_violence", "harm.affects_health",
         "harm.affects_daily_life", "harm.children_affected", "harm.vulnerable_household",
         "harm.lives_alone_or_isolated", "harm.happened_before"]


def test_none_of_these_with_a_harm_ticked_is_a_422_naming_the_question(form: ModuleType) -> None:
    lines = io.StringIO()
    form.logger.registered_handler.setStream(lines)
    answer = posted(form, "idempotency_key=k&page=harm&harm.threats_or_violence=yes"
                          "&harm.none=yes&go=continue")
    assert answer["statusCode"] == 422
    assert ('<a href="#harm-field">Select the harms that apply, or select &#39;None of '
            'these&#39;</a>') in answer["body"]
    (logged,) = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert (logged["page"], logged["fields"]) == ("harm", ["harm.none"])


def test_none_of_these_is_stored_as_an_explicit_no_to_every_harm(
        form: ModuleType, intake: ModuleType, aws: Any, table: str) -> None:
    answer = posted(form, "idempotency_key=k-none&page=harm&incident.behaviours=noise"
                          "&harm.none=yes&go=continue")
    assert answer["statusCode"] == 200
    assert "<title>Do you want to tell us who you are?" in answer["body"]
    continuing = answer["body"].split("<form")[-1]  # the page's own form, not its back link
    carried = re.findall(r'name="(harm\.[^"]+)" value="([^"]*)"', continuing)
    assert sorted(carried) == sorted((name, "no") for name in HARMS)
    # "Send report" posts them with the rest of the answers to POST /reports
    event = copy.deepcopy(sample_event("intake-form-encoded"))
    fields = [(name, value) for name, value in parse_qsl(event["body"], keep_blank_values=True)
              if not name.startswith("harm.")]
    event["body"] = urlencode([*fields, *carried])
    assert intake.lambda_handler(event, LambdaContext())["statusCode"] == 201
    (stored,) = [item for item in table_items(table) if item.get("entity") == "Report"]
    sealer = KmsSealer(boto3.client("kms"), str(aws.attribute("DataKey", "Arn")))
    report = unseal_report(stored, sealer)  # harm answers are sealed (special category data)
    assert {f"harm.{name}": value for name, value in report["submission"]["harm"].items()
            if name != "targeted_for_identity"} == dict.fromkeys(HARMS, False)


def test_a_year_too_long_for_a_date_is_a_422_on_the_check_page_not_a_500(
        form: ModuleType) -> None:
    lines = io.StringIO()
    form.logger.registered_handler.setStream(lines)
    answers = parse_qsl(sample_event("intake-form-encoded")["body"], keep_blank_values=True)
    answers = [(name, "9" * 20 if name == "incident.first_occurred.year" else value)
               for name, value in answers if name not in ("page", "go")]
    answers += [("location.uprn", FLAT_3.uprn), ("perpetrator.uprn", FLAT_4.uprn)]
    answer = posted(form, urlencode([*answers, ("page", "sharing"), ("go", "continue")]))
    assert answer["statusCode"] == 422
    page = answer["body"]
    assert "<title>Error: Check your answers" in page
    assert '<a href="#incident-first_occurred-field">The date it started: the year must' in page
    (logged,) = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert (logged["page"], logged["fields"]) == ("check", ["incident.first_occurred"])
    assert "9" * 20 not in lines.getvalue()


SO_FAR = [("idempotency_key", "k-homes"), ("incident.behaviours", "noise"),
          ("incident.description", "Loud music from next door every night after midnight.")]


def test_a_postcode_lists_the_landlords_homes_there_from_the_register(
        form: ModuleType, homes: str, table: str) -> None:
    listed = posted(form, urlencode([*SO_FAR, ("location.postcode", "ba20 1ab"),
                                     ("page", "where"), ("go", "continue")]))
    assert listed["statusCode"] == 200
    page = listed["body"]
    assert "<title>Choose the address" in page
    offered = re.findall(r'name="location.uprn" value="(\w+)"', page)
    assert offered == [NUMBER_12.uprn, NUMBER_14.uprn, NUMBER_16.uprn, "not_listed"]
    assert NUMBER_18.address not in page  # sold: in the register, not the landlord's
    chosen = posted(form, urlencode([*SO_FAR, ("location.postcode", "ba20 1ab"),
                                     ("location.uprn", NUMBER_14.uprn), ("page", "where-home"),
                                     ("go", "continue")]))
    assert chosen["statusCode"] == 200 and "<title>Do you know who is doing it?" in chosen["body"]
    assert f'name="location.address" value="{NUMBER_14.address}"' in chosen["body"]
    assert table_items(table) == []  # nothing stored on the way


def test_when_neither_home_is_ours_the_form_says_who_can_help_and_sends_nothing(
        form: ModuleType, homes: str, table: str) -> None:
    answer = posted(form, urlencode([
        *SO_FAR, ("location.postcode", ""), ("location.address", "The park on Mill Lane"),
        ("perpetrator.known", "no"), ("address_to_check", "no"), ("page", "whose-homes"),
        ("go", "continue")]))
    assert answer["statusCode"] == 200
    page = answer["body"]
    assert "<title>We cannot take this report, but others can help" in page
    assert "call 101" in page and "call 999" in page and "local council" in page
    assert 'action="reports"' not in page  # no way on to send it
    assert table_items(table) == []
