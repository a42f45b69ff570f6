"""`make check-policy FILE=...` (infra/check_policy.py, issue 24): a document with mistakes is
refused, each by its path, and nothing is decided; a right one shows what it decides for the
sample reports beside the current policy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from infra.local.template import ROOT
from infra.policy import LANDLORDS
from infra.policy_effect import effect, samples

FENMOOR = LANDLORDS / "fenmoor.yaml"


def check_policy(path: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "infra.check_policy", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


def test_the_make_target_runs_it() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "check-policy: $(STAMP)\n\t$(BIN)/python -m infra.check_policy \"$(FILE)\"" in makefile


def test_a_document_with_mistakes_is_refused_naming_each_path_and_nothing_is_decided(
        tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FENMOOR.read_text()
                   .replace("qualifying_complaints: 2", "qualifying_complaints: 4")
                   .replace("weight: 4", "weight: -4", 1))
    ran = check_policy(bad)
    assert ran.returncode == 1
    assert ran.stdout == ""  # no effect table: nothing was decided
    assert "risk.questions.being_targeted.weight: Input should be greater than or equal to 0" \
        in ran.stderr
    assert "case_review.qualifying_complaints: the ASB Case Review threshold must be 1 to 3" \
        in ran.stderr and "s104(4)" in ran.stderr


def test_a_category_without_a_target_and_an_unknown_behaviour_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FENMOOR.read_text()
                   .replace("  children_and_young_people:\n    label: Nuisance from children or "
                            "young people\n    category: B",
                            "  children_and_young_people:\n    label: Nuisance from children or "
                            "young people\n    category: C")
                   .replace("  - hate\n  - threats", "  - hate\n  - shouting"))
    ran = check_policy(bad)
    assert ran.returncode == 1
    assert "behaviours.children_and_young_people.category: category 'C' has no first-response " \
           "target" in ran.stderr
    assert "emergency.behaviours.2: unknown behaviour 'shouting'" in ran.stderr


def test_categories_are_the_services_codes_the_most_serious_first(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(FENMOOR.read_text().replace("\n  B:\n    label: 'Routine", "\n  D:\n    label: 'Routine"))
    ran = check_policy(bad)
    assert ran.returncode == 1
    assert "  categories: categories are A, B and C, the most serious first" in ran.stderr


def test_an_unreadable_or_broken_document_is_refused(tmp_path: Path) -> None:
    assert "cannot be read" in check_policy(tmp_path / "none.yaml").stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("categories: [\n")
    ran = check_policy(broken)
    assert ran.returncode == 1 and "not YAML or JSON" in ran.stderr


def test_a_right_document_shows_its_effect_beside_the_current_policy() -> None:
    ran = check_policy(FENMOOR.relative_to(ROOT))  # as the docs show it
    assert ran.returncode == 0, ran.stderr
    out = ran.stdout
    assert "Fenmoor Homes (a fictional second landlord), version fenmoor-2026.1: no mistakes." in out
    assert "beside the current policy (Magna Housing (the seed landlord), version magna-2026.1)" in out
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    # Children's nuisance: category C within 5 working days for the seed landlord; Fenmoor has
    # no C: its routine B, within 4.
    assert "C -> B" in rows["children-nuisance"]
    assert "2026-12-02 -> 2026-12-01" in rows["children-nuisance"]
    assert "B -> A" in rows["verbal-abuse"]  # urgent for Fenmoor
    assert "standard (5) -> standard (2)" in rows["verbal-abuse"]  # its own weights
    assert "A  " in rows["threats"] and "yes" in rows["threats"]  # the same: an emergency, A
    assert "(follow-up)" in rows["events/intake-good-neighbour-json"]
    assert "of 11 sample reports decided differently" in out
    docs = (ROOT / "docs" / "policy" / "README.md").read_text()
    assert out in docs, "docs/policy/README.md shows make check-policy's table for Fenmoor: renew it"


def test_the_current_policy_beside_itself_changes_nothing() -> None:
    ran = check_policy(LANDLORDS / "magna.yaml")
    assert ran.returncode == 0, ran.stderr
    table = ran.stdout.split("Sample report", 1)[1]
    assert "->" not in table
    assert "0 of 11 sample reports decided differently" in ran.stdout


def test_the_samples_are_the_intake_events_carrying_a_report_and_its_own() -> None:
    names = [s.name for s in samples()]
    assert names[:4] == ["events/intake-anonymous-json", "events/intake-form-encoded",
                         "events/intake-good-neighbour-json", "events/intake-valid-json"]
    assert {"hate-incident", "self-harm", "household-noise", "threats"} <= set(names)


def test_each_sample_is_decided_by_the_real_triage_under_the_seed_policy() -> None:
    decided = {s.name: effect(s) for s in samples()}
    assert decided["events/intake-valid-json"] == {
        "pathway": "asb", "category": "B", "risk": "standard (6)", "emergency": False,
        "first_contact_due": "2026-11-30"}  # 3 working days from Wednesday 25 November
    assert decided["household-noise"]["pathway"] == "good_neighbour"
    assert decided["hate-incident"]["category"] == "A"  # a hate incident is A, however flagged
    assert decided["self-harm"]["risk"].startswith("high") and decided["self-harm"]["emergency"]
