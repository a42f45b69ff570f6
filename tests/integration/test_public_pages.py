"""Every page a resident can see gives the ASB team's phone number, from one place
(config.LANDLORD_PHONE), in its footer: the form, its errors, the confirmation, the tracking page,
the upload page, a stopped or wrong link, too many wrong links, a closed case's refusal. Through
the handlers, from the events/ samples."""

from __future__ import annotations

import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

from asb.policy.config import LANDLORD_PHONE
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import Staff
from tests.integration.test_tracking import get, post, report, tracking  # noqa: F401

FOOTER = re.compile(r'<footer[^>]*id="team-phone"[^>]*>(.*?)</footer>', re.S)


def footer_phone(answer: dict[str, Any]) -> str:
    assert answer["headers"]["Content-Type"].startswith("text/html"), answer["headers"]
    footer = FOOTER.search(answer["body"])
    assert footer, answer["body"][-600:]
    assert f'href="tel:{LANDLORD_PHONE.replace(" ", "")}"' in footer.group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", footer.group(1)))


def headers_of(answer: dict[str, Any]) -> dict[str, Any]:
    return {**(answer.get("headers") or {}),
            **{k: ", ".join(v) for k, v in (answer.get("multiValueHeaders") or {}).items()}}


def handled(handler: ModuleType, event: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = handler.lambda_handler(event, LambdaContext())
    return {**answer, "headers": headers_of(answer)}


def test_every_public_page_gives_the_teams_phone_number(
        staff: Staff, tracking: ModuleType,  # noqa: F811
        load_handler: Callable[[str], ModuleType]) -> None:
    form = load_handler("ReportFormFunction")
    intake = staff.handlers["Intake"]
    reference, secret = report(staff)
    pages = {
        "the form": handled(form, sample_event("report_form-get")),
        "the form's errors": handled(intake, sample_event("intake-form-empty")),
        "the confirmation": handled(intake, sample_event("intake-form-encoded")),
        "the tracking page": get(tracking, f"/track/{reference}", {"secret": secret}),
        "the upload page": post(tracking, f"/track/{reference}/evidence",
                                {"secret": secret, "kind": "audio"}),
        "a wrong link": get(tracking, f"/track/{reference}", {"secret": "not-the-secret"}),
    }
    for n in range(10):
        get(tracking, "/track/ASB-2026-999999", {"secret": f"guess-{n}"}, source="192.0.2.9")
    pages["too many wrong links"] = get(tracking, "/track/ASB-2026-999999", {"secret": "x"},
                                        source="192.0.2.9")
    assert staff.write(reference, "closure", {
        "outcome": "resolved", "reasons": "The music stopped after our letter."})[0] == 200
    pages["a closed case's problem page"] = post(
        tracking, f"/track/{reference}/diary-entries",
        {"secret": secret, "occurred_on": "2026-11-20", "what_happened": "Music again."})
    statuses = {name: answer["statusCode"] for name, answer in pages.items()}
    assert statuses == {"the form": 200, "the form's errors": 422, "the confirmation": 201,
                        "the tracking page": 200, "the upload page": 200, "a wrong link": 404,
                        "too many wrong links": 429, "a closed case's problem page": 409}
    for name, answer in pages.items():
        assert f"To talk to the ASB team, call {LANDLORD_PHONE}" in footer_phone(answer), name


def test_a_link_that_does_not_work_says_how_to_get_help_without_one(
        staff: Staff, tracking: ModuleType) -> None:  # noqa: F811
    reference, _ = report(staff)
    page = get(tracking, f"/track/{reference}", {"secret": "wrong"})
    assert page["statusCode"] == 404
    assert "You cannot get a new link on this website. Call us and tell us your reference" in \
        page["body"]
