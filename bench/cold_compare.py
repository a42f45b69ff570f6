"""Two trees' cold first answers side by side: an earlier commit's handlers and layers against
the working tree's, in turn with the floor, against the same local AWS and sample events.

Run: `.venv/bin/python -m bench.cold_compare <commit> [function ...]` (`BENCH_RUNS=n` rounds,
default 9). Each round runs the floor, the commit's child and the working tree's child one after
another, so a busy moment hits all three; the table shows each one's fastest round, the figure
the machine's noise moves least (on this shared machine a median of five still moved a
function's ratio by 0.3 from one run to the next), and the Python calls each made (cProfile,
counted in a round of its own: they do not move with load).

The commit's `functions/`, `shared/` and `pdf/` come from `git archive` into a temporary folder,
its layers compiled as bench/cold_answer.py compiles the working tree's (its Makefile's template
step only if it has one); both answer the working tree's sample events.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from bench.cold_answer import (
    _CONTEXT,
    _FLOOR,
    _FUNCTION,
    SAMPLE_EVENT,
    LocalAws,
    _child,
    compiled_layer,
    compiled_layers,
)
from infra.local.template import ROOT, FunctionSpec, functions

RUNS = int(os.environ.get("BENCH_RUNS", "9"))

_COUNTED = _CONTEXT + """
import cProfile, json, pstats, sys
event = json.loads(open({event!r}).read())
profile = cProfile.Profile()
profile.enable()
import app
app.lambda_handler(event, Context())
profile.disable()
calls = sum(entry[1] for entry in pstats.Stats(profile).stats.values())
sys.stdout.write("\\nBENCH " + json.dumps([calls, "ok", None]) + "\\n")
"""


class Tree:
    """A tree's functions and compiled layers: the working tree's, or a commit's."""

    def __init__(self, name: str, root: Path, layers: dict[Path, Path]) -> None:
        self.name, self.root, self.layers = name, root, layers

    def run(self, program: str, spec: FunctionSpec, environment: dict[str, str]) -> float:
        environment = {**environment, "PYTHONPATH": os.pathsep.join(
            str(self.layers[layer]) for layer in spec.layers)}
        took, status, _ = _child(program, self.root / "functions" / spec.code_dir.name,
                                 environment)
        if status not in {"ok", "200", "201"}:
            raise RuntimeError(f"{self.name} {spec.name} answered {status}")
        return took


def commit_tree(commit: str, into: Path) -> Tree:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "functions", "shared",
                              "pdf"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into / "tree", filter="data")
    tree = into / "tree"
    layers = {ROOT / layer: compiled_layer(tree / layer, into / "layers" / layer)
              for layer in ("shared", "pdf")}
    return Tree(commit, tree, layers)


def compare(local: LocalAws, trees: list[Tree], spec: FunctionSpec) -> str:
    event = str(local.event(spec))
    timed = _FUNCTION.format(name=spec.logical_id, event=event)  # cold_answer's own child
    floors: list[float] = []
    answers: dict[str, list[float]] = {tree.name: [] for tree in trees}
    for _ in range(RUNS):
        environment = local.fresh(spec)
        floors.append(_child(_FLOOR, spec.code_dir, environment)[0])
        for tree in trees:
            answers[tree.name].append(tree.run(timed, spec, local.fresh(spec)))
    counted = _COUNTED.format(name=spec.logical_id, event=event)
    calls = {tree.name: tree.run(counted, spec, local.fresh(spec)) for tree in trees}
    floor = min(floors) * 1000
    cells = [f"{min(answers[t.name]) * 1000:5.0f} ms {min(answers[t.name]) * 1000 / floor:5.2f}"
             f" {calls[t.name]:9,.0f}" for t in trees]
    return f"  {spec.name:18} {floor:5.0f} ms  " + "  ".join(cells)


def main() -> None:
    commit, wanted = sys.argv[1], set(sys.argv[2:])
    local = LocalAws()
    try:
        with tempfile.TemporaryDirectory(prefix="asb-compare-") as scratch:
            trees = [commit_tree(commit, Path(scratch)),
                     Tree("working tree", ROOT, local.layers or compiled_layers(
                         Path(scratch) / "here"))]
            print(f"cold first answer, {commit} against the working tree: fastest of {RUNS} "
                  "rounds (floor, then each tree), ratio to the fastest floor, Python calls")
            print(f"  {'function':18} {'floor':>8}  " + "  ".join(
                f"{t.name[:12]:>12} {'ratio':>5} {'calls':>9}" for t in trees))
            for spec in functions():
                if spec.name in SAMPLE_EVENT and (not wanted or spec.name in wanted):
                    print(compare(local, trees, spec), flush=True)
    finally:
        local.stop()


if __name__ == "__main__":
    main()
