"""The landlord's policy deployed through AWS AppConfig (issue 24): template.yaml's application,
environment, hosted profile with its two validators, deployment strategy, the validator function
and its permission, and on every function that reads the policy the AppConfig agent extension,
the names it reads by and a grant on that one profile. moto has no AppConfig environments,
deployments or data plane (FIELD-NOTES), so this is checked on the template itself."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from asb.kernel.settings import POLICY_APPCONFIG_VARIABLES
from asb.policy.document import json_schema
from infra.local.template import ROOT, TEMPLATE, functions, load_template
from infra.policy import SCHEMA, VALIDATOR_LIMIT, draft_04, validator_content, with_validator
from tests.infra.test_role_grants import modules_of

EXTENSION = {"Ref": "AppConfigExtensionLayerArn"}
READS = {"appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"}
PROFILE_ARN = ("arn:${AWS::Partition}:appconfig:${AWS::Region}:${AWS::AccountId}:application/"
               "${PolicyApplication.ApplicationId}/environment/${PolicyEnvironment.EnvironmentId}"
               "/configuration/${PolicyProfile.ConfigurationProfileId}")


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


def _properties(template: dict[str, Any], name: str) -> dict[str, Any]:
    properties: dict[str, Any] = template["Resources"][name]["Properties"]
    return properties


def _validators(template: dict[str, Any]) -> dict[str, Any]:
    return {v["Type"]: v["Content"] for v in _properties(template, "PolicyProfile")["Validators"]}


def _as_text(value: Any) -> str:
    """A name as the template writes it: a literal, a !Ref to a pseudo parameter, or a !Sub."""
    if isinstance(value, str):
        return value
    if set(value) == {"Ref"}:
        return "${" + str(value["Ref"]) + "}"
    assert set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str), value
    return str(value["Fn::Sub"])


def _readers(template: dict[str, Any]) -> dict[str, bool]:
    """Each function -> whether its code can import asb.policy.config (statically, as the role
    grants test reads it)."""
    return {spec.logical_id: "asb.policy.config" in modules_of(spec.code_dir / "app.py")
            for spec in functions(template)}


def _statements(template: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return [statement for policy in _properties(template, role).get("Policies", [])
            for statement in policy["PolicyDocument"]["Statement"]]


def _actions(statement: dict[str, Any]) -> set[str]:
    action = statement["Action"]
    return {action} if isinstance(action, str) else set(action)


def test_the_profile_is_hosted_freeform_json_of_the_application(template: dict[str, Any]) -> None:
    application = {"Fn::GetAtt": ["PolicyApplication", "ApplicationId"]}
    profile = _properties(template, "PolicyProfile")
    assert template["Resources"]["PolicyProfile"]["Type"] == "AWS::AppConfig::ConfigurationProfile"
    assert (profile["LocationUri"], profile["Type"]) == ("hosted", "AWS.Freeform")
    assert profile["ApplicationId"] == application
    assert _properties(template, "PolicyEnvironment")["ApplicationId"] == application
    assert template["Resources"]["PolicyApplication"]["Type"] == "AWS::AppConfig::Application"
    assert template["Resources"]["PolicyEnvironment"]["Type"] == "AWS::AppConfig::Environment"


def test_the_json_schema_validator_is_the_published_schema_as_draft_04_minified(
        template: dict[str, Any]) -> None:
    content = _validators(template)["JSON_SCHEMA"]
    published = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert published == json_schema()
    assert json.loads(content) == draft_04(published)
    assert content == validator_content(published)  # minified, as `schema` writes it
    assert len(content) <= VALIDATOR_LIMIT


def _draft_04_validator(template: dict[str, Any]) -> jsonschema.Draft4Validator:
    schema = json.loads(_validators(template)["JSON_SCHEMA"])
    jsonschema.Draft4Validator.check_schema(schema)  # itself valid draft-04, as AppConfig reads
    return jsonschema.Draft4Validator(schema)


def test_the_validator_is_draft_04_as_appconfig_takes_it(template: dict[str, Any]) -> None:
    schema = json.loads(_validators(template)["JSON_SCHEMA"])
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    text = json.dumps(schema)
    for lacking in ("$defs", "$id", "propertyNames", "const", "prefixItems", "unevaluated"):
        assert f'"{lacking}' not in text, lacking
    for landlord in ("magna", "fenmoor"):
        built = json.loads((ROOT / f"shared/asb/policy/landlords/{landlord}.json").read_text())
        assert list(_draft_04_validator(template).iter_errors(built)) == [], landlord


def _magna() -> dict[str, Any]:
    built: dict[str, Any] = json.loads(
        (ROOT / "shared/asb/policy/landlords/magna.json").read_text(encoding="utf-8"))
    return built


def _refused_at(validator: jsonschema.Draft4Validator, document: dict[str, Any]) -> list[str]:
    return [".".join(str(part) for part in error.absolute_path)
            for error in validator.iter_errors(document)]


def test_the_draft_04_validator_refuses_what_the_published_schema_refuses(
        template: dict[str, Any]) -> None:
    validator = _draft_04_validator(template)
    threshold, weight, unknown, names, long_answer = (_magna() for _ in range(5))
    threshold["case_review"]["qualifying_complaints"] = 4  # above the Act's three
    weight["risk"]["questions"]["fear"]["weight"] = -1
    unknown["colour"] = "red"
    names["cadence"]["first_review_days"]["severe"] = 3  # propertyNames, translated
    long_answer["satisfaction_answers"]["x" * 301] = True
    assert _refused_at(validator, threshold) == ["case_review.qualifying_complaints"]
    assert _refused_at(validator, weight) == ["risk.questions.fear.weight"]
    assert _refused_at(validator, unknown) == [""]
    assert _refused_at(validator, names) == ["cadence.first_review_days"]
    assert _refused_at(validator, long_answer) == ["satisfaction_answers"]
    published = jsonschema.Draft202012Validator(json_schema())
    for document in (threshold, weight, unknown, names, long_answer):
        assert list(published.iter_errors(document))


def test_the_rules_across_parts_are_the_lambda_validators(template: dict[str, Any]) -> None:
    """An unknown behaviour and a category without a target name what another part defines: no
    JSON Schema can say so. The schema passes them; the LAMBDA validator (functions/policy_check,
    tests/integration/test_policy_check.py) refuses them by path, so AppConfig deploys neither."""
    from asb.policy.document import PolicyRefused, compiled

    behaviour, category = _magna(), _magna()
    behaviour["emergency"]["behaviours"].append("loud_music")
    behaviour_path = f"emergency.behaviours.{len(behaviour['emergency']['behaviours']) - 1}"
    category["behaviours"]["noise"]["category"] = "Z"
    validator = _draft_04_validator(template)
    for document, path in ((behaviour, behaviour_path), (category, "behaviours.noise.category")):
        assert _refused_at(validator, document) == []
        with pytest.raises(PolicyRefused) as refused:
            compiled(document)
        assert path in [mistake.path for mistake in refused.value.mistakes]


@pytest.mark.parametrize(("schema", "named"), [
    ({"prefixItems": [{"type": "string"}]}, "#/prefixItems"),
    ({"properties": {"a": {"if": {"type": "string"}}}}, "#/properties/a/if"),
    ({"propertyNames": {"pattern": "^a"}}, "#/propertyNames: pattern"),
])
def test_a_keyword_draft_04_lacks_and_is_not_translated_is_refused(schema: dict[str, Any],
                                                                   named: str) -> None:
    with pytest.raises(ValueError, match=re.escape(named)):
        draft_04(schema)


def test_draft_04_translates_const_and_numeric_exclusive_bounds() -> None:
    assert draft_04({"const": 3, "exclusiveMinimum": 0, "exclusiveMaximum": 9}) == {
        "$schema": "http://json-schema.org/draft-04/schema#", "enum": [3], "minimum": 0,
        "exclusiveMinimum": True, "maximum": 9, "exclusiveMaximum": True}


def test_the_schema_command_would_change_nothing_in_the_template() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    assert with_validator(text, json_schema()) == text


def test_the_schema_command_rewrites_a_validator_that_drifted() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    drifted = json.loads(_validators(load_template())["JSON_SCHEMA"])
    drifted["title"] = "an older schema"
    old = with_validator(text, drifted)
    assert old != text
    assert with_validator(old, json_schema()) == text


def test_a_schema_too_long_for_appconfig_is_refused() -> None:
    with pytest.raises(ValueError, match="32768"):
        validator_content({"description": "x" * VALIDATOR_LIMIT})


def test_the_lambda_validator_is_the_policy_check_function_which_only_writes_logs(
        template: dict[str, Any]) -> None:
    assert _validators(template)["LAMBDA"] == {"Fn::GetAtt": ["PolicyCheckFunction", "Arn"]}
    check = _properties(template, "PolicyCheckFunction")
    assert (check["CodeUri"], check["Handler"]) == ("functions/policy_check/", "app.lambda_handler")
    assert (ROOT / check["CodeUri"] / "app.py").is_file()
    role = check["Role"]["Fn::GetAtt"][0]
    assert {a for s in _statements(template, role) for a in _actions(s)} == {
        "logs:CreateLogStream", "logs:PutLogEvents"}
    assert EXTENSION not in check.get("Layers", [])


def test_appconfig_may_invoke_the_validator_on_the_terms_aws_documents(
        template: dict[str, Any]) -> None:
    """The AppConfig User Guide's add-permission and CDK's LambdaValidator grant the service
    principal alone: a SourceArn or SourceAccount AppConfig's call did not carry would refuse
    it, and every deployment would fail validation."""
    [permission] = [p["Properties"] for p in template["Resources"].values()
                    if p["Type"] == "AWS::Lambda::Permission"
                    and p["Properties"]["FunctionName"] == {"Fn::GetAtt": ["PolicyCheckFunction",
                                                                           "Arn"]}]
    assert permission == {"Action": "lambda:InvokeFunction",
                          "FunctionName": {"Fn::GetAtt": ["PolicyCheckFunction", "Arn"]},
                          "Principal": "appconfig.amazonaws.com"}


def test_functions_read_the_policy_by_the_applications_id_and_its_one_environment_and_profile(
        template: dict[str, Any]) -> None:
    """The application by its id (its name need not be unique in the account); the environment
    and profile by their names, each the only one of its kind in the application."""
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    assert set(POLICY_APPCONFIG_VARIABLES) <= set(variables)  # what asb.kernel.settings reads
    assert variables["ASB_POLICY_APPLICATION"] == {"Ref": "PolicyApplication"}  # Ref: its id
    for kind, resource in (("AWS::AppConfig::Environment", "PolicyEnvironment"),
                           ("AWS::AppConfig::ConfigurationProfile", "PolicyProfile")):
        assert [n for n, r in template["Resources"].items() if r["Type"] == kind] == [resource]
    names = [_as_text(_properties(template, resource)["Name"])
             for resource in ("PolicyEnvironment", "PolicyProfile")]
    assert [variables[name] for name in ("ASB_POLICY_ENVIRONMENT",
                                         "ASB_POLICY_PROFILE")] == names
    application = "${PolicyApplication}"
    environment, profile = names
    # The path the extension serves, which it then fetches as the function starts.
    assert _as_text(variables["AWS_APPCONFIG_EXTENSION_PREFETCH_LIST"]) == (
        f"/applications/{application}/environments/{environment}/configurations/{profile}")


def test_every_function_that_reads_the_policy_has_the_extension_and_may_read_that_profile_only(
        template: dict[str, Any]) -> None:
    readers = _readers(template)
    assert readers["TriageFunction"] and readers["CaseWorkFunction"]  # the check sees them
    assert not readers["StreamPublisherFunction"] and not readers["PolicyCheckFunction"]
    assert EXTENSION not in template["Globals"]["Function"]["Layers"]
    for function, reads in readers.items():
        properties = _properties(template, function)
        granted = [s for s in _statements(template, properties["Role"]["Fn::GetAtt"][0])
                   if _actions(s) & READS]
        if not reads:
            assert EXTENSION not in properties.get("Layers", []), function
            assert not granted, function
            continue
        assert properties.get("Layers", [])[-1:] == [EXTENSION], function
        assert [(s["Effect"], _actions(s), s["Resource"]) for s in granted] == [
            ("Allow", READS, {"Fn::Sub": PROFILE_ARN})], function


def test_the_extension_is_the_arm64_layer_for_the_functions_architecture(
        template: dict[str, Any]) -> None:
    parameter = template["Parameters"]["AppConfigExtensionLayerArn"]
    assert template["Globals"]["Function"]["Architectures"] == ["arm64"]
    assert re.fullmatch(parameter["AllowedPattern"], parameter["Default"])
    assert parameter["Default"].startswith("arn:aws:lambda:eu-west-2:")
    assert ":layer:AWS-AppConfig-Extension-Arm64:" in parameter["Default"]


# AppConfig's name limits (API reference: CreateApplication, CreateEnvironment,
# CreateDeploymentStrategy 64; CreateConfigurationProfile 128). A stack's name may be 128.
NAME_LIMITS = {"PolicyApplication": 64, "PolicyEnvironment": 64, "PolicyDeploymentStrategy": 64,
               "PolicyProfile": 128}
STACK_UUID = {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}


def _longest(value: Any) -> int:
    """The longest a name can come out: a literal as it is, the stack's id's UUID as 36."""
    if isinstance(value, str):
        return len(value)
    if value == STACK_UUID:
        return 36
    assert set(value) == {"Fn::Join"}, f"a name whose length is not known: {value}"
    separator, parts = value["Fn::Join"]
    return len(separator) * (len(parts) - 1) + sum(_longest(part) for part in parts)


def test_every_appconfig_name_fits_whatever_the_stack_is_called(template: dict[str, Any]) -> None:
    for resource, limit in NAME_LIMITS.items():
        name = _properties(template, resource)["Name"]
        assert "AWS::StackName" not in json.dumps(name), resource  # up to 128 characters
        assert 0 < _longest(name) <= limit, resource
    # One application and one strategy per stack, should AppConfig want names unique.
    for resource in ("PolicyApplication", "PolicyDeploymentStrategy"):
        assert STACK_UUID in _properties(template, resource)["Name"]["Fn::Join"][1], resource


def test_a_name_of_unknown_length_is_not_passed() -> None:
    with pytest.raises(AssertionError, match="not known"):
        _longest({"Fn::Sub": "${AWS::StackName}-policy"})
    assert _longest({"Fn::Join": ["-", ["asb-policy", STACK_UUID]]}) == 47


def test_appconfig_rolls_a_deployment_back_on_the_apis_server_errors(
        template: dict[str, Any]) -> None:
    [monitor] = _properties(template, "PolicyEnvironment")["Monitors"]
    alarm = monitor["AlarmArn"]["Fn::GetAtt"]
    assert alarm == ["ApiServerErrorAlarm", "Arn"]
    assert template["Resources"][alarm[0]]["Type"] == "AWS::CloudWatch::Alarm"
    assert _properties(template, alarm[0])["Namespace"] == "AWS/ApiGateway"
    role = monitor["AlarmRoleArn"]["Fn::GetAtt"][0]
    trust = _properties(template, role)["AssumeRolePolicyDocument"]["Statement"]
    assert [(s["Effect"], s["Principal"], s["Action"]) for s in trust] == [
        ("Allow", {"Service": "appconfig.amazonaws.com"}, "sts:AssumeRole")]
    assert [(s["Effect"], _actions(s), s["Resource"]) for s in _statements(template, role)] == [
        ("Allow", {"cloudwatch:DescribeAlarms"}, {"Fn::GetAtt": ["ApiServerErrorAlarm", "Arn"]})]
    assert "ManagedPolicyArns" not in _properties(template, role)


def test_the_policy_goes_out_gradually_with_a_bake(template: dict[str, Any]) -> None:
    strategy = _properties(template, "PolicyDeploymentStrategy")
    assert template["Resources"]["PolicyDeploymentStrategy"]["Type"] == (
        "AWS::AppConfig::DeploymentStrategy")
    assert strategy["GrowthType"] == "LINEAR" and strategy["ReplicateTo"] == "NONE"
    assert 0 < strategy["GrowthFactor"] < 100
    assert strategy["DeploymentDurationInMinutes"] > 0 and strategy["FinalBakeTimeInMinutes"] > 0


def test_the_stack_outputs_the_ids_the_deploy_command_needs(template: dict[str, Any]) -> None:
    outputs = {name: output["Value"] for name, output in template["Outputs"].items()}
    assert outputs["PolicyApplicationId"] == {"Fn::GetAtt": ["PolicyApplication",
                                                             "ApplicationId"]}
    assert outputs["PolicyEnvironmentId"] == {"Fn::GetAtt": ["PolicyEnvironment",
                                                             "EnvironmentId"]}
    assert outputs["PolicyProfileId"] == {"Fn::GetAtt": ["PolicyProfile",
                                                         "ConfigurationProfileId"]}
    assert outputs["PolicyDeploymentStrategyId"] == {"Fn::GetAtt": ["PolicyDeploymentStrategy",
                                                                    "Id"]}


def test_locally_a_function_has_only_the_templates_own_layers() -> None:
    """The extension is AWS's layer, not a folder: the local runtime leaves it out."""
    own = {ROOT / "shared", ROOT / "pdf"}
    for spec in functions():
        assert set(spec.layers) <= own and all(Path(layer).is_dir() for layer in spec.layers)


def test_the_local_runtime_skips_appconfig_and_still_resolves_the_grants(aws: Any) -> None:
    for name, kind in (("PolicyApplication", "AWS::AppConfig::Application"),
                       ("PolicyEnvironment", "AWS::AppConfig::Environment"),
                       ("PolicyProfile", "AWS::AppConfig::ConfigurationProfile"),
                       ("PolicyDeploymentStrategy", "AWS::AppConfig::DeploymentStrategy"),
                       ("PolicyCheckPermission", "AWS::Lambda::Permission")):
        assert aws.skipped[name] == kind
    assert aws.resolve({"Fn::Sub": PROFILE_ARN}) == (
        "arn:aws:appconfig:eu-west-2:123456789012:application/PolicyApplication/environment/"
        "PolicyEnvironment/configuration/PolicyProfile")
    # The bench's stand-in agent serves under the Globals' names resolved this way.
    variables = load_template()["Globals"]["Function"]["Environment"]["Variables"]
    assert aws.resolve(variables["ASB_POLICY_APPLICATION"]) == "PolicyApplication"
    assert aws.resolve(variables["AWS_APPCONFIG_EXTENSION_PREFETCH_LIST"]) == (
        "/applications/PolicyApplication/environments/service/configurations/landlord-policy")
