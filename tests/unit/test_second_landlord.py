"""A second landlord adopts the service by writing its policy, not by changing code (issue 24):
the domain's properties and the policy-agnostic triage rules hold under Fenmoor Homes' document
(landlords/fenmoor.yaml: two categories, its own targets and a shorter questionnaire), each run
in a fresh interpreter, since asb.policy.config reads its document at import."""

from __future__ import annotations

import os
import subprocess
import sys

from asb.policy.document import checked
from infra.policy import LANDLORDS, ROOT, read_document

RUNS_LONG = True  # tests/conftest.py sends it out first
FENMOOR = LANDLORDS / "fenmoor.yaml"
# The triage rules that hold for any landlord's policy; the rest pin the seed landlord's numbers.
POLICY_AGNOSTIC_TRIAGE_RULES = (
    "test_a_report_stored_with_drugs_before_the_split_loads_and_is_still_category_a",
    "test_the_dpo_can_rectify_a_report_stored_with_drugs",
    "test_a_new_report_cannot_use_the_legacy_drugs_behaviour",
    "test_an_officers_answer_replaces_the_reports",
    "test_emergency_reasons_name_the_behaviour",
    "test_more_harm_never_lowers_the_score",
    "test_a_hate_incident_is_never_below_its_minimum_category",
    "test_targets_always_fall_on_a_working_day",
    "test_the_closed_case_a_case_follows_counts_towards_it",
    "test_a_complaint_is_made_within_the_calendar_month_beginning_with_the_behaviour",
    "test_a_complaint_counts_for_six_calendar_months_beginning_with_its_day",
    "test_a_local_threshold_above_the_acts_three_is_refused",
    "test_an_override_needs_a_reason_and_is_audited",
    "test_an_override_at_or_above_a_hate_incidents_category_stands",
    "test_emergency_legal_action_is_recorded_as_considered_or_not_with_a_reason",
)


def under_fenmoor(*pytest_args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASB_POLICY_FILE": str(FENMOOR)}
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0",
         *pytest_args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_fenmoor_is_a_different_landlord_with_two_categories() -> None:
    fenmoor = checked(read_document(FENMOOR))
    magna = checked(read_document(LANDLORDS / "magna.yaml"))
    assert list(fenmoor.categories) == ["A", "B"]
    assert fenmoor.categories["B"].first_response_working_days != \
        magna.categories["B"].first_response_working_days
    assert len(fenmoor.risk.questions) < len(magna.risk.questions)
    assert fenmoor.risk.bands != magna.risk.bands
    assert fenmoor.contact.phone != magna.contact.phone


def test_the_domain_properties_hold_under_the_second_landlord() -> None:
    ran = under_fenmoor("tests/unit/test_domain_properties.py")
    assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-2000:]
    assert " passed" in ran.stdout and "skipped" not in ran.stdout


def test_the_policy_agnostic_triage_rules_hold_under_the_second_landlord() -> None:
    tests = [f"tests/unit/test_triage_rules.py::{name}" for name in POLICY_AGNOSTIC_TRIAGE_RULES]
    ran = under_fenmoor(*tests)
    assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-2000:]
    assert f"{len(tests)} passed" in ran.stdout


def test_the_second_landlord_is_loaded_not_the_seed() -> None:
    """The runs above prove something only if the child really decides by Fenmoor's policy."""
    env = {**os.environ, "ASB_POLICY_FILE": str(FENMOOR)}
    code = ("from asb.policy.config import POLICY_VERSION, FIRST_RESPONSE_WORKING_DAYS as F;"
            "from asb.case.categorise import categorise;from asb.case.risk import assess;"
            "print(POLICY_VERSION, sorted(F), "
            "categorise(['children_and_young_people'], False, assess({})).category)")
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=60, check=True).stdout.split()
    assert shown == ["fenmoor-2026.1", "['A',", "'B']", "B"]  # C in the seed landlord's
