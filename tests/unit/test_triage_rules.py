"""Triage's decisions as plain functions: risk with reasons, category, emergency, targets,
the ASB Case Review threshold and the staff override."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asb.case_review import Complaint, threshold
from asb.categorise import categorise, emergency
from asb.config import RISK_QUESTIONS
from asb.intake import parse_submission
from asb.models.case import Case, CaseStatus
from asb.risk import answers_from_report, assess
from asb.targets import emergency_consideration_due, targets_for
from asb.triage import InvalidOverride, override
from asb.working_days import add_working_days, is_working_day
from tests.conftest import sample_event

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # a Wednesday


def report(behaviours: list[str], anonymous: bool = False, **harm: Any) -> Any:
    data = json.loads(sample_event("intake-valid-json")["body"])
    data["incident"]["behaviours"] = behaviours
    data["harm"] = harm
    if anonymous:
        data.pop("reporter")
    return parse_submission(data, NOW)


def triage_of(submission: Any) -> tuple[str, str, bool]:
    answers = answers_from_report(submission)
    risk = assess(answers)
    category = categorise(submission.incident.behaviours, submission.is_hate_incident, risk)
    urgent = emergency(submission.incident.behaviours, answers.get("threats_or_violence"), risk)
    return category.category, risk.level, urgent.emergency


EXAMPLES = [
    # behaviours, harm answers, anonymous -> category, risk, emergency
    (["noise"], {}, False, ("B", "standard", False)),
    (["noise", "verbal_abuse"], {"affects_health": True, "happened_before": True}, False,
     ("B", "standard", False)),
    (["children_and_young_people"], {}, False, ("C", "standard", False)),
    (["pets_and_animals", "vehicles"], {}, False, ("C", "standard", False)),
    (["vandalism"], {}, False, ("B", "standard", False)),
    (["drugs"], {}, True, ("A", "standard", False)),
    (["domestic_abuse"], {}, False, ("A", "standard", False)),
    (["violence"], {}, False, ("A", "standard", True)),
    (["harassment"], {}, False, ("A", "standard", True)),
    (["threats"], {"feels_unsafe": True}, True, ("A", "medium", True)),
    (["noise"], {"threats_or_violence": True}, False, ("B", "standard", True)),
    # A hate incident is never C, even when the behaviour alone would be.
    (["children_and_young_people"], {"targeted_for_identity": ["race"]}, False,
     ("B", "standard", False)),
    (["hate"], {}, False, ("A", "standard", False)),
    # Enough harm makes it high risk: category A and an emergency.
    (["noise"], {"feels_unsafe": True, "affects_health": True, "vulnerable_household": True,
                 "happened_before": True, "lives_alone_or_isolated": True,
                 "affects_daily_life": True}, False, ("A", "high", True)),
    (["communal_areas"], {"feels_unsafe": True, "affects_health": True,
                          "children_affected": True}, False, ("B", "medium", False)),
]


@pytest.mark.parametrize(("behaviours", "harm", "anonymous", "expected"), EXAMPLES)
def test_the_references_examples(behaviours: list[str], harm: dict[str, Any], anonymous: bool,
                                 expected: tuple[str, str, bool]) -> None:
    assert triage_of(report(behaviours, anonymous, **harm)) == expected


def test_every_score_says_which_answers_raised_it() -> None:
    risk = assess(answers_from_report(report(["violence"], feels_unsafe=True)))
    assert [(r.question, r.points, r.source) for r in risk.reasons] == [
        ("threats_or_violence", 5, "report"), ("fear", 3, "report")]
    assert risk.score == 8 and risk.level == "medium"


def test_an_officers_answer_replaces_the_reports() -> None:
    answers = answers_from_report(report(["noise"], feels_unsafe=True))
    risk = assess(answers, {"fear": False, "self_harm_risk": True})
    assert [(r.question, r.source) for r in risk.reasons] == [("self_harm_risk", "officer")]


def test_emergency_reasons_name_the_behaviour() -> None:
    risk = assess({})
    assert emergency(["harassment", "noise"], None, risk).reasons == ("harassment reported",)


questions = st.sampled_from(sorted(RISK_QUESTIONS))


@given(st.dictionaries(questions, st.booleans()), questions)
def test_more_harm_never_lowers_the_score(answers: dict[str, bool], extra: str) -> None:
    worse = {**answers, extra: True}
    assert assess(worse).score >= assess(answers).score
    order = ["standard", "medium", "high"]
    assert order.index(assess(worse).level) >= order.index(assess(answers).level)


behaviour_lists = st.lists(st.sampled_from(["noise", "children_and_young_people", "other",
                                            "vehicles", "pets_and_animals", "vandalism"]),
                           min_size=1, unique=True)


@given(behaviour_lists, st.dictionaries(questions, st.booleans()))
def test_a_hate_incident_is_never_category_c(behaviours: list[str],
                                              answers: dict[str, bool]) -> None:
    assert categorise(behaviours, True, assess(answers)).category != "C"


@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31),
                    timezones=st.just(UTC)),
       st.sampled_from(["A", "B", "C"]), st.sampled_from(["standard", "medium", "high"]))
def test_targets_always_fall_on_a_working_day(opened: datetime, category: Any, risk: Any) -> None:
    targets = targets_for(category, risk, opened)
    for day in (targets.first_contact_due, targets.next_contact_due, targets.review_due):
        assert is_working_day(day)
    assert targets.first_contact_due > opened.date() - timedelta(days=1)


def test_working_days_skip_weekends_and_bank_holidays() -> None:
    # Christmas 2026: Friday 25th, Boxing Day on Saturday, observed on Monday 28th.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday -> Monday
    assert targets_for("A", "high", NOW).first_contact_due == date(2026, 11, 26)
    assert targets_for("C", "standard", NOW).first_contact_due == date(2026, 12, 2)


def test_high_risk_is_contacted_every_5_working_days_and_reviewed_in_14_days() -> None:
    high = targets_for("A", "high", NOW)
    assert high.next_contact_due == add_working_days(high.first_contact_due, 5)
    assert high.review_due == date(2026, 12, 9)
    assert targets_for("B", "standard", NOW).review_due == date(2026, 12, 23)


def test_emergency_legal_consideration_is_due_the_same_day() -> None:
    assert emergency_consideration_due(NOW) == datetime(2026, 11, 25, 17, 0, tzinfo=UTC)
    late = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)
    assert emergency_consideration_due(late).date() == date(2026, 11, 25)


def complaint(days_ago: int, gap: int = 2, who: str | None = "me",
              hate: bool = False) -> Complaint:
    received = NOW - timedelta(days=days_ago)
    return Complaint(who, received, (received - timedelta(days=gap)).date(), hate)


def test_three_qualifying_complaints_by_one_person_meet_the_threshold() -> None:
    mine = [complaint(100), complaint(40), complaint(0)]
    assert threshold(mine, mine, mine[-1], NOW).met
    stale = [complaint(200), complaint(40), complaint(0)]  # one is older than 6 months
    assert not threshold(stale, stale, stale[-1], NOW).met
    late = [complaint(100, gap=45), complaint(40), complaint(0)]  # made over a month after
    assert not threshold(late, late, late[-1], NOW).met


def test_five_different_people_about_one_place_meet_the_threshold() -> None:
    nearby = [complaint(10 * n, who=f"person-{n}") for n in range(5)]
    decision = threshold([nearby[0]], nearby, nearby[0], NOW)
    assert decision.met and decision.people_at_location == 5
    assert not threshold([nearby[0]], nearby[:4], nearby[0], NOW).met


def test_a_single_hate_incident_meets_the_threshold_here() -> None:
    hate = complaint(0, hate=True)
    assert threshold([hate], [hate], hate, NOW).reasons == ("a hate incident",)


def case() -> Case:
    return Case(reference="ASB-2026-000001", status=CaseStatus.TRIAGED, opened_at=NOW,
                updated_at=NOW, anonymous=False, behaviours=["noise"], hate_incident=False,
                location_address="1 High St", category="B", version=2,
                risk={"score": 3, "level": "standard", "reasons": []})


def test_an_override_needs_a_reason_and_is_audited() -> None:
    with pytest.raises(InvalidOverride):
        override(case(), "category", "A", " ", "o.hughes", NOW)
    with pytest.raises(InvalidOverride):
        override(case(), "category", "D", "A good reason for it.", "o.hughes", NOW)
    updated, audit = override(case(), "risk", "high", "Victim disclosed a new threat today.",
                              "o.hughes", NOW)
    assert updated.risk and updated.risk["level"] == "high" and updated.version == 3
    assert updated.risk_override and updated.risk_override["by"] == "o.hughes"
    assert (audit.action, audit.before, audit.after["risk"]) == ("RiskOverridden",
                                                                 {"risk": "standard"}, "high")


def test_emergency_legal_action_is_recorded_as_considered_or_not_with_a_reason() -> None:
    from asb.triage import record_legal_consideration

    emergency_case = case().model_copy(update={"emergency": True})
    decision, audit = record_legal_consideration(
        emergency_case, False, "Police have arrested the perpetrator; no injunction needed now.",
        "m.jones", NOW)
    assert (decision.considered, decision.by) == (False, "m.jones")
    assert audit.action == "EmergencyLegalActionConsidered"
    with pytest.raises(InvalidOverride):
        record_legal_consideration(emergency_case, True, "", "m.jones", NOW)
    with pytest.raises(InvalidOverride):
        record_legal_consideration(case(), True, "Considered at the morning meeting.", "m.jones",
                                   NOW)
