"""`make check-policy FILE=...`: is a landlord's policy document right, and what would it change?

First the document is checked (the schema's model and the rules naming the law,
asb.policy.document): each mistake is printed by its path and the check stops there, exit 1.
Then its effect: the pathway, category, risk, emergency and first-contact due date it gives each
sample report (infra/policy_effect.py), beside what the current, packaged policy gives. Each
side is decided in its own interpreter with ASB_POLICY_FILE set or not, since asb.policy.config
reads its document once, at import (docs/policy/README.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

from asb.policy.document import PolicyRefused, checked
from infra.local.template import ROOT
from infra.policy import read_document

COLUMNS = ("category", "risk", "emergency", "first_contact_due")
HEADINGS = ("Sample report", "Category", "Risk (score)", "Emergency", "First contact due")


def mistakes_in(path: Path) -> list[str]:
    """Each mistake of the document at `path`, by its path in the document; none if it is right."""
    try:
        checked(read_document(path))
    except OSError as unreadable:
        return [f"{path}: cannot be read ({unreadable.strerror})"]
    except yaml.YAMLError as unparsed:
        return [f"{path}: not YAML or JSON ({unparsed})".replace("\n", " ")]
    except PolicyRefused as refused:
        return [str(mistake) for mistake in refused.mistakes]
    return []


def effect_of(policy: Path | None) -> dict[str, Any]:
    """What infra.policy_effect decides under `policy` (None: the current, packaged one)."""
    env = {k: v for k, v in os.environ.items() if k != "ASB_POLICY_FILE"}
    if policy is not None:
        env["ASB_POLICY_FILE"] = str(policy.resolve())
    ran = subprocess.run([sys.executable, "-m", "infra.policy_effect"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300, check=False)
    if ran.returncode:
        raise RuntimeError(f"deciding the samples failed:\n{ran.stderr}")
    decided: dict[str, Any] = json.loads(ran.stdout)
    return decided


def _shown(decided: dict[str, Any], column: str) -> str:
    if "refused" in decided:
        return "refused"
    value = decided[column]
    if column == "category" and value is None:
        return "none (good neighbour)" if decided["pathway"] == "good_neighbour" else "none"
    if column == "emergency":
        return "yes" if value else "no"
    if column == "first_contact_due" and decided["pathway"] == "good_neighbour":
        return f"{value} (follow-up)"  # no first contact: the advice pack and mediation offer
    return "-" if value is None else str(value)


def _beside(current: dict[str, Any], given: dict[str, Any], column: str) -> str:
    before, after = _shown(current, column), _shown(given, column)
    return after if before == after else f"{before} -> {after}"


def table(current: dict[str, Any], given: dict[str, Any]) -> list[str]:
    """One row a sample: each cell the given policy's decision, `current -> given` where they differ."""
    now = {s["name"]: s for s in current["samples"]}
    rows = [HEADINGS]
    changed = 0
    for sample in given["samples"]:
        before = now.get(sample["name"], {"refused": ""})
        cells = tuple(_beside(before, sample, column) for column in COLUMNS)
        changed += any("->" in cell for cell in cells)
        rows.append((sample["name"], *cells))
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    refused = [f"  {s['name']}: refused under this policy: {s['refused']}"
               for s in given["samples"] if "refused" in s]
    return [*lines, "", f"{changed} of {len(given['samples'])} sample reports decided differently "
                        f"from the current policy.", *refused]


def report(path: Path) -> list[str]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        given_run, current_run = pool.submit(effect_of, path), pool.submit(effect_of, None)
        given, current = given_run.result(), current_run.result()
    return [f"{path}: {given['landlord']}, version {given['version']}: no mistakes.",
            "",
            f"Its effect beside the current policy ({current['landlord']}, version "
            f"{current['version']}), each sample report opened and triaged at {given['now']} "
            f"(a fixed clock); a cell reads current -> {given['version']} where they differ.",
            "",
            *table(current, given)]


def print_refusal(headline: str, mistakes: list[str]) -> None:
    """A refused document's headline and each mistake by its path, on stderr."""
    print(headline, file=sys.stderr)
    for mistake in mistakes:
        print(f"  {mistake}", file=sys.stderr)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0]:
        print("usage: make check-policy FILE=path/to/policy.yaml", file=sys.stderr)
        return 2
    path = Path(argv[0])
    mistakes = mistakes_in(path)
    if mistakes:
        print_refusal(f"{path}: refused, {len(mistakes)} mistake(s):", mistakes)
        return 1
    print("\n".join(report(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
