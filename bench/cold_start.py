"""Each handler module's import time in a fresh process, beside the floor of boto3 + a client.

Run: `make bench` (or `.venv/bin/python -m bench.cold_start`). Goal: ratio <= 1.5.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.package_size import deployed_mb, function_size
from infra.local.resources import NOT_GIVEN_LOCALLY
from infra.local.template import ROOT, functions

RUNS = 9
FLOOR = "import boto3; boto3.client('dynamodb')"
ENVIRONMENT = {
    "AWS_DEFAULT_REGION": "eu-west-2",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "CASES_TABLE_NAME": "bench-cases",
    "TRIAGE_QUEUE_URL": "https://sqs.eu-west-2.amazonaws.com/123456789012/bench-triage",
    "POWERTOOLS_METRICS_NAMESPACE": "Bench",
    "POWERTOOLS_SERVICE_NAME": "bench",
}


def _placeholders() -> dict[str, str]:
    """Every environment variable the template gives any function, with a stand-in value, but
    the deployed policy's AppConfig names (no agent here: the packaged policy, as locally)."""
    names = {name for spec in functions() for name in spec.environment
             if not name.startswith("POWERTOOLS_") and name not in NOT_GIVEN_LOCALLY}
    return {name: "https://bench.example/queue" if name.endswith("_URL")
            else "1000" if name == "HOMES_OWNED" else "bench" for name in names}


def timed(statement: str, cwd: Path) -> float:
    """Seconds to run `statement` in a new interpreter, measured inside it."""
    program = (
        "import time, sys; t = time.perf_counter(); "
        f"{statement}; sys.stdout.write(str(time.perf_counter() - t))"
    )
    # Bytecode written and read again, as the layers ship it: any value of
    # PYTHONDONTWRITEBYTECODE, "0" too, would stop Python writing it.
    env = {name: value for name, value in os.environ.items()
           if name != "PYTHONDONTWRITEBYTECODE"} | _placeholders() | ENVIRONMENT
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return float(done.stdout)


def paired_ms(statement: str, cwd: Path) -> tuple[float, float]:
    """Medians of the module and of the floor, measured in turn so that noise hits both."""
    timed(statement, cwd)  # warm the bytecode cache, as a deployed package has it
    floors, imports = [], []
    for _ in range(RUNS):
        floors.append(timed(FLOOR, ROOT))
        imports.append(timed(statement, cwd))
    return statistics.median(imports) * 1000, statistics.median(floors) * 1000


# What a handler's usual pieces add to the floor, one at a time: where the budget goes.
PIECES = [
    ("Powertools Logger()", "from aws_lambda_powertools import Logger; Logger()"),
    ("import pydantic", "import pydantic"),
    ("our report models", "import sys; sys.path.insert(0, 'shared'); import asb.models.report"),
    ("our case models", "import sys; sys.path.insert(0, 'shared'); import asb.case.models"),
    ("a second client (kms)", "boto3.client('kms')"),
    ("Powertools batch processor",
     "from aws_lambda_powertools.utilities.batch import BatchProcessor"),
    ("APIGatewayRestResolver(enable_validation=True)",
     "from aws_lambda_powertools.event_handler import APIGatewayRestResolver; "
     "APIGatewayRestResolver(enable_validation=True)"),
]


def pieces() -> None:
    print(f"what each piece adds to the floor, median of {RUNS} paired runs")
    for label, statement in PIECES:
        ms, floor = paired_ms(f"{FLOOR}; {statement}", ROOT)
        print(f"  {label:<48} {ms - floor:+6.1f} ms")


def main() -> None:
    print(f"cold start: import in a fresh process, median of {RUNS}, beside the floor; "
          "the deployed package")
    print(f"  floor = {FLOOR}")
    print(f"  {'function':<28} {'import':>9}  {'floor':>9}  {'ratio':>5}  "
          f"{'code':>7}  {'with layer, zipped / unzipped':>30}")
    for spec in functions():
        ms, floor = paired_ms("import app", spec.code_dir)
        zipped, unzipped = deployed_mb(spec)
        code_kb = function_size(spec)[0] / 1e3
        print(f"  {spec.name + '/app.py':<28} {ms:6.1f} ms  {floor:6.1f} ms  "
              f"{ms / floor:5.2f}  {code_kb:5.1f} KB  {zipped:14.1f} MB / {unzipped:5.1f} MB")
    print("  goal: ratio <= 1.5; Lambda's limit 250 MB unzipped")
    print()
    pieces()


if __name__ == "__main__":
    main()
