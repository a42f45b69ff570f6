"""The deployed policy read (asb.policy.deployed): a function with the three AppConfig names reads
its landlord's document from the AppConfig Agent extension at import, here a stand-in agent
(infra.local.appconfig_agent) serving the path Powertools' provider asks. Each case runs
asb.policy.config in a fresh interpreter, since it reads its document at import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from asb.kernel.settings import (
    POLICY_APPCONFIG_VARIABLES,
    MissingSetting,
    PolicyAppConfig,
    policy_appconfig,
)
from infra.local.appconfig_agent import AppConfigAgent
from tests.conftest import ROOT

LANDLORDS = ROOT / "shared/asb/policy/landlords"
NAMES = {"ASB_POLICY_APPLICATION": "asb-policy", "ASB_POLICY_ENVIRONMENT": "prod",
         "ASB_POLICY_PROFILE": "landlord-policy"}
_CONFIG = """
import json, sys
import asb.policy.config as config
print("CONFIG " + json.dumps({"version": config.POLICY_VERSION, "landlord": config.LANDLORD,
      "categories": sorted(config.FIRST_RESPONSE_WORKING_DAYS),
      "boto3": "boto3" in sys.modules}))
"""


@pytest.fixture
def agent() -> Iterator[AppConfigAgent]:
    with AppConfigAgent() as running:
        yield running


def deploy(agent: AppConfigAgent, content: bytes) -> None:
    agent.deploy("asb-policy", "prod", "landlord-policy", content)


def _run(agent: AppConfigAgent | None, before: str = "",
         **extra: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items()
           if name not in {*NAMES, "ASB_POLICY_FILE", "AWS_APPCONFIG_EXTENSION_HTTP_PORT"}}
    env["PYTHONPATH"] = str(ROOT / "shared")
    if agent is not None:
        env.update(NAMES, AWS_APPCONFIG_EXTENSION_HTTP_PORT=str(agent.port))
    env.update(extra)
    return subprocess.run([sys.executable, "-c", before + _CONFIG], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def _logged(ran: subprocess.CompletedProcess[str]) -> list[Any]:
    return [json.loads(line) for line in ran.stdout.splitlines() if line.startswith("{")]


def config(agent: AppConfigAgent | None, **extra: str) -> tuple[dict[str, Any], list[Any]]:
    """asb.policy.config's landlord, version and categories as a fresh process reads them, and
    the log lines it wrote."""
    ran = _run(agent, **extra)
    assert ran.returncode == 0, ran.stderr[-2000:]
    lines = ran.stdout.splitlines()
    (read,) = [json.loads(line[len("CONFIG "):]) for line in lines if line.startswith("CONFIG ")]
    return read, _logged(ran)


def start_fails(agent: AppConfigAgent | None, before: str = "",
                **extra: str) -> tuple[str, list[Any]]:
    """The import of asb.policy.config fails in a fresh process (as a function's start would):
    the exception's last line and the log lines written."""
    started = time.monotonic()
    ran = _run(agent, before, **extra)
    assert ran.returncode != 0 and "CONFIG " not in ran.stdout, ran.stdout[-2000:]
    assert time.monotonic() - started < 20
    return ran.stderr.strip().splitlines()[-1], _logged(ran)


def test_the_deployed_document_is_the_one_used(agent: AppConfigAgent) -> None:
    deploy(agent, (LANDLORDS / "fenmoor.json").read_bytes())
    read, logged = config(agent)
    assert read == {"version": "fenmoor-2026.1", "landlord": "Fenmoor Homes (a fictional "
                    "second landlord)", "categories": ["A", "B"], "boto3": False}
    assert logged == []
    assert agent.asked == ["/applications/asb-policy/environments/prod/configurations/"
                           "landlord-policy"]


def test_no_deployment_keeps_the_packaged_seed_with_a_warning(agent: AppConfigAgent) -> None:
    read, logged = config(agent)  # nothing deployed: the agent answers 404
    assert (read["version"], read["categories"]) == ("magna-2026.1", ["A", "B", "C"])
    (warning,) = logged
    assert warning["level"] == "WARNING" and warning["message"] == "deployed policy not used"
    assert "returned HTTP 404" in warning["reason"] and len(agent.asked) == 1  # not retried
    assert warning["policy_version"] == "magna-2026.1" and warning["profile"] == "landlord-policy"


def test_a_passing_failure_is_tried_again_and_the_deployed_document_used(
        agent: AppConfigAgent) -> None:
    deploy(agent, (LANDLORDS / "fenmoor.json").read_bytes())
    agent.failing = [500, 503]  # the agent's hiccup: two 5xx, then the document
    read, logged = config(agent)
    assert (read["version"], logged) == ("fenmoor-2026.1", [])
    assert len(agent.asked) == 3


def test_a_failure_that_persists_fails_the_start_instead_of_using_the_seed(
        agent: AppConfigAgent) -> None:
    deploy(agent, (LANDLORDS / "fenmoor.json").read_bytes())
    agent.failing_always = 500
    last, logged = start_fails(agent)
    assert last.startswith("asb.policy.deployed.PolicyUnavailable: AWS AppConfig Agent Lambda "
                           "extension returned HTTP 500 for ") and last.endswith("(3 tries)")
    (error,) = logged
    assert error["level"] == "ERROR" and error["message"].startswith("deployed policy unavailable")
    assert error["profile"] == "landlord-policy" and "policy_version" not in error
    assert "could not answer" not in json.dumps(error)  # the status, not the agent's body
    assert len(agent.asked) == 3


def test_no_agent_fails_the_start_after_three_tries() -> None:
    with AppConfigAgent() as stopped:
        port = stopped.port
    last, logged = start_fails(None, AWS_APPCONFIG_EXTENSION_HTTP_PORT=str(port), **NAMES)
    assert last == ("asb.policy.deployed.PolicyUnavailable: Unable to reach the AWS AppConfig "
                    f"Agent Lambda extension on localhost:{port} (3 tries)")
    assert [line["level"] for line in logged] == ["ERROR"]


@pytest.mark.parametrize(("content", "reason"), [
    (b'{"landlord": "Fenmoor", "version": ', "the deployed policy is not JSON"),
    (b"[]", "the deployed policy is not a JSON object"),
    (json.dumps({"landlord": "Fenmoor", "version": "f-1"}).encode(),
     "the deployed policy has no behaviours, cadence, "),
])
def test_a_deployed_document_config_cannot_read_fails_the_start(agent: AppConfigAgent,
                                                                content: bytes,
                                                                reason: str) -> None:
    """Not the seed: that is another landlord's policy. Once, not retried: it would not change."""
    deploy(agent, content)
    last, logged = start_fails(agent)
    assert last.startswith(f"asb.policy.deployed.PolicyUnavailable: {reason}")
    (error,) = logged
    assert error["reason"].startswith(reason) and len(agent.asked) == 1


def test_a_powertools_without_the_extension_provider_fails_the_start(
        agent: AppConfigAgent) -> None:
    deploy(agent, (LANDLORDS / "fenmoor.json").read_bytes())
    older = ("import sys\n"  # as before 3.37: no such module
             "sys.modules['aws_lambda_powertools.utilities.parameters.appconfig_extension'] = None\n")
    last, logged = start_fails(agent, older)
    assert last.startswith("asb.policy.deployed.PolicyUnavailable: this aws-lambda-powertools "
                           "has no AppConfigExtensionProvider (it needs 3.37 or later)")
    assert [line["level"] for line in logged] == ["ERROR"] and agent.asked == []


def test_the_policy_file_still_wins(agent: AppConfigAgent) -> None:
    deploy(agent, (LANDLORDS / "magna.json").read_bytes())
    read, _ = config(agent, ASB_POLICY_FILE=str(LANDLORDS / "fenmoor.yaml"))
    assert read["version"] == "fenmoor-2026.1"
    assert agent.asked == []


def test_without_the_names_nothing_is_asked_and_boto3_is_not_imported(
        agent: AppConfigAgent) -> None:
    read, logged = config(None, AWS_APPCONFIG_EXTENSION_HTTP_PORT=str(agent.port))
    assert (read["version"], read["boto3"], logged, agent.asked) == ("magna-2026.1", False, [], [])


def test_some_of_the_names_and_not_all_fails_the_start(agent: AppConfigAgent) -> None:
    """Not the seed, unnoticed: a function missing one name is misconfigured."""
    last, _ = start_fails(None, AWS_APPCONFIG_EXTENSION_HTTP_PORT=str(agent.port),
                          ASB_POLICY_APPLICATION="asb-policy", ASB_POLICY_PROFILE="p")
    assert last == ("asb.kernel.settings.MissingSetting: environment variables not set: "
                    "ASB_POLICY_ENVIRONMENT (set: ASB_POLICY_APPLICATION, ASB_POLICY_PROFILE); "
                    "the deployed policy's AppConfig names are all three or none")
    assert agent.asked == []


def test_the_appconfig_names_are_all_three_or_none() -> None:
    assert policy_appconfig(NAMES) == PolicyAppConfig("asb-policy", "prod", "landlord-policy")
    for name in POLICY_APPCONFIG_VARIABLES:
        with pytest.raises(MissingSetting, match=f"not set: {name} "):
            policy_appconfig({**NAMES, name: " "})
    assert policy_appconfig({}) is None
    assert policy_appconfig({name: "" for name in POLICY_APPCONFIG_VARIABLES}) is None


def test_config_needs_exactly_the_keys_it_reads() -> None:
    import re

    from asb.policy import config as config_module

    source = (ROOT / "shared/asb/policy/config.py").read_text()
    assert set(re.findall(r'_POLICY\["([a-z_]+)"\]', source)) == config_module._NEEDED


def test_the_local_runtime_gives_functions_no_appconfig_names(aws: Any) -> None:
    """Locally the policy is its file: what the local runtime, the handler fixtures and the bench
    give a function (LocalResources.environment) leaves out the AppConfig names, whether the
    template's Globals carry them or not."""
    from infra.local.template import functions

    variables = {"ASB_POLICY_APPLICATION": {"Ref": "AWS::StackName"},
                 "ASB_POLICY_ENVIRONMENT": "service", "ASB_POLICY_PROFILE": "landlord-policy",
                 "AWS_APPCONFIG_EXTENSION_PREFETCH_LIST": "/applications/a/environments/b/"
                                                          "configurations/c",
                 "CASES_TABLE_NAME": {"Ref": "CasesTable"}}
    assert aws.environment(variables) == {"CASES_TABLE_NAME": str(aws.ref("CasesTable"))}
    for spec in functions():
        given = aws.environment(spec.environment)
        assert policy_appconfig(given) is None, spec.name
        assert not set(given) & {*NAMES, "AWS_APPCONFIG_EXTENSION_PREFETCH_LIST"}, spec.name
