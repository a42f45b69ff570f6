"""What `sam build` would deploy for each function: its own code and its layers - the domain
layer (the asb package and shared/requirements.txt) for every function, the PDF layer (the
asb_pdf package with its fonts, and pdf/requirements.txt) for those that write PDFs - each
layer's requirements with their dependencies, less what the Lambda runtime already has, zipped.

Run: `.venv/bin/python -m bench.package_size` (`make bench` prints it after the cold first answer): each
function before the PDF layer (when one layer carried everything) and now.

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

from infra.local.template import FunctionSpec, functions

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
def layer_size(layer: Path) -> tuple[int, int]:
    """A layer as sam build makes it: its folder (less build leftovers) and its requirements."""
    requirements = layer / "requirements.txt"
    names = _requirement_names(requirements.read_text().splitlines()) if requirements.exists() else []
    seen: set[str] = set()
    files = sorted(f for f in layer.rglob("*")
                   if not any(part.endswith(".egg-info") for part in f.parts))
    for name in names:
        files += _distribution_files(name, seen)
    return _zipped(files)


def function_size(spec: FunctionSpec) -> tuple[int, int]:
    return _zipped(sorted(spec.code_dir.rglob("*")))


def deployed_mb(spec: FunctionSpec, layers: Iterable[Path] | None = None) -> tuple[float, float]:
    """The function with its layers: (zipped, unzipped) MB; Lambda's limit is 250 MB unzipped."""
    code, code_unzipped = function_size(spec)
    sizes = [layer_size(layer) for layer in (spec.layers if layers is None else layers)]
    return ((code + sum(zipped for zipped, _ in sizes)) / 1e6,
            (code_unzipped + sum(unzipped for _, unzipped in sizes)) / 1e6)


def all_layers() -> tuple[Path, ...]:
    """Every layer of the template: what each function carried when one layer held it all."""
    return tuple(dict.fromkeys(layer for spec in functions() for layer in spec.layers))


def main() -> None:
    print("deployed package per function (its code and its layers), zipped / unzipped")
    print(f"  {'function':<20} {'with every layer':>20}  {'with its own layers':>20}")
    for spec in functions():
        before = deployed_mb(spec, all_layers())
        after = deployed_mb(spec)
        print(f"  {spec.name:<20} {before[0]:7.1f} / {before[1]:5.1f} MB  "
              f"{after[0]:7.1f} / {after[1]:5.1f} MB")
    print("  Lambda's limit: 250 MB unzipped")


if __name__ == "__main__":
    main()
