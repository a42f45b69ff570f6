"""The two layers: the domain layer every function carries, and the PDF layer (fpdf2, harfbuzz,
the Noto fonts) only for the functions that write PDFs - and every function that can reach the
PDF code has it, or its first letter would fail with ImportError in Lambda."""

from __future__ import annotations

import json
import os
import re
import shutil
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
    assert layer["Metadata"] == {"BuildMethod": "makefile", "BuildArchitecture": "arm64"}
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


# Each layer's Makefile (BuildMethod: makefile): `sam build` runs its build-<LogicalId> target.
LAYERS = {"DomainLayer": (SHARED, "asb"), "PdfLayer": (PDF, "asb_pdf")}
HERE = f"{sys.version_info.major}.{sys.version_info.minor}"


def _build(folder: Path, layer: str, artifacts: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """The layer's make target into `artifacts`, as sam build runs it (from the layer's folder)."""
    arguments = [f"{name}={value}" for name, value in
                 {"ARTIFACTS_DIR": str(artifacts), **variables}.items()]
    return subprocess.run(["make", "--no-print-directory", "-C", str(folder), f"build-{layer}",
                           *arguments], capture_output=True, text=True, check=False, timeout=300)


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_each_layer_is_built_by_its_makefile_for_lambda(layer: str) -> None:
    folder, package = LAYERS[layer]
    resource = load_template()["Resources"][layer]
    assert resource["Metadata"]["BuildMethod"] == "makefile"
    assert ROOT / resource["Properties"]["ContentUri"] == folder
    makefile = (folder / "Makefile").read_text()
    assert re.search(rf"^build-{layer}:", makefile, re.MULTILINE)
    # Lambda's wheels for its runtime and architecture, from the folder's own requirements.
    assert "-r requirements.txt" in makefile and '--target "$(ARTIFACTS_DIR)/python"' in makefile
    for option in ("--platform manylinux2014_aarch64", "--only-binary=:all:",
                   "--python-version $(RUNTIME)", "--implementation cp", "--no-compile"):
        assert option in makefile
    assert re.search(r"^PYTHON\s+\?= python3\.12$", makefile, re.MULTILINE)
    assert re.search(r"^RUNTIME\s+\?= 3\.12$", makefile, re.MULTILINE)
    assert f"cp -R {package} " in makefile
    assert "compileall -q -f --invalidation-mode unchecked-hash" in makefile


@pytest.fixture(scope="module")
def built_layers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Each layer built by its Makefile's copy and compile steps, run with this interpreter (pip
    stubbed: no network in tests), from a copy of its folder with a stray bytecode file of the
    build machine's: the copy of the folder and the artifacts, by layer."""
    built = {}
    for layer, (original, package) in LAYERS.items():
        scratch = tmp_path_factory.mktemp(layer)
        folder = scratch / "source"  # sam build runs make in a copy of the folder
        shutil.copytree(original, folder, ignore=shutil.ignore_patterns("*.egg-info"))
        stray = folder / package / "__pycache__" / "stray.cpython-00.pyc"  # the build machine's
        stray.parent.mkdir(exist_ok=True)
        stray.write_bytes(b"")
        done = _build(folder, layer, scratch / "artifacts", PYTHON=sys.executable, RUNTIME=HERE,
                      PIP="true")
        assert done.returncode == 0, done.stderr
        built[layer] = (folder, scratch / "artifacts")
    return built


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_a_layers_build_is_its_package_whole_and_compiled(
        layer: str, built_layers: dict[str, tuple[Path, Path]]) -> None:
    """Every file of the package but the build machine's bytecode, and every module compiled by
    the building Python, its bytecode not checked against the source's time."""
    package = LAYERS[layer][1]
    folder, artifacts = built_layers[layer]
    built = artifacts / "python" / package
    source = {f.relative_to(folder / package) for f in (folder / package).rglob("*")
              if f.is_file() and "__pycache__" not in f.parts}
    shipped = {f.relative_to(built) for f in built.rglob("*")
               if f.is_file() and "__pycache__" not in f.parts}
    templates = {f for f in shipped - source if _compiled_template(f)}
    assert shipped - templates == source  # the templates, JSON, YAML and fonts with the modules
    assert bool(templates) == (layer == "DomainLayer")  # asb.kernel.templates, every template set
    tag = sys.implementation.cache_tag
    compiled = {f.relative_to(built) for f in built.rglob("__pycache__/*")}
    assert compiled == {m.parent / "__pycache__" / f"{m.stem}.{tag}.pyc"
                        for m in source | templates if m.suffix == ".py"}
    for pyc in built.rglob("*.pyc"):
        assert int.from_bytes(pyc.read_bytes()[4:8], "little") == 0b01  # hash-based, unchecked
    assert not list(artifacts.rglob("*.egg-info")) and not list(built.rglob("tests"))


def _compiled_template(path: Path) -> bool:
    """A module Jinja2's compile_templates wrote, in one of asb.kernel.templates' folders."""
    from asb.kernel.templates import TEMPLATE_SETS

    return (str(path.parent) in {s.compiled for s in TEMPLATE_SETS}
            and path.name.startswith("tmpl_") and path.suffix == ".py")


def test_the_domain_layers_build_compiles_every_template(
        built_layers: dict[str, tuple[Path, Path]]) -> None:
    """Each template set's folder holds one module per template once the layer is built, and
    the built package renders from them (Jinja2's ModuleLoader), not from source."""
    from jinja2 import ModuleLoader

    from asb.kernel.templates import TEMPLATE_SETS

    built = built_layers["DomainLayer"][1] / "python" / "asb"
    for template_set in TEMPLATE_SETS:
        sources = [f for f in (built / template_set.folder).rglob("*") if f.is_file()]
        modules = list((built / template_set.compiled).glob("tmpl_*.py"))
        assert len(modules) == len(sources) > 0, template_set.compiled
        filters = {name: str for name in template_set.filters}
        environment = template_set.environment(filters, package=built)
        assert isinstance(environment.loader, ModuleLoader)


def test_a_layer_is_not_built_without_the_runtimes_python(tmp_path: Path) -> None:
    done = _build(SHARED, "DomainLayer", tmp_path, PYTHON=sys.executable, RUNTIME="3.99", PIP="true")
    assert done.returncode != 0
    assert "needs python3.99 on the build machine" in done.stderr
    assert not (tmp_path / "python").exists()
