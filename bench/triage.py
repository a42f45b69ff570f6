"""Triage in process against moto: DynamoDB calls per triaged report, and time per batch of 10.

Run: `make bench` (or `.venv/bin/python -m bench.triage`). moto stands in for DynamoDB, so the
time measures our code plus moto's, not DynamoDB's latency.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections import Counter
from typing import Any

from bench.intake_calls import _Context, _load

BATCHES = 5
BATCH_SIZE = 10


def _report(n: int) -> dict[str, Any]:
    from infra.local.template import ROOT

    event: dict[str, Any] = json.loads((ROOT / "events" / "intake-valid-json.json").read_text())
    event["headers"].pop("Idempotency-Key")
    data = json.loads(event["body"])
    data["location"]["address"] = f"{n} Bench Street, Yeovil"
    data["perpetrator"] = {"known": False}
    data["reporter"]["email"] = f"resident{n}@example.org"
    event["body"] = json.dumps(data)
    return event


def main() -> None:
    os.environ.update(AWS_DEFAULT_REGION="eu-west-2", AWS_ACCESS_KEY_ID="bench",
                      AWS_SECRET_ACCESS_KEY="bench", POWERTOOLS_METRICS_DISABLED="true")
    from moto import mock_aws

    from asb import bootstrap
    from asb.dynamo.codec import from_item
    from infra.local.local_aws import mend
    from infra.local.resources import LocalResources
    from infra.local.template import function

    mend()  # moto's whole-table copies and sorts are not DynamoDB's: they would be timed here
    with mock_aws():
        resources = LocalResources().create_all()
        loaded = {}
        for name in ("IntakeFunction", "TriageFunction"):
            spec = function(name)
            environment = resources.environment(spec.environment)
            environment["POWERTOOLS_LOG_LEVEL"] = "WARNING"
            loaded[name] = _load(spec.code_dir, environment)
        intake, triage = loaded["IntakeFunction"], loaded["TriageFunction"]
        clients = bootstrap.Clients()  # the handler's service, rebuilt with a timed client
        client = clients.dynamodb()
        triage.service = bootstrap.triage_service(clients=clients)
        table = str(resources.ref("CasesTable"))
        calls: Counter[str] = Counter()
        in_moto = [0.0]
        started_call = [0.0]

        def before(model: Any, **_: Any) -> None:
            calls.update([model.name])
            started_call[0] = time.perf_counter()

        def after(**_: Any) -> None:
            in_moto[0] += time.perf_counter() - started_call[0]

        client.meta.events.register("before-call.dynamodb", before)
        client.meta.events.register("after-call.dynamodb", after)
        timings, ours = [], []
        for batch in range(BATCHES):
            records = []
            for n in range(BATCH_SIZE):
                answer = intake.lambda_handler(_report(batch * BATCH_SIZE + n), _Context())
                reference = json.loads(answer["body"])["reference"]
                items = client.query(
                    TableName=table, KeyConditionExpression="pk = :pk AND begins_with(sk, :e)",
                    ExpressionAttributeValues={":pk": {"S": f"CASE#{reference}"},
                                               ":e": {"S": "EVENT#"}})["Items"]
                event = from_item(items[0])
                body = {k: event[k] for k in ("event_id", "type", "case_reference",
                                              "occurred_at", "detail", "schema_version")}
                records.append({"messageId": f"m-{batch}-{n}", "receiptHandle": "r",
                                "body": json.dumps(body), "attributes": {},
                                "messageAttributes": {}, "md5OfBody": "",
                                "eventSource": "aws:sqs", "awsRegion": "eu-west-2",
                                "eventSourceARN": "arn:aws:sqs:eu-west-2:123456789012:triage"})
            calls.clear()
            in_moto[0] = 0.0
            started = time.perf_counter()
            result = triage.lambda_handler({"Records": records}, _Context())
            timings.append(time.perf_counter() - started)
            ours.append(timings[-1] - in_moto[0])
            assert result == {"batchItemFailures": []}, result
        per_report = sum(calls.values()) / BATCH_SIZE
        detail = ", ".join(f"{name} {n / BATCH_SIZE:g}" for name, n in sorted(calls.items()))
        print(f"DynamoDB calls per triaged report: {per_report:g}  ({detail})")
        print(f"triage time per batch of {BATCH_SIZE}, in process: median "
              f"{statistics.median(timings) * 1000:.0f} ms over {BATCHES} batches, of which "
              f"outside DynamoDB calls {statistics.median(ours) * 1000:.0f} ms "
              f"({statistics.median(ours) * 1000 / BATCH_SIZE:.1f} ms a report)")
        print("  (moto answers an index query by looking through every item, so the time inside "
              "its calls grows with the table; DynamoDB's does not)")


if __name__ == "__main__":
    main()
