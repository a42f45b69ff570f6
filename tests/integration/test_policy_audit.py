"""PolicyAuditFunction (functions/policy_audit): AppConfig's deployment event from events/,
through the handler, with the deployed document a hosted configuration version in moto - the
change is stored once even when EventBridge delivers the event twice; a rollback after it starts
from the version in force; a completion delivered late (after a later deployment completed) is
recorded and leaves the version in force; an event not of the extension's shape is refused by its
field, nothing stored; an event of another kind is left alone."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable
from types import ModuleType
from typing import Any

import boto3
import pytest

from asb.policy_changes.store import DynamoDBPolicyChangeStore
from tests.conftest import ROOT, LambdaContext, sample_event

FENMOOR = json.loads((ROOT / "shared/asb/policy/landlords/fenmoor.json").read_text())


@pytest.fixture
def audit(load_handler: Callable[[str], ModuleType]) -> ModuleType:
    return load_handler("PolicyAuditFunction")


@pytest.fixture
def deployed(aws: Any) -> dict[str, Any]:
    """The event from events/, naming an application, profile and hosted version made in moto."""
    appconfig = boto3.client("appconfig")
    application = appconfig.create_application(Name="asb-policy-test")["Id"]
    profile = appconfig.create_configuration_profile(
        ApplicationId=application, Name="landlord-policy", LocationUri="hosted",
        Type="AWS.Freeform")["Id"]
    version = appconfig.create_hosted_configuration_version(
        ApplicationId=application, ConfigurationProfileId=profile,
        Content=json.dumps(FENMOOR).encode(), ContentType="application/json",
        VersionLabel=FENMOOR["version"])["VersionNumber"]
    event = copy.deepcopy(sample_event("policy_audit-deployment-complete"))
    event["detail"]["Application"]["Id"] = application
    event["detail"]["ConfigurationProfile"]["Id"] = profile
    event["detail"]["ConfigurationVersion"] = str(version)
    return event


def stored(aws: Any) -> list[Any]:
    store = DynamoDBPolicyChangeStore(boto3.client("dynamodb"), str(aws.ref("CasesTable")))
    return list(store.page(50, None).changes)


def test_a_deployment_is_recorded_once_when_delivered_twice(
        aws: Any, audit: ModuleType, deployed: dict[str, Any]) -> None:
    first = audit.lambda_handler(deployed, LambdaContext())
    assert first == {"recorded": True, "to_version": FENMOOR["version"],
                     "state": "deployment completed"}
    assert audit.lambda_handler(deployed, LambdaContext()) == {"recorded": False}
    [change] = stored(aws)
    assert (change.landlord, change.to_version, change.from_version) == (
        FENMOOR["landlord"], FENMOOR["version"], None)
    assert change.by == "AWS AppConfig deployment 3"
    assert change.at.isoformat() == "2026-12-01T09:30:00+00:00"


def _like(deployed: dict[str, Any], sample: str, **detail: Any) -> dict[str, Any]:
    """events/<sample> naming the application and profile made in moto (and the `detail` given)."""
    event = copy.deepcopy(sample_event(sample))
    for part in ("Application", "ConfigurationProfile"):
        event["detail"][part]["Id"] = deployed["detail"][part]["Id"]
    event["detail"].update(detail)
    return event


def test_a_rollback_is_a_change_of_its_own_from_the_version_in_force(
        aws: Any, audit: ModuleType, deployed: dict[str, Any]) -> None:
    audit.lambda_handler(deployed, LambdaContext())
    rolled = _like(deployed, "policy_audit-deployment-rollback",
                   ConfigurationVersion=deployed["detail"]["ConfigurationVersion"])
    assert audit.lambda_handler(rolled, LambdaContext())["state"] == "rolled back"
    newest, oldest = stored(aws)
    assert newest.from_version == FENMOOR["version"] and newest.by.endswith("deployment 4")
    assert oldest.state.value == "deployment completed"


def test_a_late_completion_is_recorded_and_leaves_the_version_in_force(
        aws: Any, audit: ModuleType, deployed: dict[str, Any]) -> None:
    """Deployment 4 (a later version) completes; deployment 3's completion arrives after it (a
    retry, a redrive from the dead-letter queue): the version in force stays deployment 4's, and
    the next change starts from it."""
    later = {**FENMOOR, "version": "fenmoor-2027.1"}
    version = boto3.client("appconfig").create_hosted_configuration_version(
        ApplicationId=deployed["detail"]["Application"]["Id"],
        ConfigurationProfileId=deployed["detail"]["ConfigurationProfile"]["Id"],
        Content=json.dumps(later).encode(), ContentType="application/json",
        VersionLabel=later["version"])["VersionNumber"]
    second = copy.deepcopy(deployed)
    second["detail"].update(DeploymentNumber=4, ConfigurationVersion=str(version))
    second.update(time="2026-12-02T09:30:00Z", id="deployment-4-complete")
    assert audit.lambda_handler(second, LambdaContext())["to_version"] == "fenmoor-2027.1"
    late = audit.lambda_handler(deployed, LambdaContext())  # deployment 3's, from 2026-12-01
    assert late == {"recorded": True, "to_version": FENMOOR["version"],
                    "state": "deployment completed"}
    store = DynamoDBPolicyChangeStore(boto3.client("dynamodb"), str(aws.ref("CasesTable")))
    in_force = store.in_force()
    assert in_force is not None and in_force.version == "fenmoor-2027.1"
    started = _like(deployed, "policy_audit-deployment-start", DeploymentNumber=5,
                    ConfigurationVersion=str(version))
    started["time"] = "2026-12-03T08:00:00Z"
    audit.lambda_handler(started, LambdaContext())
    newest = stored(aws)[0]
    assert (newest.state.value, newest.from_version) == ("deployment started", "fenmoor-2027.1")


def test_an_event_not_of_the_extensions_shape_is_refused_by_its_field(
        aws: Any, audit: ModuleType, deployed: dict[str, Any]) -> None:
    del deployed["detail"]["ConfigurationProfile"]
    assert audit.lambda_handler(deployed, LambdaContext()) == {
        "recorded": False, "refused": ["detail.ConfigurationProfile"]}
    assert stored(aws) == []


def test_an_event_of_another_kind_is_left_alone(
        aws: Any, audit: ModuleType, deployed: dict[str, Any]) -> None:
    deployed["detail"]["Type"] = "OnDeploymentBaking"
    deployed["detail-type"] = "On Deployment Baking"
    assert audit.lambda_handler(deployed, LambdaContext()) == {"recorded": False}
    assert stored(aws) == []


def test_staff_read_the_policy_in_force_and_its_changes_newest_first_in_pages(
        aws: Any, audit: ModuleType, deployed: dict[str, Any], staff: Any) -> None:
    from asb.policy import config

    audit.lambda_handler(deployed, LambdaContext())
    later = copy.deepcopy(deployed)
    later["detail"].update(Type="OnDeploymentStart", DeploymentNumber=5)
    later.update(time="2026-12-03T08:00:00Z", id="a-later-event")
    audit.lambda_handler(later, LambdaContext())
    status, first = staff.call("case_queries-policy-changes", query={"limit": "1"})
    assert status == 200
    assert (first["landlord"], first["version"]) == (config.LANDLORD, config.POLICY_VERSION)
    [newest] = first["changes"]
    assert newest["state"] == "deployment started" and newest["by"].endswith("deployment 5")
    assert newest["from_version"] == FENMOOR["version"]
    status, second = staff.call("case_queries-policy-changes",
                                query={"limit": "1", "cursor": first["cursor"]},
                                who=("m.jones", "manager", "yeovil"))
    assert status == 200 and [c["state"] for c in second["changes"]] == ["deployment completed"]
    assert second["changes"][0]["at"] == "2026-12-01T09:30:00+00:00"


def test_the_dpo_may_not_read_the_changes_and_a_bad_cursor_is_named(staff: Any) -> None:
    assert staff.call("case_queries-policy-changes", who=("d.dpo", "dpo", ""))[0] == 403
    status, refused = staff.call("case_queries-policy-changes", query={"cursor": "bm90LW91cnM"})
    assert status == 422 and [e["field"] for e in refused["errors"]] == ["cursor"]
    oversized = base64.urlsafe_b64encode(b"C#2026-12-01T09:30:00+00:00#" + b"k" * 1100).decode()
    status, refused = staff.call("case_queries-policy-changes", query={"cursor": oversized})
    assert status == 422 and [e["field"] for e in refused["errors"]] == ["cursor"]
