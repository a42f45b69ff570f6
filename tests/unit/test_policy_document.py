"""The landlord's policy document: refused, with every mistake named by its path, when it is not
one the service can run by or when it would weaken the law (issue 24, item 1)."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import jsonschema
import pytest

import asb.policy.config as config
from asb.policy.document import Mistake, PolicyRefused, checked, compiled, json_schema


def seed() -> dict[str, Any]:
    """The seed landlord's document, as the layer ships it."""
    document: dict[str, Any] = json.loads(
        resources.files("asb.policy").joinpath("landlords/magna.json").read_text())
    return copy.deepcopy(document)


def mistakes(document: dict[str, Any]) -> list[str]:
    with pytest.raises(PolicyRefused) as refused:
        checked(document)
    return [str(m) for m in refused.value.mistakes]


def test_the_seed_landlords_document_is_accepted_as_it_is() -> None:
    policy = checked(seed())
    assert policy.version == config.POLICY_VERSION == "magna-2026.1"
    assert compiled(seed()) == seed()


def test_an_unknown_behaviour_is_refused_where_it_is_named() -> None:
    document = seed()
    document["emergency"]["behaviours"].append("shouting")
    document["good_neighbour"]["behaviours"] = ["household_noise", "barking"]
    assert mistakes(document) == [
        "emergency.behaviours.3: unknown behaviour 'shouting'",
        "good_neighbour.behaviours.1: unknown behaviour 'barking'"]


def test_a_category_without_a_target_is_refused_at_each_behaviour_in_it() -> None:
    document = seed()
    document["behaviours"]["noise"]["category"] = "D"
    del document["categories"]["C"]
    found = mistakes(document)
    assert "behaviours.noise.category: category 'D' has no first-response target " \
           "(categories defines A, B)" in found
    assert "behaviours.pets_and_animals.category: category 'C' has no first-response target " \
           "(categories defines A, B)" in found
    assert "risk.minimum_category.standard: category 'C' has no first-response target " \
           "(categories defines A, B)" in found


def test_a_category_needs_its_first_response_target() -> None:
    document = seed()
    del document["categories"]["B"]["first_response_working_days"]
    assert mistakes(document) == ["categories.B.first_response_working_days: Field required"]


@pytest.mark.parametrize("complaints", [4, 0])
def test_a_case_review_threshold_outside_the_acts_is_refused_naming_the_law(complaints: int) -> None:
    document = seed()
    document["case_review"]["qualifying_complaints"] = complaints
    [found] = mistakes(document)
    assert found.startswith("case_review.qualifying_complaints: the ASB Case Review "
                            "threshold must be 1 to 3 qualifying complaints")
    assert "ASBCPA 2014 s104(4)" in found and f"not {complaints}" in found


def test_a_lower_case_review_threshold_is_the_landlords_to_set() -> None:
    document = seed()
    document["case_review"]["qualifying_complaints"] = 2
    assert checked(document).case_review.qualifying_complaints == 2


def test_a_negative_weight_is_refused() -> None:
    document = seed()
    document["risk"]["questions"]["fear"]["weight"] = -3
    assert mistakes(document) == [
        "risk.questions.fear.weight: Input should be greater than or equal to 0"]


def test_retention_below_the_limitation_period_is_refused_naming_the_act() -> None:
    document = seed()
    document["retention"]["closed_case_years"] = 5
    [found] = mistakes(document)
    assert found.startswith("retention.closed_case_years: a closed case is kept "
                            "at least 6 years (Limitation Act 1980")


def test_a_power_the_act_gives_others_cannot_be_made_the_landlords() -> None:
    document = seed()
    document["tools"]["closure_order"]["held_by"] = "landlord"
    document["tools"]["respect_order"]["held_by"] = "police_or_council"
    assert mistakes(document) == [
        "tools.closure_order.held_by: the Act gives this power to police_or_council, not landlord "
        "(ASBCPA 2014 s22, s43, s53, s76, s80)",
        "tools.respect_order.ask_of: a power the landlord does not hold names the partner kinds "
        "it is asked of"]


def test_unknown_settings_misspelt_names_and_missing_cadences_are_refused() -> None:
    document = seed()
    document["risk"]["bands"]["hihg"] = 15
    del document["cadence"]["contact_every_working_days"]["medium"]
    document["risk"]["high_whatever_the_score"] = ["self_harm"]
    assert mistakes(document) == ["risk.bands.hihg: Extra inputs are not permitted"]
    del document["risk"]["bands"]["hihg"]
    assert mistakes(document) == [
        "risk.high_whatever_the_score.0: unknown risk question 'self_harm'",
        "cadence.contact_every_working_days.medium: no contact cadence for medium risk"]


def test_a_mistake_with_no_path_is_its_message() -> None:
    assert str(Mistake("", "not a mapping")) == "not a mapping"
    assert mistakes({})[:2] == ["landlord: Field required", "version: Field required"]


def test_the_published_schema_refuses_what_the_model_refuses() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(seed()))
    for path, value in ((("case_review", "qualifying_complaints"), 4),
                        (("risk", "questions", "fear", "weight"), -1),
                        (("retention", "closed_case_years"), 5)):
        document = seed()
        *parents, leaf = path
        part = document
        for name in parents:
            part = part[name]
        part[leaf] = value
        [error] = validator.iter_errors(document)
        assert tuple(error.absolute_path) == path
