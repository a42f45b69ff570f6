"""The plain HTML form's fields become the same report the JSON API takes."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qsl

from asb.intake import parse_submission
from asb.web.body import form_fields
from asb.web.report_form import LIST_FIELDS, submission_from_form
from tests.conftest import sample_event

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_list_fields_come_from_the_model() -> None:
    assert {
        "incident.behaviours",
        "harm.targeted_for_identity",
        "reporter.unsafe_channels",
    } == LIST_FIELDS


def test_the_sample_form_post_becomes_a_valid_report() -> None:
    fields = form_fields(sample_event("intake-form-encoded")["body"])
    data, key = submission_from_form(fields)
    assert key == "0d4c1e52-93f5-4a0e-8a8b-6c3d2e1f0a9b"
    report = parse_submission(data, NOW)
    assert report.reporter and report.reporter.relationship == "non_resident"
    assert report.reporter.phone is None  # a blank answer is no answer
    assert report.incident.behaviours == ["harassment", "threats"]
    assert report.harm.threats_or_violence is True
    assert report.location.postcode == "BA21 5AA"
    assert report.consent_to_share is True


def test_a_form_without_the_anonymous_choice_asks_for_the_reporters_name() -> None:
    data, _ = submission_from_form({"location.address": ["1 High St"]})
    assert data["reporter"] == {}


def test_an_anonymous_form_needs_no_reporter() -> None:
    body = "anonymous=yes&location.address=1+High+St&incident.behaviours=noise"
    data, key = submission_from_form(form_fields(body))
    assert key is None
    assert "reporter" not in data
    assert dict(parse_qsl(body))["anonymous"] == "yes"


def test_an_anonymous_form_keeps_no_reporter_whatever_else_was_ticked() -> None:
    body = ("anonymous=yes&reporter.relationship=resident&reporter.preferred_contact=email"
            "&reporter.unsafe_channels=sms&reporter.name=&location.address=1+High+St"
            "&incident.behaviours=noise&incident.description=Loud+music+every+night")
    data, _ = submission_from_form(form_fields(body))
    assert "reporter" not in data
    report = parse_submission(data, NOW)
    assert report.anonymous and report.reporter is None


REQUIRED = {"anonymous", "reporter-relationship", "reporter-name", "location-address",
            "incident-behaviours", "incident-description"}


def questions_on_the_form() -> dict[str, str]:
    """Each question's group id -> its label or legend, as rendered."""
    import re

    from asb.web.pages import render_form

    page = render_form()
    found = {}
    for match in re.finditer(r'id="([\w-]+)-field">\s*(?:<fieldset[^>]*>\s*)?<(label|legend)[^>]*>'
                             r'([^<]+)</', page):
        found[match.group(1)] = match.group(3)
    return found


def test_every_optional_question_says_so_and_no_required_one_does() -> None:
    """GOV.UK marks the optional questions, not the required ones (issue 19)."""
    questions = questions_on_the_form()
    assert REQUIRED <= set(questions)
    for field, label in questions.items():
        assert label.endswith("(optional)") == (field not in REQUIRED), (field, label)


def test_large_print_is_asked_once() -> None:
    from asb.web.pages import render_form

    assert render_form().lower().count("large print") == 1
