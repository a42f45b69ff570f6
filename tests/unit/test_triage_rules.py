"""Triage's decisions as plain functions: risk with reasons, category, emergency, targets,
the ASB Case Review threshold and the staff override."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import asb.policy.config
from asb.case.categorise import CATEGORIES, categorise, emergency
from asb.case.change import CaseFolder
from asb.case.models import Case, CaseStatus
from asb.case.risk import answers_from_report, assess
from asb.case.targets import emergency_consideration_due, targets_for
from asb.intake.service import new_report, open_case, parse_submission
from asb.kernel.errors import InvalidOverride
from asb.policy.config import (
    BEHAVIOURS,
    CASE_REVIEW_QUALIFYING_COMPLAINTS,
    HATE_INCIDENT_MINIMUM_CATEGORY,
    RISK_QUESTIONS,
    case_review_threshold,
)
from asb.policy.working_days import add_working_days, is_working_day
from asb.triage.case_review_threshold import Complaint, counts_on, qualifies, threshold
from asb.triage.service import decide, override
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
    # The landlord's table: drug dealing is A; drug, solvent or alcohol use in shared areas B.
    (["drug_dealing"], {}, True, ("A", "standard", False)),
    (["drug_use"], {}, True, ("B", "standard", False)),
    (["drug_use", "communal_areas"], {}, False, ("B", "standard", False)),
    (["domestic_abuse"], {}, False, ("A", "standard", False)),
    (["violence"], {}, False, ("A", "standard", True)),
    (["harassment"], {}, False, ("A", "standard", True)),
    (["threats"], {"feels_unsafe": True}, True, ("A", "medium", True)),
    (["noise"], {"threats_or_violence": True}, False, ("B", "standard", True)),
    # Any hate incident is A, however it was flagged: the behaviour, or only the "targeted
    # because of who you are" answer.
    (["children_and_young_people"], {"targeted_for_identity": ["race"]}, False,
     ("A", "standard", False)),
    (["noise"], {"targeted_for_identity": ["disability"]}, False, ("A", "standard", False)),
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


class NothingSealed:
    def seal(self, plain: bytes, context: dict[str, str]) -> bytes:
        raise AssertionError("nothing is sealed here")

    def unseal(self, sealed: bytes, context: dict[str, str]) -> bytes:
        raise AssertionError("nothing is sealed here")


def test_a_report_stored_with_drugs_before_the_split_loads_and_is_still_category_a() -> None:
    from asb.dynamo.report_items import report_from_item
    from asb.web.journey_pages import render_journey
    from asb.web.report_journey import JourneyPage

    assert "drugs" not in BEHAVIOURS and {"drug_dealing", "drug_use"} <= set(BEHAVIOURS)
    asked = render_journey(JourneyPage("what", {}))  # the form's page of behaviours
    assert 'value="drugs"' not in asked and 'value="drug_use"' in asked
    stored = new_report(report(["drug_dealing"]), "ASB-2025-000001", "api", NOW, "r1")
    item = stored.model_dump(mode="json")
    item["submission"]["incident"]["behaviours"] = ["drugs", "noise"]
    loaded = report_from_item(item, NothingSealed())  # as the store reads it
    assert loaded.submission.incident.behaviours == ["drugs", "noise"]
    assert triage_of(loaded.submission) == ("A", "standard", False)


def test_the_dpo_can_rectify_a_report_stored_with_drugs() -> None:
    from asb.case.change import CaseFolder
    from asb.data_protection.rights import RectificationIn, rectify
    from asb.dynamo.report_items import report_from_item
    from asb.kernel.staff import StaffMember

    report_id = "0b7e5a4c-1d2f-4e3a-9b8c-7d6e5f4a3b21"
    item = new_report(report(["drug_dealing"]), "ASB-2026-000001", "api", NOW,
                      report_id).model_dump(mode="json")
    item["submission"]["incident"]["behaviours"] = ["drugs"]
    stored = report_from_item(item, NothingSealed())
    opened = open_case(stored.submission, "ASB-2026-000001", "api", NOW, lambda: "x")
    change = rectify(CaseFolder(opened.case, [stored]), RectificationIn(
        report_id=report_id, person="reporter", field="name", value="Alex Morgan-Reid",
        reason="The reporter asked us to correct the spelling."),
        StaffMember("d.price", frozenset({"dpo"}), ""), NOW)
    (corrected,) = change.reports
    assert corrected.submission.incident.behaviours == ["drugs"]


def test_a_new_report_cannot_use_the_legacy_drugs_behaviour() -> None:
    from asb.kernel.errors import InvalidReport

    with pytest.raises(InvalidReport) as refused:
        report(["drugs", "noise"])
    assert [e.field for e in refused.value.errors] == ["incident.behaviours"]


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


def test_category_reasons_name_behaviours_in_the_published_words_not_stored_names() -> None:
    reasons = categorise(["noise", "verbal_abuse"], False, assess({})).reasons
    assert reasons[0] == "behaviours (loud noise, verbal abuse or insults) are category B"


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
def test_a_hate_incident_is_never_below_its_minimum_category(behaviours: list[str],
                                                              answers: dict[str, bool]) -> None:
    category = categorise(behaviours, True, assess(answers)).category
    assert CATEGORIES.index(category) <= CATEGORIES.index(HATE_INCIDENT_MINIMUM_CATEGORY)


@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31),
                    timezones=st.just(UTC)),
       st.sampled_from(CATEGORIES), st.sampled_from(["standard", "medium", "high"]))
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


APPLIED_ON = date(2026, 11, 25)  # NOW's day in England


def complaint(days_ago: int, gap: int = 2, behaviours: tuple[str, ...] = ("harassment",),
              hate: bool = False) -> Complaint:
    received = NOW - timedelta(days=days_ago)
    return Complaint(received, (received - timedelta(days=gap)).date(), behaviours, hate)


def made_on(day: date, incident_on: date | None = None,
            behaviours: tuple[str, ...] = ("threats",)) -> Complaint:
    return Complaint(datetime.combine(day, time(12), UTC), incident_on or day, behaviours)


def test_three_qualifying_complaints_about_the_behaviour_meet_the_threshold() -> None:
    three = [complaint(100), complaint(40), complaint(0)]
    decision = threshold(three, APPLIED_ON)
    assert decision.met and decision.qualifying_complaints == 3
    assert decision.reasons == ("3 qualifying complaints about this behaviour in the 6 months "
                                "before Wednesday 25 November 2026",)
    stale = [complaint(200), complaint(40), complaint(0)]  # one is older than 6 months
    assert not threshold(stale, APPLIED_ON).met
    late = [complaint(100, gap=45), complaint(40), complaint(0)]  # made over a month after
    assert not threshold(late, APPLIED_ON).met


def test_three_people_complaining_once_each_about_a_cases_behaviour_meet_the_threshold() -> None:
    """s104(4): complaints by anyone about the behaviour, not three by one person."""
    data = json.loads(sample_event("intake-valid-json")["body"])
    data["incident"].update(behaviours=["harassment"], first_occurred=None,
                            last_occurred="2026-11-20")
    reports = []
    for n, email in enumerate(["a@example.org", "b@example.org", "c@example.org"]):
        data["reporter"]["email"] = email
        received = NOW - timedelta(days=3 - n)
        reports.append(new_report(parse_submission(data, received), "ASB-2026-000001", "api",
                                  received, f"r{n}"))
    assert len({r.reporter_key for r in reports}) == 3
    opened = open_case(parse_submission(data, NOW), "ASB-2026-000001", "api", NOW, lambda: "x")
    assert decide(CaseFolder(opened.case, reports[:2]), [], NOW).case_review.qualifying_complaints == 2
    assert not decide(CaseFolder(opened.case, reports[:2]), [], NOW).case_review.met
    assert decide(CaseFolder(opened.case, reports), [], NOW).case_review.met


def test_the_closed_case_a_case_follows_counts_towards_it() -> None:
    data = json.loads(sample_event("intake-valid-json")["body"])
    data["incident"].update(behaviours=["intimidation"], first_occurred=None,
                            last_occurred="2026-11-24")
    opened = open_case(parse_submission(data, NOW), "ASB-2026-000002", "api", NOW, lambda: "x",
                       linked_to="ASB-2026-000001")
    file = CaseFolder(opened.case, [opened.report])
    assert not decide(file, [], NOW).case_review.met
    assert decide(file, [complaint(60, behaviours=("threats",)), complaint(30)], NOW).case_review.met


def test_a_nuisance_only_complaint_does_not_count() -> None:
    """s105: for the review, only behaviour causing harassment, alarm or distress qualifies."""
    noise = [complaint(n, behaviours=("noise",)) for n in (50, 20, 0)]
    assert threshold(noise, APPLIED_ON).qualifying_complaints == 0
    nuisances = ("noise", "drug_use", "communal_areas", "rubbish_and_fly_tipping", "vehicles",
                 "pets_and_animals", "children_and_young_people", "alcohol")
    assert not any(qualifies(complaint(0, behaviours=(b,))) for b in nuisances)
    mixed = [*noise[:2], complaint(5, behaviours=("noise", "verbal_abuse")), complaint(1)]
    assert threshold(mixed, APPLIED_ON).qualifying_complaints == 2
    assert not threshold(mixed, APPLIED_ON).met
    assert qualifies(complaint(0, behaviours=("noise",), hate=True))  # a hate incident is distress


def test_a_complaint_is_made_within_the_calendar_month_beginning_with_the_behaviour() -> None:
    """Behaviour on 31 January: the month beginning with it ends on the last day of February
    (there is no 31 February), not 31 days later on 3 March."""
    behaviour = date(2026, 1, 31)
    assert qualifies(made_on(date(2026, 1, 31), behaviour))
    assert qualifies(made_on(date(2026, 2, 28), behaviour))
    assert not qualifies(made_on(date(2026, 3, 1), behaviour))
    assert not qualifies(made_on(date(2026, 3, 3), behaviour))
    assert qualifies(made_on(date(2028, 2, 29), date(2028, 1, 31)))  # a leap year
    assert qualifies(made_on(date(2026, 3, 31), date(2026, 3, 1)))
    assert not qualifies(made_on(date(2026, 4, 1), date(2026, 3, 1)))


def test_a_complaint_counts_for_six_calendar_months_beginning_with_its_day() -> None:
    """An application on 30 March: a complaint exactly six calendar months before (30 September)
    is outside the six months beginning with it (30 September to 29 March); 1 October counts.
    183 days would have counted 28 and 29 September too."""
    applied_on = date(2026, 3, 30)
    exactly_six_months = made_on(date(2025, 9, 30))
    assert not counts_on(exactly_six_months, applied_on)
    assert counts_on(made_on(date(2025, 10, 1)), applied_on)
    assert counts_on(made_on(date(2025, 9, 30)), date(2026, 3, 29))
    complaints = [made_on(date(2025, 9, 30)), made_on(date(2026, 1, 5)), made_on(applied_on)]
    assert threshold(complaints, applied_on).qualifying_complaints == 2
    later = [made_on(date(2025, 10, 1)), *complaints[1:]]
    assert threshold(later, applied_on).met


def test_a_local_threshold_above_the_acts_three_is_refused(tmp_path: Path) -> None:
    assert CASE_REVIEW_QUALIFYING_COMPLAINTS <= 3
    assert case_review_threshold(2) == 2
    with pytest.raises(ValueError, match="1 to 3"):
        case_review_threshold(4)
    # Set in the landlord's policy, a higher threshold stops the domain package loading at all.
    seed = json.loads((Path(asb.policy.config.__file__).parent / "landlords" / "magna.json")
                      .read_text())
    seed["case_review"]["qualifying_complaints"] = 5
    higher = tmp_path / "higher.json"
    higher.write_text(json.dumps(seed))
    loaded = subprocess.run([sys.executable, "-c", "import asb.policy.config"], text=True,
                            capture_output=True, env={**os.environ, "ASB_POLICY_FILE": str(higher)})
    assert loaded.returncode != 0
    assert "case_review.qualifying_complaints" in loaded.stderr
    assert "s104(4)" in loaded.stderr and "not 5" in loaded.stderr


def test_a_single_hate_incident_meets_the_threshold_here() -> None:
    hate = complaint(0, hate=True)
    assert threshold([hate], APPLIED_ON).reasons == (
        "a qualifying complaint of a hate incident in the 6 months before "
        "Wednesday 25 November 2026",)
    assert not threshold([complaint(0, gap=40, hate=True)], APPLIED_ON).met  # made too late


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


def overridden_to(value: str, behaviours: list[str], **harm: Any) -> CaseFolder:
    """A case opened from one report, its category set by an officer to `value`."""
    opened = open_case(report(behaviours, **harm), "ASB-2026-000001", "api", NOW, lambda: "x")
    first = new_report(report(behaviours, **harm), "ASB-2026-000001", "api", NOW, "r1")
    case = opened.case.model_copy(update={"category": value, "category_override": {
        "value": value, "reason": "Minor, on the evidence.", "by": "staff:o.hughes"}})
    return CaseFolder(case, [first])


def test_a_later_report_of_a_hate_incident_sets_aside_an_override_below_category_a() -> None:
    from asb.triage.service import triaged_case

    file = overridden_to("C", ["children_and_young_people"])
    assert decide(file, [], NOW).category.category == "C"  # the override stands until then
    later = new_report(report(["children_and_young_people"], targeted_for_identity=["race"]),
                       "ASB-2026-000001", "api", NOW, "r2")
    with_hate = CaseFolder(file.case, [*file.reports, later])
    decision = decide(with_hate, [], NOW)
    assert decision.category.category == "A"
    assert decision.category.reasons[-1] == (
        "the override to category C by staff:o.hughes gives way: a hate incident is at least "
        "category A")
    after = triaged_case(with_hate, later, decision, NOW)
    assert (after.category, after.category_override) == ("A", None)


def test_an_override_at_or_above_a_hate_incidents_category_stands() -> None:
    decision = decide(overridden_to("A", ["noise"], targeted_for_identity=["race"]), [], NOW)
    assert decision.category.reasons == ("set by staff:o.hughes: Minor, on the evidence.",)


def test_a_hate_incident_cannot_be_overridden_below_category_a() -> None:
    hate = case().model_copy(update={"hate_incident": True, "category": "A"})
    with pytest.raises(InvalidOverride, match="hate incident"):
        override(hate, "category", "B", "Only a one-off, on the evidence.", "o.hughes", NOW)
    assert override(case(), "category", "C", "Only a one-off, on the evidence.", "o.hughes",
                    NOW)[0].category == "C"


def test_a_reassessment_of_a_hate_case_sets_aside_an_override_below_category_a() -> None:
    from asb.case.change import CaseFolder
    from asb.casework.commands import reassess_risk
    from asb.casework.models import RiskReassessmentIn
    from asb.kernel.staff import StaffMember

    file = overridden_to("C", ["noise"], targeted_for_identity=["disability"])
    assert file.case.hate_incident  # already marked: no new finding at the re-assessment
    change = reassess_risk(CaseFolder(file.case, file.reports),
                           RiskReassessmentIn(answers={"fear": False}),
                           StaffMember("o.hughes", frozenset({"officer"}), "yeovil"), NOW)
    assert (change.case.category, change.case.category_override) == ("A", None)
    assert "gives way" in change.case.category_reasons[-1]
    assert change.audit.after is not None and change.audit.after["category_override"] is None


def test_emergency_legal_action_is_recorded_as_considered_or_not_with_a_reason() -> None:
    from asb.triage.service import record_legal_consideration

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
