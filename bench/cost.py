"""The cost of 1,000 reports, from the requests bench/operations.py measured, at AWS list prices.

Run: `make bench` (or `.venv/bin/python -m bench.cost`). docs/performance.md explains each line.
The prices are US East (N. Virginia) list prices, the ones AWS publishes for every service on
one basis; London's are a little higher for some services (DynamoDB, API Gateway): put the
region's own prices in PRICES to see its cost.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.operations import Operation, measure_all
from infra.local.template import load_template

PRICES = {  # USD, list prices, on-demand, after any free tier
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second_arm": 0.0000133334,
    "api_request": 3.50 / 1e6,  # REST API, first 333 million a month
    "wru": 0.625 / 1e6,  # DynamoDB on-demand, Standard table class
    "rru": 0.125 / 1e6,
    "kms_request": 0.03 / 1e4,
    "sqs_request": 0.40 / 1e6,  # standard queue, per 64 KB chunk
    "ses_email": 0.10 / 1e3,
}

# How a case is worked after the report, per case: an assumption, stated where it is used.
CASEWORK = {
    "staff: GET /cases/{ref}": 6,
    "staff: GET /cases (a team's list)": 3,
    "staff: POST contacts": 3,
    "staff: POST diary-entries": 2,
    "staff: POST closure": 1,
}
# Per report: ReportReceived, CaseTriaged, and a later case update the notifier handles.
EVENTS_PER_REPORT = 3
# Each queued message is sent, received and deleted: three SQS requests.
SQS_PER_MESSAGE = 3


@dataclass
class Line:
    what: str
    quantity: float
    unit_price: float

    @property
    def cost(self) -> float:
        return self.quantity * self.unit_price


def _memory_gb(logical_id: str) -> float:
    template = load_template()
    default = template.get("Globals", {}).get("Function", {}).get("MemorySize", 128)
    memory = template["Resources"][logical_id]["Properties"].get("MemorySize", default)
    return float(memory) / 1024


def lines_per_report(ops: dict[str, Operation]) -> list[Line]:
    steps: list[tuple[str, str, float]] = [  # operation, function, times per report
        ("intake: a report opening a case", "IntakeFunction", 1),
        ("stream publisher: an event to its queue", "StreamPublisherFunction",
         EVENTS_PER_REPORT),
        ("triage: a report triaged", "TriageFunction", 1),
        ("notifications: an acknowledgement", "NotificationFunction", EVENTS_PER_REPORT - 1),
    ]
    staff_function = {"GET": "CaseQueriesFunction", "POST": "CaseWorkFunction"}
    steps += [(label, staff_function[label.split()[1]], times)
              for label, times in CASEWORK.items()]
    requests = sum(times for *_, times in steps)
    gb_seconds = sum(ops[label].milliseconds / 1000 * _memory_gb(fn) * times
                     for label, fn, times in steps)
    total = {key: sum(ops[label].units.get(key, 0) * times for label, _, times in steps)
             for key in ("WRU", "RRU")}

    def per(service: str) -> float:
        return sum(ops[label].count(service) * times for label, _, times in steps)

    api = 1 + 1 + sum(CASEWORK.values())  # the form page, the report, the casework
    return [
        Line("Lambda invocations", requests, PRICES["lambda_request"]),
        Line("Lambda GB-seconds (arm64, durations measured in process)", gb_seconds,
             PRICES["lambda_gb_second_arm"]),
        Line("API Gateway requests", api, PRICES["api_request"]),
        Line("DynamoDB write request units", total["WRU"], PRICES["wru"]),
        Line("DynamoDB read request units", total["RRU"], PRICES["rru"]),
        Line("KMS requests (sealed fields, tracking links)", per("kms"), PRICES["kms_request"]),
        Line("SQS requests", EVENTS_PER_REPORT * SQS_PER_MESSAGE, PRICES["sqs_request"]),
        Line("SES emails", per("sesv2"), PRICES["ses_email"]),
    ]


def main(measured: list[Operation] | None = None) -> None:
    ops = {op.label: op for op in (measured or measure_all())}
    lines = lines_per_report(ops)
    print("cost per 1,000 reports, each worked to closure (USD, list prices in PRICES)")
    for line in lines:
        print(f"  {line.what:<58} {line.quantity * 1000:>10,.0f}  ${line.cost * 1000:8.4f}")
    print(f"  {'total':<58} {'':>10}  ${sum(line.cost for line in lines) * 1000:8.4f}")
    print("  (casework per case: " + ", ".join(f"{n} x {label.split(': ')[1]}"
                                              for label, n in CASEWORK.items()) + ")")


if __name__ == "__main__":
    main()
