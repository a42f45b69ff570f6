"""The console's page and files, from API Gateway's events: deployed, it signs in at Cognito."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

from tests.conftest import LambdaContext, sample_event


def settings_of(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="console-settings">(.*?)</script>',
                      page, re.S)
    assert found
    return dict(json.loads(found.group(1)))


def header(answer: dict[str, Any], name: str) -> str:
    """API Gateway's REST events carry multiValueHeaders, so the answer does too."""
    if name in (answer.get("headers") or {}):
        return str(answer["headers"][name])
    return ", ".join(answer["multiValueHeaders"][name])


def test_the_page_signs_in_at_the_hosted_ui_with_the_stage_in_every_address(
        load_handler: Callable[[str], ModuleType]) -> None:
    console = load_handler("ConsoleFunction")
    answer = console.lambda_handler(sample_event("console-get-page"), LambdaContext())
    assert answer["statusCode"] == 200
    page = answer["body"]
    settings = settings_of(page)
    hosted_ui = "https://StaffSignInDomain.auth.eu-west-2.amazoncognito.com"  # the domain's Ref
    assert settings["sign_in"]["authorize"] == f"{hosted_ui}/oauth2/authorize"
    assert settings["sign_in"]["token"] == f"{hosted_ui}/oauth2/token"
    assert settings["sign_in"]["local"] is False
    assert settings["sign_in"]["client_id"]
    assert settings["api"] == "/v1"
    assert 'src="/v1/console/console.js"' in page
    assert f"connect-src 'self' {hosted_ui}" in header(answer, "Content-Security-Policy")
    assert header(answer, "Cache-Control") == "no-store"


def test_the_forms_offer_the_catalogues_the_api_checks_against(
        load_handler: Callable[[str], ModuleType]) -> None:
    from asb.policy.config import CLOSURE_OUTCOMES, RISK_QUESTIONS, TOOLS_AND_POWERS

    console = load_handler("ConsoleFunction")
    page = console.lambda_handler(sample_event("console-get-page"), LambdaContext())["body"]
    catalogues = settings_of(page)["catalogues"]
    assert set(catalogues["risk_questions"]) == set(RISK_QUESTIONS)
    assert set(catalogues["tools_and_powers"]) == set(TOOLS_AND_POWERS)
    assert catalogues["closure_outcomes"] == CLOSURE_OUTCOMES


def test_the_script_is_served_and_nothing_else_of_the_package(
        load_handler: Callable[[str], ModuleType]) -> None:
    console = load_handler("ConsoleFunction")
    script = console.lambda_handler(sample_event("console-get-script"), LambdaContext())
    assert script["statusCode"] == 200
    assert header(script, "Content-Type").startswith("text/javascript")
    assert "startSignIn" in script["body"]
    probe = sample_event("console-get-script")
    probe["path"] = "/console/app.py"
    probe["pathParameters"] = {"asset": "app.py"}
    assert console.lambda_handler(probe, LambdaContext())["statusCode"] == 404
