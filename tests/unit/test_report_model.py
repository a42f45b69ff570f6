"""The report as posted: what is accepted, and what each refusal says."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic_core import PydanticCustomError

from asb.intake.service import parse_submission
from asb.kernel.errors import InvalidReport
from tests.conftest import sample_event

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def issue_example() -> dict[str, Any]:
    return json.loads(sample_event("intake-valid-json")["body"])


def errors_of(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidReport) as caught:
        parse_submission(data, NOW)
    return {e.field: e.message for e in caught.value.errors}


def test_the_published_example_is_accepted_exactly_as_it_is() -> None:
    report = parse_submission(issue_example(), NOW)
    assert report.reporter and report.reporter.email == "alex.morgan@example.org"
    assert report.incident.behaviours == ["noise", "verbal_abuse"]
    assert report.incident.first_occurred == date(2026, 11, 1)
    assert report.incident.last_occurred == datetime(2026, 11, 22, 23, 40, tzinfo=UTC)
    assert report.location.postcode == "BA20 1AB"
    assert report.harm.affects_health is True
    assert not report.anonymous
    assert not report.is_hate_incident


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.pop("reporter"),
        lambda d: d.update(anonymous=True),
    ],
    ids=["no reporter", "anonymous flag"],
)
def test_an_anonymous_report_is_accepted_flagged_and_keeps_no_contact_details(change: Any) -> None:
    data = issue_example()
    change(data)
    report = parse_submission(data, NOW)
    assert report.anonymous is True
    assert report.reporter is None


def test_every_bad_field_is_named_with_a_message_a_person_understands() -> None:
    data = issue_example()
    data["reporter"]["email"] = "alex.morgan(at)example"
    data["reporter"]["relationship"] = "landlord"
    data["incident"]["behaviours"] = ["noise", "loud_parties"]
    del data["incident"]["description"]
    data["location"]["postcode"] = "BA20"
    errors = errors_of(data)
    assert errors == {
        "reporter.email": "Enter an email address in the correct format, like name@example.com",
        "reporter.relationship": "Choose one of: resident, non_resident, staff or agency",
        "incident.behaviours": errors["incident.behaviours"],
        "incident.description": "Describe what happened",
        "location.postcode": "Enter a full UK postcode, like BA20 1AB",
    }
    assert errors["incident.behaviours"].startswith("Choose from the published list")
    assert "verbal_abuse" in errors["incident.behaviours"]


def test_missing_sections_are_named() -> None:
    assert errors_of({}) == {
        "location": "Tell us where it happened",
        "incident": "Tell us what happened",
    }


def test_unknown_fields_are_refused_rather_than_stored() -> None:
    data = issue_example()
    data["reporter"]["date_of_birth"] = "1980-01-01"
    assert errors_of(data) == {
        "reporter.date_of_birth": "We don't recognise this field: check its spelling"
    }


def test_the_preferred_channel_needs_its_contact_detail() -> None:
    data = issue_example()
    data["reporter"]["preferred_contact"] = "sms"
    data["reporter"].pop("phone")
    assert errors_of(data) == {
        "reporter.preferred_contact": "You chose sms: give us your phone too, or choose another way"
    }


def test_a_preferred_channel_marked_unsafe_is_refused() -> None:
    data = issue_example()
    data["reporter"]["unsafe_channels"] = ["email"]
    assert list(errors_of(data)) == ["reporter"]


def test_dates_in_the_future_or_out_of_order_are_refused() -> None:
    data = issue_example()
    data["incident"]["last_occurred"] = "2026-12-01T10:00:00Z"
    assert errors_of(data) == {"incident.last_occurred": "The date must be today or in the past"}
    data["incident"]["last_occurred"] = "2026-10-01"
    assert errors_of(data) == {"incident": "The last time must be on or after the first time"}


def test_a_report_naming_a_hate_strand_is_a_hate_incident() -> None:
    data = issue_example()
    data["harm"]["targeted_for_identity"] = ["race", "religion"]
    assert parse_submission(data, NOW).is_hate_incident


@pytest.mark.parametrize(
    ("given", "stored"),
    [("ba201ab", "BA20 1AB"), ("  sw1a 1aa ", "SW1A 1AA"), ("M1 1AE", "M1 1AE")],
)
def test_postcodes_are_normalised(given: str, stored: str) -> None:
    data = issue_example()
    data["location"]["postcode"] = given
    assert parse_submission(data, NOW).location.postcode == stored


def test_yes_and_no_answers_in_words_are_understood_but_nonsense_is_not() -> None:
    data = issue_example()
    data["harm"]["feels_unsafe"] = "yes"
    assert parse_submission(data, NOW).harm.feels_unsafe is True
    data["harm"]["feels_unsafe"] = "sometimes"
    assert errors_of(data) == {"harm.feels_unsafe": "Answer yes or no"}


def test_a_language_is_one_from_the_list_by_any_of_its_names() -> None:
    """The JSON API takes a language by its English or its own name, kept as the English one;
    a report stored before the list keeps the words it was given."""
    from asb.policy.languages import LANGUAGES, language_of

    assert language_of("cymraeg") == language_of("WELSH") == "Welsh"
    assert language_of("Polski") == "Polish"
    assert all(language_of(name) == name for name in LANGUAGES)
    assert language_of("Polish and English", stored=True) == "Polish and English"
    with pytest.raises(PydanticCustomError):
        language_of("Polish and English")
