"""DynamoDB API calls per accepted report, counted with botocore's event hooks against moto.

Run: `make bench` (or `.venv/bin/python -m bench.intake_calls`). Goal: <= 3.
"""

from __future__ import annotations

import importlib.util
import json
import os
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

REPORTS = 20


def _load(code_dir: Path, env: dict[str, str]) -> Any:  # the handler's module, its service replaced
    os.environ.update(env)
    spec = importlib.util.spec_from_file_location("bench_intake_app", code_dir / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    os.environ.update(AWS_DEFAULT_REGION="eu-west-2", AWS_ACCESS_KEY_ID="bench",
                      AWS_SECRET_ACCESS_KEY="bench", POWERTOOLS_LOG_LEVEL="WARNING",
                      POWERTOOLS_METRICS_DISABLED="true")
    from moto import mock_aws

    from asb import bootstrap
    from infra.local.resources import LocalResources
    from infra.local.template import ROOT, function

    with mock_aws():
        resources = LocalResources().create_all()
        spec = function("IntakeFunction")
        environment = resources.environment(spec.environment)
        environment["POWERTOOLS_LOG_LEVEL"] = "WARNING"
        intake = _load(spec.code_dir, environment)
        calls: Counter[str] = Counter()
        clients = bootstrap.Clients()  # the handler's service, rebuilt with a counted client
        clients.dynamodb().meta.events.register(
            "before-call.dynamodb", lambda model, **_: calls.update([model.name])
        )
        intake.service = bootstrap.intake_service(clients=clients)
        template = json.loads((ROOT / "events" / "intake-valid-json.json").read_text())
        cases = [("a new case, without Idempotency-Key", False, True),
                 ("a new case, with Idempotency-Key", True, True),
                 ("a further report joining the open case", True, False)]
        for round_, (label, with_key, new_place) in enumerate(cases):
            calls.clear()
            for n in range(REPORTS):
                event: dict[str, Any] = json.loads(json.dumps(template))
                event["headers"].pop("Idempotency-Key")
                if with_key:
                    event["headers"]["Idempotency-Key"] = str(uuid.uuid4())
                data = json.loads(event["body"])
                place = f"{n} Bench Street {round_}" if new_place else "1 Joined Street"
                data["location"]["address"] = place
                data["perpetrator"] = {"known": False}
                event["body"] = json.dumps(data)
                answer = intake.lambda_handler(event, _Context())
                assert answer["statusCode"] == 201, answer
            per_report = sum(calls.values()) / REPORTS
            detail = ", ".join(f"{name} {n / REPORTS:g}" for name, n in sorted(calls.items()))
            print(f"DynamoDB calls per accepted report, {label}: {per_report:g} (goal <= 3)")
            print(f"  {detail}")


class _Context:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-2:123456789012:function:bench"
    aws_request_id = "bench"


if __name__ == "__main__":
    main()
