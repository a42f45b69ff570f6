"""template.yaml: it lints clean, and it says what the service promises about its wiring."""

from __future__ import annotations

from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint

from infra.local.template import TEMPLATE, functions, load_template
from tests.conftest import EVENTS

# Actions AWS accepts only on Resource "*": each exception is named here.
STAR_RESOURCE_ALLOWED = {
    "sns:Publish",  # SMS straight to a phone number has no topic to name
}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def resources_of(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def test_cfn_lint_finds_no_errors_and_no_warnings() -> None:
    matches = lint(TEMPLATE.read_text(), config=ManualArgs(regions=["eu-west-2"]))
    assert [str(m) for m in matches] == []


def test_every_function_runs_python_312_with_the_domain_layer(template: dict[str, Any]) -> None:
    function_globals = template["Globals"]["Function"]
    assert function_globals["Runtime"] == "python3.12"
    assert function_globals["Layers"] == [{"Ref": "DomainLayer"}]
    layer = template["Resources"]["DomainLayer"]
    assert layer["Properties"]["ContentUri"] == "shared/"
    assert layer["Metadata"]["BuildMethod"] == "makefile"  # shared/Makefile (tests/infra/test_layers.py)


def test_every_function_has_a_role_of_its_own(template: dict[str, Any]) -> None:
    roles = [spec["Properties"]["Role"]["Fn::GetAtt"][0]
             for spec in resources_of(template, "AWS::Serverless::Function").values()]
    assert len(roles) == len(set(roles))
    for role in roles:
        assert template["Resources"][role]["Type"] == "AWS::IAM::Role"
        assert "ManagedPolicyArns" not in template["Resources"][role]["Properties"]


def statements(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, role in resources_of(template, "AWS::IAM::Role").items():
        for policy in role["Properties"].get("Policies", []):
            found += [(name, s) for s in policy["PolicyDocument"]["Statement"]]
    return found


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_no_role_grants_a_wildcard_action(template: dict[str, Any]) -> None:
    for role, statement in statements(template):
        for action in as_list(statement["Action"]):
            assert "*" not in action, f"{role} grants {action}"


def test_resource_star_only_where_aws_requires_it(template: dict[str, Any]) -> None:
    for role, statement in statements(template):
        if "*" in as_list(statement["Resource"]):
            assert set(as_list(statement["Action"])) <= STAR_RESOURCE_ALLOWED, role


def test_a_function_traces_only_with_a_tracer_and_only_a_tracing_function_may_write_traces(
    template: dict[str, Any]
) -> None:
    """Active tracing without a Powertools Tracer records nothing of the function's own work;
    with one, every cold start pays for the X-Ray SDK (docs/architecture.md: tracing is off)."""
    default = template["Globals"]["Function"].get("Tracing")
    for name, spec in resources_of(template, "AWS::Serverless::Function").items():
        tracing = spec["Properties"].get("Tracing", default) == "Active"
        source = (TEMPLATE.parent / spec["Properties"]["CodeUri"] / "app.py").read_text()
        assert tracing == ("Tracer()" in source and "@tracer.capture_lambda_handler" in source), name
        role = spec["Properties"]["Role"]["Fn::GetAtt"][0]
        actions = {a for r, s in statements(template) if r == role for a in as_list(s["Action"])}
        assert tracing or not {a for a in actions if a.startswith("xray:")}, name


def test_function_roles_never_scan(template: dict[str, Any]) -> None:
    for role, statement in statements(template):
        assert "dynamodb:Scan" not in as_list(statement["Action"]), role


def test_every_function_has_sample_events() -> None:
    for spec in functions():
        assert list(EVENTS.glob(f"{spec.name}-*.json")), f"no events/{spec.name}-*.json"


def test_the_cases_table_is_durable_and_encrypted_with_our_key(template: dict[str, Any]) -> None:
    table = template["Resources"]["CasesTable"]["Properties"]
    assert table["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["SSESpecification"] == {
        "SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": {"Ref": "DataKey"}
    }
    assert template["Resources"]["DataKey"]["Properties"]["EnableKeyRotation"] is True


def test_the_idempotency_table_has_the_powertools_shape(template: dict[str, Any]) -> None:
    table = template["Resources"]["IdempotencyTable"]["Properties"]
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}


def test_every_work_queue_has_a_dead_letter_queue_with_an_alarm(template: dict[str, Any]) -> None:
    queues = resources_of(template, "AWS::SQS::Queue")
    alarmed = {
        alarm["Properties"]["Dimensions"][0]["Value"]["Fn::GetAtt"][0]
        for alarm in resources_of(template, "AWS::CloudWatch::Alarm").values()
        if alarm["Properties"]["Namespace"] == "AWS/SQS"
    }
    dead_letter = set()
    for props in (q["Properties"] for q in queues.values()):
        if "RedrivePolicy" in props:
            target = props["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
            assert props["RedrivePolicy"]["maxReceiveCount"] >= 3
            dead_letter.add(target)
    assert "TriageDeadLetterQueue" in dead_letter
    assert dead_letter | {"PublisherFailureQueue"} <= alarmed
    for name, queue in queues.items():
        props = queue["Properties"]
        assert props.get("SqsManagedSseEnabled") or props.get("KmsMasterKeyId"), name


def test_every_scheduled_function_and_the_api_have_an_alarm(template: dict[str, Any]) -> None:
    """A scheduled run that fails leaves nothing in a queue: only its Errors metric tells."""
    alarms = resources_of(template, "AWS::CloudWatch::Alarm")
    scheduled = {s.logical_id for s in functions()
                 if any(t.kind == "ScheduleV2" for t in s.triggers)}
    assert len(scheduled) == 5
    watched = {
        a["Properties"]["Dimensions"][0]["Value"]["Ref"] for a in alarms.values()
        if (a["Properties"]["Namespace"], a["Properties"]["MetricName"]) == ("AWS/Lambda", "Errors")
    }
    assert scheduled <= watched
    (api,) = [a["Properties"] for a in alarms.values()
              if a["Properties"]["Namespace"] == "AWS/ApiGateway"]
    assert api["MetricName"] == "5XXError"
    assert {d["Name"]: d["Value"] for d in api["Dimensions"]} == {
        "ApiName": {"Ref": "AWS::StackName"}, "Stage": {"Ref": "StageName"}}
    for name, alarm in alarms.items():
        props = alarm["Properties"]
        assert props["AlarmActions"] == [{"Ref": "OperationsAlertsTopic"}], name
        assert props["TreatMissingData"] == "notBreaching", name


def test_the_stream_publisher_reports_partial_failures_and_keeps_what_fails(
    template: dict[str, Any],
) -> None:
    events = template["Resources"]["StreamPublisherFunction"]["Properties"]["Events"]
    stream = events["CaseEvents"]["Properties"]
    assert stream["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert stream["BisectBatchOnFunctionError"] is True
    assert stream["DestinationConfig"]["OnFailure"]["Destination"] == {
        "Fn::GetAtt": ["PublisherFailureQueue", "Arn"]
    }


def test_the_api_is_throttled_and_logged(template: dict[str, Any]) -> None:
    api = template["Resources"]["Api"]["Properties"]
    for settings in api["MethodSettings"]:
        assert settings["ThrottlingRateLimit"] > 0 and settings["ThrottlingBurstLimit"] > 0
        assert (settings["LoggingLevel"], settings["MetricsEnabled"]) == ("ERROR", True)
    assert api["AccessLogSetting"]["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}


def test_post_reports_is_served_by_the_intake_function(template: dict[str, Any]) -> None:
    intake = next(s for s in functions() if s.logical_id == "IntakeFunction")
    (route,) = [t for t in intake.triggers if t.kind == "Api"]
    assert (route.properties["Path"], route.properties["Method"]) == ("/reports", "POST")


PARTNER_QUEUES = {"Constabulary": "ConstabularyAccountId", "Council": "CouncilAccountId",
                  "Mediation": "MediationAccountId", "Support": "SupportAccountId"}


def _principals(statement: dict[str, Any]) -> list[Any]:
    return as_list(statement["Principal"]["AWS"])


def test_each_partner_reads_its_own_queue_and_no_other(template: dict[str, Any]) -> None:
    policies = resources_of(template, "AWS::SQS::QueuePolicy")
    readers: dict[str, set[str]] = {}
    for policy in policies.values():
        props = policy["Properties"]
        for statement in props["PolicyDocument"]["Statement"]:
            if statement["Effect"] != "Allow" or "sqs:ReceiveMessage" not in as_list(
                    statement["Action"]):
                continue
            for principal in _principals(statement):
                account = principal["Fn::Sub"].split("${")[2].split("}")[0]
                for queue in props["Queues"]:
                    readers.setdefault(queue["Ref"], set()).add(account)
    for partner, account in PARTNER_QUEUES.items():
        assert readers[f"{partner}Queue"] == {account}, partner
        assert readers[f"{partner}DeadLetterQueue"] == {account}, partner
    assert set(readers) == {f"{p}{q}" for p in PARTNER_QUEUES for q in ("Queue",
                                                                        "DeadLetterQueue")}
    inbound = policies["PartnerInboundQueuePolicy"]["Properties"]["PolicyDocument"]
    allowed = [s for s in inbound["Statement"] if s["Effect"] == "Allow"]
    assert [as_list(s["Action"]) for s in allowed] == [["sqs:SendMessage"]]  # send, never read


def test_the_partner_publisher_sends_to_partner_queues_and_nothing_else(
    template: dict[str, Any],
) -> None:
    sends = [s for role, s in statements(template) if role == "PartnerPublisherRole"
             and any(a.startswith("sqs:Send") for a in as_list(s["Action"]))]
    (statement,) = sends
    assert {r["Fn::GetAtt"][0] for r in as_list(statement["Resource"])} == {
        f"{p}Queue" for p in PARTNER_QUEUES}
    signing = [s for role, s in statements(template) if "kms:Sign" in as_list(s["Action"])]
    assert [s["Resource"]["Fn::GetAtt"][0] for s in signing] == ["SigningKey"]
    key = template["Resources"]["SigningKey"]["Properties"]
    assert (key["KeySpec"], key["KeyUsage"]) == ("ECC_NIST_P256", "SIGN_VERIFY")
