"""Creates template.yaml's resources on a local AWS (moto) and resolves its intrinsic functions."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, cast

import boto3

from asb.kernel.settings import POLICY_APPCONFIG_VARIABLES
from infra.local.template import load_template

# No AppConfig locally (moto lacks its environments, deployments and data plane): functions get
# none of its names, so asb.policy.config reads the policy from its file (ASB_POLICY_FILE, or the
# packaged seed), as make dev's watcher expects.
NOT_GIVEN_LOCALLY = frozenset({*POLICY_APPCONFIG_VARIABLES, "AWS_APPCONFIG_EXTENSION_PREFETCH_LIST"})

REGION = "eu-west-2"
ACCOUNT = "123456789012"
_S3_CORS = {"MaxAge": "MaxAgeSeconds", "Id": "ID"}  # CloudFormation's names -> S3's


class _StandIn(dict[str, Any]):
    """A skipped resource's attributes: each, Ref too, is its logical id."""

    def __init__(self, logical_id: str) -> None:
        super().__init__(Ref=logical_id)
        self.logical_id = logical_id

    def __missing__(self, name: str) -> str:
        return self.logical_id


class LocalResources:
    """template.yaml on moto: every resource the local runtime needs, created on first use."""

    def __init__(self, stack_name: str = "asb-local", template: dict[str, Any] | None = None,
                 session: boto3.Session | None = None) -> None:
        self.stack_name = stack_name
        self.template = template or load_template()
        self.session = session or boto3.Session(region_name=REGION)
        self._created: dict[str, dict[str, Any]] = {}
        self.skipped: dict[str, str] = {}
        self._makers: dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]] = {
            "AWS::KMS::Key": self._kms_key,
            "AWS::KMS::Alias": self._kms_alias,
            "AWS::DynamoDB::Table": self._table,
            "AWS::SQS::Queue": self._queue,
            "AWS::SQS::QueuePolicy": self._queue_policy,
            "AWS::SNS::Topic": self._topic,
            "AWS::Logs::LogGroup": self._log_group,
            "AWS::CloudWatch::Alarm": self._alarm,
            "AWS::IAM::Role": self._role,
            "AWS::Cognito::UserPool": self._user_pool,
            "AWS::Cognito::UserPoolGroup": self._user_pool_group,
            "AWS::Cognito::UserPoolClient": self._user_pool_client,
            "AWS::S3::Bucket": self._bucket,
            "AWS::SES::EmailIdentity": self._email_identity,
        }

    # ------------------------------------------------------------------ public
    def create_all(self) -> LocalResources:
        for logical_id in self.template["Resources"]:
            if self._condition_holds(logical_id):
                self.ensure(logical_id)
        return self

    def ensure(self, logical_id: str) -> dict[str, Any]:
        """Creates the resource if it is not yet there; returns its Ref and attributes."""
        if logical_id in self._created:
            return self._created[logical_id]
        resource = self.template["Resources"][logical_id]
        maker = self._makers.get(resource["Type"])
        if maker is None:
            # Not made locally (the firewall, AppConfig's application, environment, profile and
            # strategy, a Lambda permission, ...): its Ref and any attribute stand in as its name,
            # so a role or variable naming it still resolves.
            self.skipped[logical_id] = resource["Type"]
            attributes: dict[str, Any] = _StandIn(logical_id)
        else:
            props = self.resolve(resource.get("Properties", {}))
            attributes = maker(logical_id, props)
        self._created[logical_id] = attributes
        return attributes

    def ref(self, logical_id: str) -> Any:
        return self.resolve({"Ref": logical_id})

    def attribute(self, logical_id: str, name: str) -> Any:
        return self.ensure(logical_id)[name]

    def resolve(self, value: Any) -> Any:
        """Evaluates Ref, GetAtt, Sub, If, Join, Select, Equals and Not the way CloudFormation does."""
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (name, arg), = value.items()
            handler = _INTRINSICS.get(name)
            if handler:
                return handler(self, arg)
        return {k: self.resolve(v) for k, v in value.items()}

    def environment(self, variables: dict[str, Any]) -> dict[str, str]:
        """A function's variables resolved, less those that name what exists only in AWS."""
        return {name: str(self.resolve(value)) for name, value in variables.items()
                if name not in NOT_GIVEN_LOCALLY}

    # ------------------------------------------------------------------ intrinsics
    def _ref(self, name: str) -> Any:
        pseudo = {
            "AWS::Region": self.session.region_name or REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::StackName": self.stack_name,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": None,
        }
        if name in pseudo:
            return pseudo[name]
        parameters = self.template.get("Parameters", {})
        if name in parameters:
            return parameters[name].get("Default", "")
        return self.ensure(name)["Ref"]

    def _get_att(self, arg: Any) -> Any:
        logical_id, attribute = arg.split(".", 1) if isinstance(arg, str) else arg
        return self.attribute(logical_id, attribute)

    def _sub(self, arg: Any) -> str:
        text, names = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def value(match: re.Match[str]) -> str:
            token = match.group(1)
            if token in names:
                return str(names[token])
            if "." in token and not token.startswith("AWS::"):
                return str(self._get_att(token))
            return str(self._ref(token))

        return re.sub(r"\$\{([^}!]+)\}", value, text)

    def _condition(self, name: str) -> bool:
        return bool(self.resolve(self.template.get("Conditions", {})[name]))

    def _condition_holds(self, logical_id: str) -> bool:
        condition = self.template["Resources"][logical_id].get("Condition")
        return condition is None or self._condition(condition)

    def _if(self, arg: list[Any]) -> Any:
        name, yes, no = arg
        return self.resolve(yes if self._condition(name) else no)

    # ------------------------------------------------------------------ resources
    def _name(self, logical_id: str) -> str:
        return f"{self.stack_name}-{logical_id}"

    def _kms_key(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        kms = self.session.client("kms")
        key = kms.create_key(
            Description=props.get("Description", logical_id),
            KeyUsage=props.get("KeyUsage", "ENCRYPT_DECRYPT"),
            KeySpec=props.get("KeySpec", "SYMMETRIC_DEFAULT"),
        )["KeyMetadata"]
        return {"Ref": key["KeyId"], "Arn": key["Arn"], "KeyId": key["KeyId"]}

    def _queue_policy(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        """Set on each queue as CloudFormation would (moto stores it; it does not enforce it)."""
        sqs = self.session.client("sqs")
        for url in props["Queues"]:
            sqs.set_queue_attributes(QueueUrl=url,
                                     Attributes={"Policy": json.dumps(props["PolicyDocument"])})
        return {"Ref": logical_id, "Id": logical_id}

    def _kms_alias(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        self.session.client("kms").create_alias(
            AliasName=props["AliasName"], TargetKeyId=props["TargetKeyId"]
        )
        return {"Ref": props["AliasName"]}

    def _table(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        dynamodb = self.session.client("dynamodb")
        name = props.get("TableName") or self._name(logical_id)
        args: dict[str, Any] = {
            "TableName": name,
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            if props.get(key):
                args[key] = props[key]
        if props.get("StreamSpecification"):
            args["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
        sse = props.get("SSESpecification")
        if sse and sse.get("SSEEnabled"):
            args["SSESpecification"] = {
                "Enabled": True,
                "SSEType": sse.get("SSEType", "KMS"),
                **({"KMSMasterKeyId": sse["KMSMasterKeyId"]} if sse.get("KMSMasterKeyId") else {}),
            }
        table = dynamodb.create_table(**args)["TableDescription"]
        ttl = props.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled"):
            dynamodb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
            )
        if props.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled"):
            dynamodb.update_continuous_backups(
                TableName=name,
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
        return {"Ref": name, "Arn": table["TableArn"], "StreamArn": table.get("LatestStreamArn")}

    def _queue(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        sqs = self.session.client("sqs")
        name = props.get("QueueName") or self._name(logical_id)
        if props.get("FifoQueue") and not name.endswith(".fifo"):
            name += ".fifo"
        attributes: dict[str, str] = {}
        for key, value in props.items():
            if key in ("QueueName", "Tags"):
                continue
            if key in ("RedrivePolicy", "RedriveAllowPolicy"):
                attributes[key] = json.dumps(value)
            elif isinstance(value, bool):
                attributes[key] = "true" if value else "false"
            else:
                attributes[key] = str(value)
        # The template's keys are SQS attribute names.
        url = sqs.create_queue(QueueName=name, Attributes=cast("Any", attributes))["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        return {"Ref": url, "Arn": arn, "QueueName": name, "QueueUrl": url}

    def _topic(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        name = props.get("TopicName") or self._name(logical_id)
        arn = self.session.client("sns").create_topic(Name=name)["TopicArn"]
        return {"Ref": arn, "TopicArn": arn, "TopicName": name}

    def _log_group(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        name = props.get("LogGroupName") or f"/asb-local/{logical_id}"
        logs = self.session.client("logs")
        logs.create_log_group(logGroupName=name)
        arn = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{name}:*"
        return {"Ref": name, "Arn": arn}

    def _alarm(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        name = props.get("AlarmName") or self._name(logical_id)
        allowed = {
            "AlarmDescription", "Namespace", "MetricName", "Dimensions", "Statistic", "Period",
            "EvaluationPeriods", "Threshold", "ComparisonOperator", "TreatMissingData",
            "AlarmActions",
        }
        args = {k: v for k, v in props.items() if k in allowed}
        self.session.client("cloudwatch").put_metric_alarm(AlarmName=name, **args)
        return {"Ref": name, "Arn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{name}"}

    def _role(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        iam = self.session.client("iam")
        name = props.get("RoleName") or self._name(logical_id)[:64]
        role = iam.create_role(
            RoleName=name, AssumeRolePolicyDocument=json.dumps(props["AssumeRolePolicyDocument"])
        )["Role"]
        for policy in props.get("Policies", []):
            iam.put_role_policy(
                RoleName=name,
                PolicyName=policy["PolicyName"],
                PolicyDocument=json.dumps(policy["PolicyDocument"]),
            )
        return {"Ref": name, "Arn": role["Arn"]}


    def _user_pool(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        pool = self.session.client("cognito-idp").create_user_pool(
            PoolName=props.get("UserPoolName") or self._name(logical_id))["UserPool"]
        return {"Ref": pool["Id"], "Arn": pool["Arn"], "ProviderName": pool["Id"]}

    def _user_pool_group(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        self.session.client("cognito-idp").create_group(
            UserPoolId=props["UserPoolId"], GroupName=props["GroupName"],
            Description=props.get("Description", ""))
        return {"Ref": props["GroupName"]}

    def _user_pool_client(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        client = self.session.client("cognito-idp").create_user_pool_client(
            UserPoolId=props["UserPoolId"], ClientName=self._name(logical_id))["UserPoolClient"]
        return {"Ref": client["ClientId"]}


    def _bucket(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        name = props.get("BucketName") or self._name(logical_id).lower()
        s3 = self.session.client("s3")
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={
            "LocationConstraint": cast("Any", self.session.region_name or REGION)})
        if props.get("VersioningConfiguration"):
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        if props.get("CorsConfiguration"):  # moto's server answers CORS for any origin anyway
            rules = [{**{_S3_CORS.get(k, k): v for k, v in rule.items()}, "AllowedOrigins": ["*"]}
                     for rule in props["CorsConfiguration"]["CorsRules"]]
            s3.put_bucket_cors(Bucket=name, CORSConfiguration=cast("Any", {"CORSRules": rules}))
        if props.get("PublicAccessBlockConfiguration"):
            s3.put_public_access_block(
                Bucket=name,
                PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"])
        return {"Ref": name, "Arn": f"arn:aws:s3:::{name}", "BucketName": name}

    def _email_identity(self, logical_id: str, props: dict[str, Any]) -> dict[str, Any]:
        identity = props["EmailIdentity"]
        # Locally the identity counts as verified at once, as SES's sandbox would after the click.
        self.session.client("ses").verify_email_identity(EmailAddress=identity)
        return {"Ref": identity}


def _join(resources: LocalResources, arg: list[Any]) -> str:
    separator, parts = arg
    return str(separator).join(str(p) for p in resources.resolve(parts))


def _select(resources: LocalResources, arg: list[Any]) -> Any:
    index, items = arg
    return resources.resolve(items)[int(resources.resolve(index))]


_INTRINSICS: dict[str, Callable[[LocalResources, Any], Any]] = {
    "Ref": lambda r, arg: r._ref(arg),
    "Fn::GetAtt": lambda r, arg: r._get_att(arg),
    "Fn::Sub": lambda r, arg: r._sub(arg),
    "Fn::If": lambda r, arg: r._if(arg),
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Equals": lambda r, arg: r.resolve(arg[0]) == r.resolve(arg[1]),
    "Fn::Not": lambda r, arg: not r.resolve(arg[0]),
    "Fn::And": lambda r, arg: all(r.resolve(a) for a in arg),
    "Fn::Or": lambda r, arg: any(r.resolve(a) for a in arg),
    "Condition": lambda r, arg: r._condition(arg),
}
