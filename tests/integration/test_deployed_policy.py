"""The deployed policy read (asb.policy.deployed): a function with the three AppConfig names reads
its landlord's document from the AppConfig Agent extension at import, here a stand-in agent
(infra.local.appconfig_agent) serving the path Powertools' provider asks. Each case runs
asb.policy.config in a fresh interpreter, since it reads its document at import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from asb.kernel.settings import POLICY_APPCONFIG_VARIABLES, PolicyAppConfig, policy_appconfig
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


def config(agent: AppConfigAgent | None, **extra: str) -> tuple[dict[str, Any], list[Any]]:
    """asb.policy.config's landlord, version and categories as a fresh process reads them, and
    the log lines it wrote."""
    env = {name: value for name, value in os.environ.items()
           if name not in {*NAMES, "ASB_POLICY_FILE", "AWS_APPCONFIG_EXTENSION_HTTP_PORT"}}
    env["PYTHONPATH"] = str(ROOT / "shared")
    if agent is not None:
        env.update(NAMES, AWS_APPCONFIG_EXTENSION_HTTP_PORT=str(agent.port))
    env.update(extra)
    ran = subprocess.run([sys.executable, "-c", _CONFIG], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60, check=False)
    assert ran.returncode == 0, ran.stderr[-2000:]
    lines = ran.stdout.splitlines()
    (read,) = [json.loads(line[len("CONFIG "):]) for line in lines if line.startswith("CONFIG ")]
    return read, [json.loads(line) for line in lines if line.startswith("{")]


def test_the_deployed_document_is_the_one_used(agent: AppConfigAgent) -> None:
    deploy(agent, (LANDLORDS / "fenmoor.json").read_bytes())
    read, logged = config(agent)
    assert read == {"version": "fenmoor-2026.1", "landlord": "Fenmoor Homes (a fictional "
                    "second landlord)", "categories": ["A", "B"], "boto3": True}
    assert logged == []
    assert agent.asked == ["/applications/asb-policy/environments/prod/configurations/"
                           "landlord-policy"]


def test_no_deployment_keeps_the_packaged_seed_with_a_warning(agent: AppConfigAgent) -> None:
    read, logged = config(agent)  # nothing deployed: the agent answers 404
    assert (read["version"], read["categories"]) == ("magna-2026.1", ["A", "B", "C"])
    (warning,) = logged
    assert warning["level"] == "WARNING" and warning["message"] == "deployed policy not used"
    assert "returned HTTP 404" in warning["reason"]
    assert warning["policy_version"] == "magna-2026.1" and warning["profile"] == "landlord-policy"


@pytest.mark.parametrize(("content", "reason"), [
    (b'{"landlord": "Fenmoor", "version": ', "the deployed policy is not JSON"),
    (b"[]", "the deployed policy is not a JSON object"),
    (json.dumps({"landlord": "Fenmoor", "version": "f-1"}).encode(),
     "the deployed policy has no behaviours, cadence, "),
])
def test_a_deployed_document_config_cannot_read_keeps_the_seed(agent: AppConfigAgent,
                                                               content: bytes, reason: str) -> None:
    deploy(agent, content)
    read, logged = config(agent)
    assert read["version"] == "magna-2026.1"
    (warning,) = logged
    assert warning["reason"].startswith(reason) and warning["policy_version"] == "magna-2026.1"


def test_no_agent_keeps_the_seed() -> None:
    with AppConfigAgent() as stopped:
        port = stopped.port
    read, logged = config(None, AWS_APPCONFIG_EXTENSION_HTTP_PORT=str(port), **NAMES)
    assert read["version"] == "magna-2026.1"
    assert logged[0]["reason"] == (f"Unable to reach the AWS AppConfig Agent Lambda extension on "
                                   f"localhost:{port}")


def test_the_policy_file_still_wins(agent: AppConfigAgent) -> None:
    deploy(agent, (LANDLORDS / "magna.json").read_bytes())
    read, _ = config(agent, ASB_POLICY_FILE=str(LANDLORDS / "fenmoor.yaml"))
    assert read["version"] == "fenmoor-2026.1"
    assert agent.asked == []


def test_without_the_names_nothing_is_asked_and_boto3_is_not_imported(
        agent: AppConfigAgent) -> None:
    read, logged = config(None, AWS_APPCONFIG_EXTENSION_HTTP_PORT=str(agent.port),
                          ASB_POLICY_APPLICATION="asb-policy", ASB_POLICY_PROFILE="p")
    assert (read["version"], read["boto3"], logged, agent.asked) == ("magna-2026.1", False, [], [])


def test_the_appconfig_names_are_all_three_or_none() -> None:
    assert policy_appconfig(NAMES) == PolicyAppConfig("asb-policy", "prod", "landlord-policy")
    for name in POLICY_APPCONFIG_VARIABLES:
        assert policy_appconfig({**NAMES, name: " "}) is None
    assert policy_appconfig({}) is None


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
