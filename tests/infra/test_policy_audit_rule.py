"""PolicyAuditFunction's EventBridge rule (template.yaml) against the shapes AppConfig sends: the
template's own pattern on moto's default bus, each events/policy_audit-* sample put to it, what
matched delivered to a queue. moto lacks TestEventPattern (NotImplementedError), so the rule is
exercised as EventBridge runs it: put_rule, put_targets, put_events. Also: the rule's dead-letter
queue takes messages from that rule only."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local.template import load_template
from tests.conftest import EVENTS

APPLICATION = "abc1234"  # the samples' application id, standing in for !Ref PolicyApplication
SAMPLES = sorted(EVENTS.glob("policy_audit-*.json"))


def _event() -> dict[str, Any]:
    event: dict[str, Any] = load_template()["Resources"]["PolicyAuditFunction"]["Properties"][
        "Events"]["PolicyDeployed"]
    return event


def _pattern() -> dict[str, Any]:
    """The rule's pattern with the application's Ref as the samples' id."""
    text = json.dumps(_event()["Properties"]["Pattern"])
    ref = json.dumps({"Ref": "PolicyApplication"})
    assert ref in text
    pattern: dict[str, Any] = json.loads(text.replace(ref, json.dumps(APPLICATION)))
    return pattern


@pytest.fixture
def rule() -> Iterator[Any]:
    """A function putting an event on the default bus; True when the template's rule matched."""
    with mock_aws():
        sqs = boto3.client("sqs", region_name="eu-west-2")
        events = boto3.client("events", region_name="eu-west-2")
        queue = sqs.create_queue(QueueName="matched")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        events.put_rule(Name="policy-deployed", EventPattern=json.dumps(_pattern()))
        events.put_targets(Rule="policy-deployed", Targets=[{"Id": "audit", "Arn": arn}])

        def put(event: dict[str, Any]) -> bool:
            answer = events.put_events(Entries=[{
                "Source": event["source"], "DetailType": event["detail-type"],
                "Detail": json.dumps(event["detail"]), "Resources": event["resources"]}])
            assert answer["FailedEntryCount"] == 0
            received = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10,
                                           WaitTimeSeconds=0).get("Messages", [])
            for message in received:
                sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
            return len(received) == 1

        yield put


def _sample(path: Any) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(path.read_text())
    return event


def test_the_samples_are_the_three_changes_by_aws_names() -> None:
    kinds = {(e["detail-type"], e["detail"]["Type"]) for e in map(_sample, SAMPLES)}
    assert kinds == {("On Deployment Start", "OnDeploymentStart"),
                     ("On Deployment Complete", "OnDeploymentComplete"),
                     ("On Deployment Rollback", "OnDeploymentRolledBack")}


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_the_rule_matches_each_sample(rule: Any, path: Any) -> None:
    assert rule(_sample(path))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_the_rule_matches_by_detail_type_or_by_the_extensions_type(rule: Any, path: Any) -> None:
    """Either name is enough: the EventBridge reference documents the detail-types, AWS's sample
    of the extension's event its detail.Type."""
    by_detail_type = copy.deepcopy(_sample(path))
    by_detail_type["detail"]["Type"] = "SomethingElse"
    by_type = copy.deepcopy(_sample(path))
    by_type["detail-type"] = "Something Else"
    assert rule(by_detail_type) and rule(by_type)


def test_the_rule_leaves_another_applications_deployment(rule: Any) -> None:
    for path in SAMPLES:
        event = _sample(path)
        event["detail"]["Application"]["Id"] = "zzz9999"
        assert not rule(event), path.name


def test_the_rule_leaves_steps_and_baking_and_other_sources(rule: Any) -> None:
    step = _sample(EVENTS / "policy_audit-deployment-complete.json")
    step.update({"detail-type": "On Deployment Step"})
    step["detail"]["Type"] = "OnDeploymentStep"
    baking = copy.deepcopy(step)
    baking.update({"detail-type": "On Deployment Baking"})
    baking["detail"]["Type"] = "OnDeploymentBaking"
    other = _sample(EVENTS / "policy_audit-deployment-complete.json")
    other["source"] = "asb.elsewhere"
    assert not rule(step) and not rule(baking) and not rule(other)


def test_only_the_rule_may_send_to_its_dead_letter_queue() -> None:
    """SAM names the rule it makes for the function's PolicyDeployed event
    PolicyAuditFunctionPolicyDeployed; the queue policy names that rule's ARN, not rule/*."""
    template = load_template()
    assert _event()["Properties"]["DeadLetterConfig"] == {
        "Arn": {"Fn::GetAtt": ["PolicyAuditDeadLetterQueue", "Arn"]}}
    [statement] = template["Resources"]["PolicyAuditDeadLetterQueuePolicy"]["Properties"][
        "PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Condition"] == {"ArnEquals": {
        "aws:SourceArn": {"Fn::GetAtt": ["PolicyAuditFunctionPolicyDeployed", "Arn"]}}}
