"""The dependency rule (docs/architecture.md), written as import-linter contracts in
pyproject.toml and run here: an import that breaks it fails this test, naming the import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(shared: Path, config: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports as `make lint` runs it, on the asb package under `shared` (ahead of any
    installed copy)."""
    path = os.pathsep.join(filter(None, [str(shared), os.environ.get("PYTHONPATH")]))
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", str(config)], cwd=config.parent,
                          env={**os.environ, "PYTHONPATH": path}, capture_output=True, text=True,
                          timeout=600, check=False)


def test_every_contract_is_kept() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    result = lint_imports(ROOT / "shared", ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(contracts['contracts'])} kept, 0 broken." in result.stdout


def test_the_contracts_refuse_a_case_importing_a_capability_and_boto3_in_the_domain(
        tmp_path: Path) -> None:
    """The same contracts on a copy of the package with two bad imports: the case reaching
    into triage, and the case's models importing boto3. Each is reported, by name and line."""
    shutil.copytree(ROOT / "shared" / "asb", tmp_path / "shared" / "asb",
                    ignore=shutil.ignore_patterns("__pycache__", "*.ttf", "*.otf"))
    with (tmp_path / "shared" / "asb" / "case" / "change.py").open("a") as change:
        change.write("\nfrom asb.triage import decide  # noqa: E402\n")
    with (tmp_path / "shared" / "asb" / "case" / "models.py").open("a") as models:
        models.write("\nimport boto3  # noqa: E402\n")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    result = lint_imports(tmp_path / "shared", tmp_path / "pyproject.toml")
    assert result.returncode == 1
    assert "asb.case.change -> asb.triage" in result.stdout
    assert "asb.case.models -> boto3" in result.stdout
