"""`python -m infra.policy deploy FILE [--stack NAME]`: a landlord's policy document deployed
through AWS AppConfig.

The document is checked as `make check-policy` checks it (refused with each mistake by its path,
nothing sent); then a hosted configuration version of its compiled JSON (content type
application/json, VersionLabel the policy's version, `v` before it when the version is all digits:
AppConfig refuses a label without a non-numeric character) is created on the stack's
PolicyProfile and a deployment started with PolicyDeploymentStrategy to PolicyEnvironment. The
ids come from the stack's Outputs, or are given with --application, --environment, --profile,
--strategy. The deployment it started is recorded as a policy change with who ran it (the cases
table from the Outputs' CasesTableName, or --table): the same change AppConfig's start event
names, so PolicyAuditFunction does not record it twice. When that record fails the deployment
has still started: the command says so and exits 0 (run again, it would deploy again), and
PolicyAuditFunction records the change from AppConfig's event.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from asb.policy.document import compiled
from asb.policy_changes.models import ChangeState, deployment_key

OUTPUTS = {"application": "PolicyApplicationId", "environment": "PolicyEnvironmentId",
           "profile": "PolicyProfileId", "strategy": "PolicyDeploymentStrategyId",
           "table": "CasesTableName"}
APPCONFIG_IDS = ("application", "environment", "profile", "strategy")


def version_label(version: str) -> str:
    """A hosted configuration version's label for a policy version: AppConfig's VersionLabel is
    1 to 64 characters with at least one non-numeric (the API reference's `.*[^0-9].*`); a policy
    version is at most 63 of [a-z0-9.-], so an all-digit one ("2026") is labelled "v2026"."""
    return f"v{version}" if version.isdigit() else version


def stack_outputs(cloudformation: Any, stack: str) -> dict[str, str]:
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def deploy(path: Path, ids: dict[str, str], appconfig: Any,
           record: Callable[..., Any] | None, who: str) -> int:
    """Checks the document, creates its hosted version and starts its deployment; `record`
    (PolicyChanges.record) keeps the change when the cases table is known."""
    from infra.check_policy import mistakes_in, print_refusal
    from infra.policy import read_document

    mistakes = mistakes_in(path)
    if mistakes:
        print_refusal(f"{path}: refused, nothing deployed", mistakes)
        return 1
    missing = [name for name in APPCONFIG_IDS if not ids.get(name)]
    if missing:
        print(f"no {', '.join(missing)} id: name the stack (--stack) or give --{missing[0]}",
              file=sys.stderr)
        return 2
    document = compiled(read_document(path))
    version, landlord = str(document["version"]), str(document["landlord"])
    hosted = appconfig.create_hosted_configuration_version(
        ApplicationId=ids["application"], ConfigurationProfileId=ids["profile"],
        Content=json.dumps(document, ensure_ascii=False).encode("utf-8"),
        ContentType="application/json", VersionLabel=version_label(version))
    number = int(hosted["VersionNumber"])
    print(f"hosted configuration version {number} of profile {ids['profile']}: "
          f"{landlord} policy {version}")
    started = appconfig.start_deployment(
        ApplicationId=ids["application"], EnvironmentId=ids["environment"],
        DeploymentStrategyId=ids["strategy"], ConfigurationProfileId=ids["profile"],
        ConfigurationVersion=str(number), Description=f"policy {version} by {who}")
    deployment = int(started["DeploymentNumber"])
    print(f"deployment {deployment} to environment {ids['environment']} started with strategy "
          f"{ids['strategy']}: each function takes up {version} as it next starts")
    if record is None:
        print("no cases table named: PolicyAuditFunction records the change from AppConfig's "
              "deployment events")
        return 0
    try:
        record(key=deployment_key(ids["application"], ids["environment"], deployment,
                                  ChangeState.STARTED),
               landlord=landlord, to_version=version, state=ChangeState.STARTED,
               by=f"{who} with python -m infra.policy deploy (strategy {ids['strategy']})")
    except Exception as failed:  # the deployment is under way whatever became of its record
        print(f"deployment {deployment} started; the change is not recorded here "
              f"({type(failed).__name__}: {failed}) - PolicyAuditFunction records it from "
              "AppConfig's event. Do not run the command again for this deployment.",
              file=sys.stderr)
        return 0
    print("policy change recorded (the console's Policy page, GET /policy/changes)")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.policy deploy")
    parser.add_argument("file", type=Path, help="the landlord's policy document (YAML or JSON)")
    parser.add_argument("--stack", help="the stack whose Outputs name the AppConfig ids")
    for name, output in OUTPUTS.items():
        parser.add_argument(f"--{name}", help=f"instead of the stack's {output}")
    arguments = parser.parse_args(argv)
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    from asb import bootstrap
    from asb.kernel.settings import CaseSettings

    try:
        outputs = stack_outputs(boto3.client("cloudformation"), arguments.stack) \
            if arguments.stack else {}
        ids = {name: str(getattr(arguments, name) or outputs.get(output) or "")
               for name, output in OUTPUTS.items()}
        table = ids.pop("table")
        if any(not ids[name] for name in APPCONFIG_IDS):  # the document checked, then named
            return deploy(arguments.file, ids, None, None, getpass.getuser())
        record = bootstrap.policy_changes(CaseSettings(cases_table=table)).record \
            if table else None
        return deploy(arguments.file, ids, boto3.client("appconfig"), record, getpass.getuser())
    except (BotoCoreError, ClientError) as failed:
        print(f"not deployed: {failed}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
