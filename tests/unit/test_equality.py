"""Equality monitoring in aggregate: no group under 5 is shown, nor one the total would give away."""

from __future__ import annotations

from asb.reporting.equality import HIDDEN, aggregate


def test_small_groups_are_hidden_and_so_is_one_that_would_give_them_away() -> None:
    rows = [{"sex": "female"}] * 7 + [{"sex": "male"}] * 6 + [{"sex": "prefer not to say"}] * 2
    sexes = aggregate(rows)["characteristics"]["sex"]
    assert sexes["prefer not to say"] == HIDDEN
    assert sexes["male"] == HIDDEN  # else 15 - 7 - 6 would show the 2
    assert sexes["female"] == 7
    assert aggregate(rows)["respondents"] == 15


def test_fewer_than_five_respondents_shows_nothing_countable() -> None:
    result = aggregate([{"disabled": "yes"}] * 3)
    assert result["respondents"] == HIDDEN
    assert set(result["characteristics"]["disabled"].values()) == {HIDDEN}
    assert aggregate([]) == {"respondents": 0, "characteristics": {
        name: {} for name in aggregate([])["characteristics"]}}
