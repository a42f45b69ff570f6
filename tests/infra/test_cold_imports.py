"""What a handler imports at cold start (issue 20, item 7): a route loads the modules it uses,
not another function's service. Each check is a fresh interpreter in the function's folder, with
its layers on the path, importing its handler as Lambda does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from typing import Any

from infra.local.resources import NOT_GIVEN_LOCALLY
from infra.local.runtime import LOCAL_ENVIRONMENT
from infra.local.template import FunctionSpec, functions

# One fresh interpreter a function answers every question these tests ask of its handler's
# import: the modules it loaded; the models of ours built with their class rather than at their
# first use; which of the named models the handler loaded are built; then (importing its module
# if the handler did not) which classes of the timeline's answer (its TimelineEntry and what it
# derives from) are.
_PROBE = (
    "import importlib, json, sys; import app; import pydantic\n"
    "loaded = sorted(sys.modules)\n"
    "def undeferred(cls):\n"
    "    for sub in cls.__subclasses__():\n"
    "        ours = sub.__module__ == 'app' or sub.__module__.startswith(('asb.', 'asb_pdf.'))\n"
    "        yield from [f'{{sub.__module__}}.{{sub.__qualname__}}'] if ours and not "
    "sub.model_config.get('defer_build') else []\n"
    "        yield from undeferred(sub)\n"
    "built_with_the_class = sorted(set(undeferred(pydantic.BaseModel)))\n"
    "def model(name):\n"
    "    module, _, cls = name.rpartition('.')\n"
    "    return getattr(importlib.import_module(module), cls)\n"
    "built = {{name: model(name).__pydantic_complete__ for name in {models!r} "
    "if name.rpartition('.')[0] in loaded}}\n"
    "timeline = [k.__name__ for k in model('asb.web.case_responses.TimelineEntry').__mro__ "
    "if isinstance(k, type) and issubclass(k, pydantic.BaseModel) "
    "and k not in (pydantic.BaseModel, pydantic.RootModel) and k.__pydantic_complete__]\n"
    "print(json.dumps({{'loaded': loaded, 'built_with_the_class': built_with_the_class, "
    "'built': built, 'timeline': timeline}}))")
_RECORDS = [f"asb.case.records.{model}" for model in
            ("Measure", "Evidence", "CaseReview", "Disclosure", "Survey", "MeasureChange")]
_CASE_ANSWERS = ["asb.web.case_responses.CaseSummary", "asb.web.case_responses.ListedCase",
                 "asb.web.staff_answers.CaseList", "asb.web.staff_answers.CaseView"]
_NAMED_MODELS = [*_RECORDS, *_CASE_ANSWERS, "asb.web.staff_api.CaseChanged"]


@cache  # each function's handler imported once, for every test that asks about it
def _probe(name: str) -> dict[str, Any]:
    probed: dict[str, Any] = _after_import(name, _PROBE.format(models=_NAMED_MODELS))
    return probed


def _loaded_by(name: str) -> frozenset[str]:
    return frozenset(_probe(name)["loaded"])


def _built_at_import(name: str, models: list[str]) -> dict[str, bool]:
    """Whether each model is built once the handler is imported: each must be one the handler
    loaded (KeyError otherwise), or the answer would say nothing of the handler."""
    return {model: _probe(name)["built"][model] for model in models}


def _after_import(name: str, code: str, deployed: dict[str, str] | None = None) -> Any:
    """What `code` prints last, run where the handler is imported as Lambda does (with the
    template's AppConfig names and the agent's port when `deployed` gives them)."""
    spec = next(spec for spec in functions() if spec.name == name)
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("AWS_", "POWERTOOLS_", "ASB_POLICY_"))}
    environment.update(LOCAL_ENVIRONMENT, **_settings(spec),
                       AWS_ENDPOINT_URL="http://127.0.0.1:9",  # no call is made at import
                       PYTHONPATH=os.pathsep.join(str(layer) for layer in spec.layers))
    environment.update(deployed or {})
    done = subprocess.run([sys.executable, "-c", code], cwd=spec.code_dir, env=environment,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def _settings(spec: FunctionSpec) -> dict[str, str]:
    """The template's variables as the local runtime gives them (no AppConfig names: the policy
    is its file), a reference (a table, a key) standing in as "1"."""
    return {key: value if isinstance(value, str) else "1"
            for key, value in spec.environment.items() if key not in NOT_GIVEN_LOCALLY}


def test_the_tracking_page_does_not_load_the_staff_service() -> None:
    loaded = _loaded_by("tracking")
    assert {"asb.tracking.links", "asb.casework.store"} <= loaded  # what it does use
    assert not loaded & {"asb.casework.service", "asb.casework.views", "asb.reporting.regulator",
                         "asb.case_review.process", "asb.reporting.equality", "asb.intake.service"}
    assert "asb.web.pages" in loaded
    assert not loaded & {"asb.web.journey_pages", "asb.web.report_journey", "asb.web.report_form"}


def test_retention_does_not_load_the_reporters_service() -> None:
    loaded = _loaded_by("retention")
    assert {"asb.data_protection.retention_store", "asb.tracking.store"} <= loaded
    assert not loaded & {"asb.tracking.links", "asb.tracking.reporter_page", "asb.tracking.models",
                         "asb.case.complainants"}


def test_the_daily_digest_does_not_load_the_staff_service() -> None:
    loaded = _loaded_by("daily_digest")
    assert {"asb.due_work.digest", "asb.due_work.sweep"} <= loaded
    assert not loaded & {"asb.casework.service", "asb.casework.views", "asb.casework.store"}


def test_the_staff_reads_do_not_load_triage() -> None:
    loaded = _loaded_by("case_queries")
    assert {"asb.web.staff_api", "asb.casework.service"} <= loaded
    assert "asb.kernel.errors" in loaded  # where the staff API finds InvalidOverride
    assert not loaded & {"asb.triage.service", "asb.triage.assignment"}


def test_intake_and_triage_do_not_build_the_case_records() -> None:
    """A case's records are built at their first use (defer_build): intake and triage write a
    case's records never."""
    for function in ("intake", "triage"):
        assert not any(_built_at_import(function, _RECORDS).values()), function


def test_the_staff_functions_build_no_answer_at_import() -> None:
    """The staff API's answers are built when a route first answers with one: importing case
    work builds no record and not even CaseChanged, the answer of every write; importing the
    case queries builds none of the case's answers."""
    built = _built_at_import("case_work", [*_RECORDS, "asb.web.staff_api.CaseChanged"])
    assert not any(built.values()), built
    built = _built_at_import("case_queries", [*_CASE_ANSWERS, "asb.web.staff_api.CaseChanged"])
    assert not any(built.values()), built


def test_the_functions_that_only_write_a_case_do_not_load_its_answers() -> None:
    """Case work, court bundles and data protection answer a write with CaseChanged (or their own
    answer): the read side's answers (web.staff_answers and the case's parts, fifty-odd models)
    are the reading functions' alone."""
    read_side = {"asb.web.staff_answers", "asb.web.case_responses", "asb.web.figures_responses",
                 "asb.web.meeting_responses", "asb.web.safeguarding_responses"}
    for function in ("case_work", "court_bundles", "data_protection"):
        loaded = _loaded_by(function)
        assert "asb.web.staff_api" in loaded  # what it does use
        assert not loaded & read_side, (function, loaded & read_side)
    assert read_side <= _loaded_by("case_queries")


# Every pydantic model of our layers' packages whose schema is built with its class rather than
# at its first use.
_BUILT_WITH_THE_CLASS = (
    "import importlib, json, pkgutil; import pydantic; import asb, asb_pdf\n"
    "for package in (asb, asb_pdf):\n"
    "    for found in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
    "        importlib.import_module(found.name)\n"
    "def undeferred(cls):\n"
    "    for sub in cls.__subclasses__():\n"
    "        ours = sub.__module__.startswith(('asb.', 'asb_pdf.'))\n"
    "        yield from [f'{sub.__module__}.{sub.__qualname__}'] if ours and not "
    "sub.model_config.get('defer_build') else []\n"
    "        yield from undeferred(sub)\n"
    "print(json.dumps(sorted(set(undeferred(pydantic.BaseModel)))))")


def test_every_model_of_ours_is_built_at_its_first_use() -> None:
    """defer_build everywhere: a function builds the models its answer uses and no other (the
    report's, the case's, a route's body and answer), so no import pays for another route's."""
    from infra.local.template import ROOT

    assert _after_import("court_bundles", _BUILT_WITH_THE_CLASS) == []  # both layers, whole
    declaring = sorted(path.parent.name for path in (ROOT / "functions").glob("*/app.py")
                       if "(BaseModel)" in path.read_text())
    assert declaring  # the check below reaches the handlers' own answers
    for function in declaring:
        assert _probe(function)["built_with_the_class"] == [], function


def test_the_staff_functions_load_the_years_reporting_only_where_a_route_answers_it() -> None:
    for function in ("partners", "case_work"):
        loaded = _loaded_by(function)
        assert "asb.casework.service" in loaded
        assert not loaded & {"asb.reporting.regulator", "asb.reporting.equality",
                             "asb.reporting.tenant_survey", "asb.case_review.process"}, function


def test_the_staff_functions_do_not_build_the_timeline_at_import() -> None:
    """A case's timeline (a discriminated union of every kind of entry) is built at the first
    answer with a case, like the rest of the case answers: not as a RootModel[...] made whole
    when the class is."""
    for function in ("case_work", "case_queries"):
        assert _probe(function)["timeline"] == [], function


# The report form's first answers, as Lambda gives them: GET /, then a page that lists no homes.
_FORM_ANSWERED = (
    "import json, sys, types; import app\n"
    "context = types.SimpleNamespace(function_name='f', function_version='1', "
    "invoked_function_arn='arn', memory_limit_in_mb=256, aws_request_id='r', "
    "log_group_name='g', log_stream_name='s', get_remaining_time_in_millis=lambda: 1000)\n"
    "answered = [app.lambda_handler(json.load(open({events!r} + name)), context)['statusCode'] "
    "for name in ('/report_form-get.json', '/report_form-next-page.json')]\n"
    "print(json.dumps([answered, sorted(sys.modules)]))")


def test_the_report_forms_pages_load_no_boto3_until_a_postcode_is_looked_up() -> None:
    """Issue 20's goal for the form's first answer: GET / and the pages that list no homes load
    neither boto3 nor the homes register's adapter (issue 21); a postcode's list does."""
    from infra.local.template import ROOT

    answered, loaded = _after_import("report_form",
                                     _FORM_ANSWERED.format(events=str(ROOT / "events")))
    assert answered == [200, 200]
    # (Powertools loads botocore's package itself; its client and exceptions are the SDK's.)
    assert not set(loaded) & {"boto3", "botocore.client", "botocore.exceptions",
                              "asb.homes.store", "asb.bootstrap",
                              "aws_lambda_powertools.utilities.parameters"}
    assert "asb.web.report_journey" in loaded  # what it does use


def test_the_report_forms_pages_read_the_deployed_policy_without_boto3() -> None:
    """In AWS every function reads its policy through Powertools' AppConfigExtensionProvider. The
    parameters utility's package imports boto3 for its other providers; the provider's own module
    is imported without it (asb.kernel.imports), so the form's first answers still load no boto3,
    no homes adapter, no bootstrap and no document model."""
    from infra.local.appconfig_agent import AppConfigAgent
    from infra.local.template import ROOT

    names = {"ASB_POLICY_APPLICATION": "asb", "ASB_POLICY_ENVIRONMENT": "service",
             "ASB_POLICY_PROFILE": "landlord-policy"}
    with AppConfigAgent() as agent:
        agent.deploy("asb", "service", "landlord-policy",
                     (ROOT / "shared/asb/policy/landlords/magna.json").read_bytes())
        answered, loaded = _after_import(
            "report_form", _FORM_ANSWERED.format(events=str(ROOT / "events")),
            deployed={**names, "AWS_APPCONFIG_EXTENSION_HTTP_PORT": str(agent.port)})
        assert len(agent.asked) == 1  # read once, at import
    assert answered == [200, 200]
    assert {"aws_lambda_powertools.utilities.parameters.appconfig_extension",
            "asb.policy.deployed"} <= set(loaded)
    assert not set(loaded) & {"boto3", "botocore.client", "asb.homes.store", "asb.bootstrap",
                              "asb.policy.document",
                              "aws_lambda_powertools.utilities.parameters.ssm"}


def test_intake_reads_the_homes_register_without_loading_its_import() -> None:
    """Intake reads homes and tenancies (DynamoDBHomesRegister); the export files' reader and
    the merge are the import function's alone."""
    loaded = _loaded_by("intake")
    assert "asb.homes.store" in loaded  # what it does use
    assert not loaded & {"asb.homes.register_import", "asb.homes.export_files",
                         "asb.homes.service"}


def test_case_work_asks_for_warning_letters_without_the_pdf_layer() -> None:
    """A warning letter is drawn by the notifications function: case work only queues it."""
    loaded = _loaded_by("case_work")
    assert "asb.enforcement.letters" in loaded
    assert not loaded & {"fpdf", "asb_pdf", "asb.notifications.channels",
                         "asb.notifications.warnings"}


def test_the_court_bundle_is_drawn_by_its_own_function_not_by_case_work() -> None:
    """A bundle's PDF (fpdf2, the fonts, pillow for photos) is its own function's: the staff
    writes load none of it, nor the bundle's rules."""
    bundle = {"asb.enforcement.bundles", "asb.enforcement.bundle_pdf",
              "asb.enforcement.redaction", "asb_pdf"}
    assert bundle <= _loaded_by("court_bundles")
    assert not _loaded_by("case_work") & {*bundle, "fpdf", "PIL"}


def test_the_landlords_policy_is_read_as_shipped_json_not_checked_again() -> None:
    """Issue 24: config.py reads the packaged JSON with the stdlib; the document model (pydantic)
    and PyYAML are for the build, the checks and the tests, never a handler's import."""
    for name in ("intake", "triage", "tracking"):
        loaded = _loaded_by(name)
        assert "asb.policy.config" in loaded
        assert not loaded & {"asb.policy.document", "yaml"}, name
