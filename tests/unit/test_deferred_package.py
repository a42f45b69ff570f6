"""asb.kernel.imports.module_of: one module of a package whose __init__ imports everything, the
__init__ deferred until a name is asked of the package. Each case runs in a fresh interpreter (it
is about what a cold start imports) over a small package written to tmp_path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

_PACKAGE = {
    "__init__.py": "import heavy\nfrom .provider import Provider\nGREETING = 'hello'\n",
    "provider.py": "class Provider:\n    pass\n",
    "heavy.py": "",  # importing it is what the __init__ costs
}


def _run(tmp_path: Path, program: str) -> Any:
    package = tmp_path / "eager"
    package.mkdir()
    for name, text in _PACKAGE.items():
        (tmp_path / name if name == "heavy.py" else package / name).write_text(text)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "shared"), str(tmp_path)])}
    prelude = "import json, sys\nfrom asb.kernel.imports import module_of\n"
    ran = subprocess.run([sys.executable, "-c", prelude + program], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, check=False)
    assert ran.returncode == 0, ran.stderr[-2000:]
    return json.loads(ran.stdout.splitlines()[-1])


def test_the_module_comes_without_its_packages_init(tmp_path: Path) -> None:
    seen = _run(tmp_path, "provider = module_of('eager.provider')\n"
                          "print(json.dumps([provider.Provider.__name__, 'heavy' in sys.modules]))")
    assert seen == ["Provider", False]


def test_a_name_asked_of_the_package_runs_its_init_once_and_the_classes_are_the_same(
        tmp_path: Path) -> None:
    seen = _run(tmp_path, "provider = module_of('eager.provider')\n"
                          "from eager import GREETING, Provider\n"
                          "import eager\n"
                          "print(json.dumps([GREETING, Provider is provider.Provider,\n"
                          "                  'heavy' in sys.modules, type(eager).__name__]))")
    assert seen == ["hello", True, True, "module"]


def test_a_package_already_imported_is_left_as_it_is(tmp_path: Path) -> None:
    seen = _run(tmp_path, "import eager\n"
                          "provider = module_of('eager.provider')\n"
                          "print(json.dumps([provider is sys.modules['eager.provider'],\n"
                          "                  type(eager).__name__]))")
    assert seen == [True, "module"]


def test_a_module_that_is_not_there_is_an_import_error(tmp_path: Path) -> None:
    seen = _run(tmp_path, "try:\n    module_of('eager.gone')\nexcept ImportError as e:\n"
                          "    print(json.dumps(type(e).__name__))")
    assert seen == "ModuleNotFoundError"


def test_powertools_appconfig_extension_provider_comes_without_boto3(tmp_path: Path) -> None:
    """Why it exists: the parameters utility's __init__ imports boto3 for other providers."""
    seen = _run(tmp_path, "extension = module_of('aws_lambda_powertools.utilities.parameters."
                          "appconfig_extension')\n"
                          "print(json.dumps([extension.AppConfigExtensionProvider.__name__,\n"
                          "                  'boto3' in sys.modules]))")
    assert seen == ["AppConfigExtensionProvider", False]


def test_import_star_runs_the_init_and_gives_its_names(tmp_path: Path) -> None:
    seen = _run(tmp_path, "module_of('eager.provider')\n"
                          "from eager import *\n"
                          "print(json.dumps([GREETING, 'heavy' in sys.modules]))")
    assert seen == ["hello", True]
