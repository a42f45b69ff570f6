"""The cold first answer of each function: a fresh interpreter imports the handler and serves one
real request from events/, against a local AWS, beside the floor measured the same way.

Run: `make bench` (or `.venv/bin/python -m bench.cold_answer`; `BENCH_RUNS=3` for fewer runs;
`BENCH_SOURCE=1` for our layers' code from source, as before the layers shipped bytecode).

The parent starts moto's server as the local AWS, and before every run resets it and creates
template.yaml's resources afresh (infra.local.resources), with the local runtime's partners and
one report (`intake-valid-json`, ASB-2026-000001, which the staff events name): every run of a
function finds the same state. The child gets the function's environment as the local runtime
gives it, pointed at that AWS with AWS_ENDPOINT_URL, runs in the function's folder (as in
/var/task), and times, from before the handler's import to its answer, the import and one call
of lambda_handler with the function's own sample event (read before the clock starts, as Lambda's
runtime parses it) and a Lambda context stand-in.

Our layers' packages (asb, asb_pdf) come as the layers' Makefiles ship them (shared/Makefile,
pdf/Makefile): the parent copies them once per run into a temporary folder and compiles them with
this interpreter, the Jinja2 templates to modules (asb.kernel.templates) and every module to
bytecode not checked against the source (unchecked-hash), and the child
imports them from there with PYTHONDONTWRITEBYTECODE=1 (Lambda's /opt is read-only). The
dependencies come from the virtual environment, compiled by pip; the function's own folder is
source, as sam build ships it.

Each child also reads the landlord's policy as a deployed function does (asb.policy.deployed):
the parent runs a stand-in AppConfig agent (infra.local.appconfig_agent) serving the packaged
policy, and gives the children the template's AppConfig names and the agent's port, so the figure
counts Powertools' provider (boto3 with it) and the read.

The floor is the same child doing `import boto3; boto3.client('dynamodb')` and one GetItem on the
cases table at the local AWS: the least any function that reads the table does.
"""

from __future__ import annotations

import compileall
import copy
import json
import logging
import os
import py_compile
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlsplit

from asb.policy.config import SEED_POLICY
from infra.local.appconfig_agent import AppConfigAgent
from infra.local.ports import free_port
from infra.local.template import ROOT, FunctionSpec, function, functions

EVENTS = ROOT / "events"
SEEDED_CASE = "ASB-2026-000001"
EVENT_FIELDS = ("event_id", "type", "case_reference", "occurred_at", "detail", "schema_version")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
# Our layers' code from source, compiled at every cold start (as before the layers' Makefiles).
FROM_SOURCE = os.environ.get("BENCH_SOURCE") == "1"

# Each function's own sample event: a request it answers in the usual way.
SAMPLE_EVENT = {
    "report_form": "report_form-get",
    "intake": "intake-valid-json",
    "tracking": "tracking-get-page",
    "console": "console-get-page",
    "api_docs": "api_docs-get-document",
    "case_queries": "case_queries-get-case",
    "case_work": "case_work-add-diary-entry",
    "case_review": "case_review-list",
    "partners": "partners-list",
    "data_protection": "data_protection-subject-access",
    "court_bundles": "court_bundles-make-bundle",  # the seeded case's listed injunction
    "stream_publisher": "stream_publisher-report-received",
    "triage": "triage-report-received",
    "notifications": "notifications-case-triaged",
    "notification_sweep": "notification_sweep-scheduled",
    "daily_digest": "daily_digest-scheduled",
    "review_sweep": "review_sweep-scheduled",
    "retention": "retention-scheduled",
    "regulator_figures": "regulator_figures-scheduled",
    "partner_publisher": "partner_publisher-disclosure-approved",
    "partner_inbound": "partner_inbound-police-request",
    "homes_import": "homes_import-file-arrived",
}
# Functions nobody waits for, whose sample event needs AWS that moto lacks: not measured.
NOT_MEASURED = {
    "policy_check": "AppConfig's validator, run once per policy deployment",
    "policy_audit": "records a policy deployment from AppConfig's event; moto has no deployments",
}
# AppConfig's names, each in the template's Globals (application, environment, profile).
POLICY_NAMES = ("ASB_POLICY_APPLICATION", "ASB_POLICY_ENVIRONMENT", "ASB_POLICY_PROFILE")
# The public pages and the console are what a person waits for.
GOALS = {"report_form": 1.5, "tracking": 1.5, "console": 1.5}
DEFAULT_GOAL = 2.0

_CONTEXT = """
class Context:
    function_name = {name!r}
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-2:123456789012:function:" + {name!r}
    memory_limit_in_mb = 512
    aws_request_id = "00000000-0000-4000-8000-000000000001"
    log_group_name = "/aws/lambda/" + {name!r}
    log_stream_name = "bench"
    def get_remaining_time_in_millis(self):
        return 10000
"""
_FUNCTION = _CONTEXT + """
import json, sys, time
event = json.loads(open({event!r}).read())
started = time.perf_counter()
import app
answer = app.lambda_handler(event, Context())
took = time.perf_counter() - started
status = answer.get("statusCode", "ok") if isinstance(answer, dict) else "ok"
if isinstance(answer, dict) and answer.get("batchItemFailures"):
    status = "failed"
body = answer.get("body") if isinstance(answer, dict) else None
sys.stdout.write("\\nBENCH " + json.dumps([took, status, body]) + "\\n")
"""
_FLOOR = """
import json, os, sys, time
started = time.perf_counter()
import boto3
boto3.client("dynamodb").get_item(TableName=os.environ["CASES_TABLE_NAME"],
                                  Key={"pk": {"S": "BENCH"}, "sk": {"S": "FLOOR"}})
took = time.perf_counter() - started
sys.stdout.write("\\nBENCH " + json.dumps([took, "ok", None]) + "\\n")
"""
# Staff writes to the seeded case, one after another, each with the version the last returned.
_STAFF_WRITES = _CONTEXT + """
import copy, json, sys
import app
sample = json.loads(open({event!r}).read())
version = {version}
for route, body, who in json.loads({writes!r}):
    event = copy.deepcopy(sample)
    event["path"] = "/cases/{case}/" + route
    event["body"] = json.dumps(body)
    event["headers"]["If-Match"] = '"%d"' % version
    event["multiValueHeaders"]["If-Match"] = ['"%d"' % version]
    event["requestContext"]["authorizer"]["claims"].update(
        {{"cognito:username": who[0], "cognito:groups": who[1], "custom:team": who[2]}})
    answer = app.lambda_handler(event, Context())
    if answer["statusCode"] != 200:
        sys.stdout.write("\\nBENCH " + json.dumps([0, str(answer["statusCode"]), answer["body"]]) + "\\n")
        sys.exit(0)
    version = json.loads(answer["body"])["version"]
sys.stdout.write("\\nBENCH " + json.dumps([0, "200", version]) + "\\n")
"""
OFFICER = ("o.hughes", "officer", "yeovil")
MANAGER = ("m.jones", "manager", "yeovil")
FLOOR = "import boto3; boto3.client('dynamodb') + one GetItem at the local AWS"


@dataclass(frozen=True)
class Answer:
    function: str
    ms: float
    floor_ms: float
    status: str

    @property
    def ratio(self) -> float:
        return self.ms / self.floor_ms

    @property
    def goal(self) -> float:
        return GOALS.get(self.function, DEFAULT_GOAL)


class LocalAws:
    """moto's server in this process, with the template's resources, the local runtime's partners
    and one report; every run starts from that state (DynamoDB's items as they were)."""

    def __init__(self) -> None:
        import boto3

        from asb.partners.store import DynamoDBPartnerStore
        from infra.local.local_aws import LocalAws as Server
        from infra.local.local_aws import mend
        from infra.local.partners import seed
        from infra.local.resources import REGION, LocalResources
        from infra.local.runtime import LOCAL_ENVIRONMENT

        mend()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        port = free_port()
        self.endpoint = f"http://127.0.0.1:{port}"
        self.server = Server(ip_address="127.0.0.1", port=port, verbose=False)
        self.server.start()
        self.base = {**LOCAL_ENVIRONMENT, "AWS_ENDPOINT_URL": self.endpoint}
        os.environ.update(self.base)
        session = boto3.Session(region_name=REGION)
        self.resources = LocalResources("asb-local", session=session).create_all()
        self.cases_table = str(self.resources.ref("CasesTable"))
        self.agent = self._appconfig_agent()
        seed(DynamoDBPartnerStore(session.client("dynamodb"), self.cases_table))
        self.events = Path(tempfile.mkdtemp(prefix="asb-bench-"))
        self.layers = {} if FROM_SOURCE else compiled_layers(self.events / "layers")
        self.snapshots = {"reported": self._report()}
        self.snapshots["triaged"] = self._triage()
        self.snapshots["listed"] = self._hearing_listed()

    def _snapshot(self) -> dict[str, Any]:
        return {table.name: copy.deepcopy(table.items) for table in _tables()}

    def environment(self, spec: FunctionSpec) -> dict[str, str]:
        """What the function sees: this machine's environment, the local AWS, the template's
        variables as the local runtime resolves them, and its layers on the path."""
        environment = {name: value for name, value in os.environ.items()
                       if not name.startswith(("AWS_", "POWERTOOLS_"))}
        environment.update(self.base)
        environment.update(self.resources.environment(spec.environment))
        environment.update(self.policy_read)  # the local runtime gives none: AWS does
        environment.update(STAFF_SIGN_IN_URL=f"{self.endpoint}/_local/sign-in",
                           PUBLIC_BASE_URL="http://127.0.0.1:3000",
                           AWS_LAMBDA_FUNCTION_NAME=spec.logical_id,
                           PYTHONPATH=os.pathsep.join(str(self.layers.get(layer, layer))
                                                      for layer in spec.layers))
        # As Lambda runs it: our layers' packages with their bytecode (unless FROM_SOURCE), the
        # handler's folder source; nothing compiled at a cold start is kept.
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        return environment

    def fresh(self, spec: FunctionSpec) -> dict[str, str]:
        """Every table's items back as they were after seeding - before triage for the triage
        function, after it for the rest; the function's environment."""
        snapshot = self.snapshots[{"triage": "reported", "court_bundles": "listed"}.get(
            spec.name, "triaged")]
        for table in _tables():
            table.items = copy.deepcopy(snapshot[table.name])
            if table.stream_shard is not None:
                table.stream_shard.items = []
        return self.environment(spec)

    def event(self, spec: FunctionSpec) -> Path:
        """The function's sample event, naming the seeded case where it names one: the
        tracking page with the seeded report's own link, triage and notifications carrying the
        seeded case's own ReportReceived and CaseTriaged (as the tests adapt them)."""
        name = SAMPLE_EVENT[spec.name]
        event = json.loads((EVENTS / f"{name}.json").read_text())
        carried = {"triage": "ReportReceived", "notifications": "CaseTriaged"}.get(spec.name)
        if carried:
            event["Records"][0]["body"] = json.dumps(self._outbox_event(carried))
        if spec.name == "homes_import":
            self._put_homes_file(event["Records"][0]["s3"])
        if spec.name == "court_bundles":
            measure, hearing, entry = self.listed
            event["path"] = f"/cases/{SEEDED_CASE}/measures/{measure}/bundles"
            event["pathParameters"] = {"reference": SEEDED_CASE, "measure_id": measure}
            event["body"] = json.dumps({"hearing_id": hearing,
                                        "items": [{"kind": "diary_entry", "id": entry}]})
        if spec.name == "tracking":
            event["queryStringParameters"]["secret"] = self.secret
            event["multiValueQueryStringParameters"] = {"secret": [self.secret]}
        path = self.events / f"{name}.json"
        path.write_text(json.dumps(event))
        return path

    def _put_homes_file(self, s3: dict[str, Any]) -> None:
        """The example homes file where the sample S3 event says it arrived."""
        import boto3

        bucket = str(self.resources.ref("HomesImportBucket"))
        s3["bucket"]["name"] = bucket
        boto3.client("s3").put_object(Bucket=bucket, Key=unquote_plus(s3["object"]["key"]),
                                      Body=(ROOT / "infra/seed/homes-example.csv").read_bytes())

    def _outbox_event(self, kind: str) -> dict[str, Any]:
        stored = next(item for item in self._stored("Event") if item["type"] == kind)
        return {field: stored[field] for field in EVENT_FIELDS}

    def _stored(self, entity: str) -> list[dict[str, Any]]:
        """The seeded case's items of one entity."""
        import boto3

        from asb.dynamo.codec import from_item

        items = boto3.client("dynamodb").query(
            TableName=self.cases_table, KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": f"CASE#{SEEDED_CASE}"}})["Items"]
        return [item for item in map(from_item, items) if item["entity"] == entity]

    def _hearing_listed(self) -> dict[str, Any]:
        """For the court bundle: the seeded case with an officer's diary entry and a civil
        injunction approved, applied for and listed for a hearing in a week, by case_work in
        processes of its own (the measure's id is known once it is written)."""
        from datetime import UTC, datetime, timedelta
        from zoneinfo import ZoneInfo

        today = datetime.now(UTC).astimezone(ZoneInfo("Europe/London"))
        diary = json.loads(json.loads((EVENTS / "case_work-add-diary-entry.json").read_text())[
            "body"])
        self._staff_writes([
            ("diary-entries", diary, OFFICER),
            ("measures", {"measure": "civil_injunction",
                          "rationale": "Warnings have failed; the noise and threats continue.",
                          "equality_impact": "No known disability; support was offered."},
             OFFICER)])
        (measure,) = self._stored("Measure")
        steps = f"measures/{measure['record_id']}"
        hearing_at = (today + timedelta(days=7)).replace(hour=10, minute=0, second=0,
                                                         microsecond=0)
        self._staff_writes([
            (f"{steps}/decision", {"approved": True, "reason": "Proportionate now."}, MANAGER),
            (f"{steps}/steps", {"step": "applied", "applied_on": today.date().isoformat(),
                                "court": "Yeovil County Court",
                                "respondent_born_on": "1990-05-01"}, OFFICER),
            (f"{steps}/steps", {"step": "hearing_listed", "at": hearing_at.isoformat(),
                                "court": "Yeovil County Court", "purpose": "first"}, OFFICER)])
        (measure,) = self._stored("Measure")
        (entry,) = self._stored("DiaryEntry")
        self.listed = (measure["record_id"], measure["hearings"][0]["hearing_id"],
                       entry["record_id"])
        return self._snapshot()

    def _staff_writes(self, writes: list[tuple[str, Any, tuple[str, str, str]]]) -> None:
        case_work = function("CaseWorkFunction")
        (case,) = self._stored("Case")
        program = _STAFF_WRITES.format(
            name=case_work.logical_id, event=str(EVENTS / "case_work-add-diary-entry.json"),
            version=int(case["version"]), writes=json.dumps(writes), case=SEEDED_CASE)
        _, status, body = _child(program, case_work.code_dir, self.environment(case_work))
        if status != "200":
            raise RuntimeError(f"the staff writes to the seeded case failed: {status} {body}")

    def _report(self) -> dict[str, Any]:
        """ASB-2026-000001, the case the staff events name, by intake in a process of its own."""
        intake = function("IntakeFunction")
        program = _FUNCTION.format(name=intake.logical_id,
                                   event=str(EVENTS / "intake-valid-json.json"))
        _, status, body = _child(program, intake.code_dir, self.environment(intake))
        if status != "201":
            raise RuntimeError(f"seeding the report failed: {status}")
        self.secret = parse_qs(urlsplit(json.loads(body)["tracking_url"]).query)["secret"][0]
        return self._snapshot()

    def _triage(self) -> dict[str, Any]:
        triage = function("TriageFunction")
        program = _FUNCTION.format(name=triage.logical_id, event=str(self.event(triage)))
        status = _child(program, triage.code_dir, self.environment(triage))[1]
        if status != "ok":
            raise RuntimeError(f"triaging the seeded report failed: {status}")
        return self._snapshot()

    def _appconfig_agent(self) -> AppConfigAgent:
        """The deployed policy read, as in AWS: a stand-in AppConfig agent serving the packaged
        policy under the template's AppConfig names, which every child gets with its port, so a
        cold first answer counts the provider's import (boto3 with it) and the read."""
        variables = function("IntakeFunction").environment  # the Globals', the same for all
        names = {name: str(self.resources.resolve(variables[name])) for name in POLICY_NAMES}
        agent = AppConfigAgent().start()
        agent.deploy(names["ASB_POLICY_APPLICATION"], names["ASB_POLICY_ENVIRONMENT"],
                     names["ASB_POLICY_PROFILE"], (ROOT / "shared/asb/policy" / SEED_POLICY).read_bytes())
        self.policy_read = {**names, "AWS_APPCONFIG_EXTENSION_HTTP_PORT": str(agent.port)}
        return agent

    def stop(self) -> None:
        self.server.stop()
        self.agent.stop()
        shutil.rmtree(self.events, ignore_errors=True)


def compiled_layers(into: Path) -> dict[Path, Path]:
    """Each of our layers' folders (a ContentUri) to a copy of its packages under `into`, compiled
    by this interpreter as the layer's Makefile compiles them: the Jinja2 templates to modules,
    and every module's bytecode, not checked against the source's time. The build machine's own
    __pycache__ is left out."""
    return {layer: compiled_layer(layer, into / layer.name)
            for layer in sorted({layer for spec in functions() for layer in spec.layers})}


def compiled_layer(folder: Path, target: Path) -> Path:
    """One layer folder's packages copied to `target` and compiled as its Makefile compiles them
    (the domain layer's templates by the folder's own asb.kernel.templates, where it has one:
    bench/cold_compare builds an earlier commit's layers with this too)."""
    for package in sorted(folder.iterdir()):
        if (package / "__init__.py").is_file():
            shutil.copytree(package, target / package.name,
                            ignore=shutil.ignore_patterns("__pycache__"))
    if (target / "asb" / "kernel" / "templates.py").is_file():
        subprocess.run([sys.executable, "-m", "asb.kernel.templates", str(target / "asb")],
                       env={**os.environ, "PYTHONPATH": str(target)}, check=True,
                       capture_output=True)
    if not compileall.compile_dir(target, quiet=1, force=True,
                                  invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH):
        raise RuntimeError(f"compiling {folder.name}'s packages failed")
    return target


def _tables() -> list[Any]:
    from moto.dynamodb.models import dynamodb_backends

    from infra.local.resources import ACCOUNT, REGION

    return list(dynamodb_backends[ACCOUNT][REGION].tables.values())


def _child(program: str, cwd: Path, environment: dict[str, str]) -> tuple[float, str, Any]:
    done = subprocess.run([sys.executable, "-c", program], cwd=cwd, env=environment,
                          capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH ")]
    if done.returncode or not lines:
        raise RuntimeError(f"{cwd.name}: {done.stderr.strip().splitlines()[-1:]}")
    took, status, body = json.loads(lines[-1][len("BENCH "):])
    return float(took), str(status), body


def first_answer(local: LocalAws, spec: FunctionSpec, runs: int = RUNS,
                 program: str | None = None, name: str | None = None) -> Answer:
    """The fastest of the function's cold first answers (or of another program's, run as it
    would be) and of the floor's, run in turn: on a shared machine the fastest round is the
    figure its noise moves least (a median of five moved a ratio by 0.5 within the hour)."""
    program = program or _FUNCTION.format(name=spec.logical_id, event=str(local.event(spec)))
    floors, answers, statuses = [], [], set()
    for _ in range(runs):
        environment = local.fresh(spec)
        floors.append(_child(_FLOOR, spec.code_dir, environment)[0])
        took, status, _ = _child(program, spec.code_dir, environment)
        answers.append(took)
        statuses.add(status)
    return Answer(name or spec.name, min(answers) * 1000, min(floors) * 1000,
                  "/".join(sorted(statuses)))


def measure(runs: int = RUNS, only: set[str] | None = None) -> list[Answer]:
    from bench.cold_libraries import KEPT, kept

    local = LocalAws()
    try:
        answers = [first_answer(local, spec, runs) for spec in functions()
                   if spec.name not in NOT_MEASURED and (only is None or spec.name in only)]
        spec, program = kept(local)
        return [*answers, first_answer(local, spec, runs, program, KEPT)]
    finally:
        local.stop()


def print_table(answers: list[Answer]) -> None:
    from bench.package_size import deployed_mb, function_size

    print(f"cold first answer: a fresh process imports the handler and answers its sample event "
          f"from events/, fastest of {RUNS} rounds (each the floor, then the function)")
    print(f"  floor = {FLOOR}")
    print("  our layers' code: " + ("source, compiled at each cold start (BENCH_SOURCE=1)"
                                    if FROM_SOURCE else "bytecode, as the layers' Makefiles ship it"))
    specs = {spec.name: spec for spec in functions()}
    kept = next((a.ratio for a in answers if a.function not in specs), None)
    print(f"  {'function':<20} {'time':>9}  {'floor':>9}  {'ratio':>5}  {'goal':>4}  "
          f"{'> kept':>6}  {'answer':>6}  {'code':>7}  {'with layers, zipped / unzipped':>30}")
    for answer in sorted(answers, key=lambda a: a.ratio):
        if answer.function not in specs:  # the kept libraries: a line of its own, below
            continue
        spec = specs[answer.function]
        zipped, unzipped = deployed_mb(spec)
        over = "  OVER" if answer.ratio > answer.goal else ""
        above = f"{answer.ratio - kept:+6.2f}" if kept is not None else f"{'':>6}"
        print(f"  {answer.function:<20} {answer.ms:6.0f} ms  {answer.floor_ms:6.0f} ms  "
              f"{answer.ratio:5.2f}  {answer.goal:4.1f}  {above}  {answer.status:>6}  "
              f"{function_size(spec)[0] / 1e3:5.1f} KB  {zipped:14.1f} MB / {unzipped:5.1f} MB"
              f"{over}")
    print("  goal: 1.5 x the floor for report_form, tracking and console, 2.0 x for the rest; "
          "Lambda's limit 250 MB unzipped")
    print("  > kept: the ratio beyond the kept libraries' (below): what a function's own code and "
          "its other libraries add, in floors")
    for answer in answers:
        if answer.function not in specs:
            print(f"  {answer.function}: {answer.ms:.0f} ms, floor {answer.floor_ms:.0f} ms, "
                  f"ratio {answer.ratio:.2f}: boto3 reading the case, Powertools' logger, "
                  "resolver and AppConfig provider, pydantic and Jinja2 answering the tracking "
                  "page's event (bench/cold_libraries.py)")


def main() -> None:
    only = set(sys.argv[1:]) or None
    print_table(measure(only=only))


if __name__ == "__main__":
    main()
