"""AWS requests per operation, through the real handlers against moto: what each step of a case's
life asks of DynamoDB (calls, and request units by bench/capacity.py), KMS, SQS and SES; the
inputs of the cost per 1,000 reports (bench/cost.py, docs/performance.md).

Run: `make bench` (or `.venv/bin/python -m bench.operations`). Staff calls go through the
integration tests' harness (tests/integration/helpers.py), as an officer of the sample team.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CASES = 10


@dataclass(frozen=True)
class Operation:
    label: str
    requests: dict[str, float]  # "dynamodb Query" -> per operation
    units: dict[str, float]  # WRU, RRU per operation
    milliseconds: float  # in process, moto's time included

    def count(self, service: str) -> float:
        return sum(n for name, n in self.requests.items() if name.startswith(service + " "))


class Recorder:
    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.units: Any = None

    def before_call(self, model: Any, **_: Any) -> None:
        self.requests[f"{model.service_model.service_name} {model.name}"] += 1

    @staticmethod
    def keep_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["api_params"] = params

    def after_call(self, **kwargs: Any) -> None:
        if self.units is not None:
            self.units.after_call(**kwargs)


def measure_all() -> list[Operation]:
    os.environ.update(AWS_DEFAULT_REGION="eu-west-2", AWS_ACCESS_KEY_ID="bench",
                      AWS_SECRET_ACCESS_KEY="bench", POWERTOOLS_METRICS_DISABLED="true",
                      POWERTOOLS_LOG_LEVEL="WARNING")
    import boto3
    from moto import mock_aws

    from bench.capacity import RequestUnits
    from infra.local.local_aws import mend
    from infra.local.resources import LocalResources

    mend()  # moto's whole-table copies and sorts are not DynamoDB's: they would be timed here
    with mock_aws():
        recorder = Recorder()
        boto3.setup_default_session(region_name="eu-west-2")
        assert boto3.DEFAULT_SESSION
        boto3.DEFAULT_SESSION.events.register("before-parameter-build", recorder.keep_params)
        boto3.DEFAULT_SESSION.events.register("before-call", recorder.before_call)
        boto3.DEFAULT_SESSION.events.register("after-call", recorder.after_call)
        resources = LocalResources().create_all()
        table = str(resources.ref("CasesTable"))
        recorder.units = RequestUnits(boto3.session.Session().client("dynamodb"), table)
        return _run(resources, table, recorder)


def _load(resources: Any, logical_id: str) -> Any:
    from infra.local.template import function

    spec = function(logical_id)
    os.environ.update(resources.environment(spec.environment))
    os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"
    source = importlib.util.spec_from_file_location(f"bench_{spec.name}", spec.code_dir / "app.py")
    assert source and source.loader
    module = importlib.util.module_from_spec(source)
    sys.modules[source.name] = module  # as an import would: pydantic resolves names through it
    source.loader.exec_module(module)
    return module


def _run(resources: Any, table: str, recorder: Recorder) -> list[Operation]:
    from tests.conftest import LambdaContext, sample_event
    from tests.integration.helpers import Staff, outbox_events, queue_delivery

    names = ("ReportForm", "ApiDocs", "Intake", "StreamPublisher", "Triage", "Notification",
             "CaseQueries", "CaseWork", "CaseReview", "Partners", "PartnerPublisher",
             "PartnerInbound", "DataProtection", "NotificationSweep", "DailyDigest", "Retention",
             "RegulatorFigures", "Tracking")
    handlers = {name: _load(resources, f"{name}Function") for name in names}
    staff = Staff(handlers, table)
    done: list[Operation] = []
    context = LambdaContext()

    def measure(label: str, step: Callable[[int], Any], per: int = CASES) -> None:
        recorder.requests.clear()
        recorder.units.units.clear()
        started = time.perf_counter()
        for n in range(per):
            step(n)
        took = (time.perf_counter() - started) * 1000 / per
        done.append(Operation(label, {k: v / per for k, v in recorder.requests.items()},
                              {k: v / per for k, v in recorder.units.units.items()}, took))

    references: list[str] = []
    secrets: list[str] = []

    def report(n: int) -> None:
        event = sample_event("intake-valid-json")
        event["headers"].pop("Idempotency-Key")
        data = json.loads(event["body"])
        data["location"]["address"] = f"{n} Bench Row, Yeovil"
        data["perpetrator"] = {"known": True, "address": f"{n + 1} Bench Row, Yeovil"}
        event["body"] = json.dumps(data)
        answer = handlers["Intake"].lambda_handler(event, context)
        assert answer["statusCode"] == 201, answer
        references.append(json.loads(answer["body"])["reference"])
        secrets.append(json.loads(answer["body"])["tracking_url"].split("secret=", 1)[1])

    def delivered(reference: str, kind: str, sample: str) -> dict[str, Any]:
        (event,) = outbox_events(table, reference, kind)
        return queue_delivery(sample, event)

    def publish(n: int) -> None:
        record = sample_event("stream_publisher-report-received")["Records"][0]
        assert handlers["StreamPublisher"].lambda_handler({"Records": [record]}, context) == {
            "batchItemFailures": []}

    def triage(n: int) -> None:
        delivery = delivered(references[n], "ReportReceived", "triage-report-received")
        assert handlers["Triage"].lambda_handler(delivery, context) == {"batchItemFailures": []}

    def acknowledge(n: int) -> None:
        delivery = delivered(references[n], "CaseTriaged", "notifications-case-triaged")
        assert handlers["Notification"].lambda_handler(delivery, context) == {
            "batchItemFailures": []}

    def ok(answer: tuple[int, Any]) -> Any:
        assert answer[0] in (200, 201), answer
        return answer[1]

    def page(name: str, sample: str) -> Callable[[int], Any]:
        def step(n: int) -> None:
            assert handlers[name].lambda_handler(sample_event(sample), context)[
                "statusCode"] == 200
        return step

    measure("report form: GET /", page("ReportForm", "report_form-get"))
    measure("api docs: GET /openapi.json", page("ApiDocs", "api_docs-get-document"))
    measure("intake: a report opening a case", report)
    measure("stream publisher: an event to its queue", publish)
    measure("triage: a report triaged", triage)
    measure("notifications: an acknowledgement", acknowledge)
    measure("staff: GET /cases/{ref}", lambda n: ok(staff.get(references[n])))
    measure("staff: GET /cases (a team's list)", lambda n: ok(staff.call("case_queries-list-team")))

    def track(reference: str, secret: str, source: str, status: int) -> None:
        event = sample_event("tracking-get-page")
        event.update(path=f"/track/{reference}", pathParameters={"reference": reference},
                     queryStringParameters={"secret": secret},
                     multiValueQueryStringParameters={"secret": [secret]})
        event["requestContext"]["identity"]["sourceIp"] = source
        assert handlers["Tracking"].lambda_handler(event, context)["statusCode"] == status

    # A wrong link costs what a missing reference costs; each from an address of its own.
    measure("tracking: GET /track (a right link)",
            lambda n: track(references[n], secrets[n], "203.0.113.45", 200))
    measure("tracking: a wrong secret", lambda n: track(
        references[n], _wrong(secrets[n]), f"198.51.100.{n}", 404))
    measure("tracking: a reference that does not exist", lambda n: track(
        f"ASB-2026-9{n:05d}", secrets[n], f"198.51.100.{100 + n}", 404))
    _partner_work(staff, handlers, table, references, measure, ok)
    for label, route, sample in (
        ("staff: POST contacts", "contacts", "case_work-record-contact"),
        ("staff: POST diary-entries", "diary-entries", "case_work-add-diary-entry"),
        ("staff: POST closure", "closure", "case_work-close"),
    ):
        body = json.loads(sample_event(sample)["body"])
        versions = [ok(staff.get(r))["case"]["version"] for r in references]
        def write(n: int, route: str = route, body: Any = body,
                  versions: list[int] = versions) -> Any:
            return ok(staff.write(references[n], route, body, version=versions[n]))
        measure(label, write)
    for label, name, sample in (
        ("notification sweep: a run, nothing waiting", "NotificationSweep",
         "notification_sweep-scheduled"),
        ("daily digest: a run (one team, 10 cases)", "DailyDigest", "daily_digest-scheduled"),
        ("retention: a run erasing 10 closed cases", "Retention", "retention-scheduled"),
        ("regulator figures: a month's run", "RegulatorFigures", "regulator_figures-scheduled"),
    ):
        def run(n: int, name: str = name, sample: str = sample) -> Any:
            return handlers[name].lambda_handler(_as_of_today(sample), context)
        measure(label, run, per=1)
    _viewed_often(staff, table, references, report, triage, measure, ok)
    return done


VIEWS = 1_000


def _viewed_often(staff: Any, table: str, references: list[str], report: Callable[[int], None],
                  triage: Callable[[int], None], measure: Callable[..., None],
                  ok: Callable[[tuple[int, Any]], Any]) -> None:
    """A case of its own with the audit entries VIEWS earlier staff views left: what a view and
    a write then read (a case is read without its audit trail; the view reads its newest
    entries apart)."""
    from datetime import UTC, datetime, timedelta

    import boto3

    from tests.conftest import sample_event
    from tests.integration.helpers import earlier_views

    report(CASES)
    triage(CASES)
    reference = references[CASES]
    earlier_views(boto3.client("dynamodb"), table, reference, VIEWS,
                  datetime.now(UTC) - timedelta(days=1))
    measure(f"staff: GET /cases/{{ref}}, a case viewed {VIEWS:,} times",
            lambda n: ok(staff.get(reference)), per=1)
    version = ok(staff.get(reference))["case"]["version"]
    diary = json.loads(sample_event("case_work-add-diary-entry")["body"])
    measure(f"staff: POST diary-entries, a case viewed {VIEWS:,} times",
            lambda n: ok(staff.write(reference, "diary-entries", diary, version=version)), per=1)


def _wrong(secret: str) -> str:
    """A secret one character from the right one, never the right one by chance."""
    return secret[:-1] + ("B" if secret.endswith("A") else "A")


def _as_of_today(sample: str) -> dict[str, Any]:
    """The sample event; retention's run falls the day after today's closures become due,
    since the sample's fixed date comes before them once the calendar passes it."""
    from datetime import UTC, datetime

    from asb.case.retention import years_after
    from asb.policy.config import RETENTION_YEARS
    from tests.conftest import sample_event

    event = sample_event(sample)
    if sample == "retention-scheduled":
        due = years_after(datetime.now(UTC).date(), RETENTION_YEARS)
        event["scheduled_time"] = f"{due.isoformat()}T23:59:00Z"
    return event


MANAGER = ("m.jones", "manager", "yeovil")


def _partner_work(staff: Any, handlers: dict[str, Any], table: str, references: list[str],
                  measure: Callable[..., None], ok: Callable[[Any], Any]) -> None:
    """On each case: a Case Review application (referred to the point of contact); a disclosure
    asked for, approved and sent; a police request received. Then one subject access request
    over all ten."""
    import boto3

    from asb.partners.store import DynamoDBPartnerStore
    from infra.local.partners import seed
    from tests.conftest import LambdaContext, sample_event
    from tests.integration.helpers import case_partition, queue_delivery

    seed(DynamoDBPartnerStore(boto3.client("dynamodb"), table))
    context = LambdaContext()

    def version(reference: str) -> str:
        return f'"{ok(staff.get(reference, who=MANAGER))["case"]["version"]}"'

    def items(reference: str, entity: str, **match: Any) -> list[dict[str, Any]]:
        return [i for i in case_partition(table, reference) if i["entity"] == entity
                and all(i.get(k) == v for k, v in match.items())]

    versions = [version(r) for r in references]
    review = {"received_on": time.strftime("%Y-%m-%d"), "summary": "Asks for a fresh look."}
    measure("case review: POST case-reviews (an application)", lambda n: ok(staff.call(
        "case_review-apply", path=f"/cases/{references[n]}/case-reviews", body=review,
        if_match=versions[n], reference=references[n])))
    asked = json.loads(sample_event("partners-request-disclosure")["body"])
    versions = [version(r) for r in references]
    measure("partners: POST disclosures (a request)", lambda n: ok(staff.call(
        "partners-request-disclosure", path=f"/cases/{references[n]}/disclosures", body=asked,
        if_match=versions[n], reference=references[n])))
    versions = [version(r) for r in references]
    ids = [items(r, "Disclosure", kind="disclosure")[0]["record_id"] for r in references]
    measure("partners: POST decision (approved)", lambda n: ok(staff.call(
        "partners-decide-disclosure",
        path=f"/cases/{references[n]}/disclosures/{ids[n]}/decision",
        body={"approved": True, "reason": "Necessary and proportionate under the agreement."},
        if_match=versions[n], reference=references[n], who=MANAGER)))

    def publish(n: int) -> None:
        (event,) = items(references[n], "Event", type="DisclosureApproved")
        body = {k: event[k] for k in ("event_id", "type", "case_reference", "occurred_at",
                                      "detail", "schema_version")}
        delivery = queue_delivery("partner_publisher-disclosure-approved", body)
        assert handlers["PartnerPublisher"].lambda_handler(delivery, context) == {
            "batchItemFailures": []}

    measure("partner publisher: a package signed and sent", publish)
    police = sample_event("partner_inbound-police-request")
    request = json.loads(police["Records"][0]["body"])

    def police_request(n: int) -> None:
        police["Records"][0]["body"] = json.dumps({**request, "case_reference": references[n]})
        assert handlers["PartnerInbound"].lambda_handler(police, context) == {
            "batchItemFailures": []}

    measure("partner inbound: a police request recorded", police_request)
    measure("data protection: GET /subject-access", lambda n: ok(staff.call(
        "data_protection-subject-access", query={"email": "alex.morgan@example.org"},
        who=("d.price", "dpo", ""))), per=1)


def main() -> list[Operation]:
    done = measure_all()
    print(f"AWS requests per operation, through the handlers against moto ({CASES} each; "
          "scheduled runs once, over the 10 cases)")
    print(f"  {'operation':<48} {'DynamoDB':>8} {'WRU':>5} {'RRU':>5} {'KMS':>4} {'SQS':>4} "
          f"{'SES':>4}  in-process")
    for op in done:
        print(f"  {op.label:<48} {op.count('dynamodb'):8.1f} {op.units.get('WRU', 0):5.1f} "
              f"{op.units.get('RRU', 0):5.1f} {op.count('kms'):4.1f} {op.count('sqs'):4.1f} "
              f"{op.count('sesv2'):4.1f}  {op.milliseconds:6.1f} ms")
    return done


if __name__ == "__main__":
    main()
