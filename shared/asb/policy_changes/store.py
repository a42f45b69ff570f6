"""Policy changes in the cases table, in a partition of their own. Reads are Queries; no Scan.

| item                 | pk     | sk                     |
|----------------------|--------|------------------------|
| a change             | POLICY | C#<at ISO>#<key>       |
| a change's key       | POLICY | KEY#<key>              |
| the version in force | POLICY | IN_FORCE               |

A change is written with its key's item, put on condition that it does not exist, so the same
change is stored once: the same deployment event delivered twice, or the deployment the deploy
command started (recorded by it, with who ran it) and its start event. A completed change moves
the version in force in the same transaction.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.dynamo.codec import from_item, to_item
from asb.kernel.errors import InvalidChange
from asb.kernel.json_text import NotJson, read_json
from asb.kernel.validation import FieldError
from asb.policy_changes.models import ChangeState, PolicyChange
from asb.policy_changes.service import ChangesPage, InForce

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

PK = "POLICY"
IN_FORCE = {"pk": {"S": PK}, "sk": {"S": "IN_FORCE"}}
BAD_CURSOR = InvalidChange([FieldError("cursor", "Use the cursor from the previous page, unchanged")])


def change_sk(change: PolicyChange) -> str:
    return f"C#{change.at.isoformat()}#{change.key}"


def change_item(change: PolicyChange) -> dict[str, Any]:
    item = {"pk": PK, "sk": change_sk(change), "entity": "PolicyChange", "key": change.key,
            "landlord": change.landlord, "to_version": change.to_version,
            "at": change.at.isoformat(), "by": change.by, "state": change.state.value,
            "recorded_under": change.recorded_under}
    if change.from_version:
        item["from_version"] = change.from_version
    return item


def change_of(values: dict[str, Any]) -> PolicyChange:
    return PolicyChange(key=values["key"], landlord=values["landlord"],
                        from_version=values.get("from_version"),
                        to_version=values["to_version"], at=datetime.fromisoformat(values["at"]),
                        by=values["by"], state=ChangeState(values["state"]),
                        recorded_under=values["recorded_under"])


def _cursor(sk: str) -> str:
    return base64.urlsafe_b64encode(sk.encode()).decode()


def _sk_of(cursor: str) -> str:
    try:
        sk = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        raise BAD_CURSOR from None
    if not sk.startswith("C#"):
        raise BAD_CURSOR
    return sk


class DynamoDBPolicyChangeStore:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._client, self._table = client, table

    def in_force(self) -> InForce | None:
        item = self._client.get_item(TableName=self._table, Key=IN_FORCE,
                                     ConsistentRead=True).get("Item")
        if not item:
            return None
        values = from_item(item)
        return InForce(landlord=values["landlord"], version=values["version"])

    def add(self, change: PolicyChange) -> bool:
        writes: list[Any] = [
            {"Put": {"TableName": self._table,
                     "Item": to_item({"pk": PK, "sk": f"KEY#{change.key}",
                                      "change_sk": change_sk(change)}),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": self._table, "Item": to_item(change_item(change))}}]
        if change.state is ChangeState.COMPLETED:
            writes.append({"Put": {"TableName": self._table, "Item": to_item({
                "pk": PK, "sk": "IN_FORCE", "landlord": change.landlord,
                "version": change.to_version, "at": change.at.isoformat()})}})
        try:
            self._client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            reasons = error.response.get("CancellationReasons") or []
            if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
                return False
            raise
        return True

    def page(self, limit: int, cursor: str | None) -> ChangesPage:
        arguments: dict[str, Any] = {
            "TableName": self._table, "KeyConditionExpression": "pk = :pk AND begins_with(sk, :c)",
            "ExpressionAttributeValues": {":pk": {"S": PK}, ":c": {"S": "C#"}},
            "ScanIndexForward": False, "Limit": limit}
        if cursor:
            arguments["ExclusiveStartKey"] = {"pk": {"S": PK}, "sk": {"S": _sk_of(cursor)}}
        answer = self._client.query(**arguments)
        last = answer.get("LastEvaluatedKey")
        return ChangesPage([change_of(from_item(item)) for item in answer.get("Items", [])],
                           _cursor(last["sk"]["S"]) if last else None)


class UnreadablePolicy(Exception):
    """A hosted configuration version that is not a landlord's policy (not JSON, no landlord or
    version): AppConfig's validators refuse such a document, so this is a fault to look into."""


class AppConfigHostedVersions:
    """The deployed document's landlord and version, from its hosted configuration version
    (appconfig:GetHostedConfigurationVersion on the policy profile only)."""

    def __init__(self, client: Any) -> None:  # boto3's appconfig client (no stubs installed)
        self._client = client

    def policy_of(self, application_id: str, profile_id: str, version: str) -> InForce:
        if not version.isdigit():
            raise InvalidChange([FieldError("detail.ConfigurationVersion", "Not a number")])
        hosted = self._client.get_hosted_configuration_version(
            ApplicationId=application_id, ConfigurationProfileId=profile_id,
            VersionNumber=int(version))
        try:
            document = read_json(hosted["Content"].read().decode("utf-8"))
        except (UnicodeDecodeError, NotJson):
            raise UnreadablePolicy("the deployed version is not JSON") from None
        if not isinstance(document, dict) or not isinstance(document.get("landlord"), str) \
                or not isinstance(document.get("version"), str):
            raise UnreadablePolicy("the deployed version names no landlord or version")
        return InForce(landlord=document["landlord"], version=document["version"])
