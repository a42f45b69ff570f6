"""The domestic abuse pathway (issue 23, item 3): a report that discloses domestic abuse takes it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from asb.case.pathways import may_be_joined, pathway_of
from asb.case.submission import ReportSubmission
from tests.conftest import sample_event


def submission(*behaviours: str) -> ReportSubmission:
    data: dict[str, Any] = json.loads(sample_event("intake-valid-json")["body"])
    data["incident"]["behaviours"] = list(behaviours)
    return ReportSubmission.model_validate(data)


@pytest.mark.parametrize(("behaviours", "pathway"), [
    (("domestic_abuse",), "domestic_abuse"),
    (("noise", "domestic_abuse"), "domestic_abuse"),  # a disclosure is never a neighbour dispute
    (("violence", "threats"), "asb"),
    (("noise", "verbal_abuse"), "asb"),
])
def test_a_report_disclosing_domestic_abuse_takes_its_pathway(
    behaviours: tuple[str, ...], pathway: str
) -> None:
    assert pathway_of(submission(*behaviours)) == pathway


@pytest.mark.parametrize(("first", "second", "joined"), [
    ("domestic_abuse", "asb", False),
    ("asb", "domestic_abuse", False),
    ("domestic_abuse", "good_neighbour", False),
    ("domestic_abuse", "domestic_abuse", True),
    ("asb", "asb", True),
])
def test_a_domestic_abuse_case_is_never_one_with_a_case_on_another_pathway(
    first: str, second: str, joined: bool
) -> None:
    assert may_be_joined(first, second) is joined  # type: ignore[arg-type]
