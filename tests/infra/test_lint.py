"""The code's own standards, checked with every test run: ruff on everything, mypy --strict on
the domain package, the handlers, the local runtime and the benches (what `make lint` runs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
BIN = Path(sys.executable).parent


def test_ruff_finds_nothing() -> None:
    done = subprocess.run([str(BIN / "ruff"), "check", "shared", "pdf", "functions", "infra",
                           "tests", "bench"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_domain_the_handlers_the_runtime_and_the_benches_pass_mypy_strict() -> None:
    # Each handler is functions/<name>/app.py: pyproject's [tool.mypy] (explicit package bases)
    # checks them as distinct modules, functions.<name>.app.
    done = subprocess.run([str(BIN / "mypy"), "--strict", "shared", "pdf", "functions", "infra",
                           "bench"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
