"""A validation error names the request's field as its sender wrote it: a discriminated union's
tag (the kind of step sent) is a value of the body, not a field of it."""

from __future__ import annotations

import pytest

from asb.kernel.validation import chosen, request_field

STEP = {"step": "hearing_listed", "at": "9999-12-31T23:00:00-12:00", "court": "Yeovil",
        "purpose": "first"}


def test_a_steps_field_is_named_without_its_unions_tag() -> None:
    assert request_field(("body", "hearing_listed", "at"), STEP) == "at"


def test_other_fields_are_named_as_before() -> None:
    measure = {"measure": "acceptable_behaviour_agreement",
               "agreement": {"starts_on": "2026-12-02", "review_on": "2026-12-01"}}
    assert request_field(("body", "agreement", "review_on"), measure) == "agreement.review_on"
    assert request_field(("body", "rationale"), measure) == "rationale"
    assert request_field(("query", "limit"), None) == "limit"
    assert request_field(("body",), None) == "body"
    # A body that is not an object, or a tag that is also a field, is left as it is.
    assert request_field(("body", "hearing_listed", "at"), ["hearing_listed"]) == \
        "hearing_listed.at"
    assert request_field(("body", "step", "x"), {"step": "step"}) == "step.x"


def test_a_name_not_on_its_list_is_refused_naming_every_choice() -> None:
    assert chosen("visit", ("phone", "visit")) == "visit"
    with pytest.raises(ValueError, match=r"^choose from phone, visit$"):
        chosen("fax", ("phone", "visit"))
