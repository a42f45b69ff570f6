"""The whole service on one machine: moto as the local AWS, template.yaml's functions behind
Chalice's local gateway, queue and stream pollers, and the schedules."""

from __future__ import annotations

import json
import logging
import os
import threading
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chalice.app import Chalice, Response
from chalice.local import LocalDevServer

from asb.kernel.settings import policy_file
from infra.local import functions as local_functions
from infra.local import sign_in
from infra.local.gateway import GatewayResponse, build_app, current_request, serve
from infra.local.policy_watch import PolicyWatcher
from infra.local.pollers import Poller, QueuePoller, StreamPoller
from infra.local.resources import REGION, LocalResources
from infra.local.schedules import Schedule, Scheduler
from infra.local.template import TEMPLATE, FunctionSpec, functions, load_template

if TYPE_CHECKING:
    from infra.local.local_aws import LocalAws
    from infra.local.put_back import MadeNames

log = logging.getLogger("asb.local")

# What every function and client in this process sees: the local AWS and fake credentials.
LOCAL_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    # botocore sends DynamoDB Streams calls to account-based hosts moto does not answer.
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "POWERTOOLS_TRACE_DISABLED": "true",
}


@dataclass
class LocalRuntime:
    template_path: Path = TEMPLATE
    host: str = "127.0.0.1"
    api_port: int = 3000
    aws_port: int = 4566
    retry_delay: int | None = None
    schedules_on_clock: bool = True
    stack_name: str = "asb-local"
    fictional_homes: int = 3_000  # the landlord make dev starts with (0: an empty register)
    _saved_environment: dict[str, str | None] = field(default_factory=dict)
    _threads: list[Poller | Scheduler] = field(default_factory=list)
    resources: LocalResources | None = None
    scheduler: Scheduler | None = None
    loaded: dict[str, local_functions.LocalFunction] = field(default_factory=dict)
    kept: KeptLocalAws | None = None  # a local AWS that outlives this runtime (the e2e tests')
    _moto: Any = None
    _server: LocalDevServer | None = None
    _server_thread: threading.Thread | None = None

    @property
    def aws_endpoint(self) -> str:
        return f"http://{self.host}:{self.aws_port}"

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.api_port}"

    # ------------------------------------------------------------------ start and stop
    def start(self) -> LocalRuntime:
        from infra.local.local_aws import LocalAws, mend

        for noisy in ("werkzeug", "botocore", "boto3"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        mend()
        if self.kept:
            self._moto = self.kept.started(self.host)
        else:
            self._moto = LocalAws(ip_address=self.host, port=self.aws_port, verbose=False)
            self._moto.start()
        self.aws_port = self._moto.port  # the one it took, where any free one was asked for (0)
        self._set_environment({**LOCAL_ENVIRONMENT, "AWS_ENDPOINT_URL": self.aws_endpoint})
        template = load_template(self.template_path)
        session = _session()
        if self.kept:
            self.resources = self.kept.resources(self.template_path, self.stack_name, template,
                                                 session)
        else:
            self.resources = _made_afresh(self.aws_endpoint, self.stack_name, template, session)
        self._seed_partners(session)
        specs = functions(template, self.template_path.parent)
        self._set_environment(self._function_environment(specs))
        # The console signs in at the local stand-in for Cognito's hosted UI (infra.local.sign_in).
        self._set_environment({"STAFF_SIGN_IN_URL": sign_in.PREFIX,
                               "PUBLIC_BASE_URL": self.api_url})
        self.loaded = {spec.logical_id: local_functions.load(spec) for spec in specs}
        self._seed_landlord(session)
        self._start_api()
        self._start_pollers()
        return self

    def stop(self) -> None:
        for thread in self._threads:
            thread.stop()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._server:
            self._server.shutdown()
            self._server.server.server_close()
        if self._server_thread:
            self._server_thread.join(timeout=5)
        if self.kept and any(thread.is_alive() for thread in self._threads):
            # A poller still at work would write into the next runtime's emptied resources.
            self.kept.forget()
        self._threads.clear()
        if self._moto and not self.kept:
            self._moto.stop()
        for name, value in self._saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_environment.clear()

    def __enter__(self) -> LocalRuntime:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ pieces
    def _seed_partners(self, session: Any) -> None:
        from asb.partners.store import DynamoDBPartnerStore
        from infra.local.partners import seed

        assert self.resources
        if "CasesTable" not in self.resources.template["Resources"]:
            return  # a test template of the runtime's own

        seed(DynamoDBPartnerStore(session.client("dynamodb"),
                                  str(self.resources.ref("CasesTable"))))

    def _seed_landlord(self, session: Any) -> None:
        """An empty register gets the fictional landlord's homes and tenancies through the
        import (its two files also put in the import bucket, as a landlord's would be)."""
        from asb.homes.service import RegisterImport
        from asb.homes.store import DynamoDBRegisterStore
        from asb.kernel.clock import SystemClock
        from infra.local.landlord import fictional_landlord

        assert self.resources
        if "HomesImportBucket" not in self.resources.template["Resources"]:
            return  # a test template of the runtime's own
        store = DynamoDBRegisterStore(session.client("dynamodb"),
                                      str(self.resources.ref("HomesTable")))
        if not self.fictional_homes or store.homes_owned():
            return
        landlord = fictional_landlord(homes=self.fictional_homes)
        bucket = str(self.resources.ref("HomesImportBucket"))
        for name, text in (("homes", landlord.homes_csv), ("tenancies", landlord.tenancies_csv)):
            session.client("s3").put_object(Bucket=bucket, Body=text.encode(),
                                            Key=f"imports/fictional-landlord/{name}.csv")
        report = RegisterImport(store, SystemClock()).load(landlord)
        if report.outcome != "loaded":
            raise RuntimeError(f"the fictional landlord did not load: {report.as_dict()}")
        log.info("fictional landlord loaded: %s", report.summary.in_words())

    def deliver_object_created(self, bucket: str, key: str, size: int) -> list[dict[str, Any]]:
        """S3's ObjectCreated event to each function whose trigger wants it (infra.local.
        s3_notifications): what each answered."""
        from infra.local import s3_notifications

        assert self.resources
        return s3_notifications.deliver(list(self.loaded.values()), self.resources, bucket, key,
                                        size)

    def _set_environment(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            self._saved_environment.setdefault(name, os.environ.get(name))
            os.environ[name] = value

    def _function_environment(self, specs: list[FunctionSpec]) -> dict[str, str]:
        assert self.resources
        merged: dict[str, str] = {}
        for spec in specs:
            for name, value in self.resources.environment(spec.environment).items():
                if merged.get(name, value) != value:
                    raise ValueError(f"{name} differs between functions; the local runtime "
                                     "runs them in one process and needs one value")
                merged[name] = value
        return merged

    def _routes(self) -> list[tuple[str, str, local_functions.LocalFunction]]:
        return [
            (t.properties["Path"], t.properties["Method"].upper(), function)
            for function in self.loaded.values()
            for t in function.spec.triggers
            if t.kind == "Api"
        ]

    def _protected(self) -> set[tuple[str, str]]:
        """Routes behind an authoriser: the Api's default unless the event says NONE."""
        assert self.resources
        default = None
        for resource in self.resources.template["Resources"].values():
            if resource["Type"] == "AWS::Serverless::Api":
                default = resource["Properties"].get("Auth", {}).get("DefaultAuthorizer")
        guarded = set()
        for function in self.loaded.values():
            for t in function.spec.triggers:
                if t.kind != "Api":
                    continue
                authoriser = t.properties.get("Auth", {}).get("Authorizer", default)
                if authoriser and authoriser != "NONE":
                    guarded.add((t.properties["Path"], t.properties["Method"].upper()))
        return guarded

    def _stage(self) -> str:
        assert self.resources
        for resource in self.resources.template["Resources"].values():
            if resource["Type"] == "AWS::Serverless::Api":
                return str(self.resources.resolve(resource["Properties"]["StageName"]))
        return "local"

    def _start_api(self) -> None:
        from infra.local.local_aws import STOP_POLL

        app = build_app(self._routes(), self._stage(), extra=self._control_routes,
                        protected=self._protected())
        assert self.resources
        self._server = serve(app, self.host, self.api_port, GatewayResponse.of(
            self.resources.template, "MISSING_AUTHENTICATION_TOKEN"))
        self._server_thread = threading.Thread(
            target=self._server.server.serve_forever, kwargs={"poll_interval": STOP_POLL},
            name="api", daemon=True)
        self._server_thread.start()

    def _start_pollers(self) -> None:
        assert self.resources
        schedules = []
        for function in self.loaded.values():
            for trigger in function.spec.triggers:
                if trigger.kind == "SQS":
                    self._threads.append(QueuePoller(function, trigger, self.resources,
                                                     self.retry_delay, self._moto.queue_activity))
                elif trigger.kind == "DynamoDB":
                    self._threads.append(StreamPoller(function, trigger, self.resources,
                                                      self._moto.table_activity))
                elif trigger.kind in ("Schedule", "ScheduleV2"):
                    schedules.append(Schedule.from_trigger(function, trigger))
        self.scheduler = Scheduler(schedules)
        if self.schedules_on_clock:
            self._threads.append(self.scheduler)
        named = policy_file()
        if named:  # another landlord's document: a change to it is taken up while running
            watcher = PolicyWatcher(Path(named), self.reload_functions,
                                    record=self.record_policy_change)
            watcher.record_start()
            self._threads.append(watcher)
        for thread in self._threads:
            thread.start()

    def record_policy_change(self, key: str, landlord: str, version: str) -> None:
        """A policy make dev took up, recorded as a change through the deployed path's service."""
        from asb import bootstrap
        from asb.kernel.settings import CaseSettings
        from asb.policy_changes.models import LOCAL_WATCHER, ChangeState

        assert self.resources
        if "CasesTable" not in self.resources.template["Resources"]:
            return  # a test template of the runtime's own
        changes = bootstrap.policy_changes(
            CaseSettings(cases_table=str(self.resources.ref("CasesTable"))),
            bootstrap.Clients(dynamodb=self.resources.session.client("dynamodb")))
        changes.record(key=key, landlord=landlord, to_version=version,
                       state=ChangeState.COMPLETED, by=LOCAL_WATCHER)

    def reload_functions(self) -> None:
        """Every function with fresh modules (a changed policy document, infra.local.policy_watch)."""
        local_functions.reload(list(self.loaded.values()))

    def _control_routes(self, app: Chalice) -> None:
        """Local-only controls, under /_local: not part of the API and never deployed."""
        sign_in.install(app)

        @app.route("/_local/s3/object-created", methods=["POST"], content_types=["*/*"])
        def object_created() -> Response:
            request = current_request(app).json_body or {}
            delivered = self.deliver_object_created(str(request["bucket"]), str(request["key"]),
                                                    int(request.get("size") or 0))
            return Response(body=json.dumps({"delivered": delivered}, default=str),
                            status_code=200, headers={"Content-Type": "application/json"})

        @app.route("/_local/tick", methods=["POST"], content_types=["*/*"])
        def tick() -> Response:
            request = current_request(app).json_body or {}
            at = datetime.fromisoformat(request["at"].replace("Z", "+00:00")) if request.get(
                "at") else None
            assert self.scheduler
            fired = self.scheduler.tick(at, request.get("schedule"))
            return Response(body=json.dumps({"fired": fired}), status_code=200,
                            headers={"Content-Type": "application/json"})


def _made_afresh(endpoint: str, stack_name: str, template: dict[str, Any],
                 session: Any) -> LocalResources:
    """The template's resources, made in a local AWS reset first: moto keeps its state per
    process, and a runtime starts from an empty local AWS."""
    reset = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    urllib.request.urlopen(reset, timeout=10).close()
    return LocalResources(stack_name, template, session).create_all()


@dataclass
class KeptLocalAws:
    """One local AWS for the runtimes a process starts one after another (the e2e tests': one per
    test module). The first runtime makes the template's resources; a later runtime of the same
    template and stack finds them as made, emptied of what the one before left
    (infra.local.put_back), instead of making them again: about 1.5 s of CPU a start, nearly all
    of a runtime's. A runtime of another template, or one whose resources a reset took meanwhile
    (moto's own mock in the integration tests resets the same backends), makes them afresh."""

    server: LocalAws | None = None
    _made: tuple[tuple[Path, str], LocalResources, MadeNames] | None = None

    def started(self, host: str) -> LocalAws:
        from infra.local.local_aws import LocalAws

        if self.server is None:
            self.server = LocalAws(ip_address=host, port=0, verbose=False)
            self.server.start()
        return self.server

    def resources(self, template_path: Path, stack_name: str, template: dict[str, Any],
                  session: Any) -> LocalResources:
        from infra.local.put_back import MadeNames, put_back

        key = (template_path.resolve(), stack_name)
        assert self.server, "started() first"
        with self.server.app.lock:  # no request of a runtime before is answered meanwhile
            if self._made and self._made[0] == key and self._made[2].still_there():
                put_back(self._made[2])
                return self._made[1]
        host, port = self.server.get_host_and_port()
        resources = _made_afresh(f"http://{host}:{port}", stack_name, template, session)
        self._made = (key, resources, MadeNames.now())
        return resources

    def forget(self) -> None:
        """The next runtime makes the resources afresh, on a reset local AWS."""
        self._made = None

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
        self.forget()


_service_models: Any = None  # botocore's data loader, and what it has read, for this process


def _session() -> Any:
    """A new boto3 session for each start (credentials and endpoint read afresh) that reads
    botocore's service models through one loader per process: each start read them again, a
    quarter of a second of its CPU (the models are botocore's files, read-only)."""
    import boto3
    import botocore.session

    global _service_models
    core = botocore.session.get_session()
    if _service_models is None:
        _service_models = core.get_component("data_loader")
    else:
        core.register_component("data_loader", _service_models)
    session = boto3.Session(region_name=REGION, botocore_session=core)
    search_paths = _service_models.search_paths  # each session adds boto3's own folder again
    search_paths[:] = list(dict.fromkeys(search_paths))
    return session
