"""Every answer of every route carries the security headers (asb.web.headers): HSTS and nosniff
everywhere, a policy against framing, pages that post only here and send no Referer, and nothing
with personal data or a secret kept in a cache."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff
from tests.integration.routes import header_map, route_event, route_handlers, template_routes

# Public files with no case data in them: they may say they can be cached.
PUBLIC_FILES = {("GET", "/openapi.json"), ("GET", "/console/{asset}")}
MANAGER = ("m.jones", "manager", "yeovil")
DPO = ("d.price", "dpo", "yeovil")


def assert_secure(answer: dict[str, Any], route: tuple[str, str] | None = None) -> None:
    headers = header_map(answer)
    where = (route, answer["statusCode"])
    assert headers.get("strict-transport-security") == "max-age=63072000; includeSubDomains", where
    assert headers.get("x-content-type-options") == "nosniff", where
    policy = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy, where
    assert headers.get("referrer-policy") in ("no-referrer", "same-origin"), where
    if headers.get("content-type", "").startswith("text/html"):
        assert re.search(r"default-src '(self|none)'", policy), where
        assert re.search(r"form-action 'self'", policy), where
    if route not in PUBLIC_FILES:
        assert headers.get("cache-control") == "no-store", where


def test_every_answer_of_every_route_carries_the_security_headers(
        load_handler: Callable[[str], ModuleType]) -> None:
    handlers = route_handlers(load_handler)
    routes = template_routes()
    assert len(routes) > 40  # the whole template, not a chosen few
    for logical_id, method, path in routes:
        for who in (MANAGER, None):
            event = route_event(method, path, None if method == "GET" else "{}", who=who)
            assert_secure(handlers[logical_id].lambda_handler(event, LambdaContext()),
                          (method, path))


def answer(handler: ModuleType, sample: str, reference: str | None = None,
           query: dict[str, str] | None = None,
           who: tuple[str, str, str] | None = None) -> dict[str, Any]:
    event = copy.deepcopy(sample_event(sample))
    if reference:
        event["pathParameters"] = {"reference": reference}
        event["path"] = event["path"].replace("ASB-2026-000001", reference)
    if query is not None:
        event["queryStringParameters"] = query
        event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()}
    if who:
        event["requestContext"]["authorizer"]["claims"].update({
            "cognito:username": who[0], "cognito:groups": who[1], "custom:team": who[2]})
    result: dict[str, Any] = handler.lambda_handler(event, LambdaContext())
    return result


def test_what_holds_a_secret_or_personal_data_is_never_stored(
        staff: Staff, load_handler: Callable[[str], ModuleType]) -> None:
    form = load_handler("ReportFormFunction")
    page = answer(form, "report_form-get")
    assert page["statusCode"] == 200
    assert_secure(page, ("GET", "/"))
    confirmation = answer(staff.handlers["Intake"], "intake-form-encoded")
    assert confirmation["statusCode"] == 201 and "/track/" in confirmation["body"]
    assert_secure(confirmation, ("POST", "/reports"))

    reference = staff.open_case()
    case = answer(staff.handlers["CaseQueries"], "case_queries-get-case", reference, who=MANAGER)
    assert case["statusCode"] == 200
    assert_secure(case, ("GET", "/cases/{reference}"))
    pdf = answer(staff.handlers["DataProtection"], "data_protection-subject-access",
                 query={"email": "alex.morgan@example.org", "format": "pdf"}, who=DPO)
    assert (pdf["statusCode"], header_map(pdf)["content-type"]) == (200, "application/pdf")
    assert_secure(pdf, ("GET", "/subject-access"))
    log = answer(staff.handlers["Partners"], "partners-disclosure-log", query={"year": "2026"},
                 who=DPO)
    assert log["statusCode"] == 200 and header_map(log)["content-type"].startswith("text/csv")
    assert_secure(log, ("GET", "/disclosure-log"))
