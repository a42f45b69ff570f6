"""A bounded load run against the local runtime (loopback only), and what it must leave behind.

1,000 reports from 20 concurrent clients; a tenth of them sent twice with the same
Idempotency-Key, as a client does when it never saw the first answer. Afterwards every
acknowledged reference is a stored case, triaged, with exactly one acknowledgement sent; no
duplicate case; nothing in any dead-letter queue.

Run: `make load` (or `.venv/bin/python -m bench.load [reports] [clients]`). The same run, at the
same size, is a test: tests/e2e/test_load.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import boto3

from infra.local.ports import free_port
from infra.local.runtime import LocalRuntime

SAMPLE = Path(__file__).resolve().parents[1] / "events" / "intake-valid-json.json"
# Some reports an emergency (threats), so the emergency path carries load too.
EMERGENCY_EVERY = 7
DRAIN_SECONDS = 1800


@dataclass(frozen=True)
class Sending:
    """One logical report, and whether its client sends it twice."""

    number: int
    body: str
    key: str
    retried: bool


@dataclass
class Answer:
    number: int
    status: int
    reference: str | None
    replayed: bool
    seconds: float


@dataclass
class LoadRun:
    reports: int
    clients: int
    answers: list[Answer] = field(default_factory=list)
    sending_seconds: float = 0.0
    settled_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)

    @property
    def acknowledged(self) -> dict[int, set[str]]:
        """Each logical report's references, over every answer its client received."""
        found: dict[int, set[str]] = {}
        for answer in self.answers:
            if answer.status == 201 and answer.reference:
                found.setdefault(answer.number, set()).add(answer.reference)
        return found

    @property
    def emails_expected(self) -> int:
        """One acknowledgement per reporter, and the duty officer's email per emergency (the
        duty officer is alerted by SMS and by email)."""
        emergencies = sum(1 for number in self.acknowledged if number % EMERGENCY_EVERY == 0)
        return len(self.acknowledged) + emergencies

    def latency_ms(self) -> dict[str, float]:
        times = sorted(a.seconds * 1000 for a in self.answers)
        cuts = statistics.quantiles(times, n=100, method="inclusive")
        return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": times[-1]}


def sendings(reports: int, retry_every: int = 10) -> list[Sending]:
    template = json.loads(json.loads(SAMPLE.read_text())["body"])
    made = []
    for number in range(reports):
        data = json.loads(json.dumps(template))
        data["reporter"]["email"] = f"load.{number:05d}@example.org"
        data["location"]["address"] = f"{number + 1} Load Street, Yeovil"
        data["perpetrator"]["address"] = f"{number + 1} Load Lane, Yeovil"
        if number % EMERGENCY_EVERY == 0:
            data["incident"]["behaviours"] = ["threats"]
        made.append(Sending(number, json.dumps(data), f"load-{number:05d}",
                            retried=number % retry_every == 0))
    return made


def post(api_url: str, sending: Sending) -> Answer:
    request = urllib.request.Request(
        f"{api_url}/reports", data=sending.body.encode(), method="POST",
        headers={"Content-Type": "application/json", "Idempotency-Key": sending.key},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, headers, text = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, text = error.code, error.headers, error.read()
    took = time.perf_counter() - started
    reference = json.loads(text).get("reference") if status == 201 else None
    return Answer(sending.number, status, reference,
                  headers.get("Idempotent-Replayed") == "true", took)


def send_all(runtime: LocalRuntime, run: LoadRun) -> None:
    def client(sending: Sending) -> None:
        run.record(post(runtime.api_url, sending))
        if sending.retried:
            run.record(post(runtime.api_url, sending))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=run.clients) as clients:
        list(clients.map(client, sendings(run.reports)))
    run.sending_seconds = time.perf_counter() - started


# ---------------------------------------------------------------------- what it left behind
@dataclass
class Aftermath:
    cases: dict[str, str]  # reference -> status
    acknowledgements: dict[str, int]  # reference -> acknowledgements in its delivery log
    emails_sent: int  # by SES, to anyone
    dead_letters: dict[str, int]

    def problems(self, run: LoadRun) -> list[str]:
        found = []
        acknowledged = run.acknowledged
        refused = [a for a in run.answers if a.status != 201]
        if refused:
            found.append(f"{len(refused)} answers were not 201: "
                         f"{Counter(a.status for a in refused)}")
        doubled = {n: refs for n, refs in acknowledged.items() if len(refs) != 1}
        if doubled:
            found.append(f"{len(doubled)} reports were given more than one reference")
        references = {ref for refs in acknowledged.values() for ref in refs}
        if missing := references - set(self.cases):
            found.append(f"{len(missing)} acknowledged references are not stored cases")
        if extra := set(self.cases) - references:
            found.append(f"{len(extra)} cases were stored that nobody was given")
        if untriaged := [r for r in references & set(self.cases) if self.cases[r] != "triaged"]:
            found.append(f"{len(untriaged)} cases are not triaged")
        if not_once := [r for r in references if self.acknowledgements.get(r) != 1]:
            found.append(f"{len(not_once)} cases have no single acknowledgement logged")
        if self.emails_sent != run.emails_expected:
            found.append(f"{self.emails_sent} emails sent for {len(references)} reporters "
                         f"(expected {run.emails_expected} with the duty officer's)")
        for queue, waiting in self.dead_letters.items():
            if waiting:
                found.append(f"{waiting} messages in {queue}")
        return found


class OperatorView:
    """Reads the local AWS as an operator would; a Scan is fine here, not on a request path."""

    def __init__(self, runtime: LocalRuntime) -> None:
        assert runtime.resources
        self.table = str(runtime.resources.ref("CasesTable"))
        self.dynamodb = boto3.client("dynamodb", endpoint_url=runtime.aws_endpoint)
        self.ses = boto3.client("sesv2", endpoint_url=runtime.aws_endpoint)
        self.sqs = boto3.client("sqs", endpoint_url=runtime.aws_endpoint)

    def cases(self) -> dict[str, str]:
        found = {}
        for page in self.dynamodb.get_paginator("scan").paginate(
            TableName=self.table, FilterExpression="entity = :case",
            ExpressionAttributeValues={":case": {"S": "Case"}},
            ProjectionExpression="#ref, #status",
            ExpressionAttributeNames={"#ref": "reference", "#status": "status"},
        ):
            found.update({i["reference"]["S"]: i["status"]["S"] for i in page["Items"]})
        return found

    def acknowledgements(self, reference: str) -> int:
        answer = self.dynamodb.query(
            TableName=self.table, KeyConditionExpression="pk = :pk",
            FilterExpression="entity = :log AND #template = :ack AND #status = :sent",
            ExpressionAttributeNames={"#template": "template", "#status": "status"},
            ExpressionAttributeValues={":pk": {"S": f"CASE#{reference}"},
                                       ":log": {"S": "Notification"},
                                       ":ack": {"S": "acknowledgement"}, ":sent": {"S": "sent"}})
        return int(answer["Count"])

    def emails_sent(self) -> int:
        return int(boto3.client("ses", endpoint_url=self.ses.meta.endpoint_url)
                   .get_send_quota()["SentLast24Hours"])

    def dead_letters(self) -> dict[str, int]:
        waiting = {}
        for url in self.sqs.list_queues().get("QueueUrls", []):
            if "DeadLetter" not in url:
                continue
            attributes = self.sqs.get_queue_attributes(
                QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages",
                                              "ApproximateNumberOfMessagesNotVisible"])
            waiting[url.rsplit("/", 1)[1]] = sum(int(v) for v in attributes["Attributes"].values())
        return waiting

    def aftermath(self) -> Aftermath:
        cases = self.cases()
        return Aftermath(cases, {r: self.acknowledgements(r) for r in cases},
                         self.emails_sent(), self.dead_letters())


def settle(runtime: LocalRuntime, run: LoadRun, seconds: float = DRAIN_SECONDS) -> Aftermath:
    """Waits until every case is triaged and acknowledged (or time runs out), then reads."""
    started = time.perf_counter()
    deadline = time.monotonic() + seconds
    expected = len(run.acknowledged)
    aws = OperatorView(runtime)
    while time.monotonic() < deadline:
        # The emails first (one cheap call): a Scan of the local table holds up the service
        # while it runs, so the cases are read only once every email is out.
        if aws.emails_sent() >= run.emails_expected and sum(
                1 for status in aws.cases().values() if status == "triaged") >= expected:
            break
        time.sleep(1)
    run.settled_seconds = time.perf_counter() - started
    time.sleep(3)  # anything still in flight (a duplicate would be) has time to land
    return aws.aftermath()


# ---------------------------------------------------------------------- run it
def load_run(runtime: LocalRuntime, reports: int = 1000, clients: int = 20) -> tuple[
        LoadRun, Aftermath]:
    run = LoadRun(reports, clients)
    send_all(runtime, run)
    return run, settle(runtime, run)


def report(run: LoadRun, after: Aftermath) -> list[str]:
    requests = len(run.answers)
    latency = run.latency_ms()
    print(f"load: {run.reports} reports, {run.clients} clients, "
          f"{requests - run.reports} sent twice with the same Idempotency-Key")
    print(f"  sent in {run.sending_seconds:6.1f} s  {requests / run.sending_seconds:6.1f} "
          f"requests/s  {run.reports / run.sending_seconds:6.1f} reports/s")
    print("  latency  " + "  ".join(f"{name} {ms:6.1f} ms" for name, ms in latency.items()))
    replayed = sum(1 for a in run.answers if a.replayed)
    print(f"  replayed answers {replayed}; cases stored {len(after.cases)}; "
          f"all triaged and acknowledged {run.settled_seconds:5.1f} s after the last answer")
    problems = after.problems(run)
    print("  nothing lost, nothing doubled" if not problems else
          "  PROBLEMS:\n    " + "\n    ".join(problems))
    return problems


def main(argv: list[str] | None = None) -> int:
    args = [int(a) for a in (argv if argv is not None else sys.argv[1:])]
    reports, clients = (args + [1000, 20][len(args):])[:2]
    runtime = LocalRuntime(api_port=free_port(), aws_port=free_port(), retry_delay=1,
                           schedules_on_clock=False)
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    # The functions' log lines (JSON, to stdout, as in Lambda) are not the figures.
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet), runtime:
        run, after = load_run(runtime, reports, clients)
    return 1 if report(run, after) else 0


if __name__ == "__main__":
    raise SystemExit(main())
