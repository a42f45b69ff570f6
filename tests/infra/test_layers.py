"""The two layers: the domain layer every function carries, and the PDF layer (fpdf2, harfbuzz,
the Noto fonts) only for the functions that write PDFs - and every function that can reach the
PDF code has it, or its first letter would fail with ImportError in Lambda."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from infra.local.resources import NOT_GIVEN_LOCALLY
from infra.local.template import ROOT, FunctionSpec, functions, load_template

SHARED = ROOT / "shared"
PDF = ROOT / "pdf"
PDF_WRITERS = {"notifications", "notification_sweep", "data_protection", "court_bundles"}

# Imports the handler as Lambda would (its folder first, then its layers) and says whether the
# PDF package came with it.
_IMPORT = "import json, sys; import app; print(json.dumps('asb_pdf' in sys.modules))"


def _environment(spec: FunctionSpec) -> dict[str, str]:
    """Only the function's layers on the path, and a stand-in for each template variable but the
    deployed policy's AppConfig names (no agent here: the policy is the packaged seed's)."""
    stand_ins = {name: value if isinstance(value, str)
                 else "https://local.example/queue" if name.endswith("_URL")
                 else "1000" if name == "HOMES_OWNED" else "local"
                 for name, value in spec.environment.items() if name not in NOT_GIVEN_LOCALLY}
    return {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, **stand_ins,
            "AWS_DEFAULT_REGION": "eu-west-2", "POWERTOOLS_TRACE_DISABLED": "true",
            "PYTHONPATH": os.pathsep.join(str(layer) for layer in spec.layers)}


@pytest.fixture(scope="module")
def imports() -> dict[str, subprocess.CompletedProcess[str]]:
    """Each function's handler imported in a process of its own, all at once."""
    running = {spec.name: subprocess.Popen(
        [sys.executable, "-c", _IMPORT], cwd=spec.code_dir, env=_environment(spec),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for spec in functions()}
    done = {}
    for name, process in running.items():
        out, err = process.communicate(timeout=120)
        done[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return done


@pytest.mark.parametrize("spec", functions(), ids=lambda spec: spec.name)
def test_a_function_imports_the_pdf_code_only_if_it_carries_the_pdf_layer(
        spec: FunctionSpec, imports: dict[str, subprocess.CompletedProcess[str]]) -> None:
    done = imports[spec.name]
    assert done.returncode == 0, done.stderr[-2000:]
    loads_pdf_code = json.loads(done.stdout.strip().splitlines()[-1])
    assert loads_pdf_code == (PDF in spec.layers) == (spec.name in PDF_WRITERS)


def test_each_function_has_the_domain_layer_first() -> None:
    for spec in functions():
        assert spec.layers[0] == SHARED
        assert spec.layers in ((SHARED,), (SHARED, PDF))


def test_the_pdf_layer_is_built_from_pdf_like_the_domain_layer() -> None:
    layer = load_template()["Resources"]["PdfLayer"]
    assert layer["Properties"]["ContentUri"] == "pdf/"
    assert layer["Metadata"]["BuildMethod"] == "python3.12"
    assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]


def _requirements(file: Path) -> set[str]:
    names = set()
    for line in file.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(line.split(" ")[0])
    return names


def test_the_domain_layer_carries_neither_the_pdf_library_nor_the_fonts() -> None:
    assert not {re.split(r"[<>=]", r)[0] for r in _requirements(SHARED / "requirements.txt")} & {
        "fpdf2", "uharfbuzz"}
    assert not [f for f in (SHARED / "asb").rglob("*") if f.suffix in (".ttf", ".otf")]
    assert (PDF / "asb_pdf" / "fonts" / "NotoSans-Regular.ttf").exists()


def test_the_layers_requirements_together_are_pyprojects_dependencies() -> None:
    import tomllib

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert (_requirements(SHARED / "requirements.txt") | _requirements(PDF / "requirements.txt")
            == set(dependencies))
    assert not _requirements(SHARED / "requirements.txt") & _requirements(PDF / "requirements.txt")


def test_the_local_runtime_puts_a_functions_layers_on_the_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from infra.local.functions import load

    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "modules", dict(sys.modules))
    layer = tmp_path / "layer" / "a_layers_package"
    layer.mkdir(parents=True)
    (layer / "__init__.py").write_text("FROM_THE_LAYER = True\n")
    code = tmp_path / "function"
    code.mkdir()
    (code / "app.py").write_text("from a_layers_package import FROM_THE_LAYER\n")
    spec = FunctionSpec("LayeredFunction", code, "app.lambda_handler", {},
                        layers=(tmp_path / "layer",))
    assert load(spec).module.FROM_THE_LAYER is True
