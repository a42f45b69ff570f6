"""What `sam build` would deploy for each function: its own code, and the domain layer (the asb
package and the layer's requirements, less what the Lambda runtime already has), zipped.

Sizes come from this machine's installed wheels (x86_64); the arm64 wheels Lambda gets differ
by a few per cent (pydantic-core's binary).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

from infra.local.template import ROOT, FunctionSpec

# In the python3.12 runtime already; sam build leaves them out of the layer only if told, and
# a layer that carries them anyway is bigger, not faster.
IN_THE_RUNTIME = {"boto3", "botocore", "s3transfer", "jmespath", "urllib3",
                  "python-dateutil", "six"}


def _zipped(files: Iterable[Path]) -> tuple[int, int]:
    """(zipped, unzipped) bytes."""
    buffer = io.BytesIO()
    unzipped = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                archive.write(file, arcname=str(file).lstrip("/"))
                unzipped += file.stat().st_size
    return len(buffer.getvalue()), unzipped


def _requirement_names(lines: Iterable[str]) -> list[str]:
    names = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0])
    return names


def _distribution_files(name: str, seen: set[str]) -> list[Path]:
    key = name.lower().replace("_", "-")
    if key in seen or key in IN_THE_RUNTIME:
        return []
    seen.add(key)
    try:
        distribution = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return []
    files = [Path(str(distribution.locate_file(f))) for f in distribution.files or []]
    for requirement in distribution.requires or []:
        if "extra ==" not in requirement:
            files += _distribution_files(_requirement_names([requirement])[0], seen)
    return files


@cache
def layer_size() -> tuple[int, int]:
    requirements = (ROOT / "shared" / "requirements.txt").read_text().splitlines()
    seen: set[str] = set()
    files = sorted((ROOT / "shared" / "asb").rglob("*"))
    for name in _requirement_names(requirements):
        files += _distribution_files(name, seen)
    return _zipped(files)


def function_size(spec: FunctionSpec) -> tuple[int, int]:
    return _zipped(sorted(spec.code_dir.rglob("*")))


def deployed_mb(spec: FunctionSpec) -> tuple[float, float]:
    """The function with its layer: (zipped, unzipped) MB; Lambda's limit is 250 MB unzipped."""
    code, code_unzipped = function_size(spec)
    layer, layer_unzipped = layer_size()
    return (code + layer) / 1e6, (code_unzipped + layer_unzipped) / 1e6
