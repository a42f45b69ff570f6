"""`python -m infra.policy deploy` (infra/policy_deploy.py): a document with mistakes is refused
with each by its path and nothing is sent; a right one becomes a hosted configuration version in
moto (its compiled JSON, application/json, labelled with its version) and a deployment started
with the strategy (moto lacks StartDeployment: a small fake stands in for that one call), and the
change is recorded with who ran it. An all-digit policy version gets a label AppConfig takes; a
record that fails after the deployment started says so and exits 0 (not "not deployed")."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml
from botocore.exceptions import ClientError
from moto import mock_aws

from asb.kernel.clock import FixedClock
from asb.policy_changes.models import PolicyChange
from asb.policy_changes.service import ChangesPage, InForce, PolicyChanges
from infra.policy_deploy import deploy, stack_outputs
from tests.conftest import ROOT

FENMOOR = ROOT / "shared/asb/policy/landlords/fenmoor.yaml"


class AppConfigWithDeployments:
    """moto's AppConfig, with the StartDeployment it lacks: each call kept, numbered as AWS does."""

    def __init__(self, moto_client: Any) -> None:
        self._client = moto_client
        self.deployments: list[dict[str, Any]] = []
        self.hosted: list[str] = []

    def create_hosted_configuration_version(self, **arguments: Any) -> Any:
        # moto takes any label; AppConfig's API reference: 1-64 characters, `.*[^0-9].*`
        label = arguments["VersionLabel"]
        if not re.fullmatch(r".*[^0-9].*", label) or not 1 <= len(label) <= 64:
            raise ClientError({"Error": {"Code": "BadRequestException",
                                         "Message": "VersionLabel must contain a non-numeric "
                                                    "character"}},
                              "CreateHostedConfigurationVersion")
        self.hosted.append(label)
        return self._client.create_hosted_configuration_version(**arguments)

    def start_deployment(self, **arguments: Any) -> dict[str, Any]:
        self.deployments.append(arguments)
        return {"DeploymentNumber": len(self.deployments), "State": "DEPLOYING"}


@pytest.fixture
def appconfig() -> Iterator[tuple[AppConfigWithDeployments, dict[str, str]]]:
    with mock_aws():
        client = boto3.client("appconfig", region_name="eu-west-2")
        application = client.create_application(Name="asb-policy")["Id"]
        environment = "srv1234"  # moto lacks environments (FIELD-NOTES): an id as AWS makes
        profile = client.create_configuration_profile(
            ApplicationId=application, Name="landlord-policy", LocationUri="hosted",
            Type="AWS.Freeform")["Id"]
        yield AppConfigWithDeployments(client), {
            "application": application, "environment": environment, "profile": profile,
            "strategy": "lin10mn"}


def test_a_right_document_is_hosted_and_deployed_and_the_change_recorded(
        appconfig: tuple[AppConfigWithDeployments, dict[str, str]],
        capsys: pytest.CaptureFixture[str]) -> None:
    client, ids = appconfig
    recorded: list[dict[str, Any]] = []
    assert deploy(FENMOOR, ids, client, lambda **change: recorded.append(change), "j.lead") == 0
    written = yaml.safe_load(FENMOOR.read_text())
    hosted = client._client.get_hosted_configuration_version(
        ApplicationId=ids["application"], ConfigurationProfileId=ids["profile"], VersionNumber=1)
    assert hosted["ContentType"] == "application/json"
    assert hosted["VersionLabel"] == written["version"]
    document = json.loads(hosted["Content"].read())
    assert document == json.loads((FENMOOR.with_suffix(".json")).read_text())
    [started] = client.deployments
    assert started | {"Description": ""} == {
        "ApplicationId": ids["application"], "EnvironmentId": ids["environment"],
        "DeploymentStrategyId": "lin10mn", "ConfigurationProfileId": ids["profile"],
        "ConfigurationVersion": "1", "Description": ""}
    [change] = recorded
    assert change["to_version"] == written["version"] and change["landlord"] == written["landlord"]
    assert change["key"] == f"appconfig#{ids['application']}#{ids['environment']}#1#STARTED"
    assert change["by"] == "j.lead with python -m infra.policy deploy (strategy lin10mn)"
    printed = capsys.readouterr().out
    assert "hosted configuration version 1" in printed and "deployment 1" in printed


def test_a_document_with_mistakes_is_refused_by_its_paths_and_nothing_is_sent(
        appconfig: tuple[AppConfigWithDeployments, dict[str, str]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    client, ids = appconfig
    document = yaml.safe_load(FENMOOR.read_text())
    document["case_review"]["qualifying_complaints"] = 4
    document["risk"]["bands"]["medium"] = 0
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(document))
    recorded: list[dict[str, Any]] = []
    assert deploy(broken, ids, client, lambda **change: recorded.append(change), "j.lead") == 1
    refused = capsys.readouterr().err
    assert "case_review.qualifying_complaints" in refused and "risk.bands.medium" in refused
    assert client.hosted == [] and client.deployments == [] and recorded == []
    with pytest.raises(client._client.exceptions.ResourceNotFoundException):
        client._client.get_hosted_configuration_version(
            ApplicationId=ids["application"], ConfigurationProfileId=ids["profile"],
            VersionNumber=1)


def test_without_the_ids_it_says_which_are_missing(
        appconfig: tuple[AppConfigWithDeployments, dict[str, str]],
        capsys: pytest.CaptureFixture[str]) -> None:
    client, ids = appconfig
    assert deploy(FENMOOR, {**ids, "strategy": ""}, client, None, "j.lead") == 2
    assert "no strategy id" in capsys.readouterr().err and client.deployments == []


def test_the_ids_come_from_the_stacks_outputs() -> None:
    class Stacks:
        def describe_stacks(self, StackName: str) -> dict[str, Any]:
            assert StackName == "asb"
            return {"Stacks": [{"Outputs": [
                {"OutputKey": "PolicyProfileId", "OutputValue": "prf1"},
                {"OutputKey": "CasesTableName", "OutputValue": "asb-cases"}]}]}

    assert stack_outputs(Stacks(), "asb") == {"PolicyProfileId": "prf1",
                                              "CasesTableName": "asb-cases"}


def test_an_all_digit_version_is_labelled_so_appconfig_takes_it(
        appconfig: tuple[AppConfigWithDeployments, dict[str, str]], tmp_path: Path) -> None:
    client, ids = appconfig
    document = yaml.safe_load(FENMOOR.read_text())
    document["version"] = "2026"
    numbered = tmp_path / "numbered.yaml"
    numbered.write_text(yaml.safe_dump(document))
    recorded: list[dict[str, Any]] = []
    assert deploy(numbered, ids, client, lambda **change: recorded.append(change), "j.lead") == 0
    assert client.hosted == ["v2026"] and len(client.deployments) == 1
    assert recorded[0]["to_version"] == "2026"


class UnwritableStore:
    """A policy change store whose table refuses the write (as DynamoDB would, throttled)."""

    def in_force(self) -> InForce | None:
        return None

    def add(self, change: PolicyChange, before: InForce | None, moves: bool) -> bool:
        raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException",
                                     "Message": "Rate exceeded"}}, "TransactWriteItems")

    def page(self, limit: int, cursor: str | None) -> ChangesPage:
        return ChangesPage([], None)


def test_a_record_that_fails_after_the_deployment_started_says_it_started_and_exits_0(
        appconfig: tuple[AppConfigWithDeployments, dict[str, str]],
        capsys: pytest.CaptureFixture[str]) -> None:
    client, ids = appconfig
    changes = PolicyChanges(UnwritableStore(), FixedClock(datetime(2026, 12, 1, tzinfo=UTC)),
                            "magna-2026.1")
    assert deploy(FENMOOR, ids, client, changes.record, "j.lead") == 0
    assert len(client.deployments) == 1
    said = capsys.readouterr()
    assert "deployment 1 started; the change is not recorded here" in said.err
    assert "PolicyAuditFunction records it from AppConfig's event" in said.err
    assert "not deployed" not in said.err + said.out
