"""The plain HTML form's fields become the same report the JSON API takes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import parse_qsl

import pytest

from asb.intake.service import parse_submission
from asb.kernel.errors import InvalidReport
from asb.web.body import form_fields
from asb.web.report_form import explain_date_errors, list_fields, submission_from_form
from tests.conftest import sample_event

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_list_fields_come_from_the_model() -> None:
    assert {
        "incident.behaviours",
        "harm.targeted_for_identity",
        "reporter.unsafe_channels",
    } == list_fields()


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
    assert report.incident.first_occurred == date(2026, 10, 20)  # from its day, month, year
    assert report.incident.last_occurred == date(2026, 11, 23)


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


def with_start_date(day: str, month: str, year: str) -> dict[str, list[str]]:
    fields = form_fields(sample_event("intake-form-encoded")["body"])
    fields.update({"incident.first_occurred.day": [day], "incident.first_occurred.month": [month],
                   "incident.first_occurred.year": [year]})
    return fields


@pytest.mark.parametrize(("day", "month", "year", "says"), [
    ("20", "", "2026", "The date it started must include a month"),
    ("", "", "2026", "The date it started must include a day and month"),
    ("31", "2", "2026", "The date it started must be a real date: that month has fewer days"),
    ("3", "13", "2026", "The date it started: the month must be a number from 1 to 12"),
    ("20", "10", "26", "The date it started: the year must have 4 numbers, like 2026"),
    ("twenty", "10", "2026", "The date it started must be a real date, in numbers, like 27 3 2026"),
])
def test_date_boxes_that_make_no_date_are_refused_naming_the_box(
        day: str, month: str, year: str, says: str) -> None:
    fields = with_start_date(day, month, year)
    data, _ = submission_from_form(fields)
    with pytest.raises(InvalidReport) as refused:
        parse_submission(data, NOW)
    explained = explain_date_errors(fields, refused.value.errors)
    assert [(e.field, e.message) for e in explained] == [("incident.first_occurred", says)]


def test_a_date_from_boxes_in_the_future_is_refused_by_the_model() -> None:
    data, _ = submission_from_form(with_start_date("1", "1", "2027"))
    with pytest.raises(InvalidReport) as refused:
        parse_submission(data, NOW)
    assert refused.value.errors[0].message == "The date must be today or in the past"


def test_the_json_api_still_takes_iso_dates() -> None:
    fields = form_fields(sample_event("intake-form-encoded")["body"])
    data, _ = submission_from_form(fields)
    data["incident"]["first_occurred"] = "2026-10-01"
    assert parse_submission(data, NOW).incident.first_occurred == date(2026, 10, 1)


def test_a_language_is_chosen_from_a_list_and_means_an_interpreter() -> None:
    """Issue 19: a Welsh request typed as free text was lost; it is now a choice from a list."""
    fields = form_fields(sample_event("intake-form-encoded")["body"])
    fields["reporter.language"] = ["Welsh"]
    data, _ = submission_from_form(fields)
    reporter = parse_submission(data, NOW).reporter
    assert reporter and reporter.language == "Welsh" and reporter.interpreter is True
    fields["reporter.language"] = ["Klingon"]
    with pytest.raises(InvalidReport) as refused:
        parse_submission(submission_from_form(fields)[0], NOW)
    assert [e.field for e in refused.value.errors] == ["reporter.language"]
