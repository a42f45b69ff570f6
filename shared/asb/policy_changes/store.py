"""Policy changes in the cases table, in a partition of their own. Reads are Queries; no Scan.

| item                 | pk     | sk                     |
|----------------------|--------|------------------------|
| a change             | POLICY | C#<at ISO>#<key>       |
| a change's key       | POLICY | KEY#<key>              |
| the version in force | POLICY | IN_FORCE               |

A change is written with its key's item, put on condition that it does not exist, so the same
change is stored once: the same deployment event delivered twice, or the deployment the deploy
command started (recorded by it, with who ran it) and its start event. In the same transaction
the version in force is checked to be still the one the change's "from" was read from, and a
completed change moves it on condition that no later completion set it (IN_FORCE keeps its
change's time, `at` and in microseconds `at_us` for the condition): otherwise the change is stored
and IN_FORCE left.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.dynamo.codec import from_item, to_item
from asb.kernel.errors import InvalidChange
from asb.kernel.json_text import NotJson, read_json
from asb.kernel.validation import FieldError
from asb.policy_changes.models import ChangeState, PolicyChange
from asb.policy_changes.service import ChangesPage, InForce, InForceMoved

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

PK = "POLICY"
IN_FORCE = {"pk": {"S": PK}, "sk": {"S": "IN_FORCE"}}
BAD_CURSOR = InvalidChange([FieldError("cursor", "Use the cursor from the previous page, unchanged")])
# A change's sort key as change_sk writes it; DynamoDB refuses a sort key over 1,024 bytes (a
# cursor decoding to one would be its 500), so a cursor's is bounded well within that.
SK_BYTES = 512
CHANGE_SK = re.compile(r"C#\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:[+-]\d{2}:\d{2}|Z)"
                       r"#[!-~]{1,400}")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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
    """The sort key a cursor of ours holds; BAD_CURSOR for anything else (not base64, not a
    change's key, too long for DynamoDB's ExclusiveStartKey)."""
    if len(cursor) > SK_BYTES * 4 // 3 + 4:
        raise BAD_CURSOR
    try:
        sk = base64.urlsafe_b64decode(cursor.encode()).decode()
        at = sk.split("#", 2)[1] if CHANGE_SK.fullmatch(sk) else ""
        datetime.fromisoformat(at.replace("Z", "+00:00"))
    except (ValueError, UnicodeDecodeError):
        raise BAD_CURSOR from None
    if len(sk.encode()) > SK_BYTES:
        raise BAD_CURSOR
    return sk


def _microseconds(at: datetime) -> int:
    return (at - EPOCH) // timedelta(microseconds=1)


class DynamoDBPolicyChangeStore:
    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._client, self._table = client, table

    def in_force(self) -> InForce | None:
        item = self._client.get_item(TableName=self._table, Key=IN_FORCE,
                                     ConsistentRead=True).get("Item")
        if not item:
            return None
        values = from_item(item)
        at = values.get("at")
        return InForce(landlord=values["landlord"], version=values["version"],
                       at=datetime.fromisoformat(at) if at else None)

    def add(self, change: PolicyChange, before: InForce | None, moves: bool) -> bool:
        writes: list[Any] = [
            {"Put": {"TableName": self._table,
                     "Item": to_item({"pk": PK, "sk": f"KEY#{change.key}",
                                      "change_sk": change_sk(change)}),
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": self._table, "Item": to_item(change_item(change))}},
            self._in_force_write(change, before, moves)]
        try:
            self._client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            codes = [r.get("Code") for r in error.response.get("CancellationReasons") or []]
            if codes and codes[0] == "ConditionalCheckFailed":
                return False
            if len(codes) > 2 and codes[2] == "ConditionalCheckFailed":
                raise InForceMoved("the version in force changed since it was read") from None
            raise
        return True

    def _in_force_write(self, change: PolicyChange, before: InForce | None,
                        moves: bool) -> dict[str, Any]:
        """IN_FORCE still `before` (absent when None): moved to the change when `moves` and no
        later completion set it, else only checked."""
        condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        if before is not None:
            condition = {"ConditionExpression": "#version = :from",
                         "ExpressionAttributeNames": {"#version": "version"},
                         "ExpressionAttributeValues": {":from": {"S": before.version}}}
        if not moves:
            return {"ConditionCheck": {"TableName": self._table, "Key": IN_FORCE, **condition}}
        at_us = _microseconds(change.at)
        if before is not None:
            condition["ConditionExpression"] += \
                " AND (attribute_not_exists(at_us) OR at_us < :at_us)"
            condition["ExpressionAttributeValues"][":at_us"] = {"N": str(at_us)}
        return {"Put": {"TableName": self._table, "Item": to_item({
            "pk": PK, "sk": "IN_FORCE", "landlord": change.landlord,
            "version": change.to_version, "at": change.at.isoformat(), "at_us": at_us}),
            **condition}}

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
