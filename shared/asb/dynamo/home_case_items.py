"""A case at a home as stored (asb.case.home_cases): a lookup in the home's partition that the
home's page reads with one Query, and the same beside the case, which retention reads with the
rest of the case's partition. Each written as an idempotent update that adds the roles to any
already there, so a second report or tie naming the same home leaves one item of each."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from asb.case.home_cases import CASE_HOME, CaseAtHome, HomeRole
from asb.dynamo import keys
from asb.dynamo.codec import to_item

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

HOME_CASE = "HomeCase"
CASES_AT_HOME = keys.case_pk("")  # the sort keys' prefix of a home's cases: CASE#


def home_case_writes(table: str, reference: str,
                     at_home: CaseAtHome) -> list[TransactWriteItemTypeDef]:
    return [_add_roles(table, keys.home_case_key(at_home.uprn, reference), HOME_CASE,
                       reference, at_home),
            _add_roles(table, keys.case_home_key(reference, at_home.uprn), CASE_HOME,
                       reference, at_home)]


def _add_roles(table: str, key: dict[str, str], entity: str, reference: str,
               at_home: CaseAtHome) -> TransactWriteItemTypeDef:
    values: dict[str, Any] = {**to_item({":entity": entity, ":ref": reference,
                                         ":uprn": at_home.uprn}),
                              ":roles": {"SS": sorted(r.value for r in at_home.roles)}}
    return {"Update": {
        "TableName": table, "Key": to_item(key),
        "UpdateExpression": "SET #entity = :entity, case_reference = :ref, uprn = :uprn "
                            "ADD #roles :roles",
        "ExpressionAttributeNames": {"#entity": keys.ENTITY, "#roles": "roles"},
        "ExpressionAttributeValues": values,
    }}


def home_roles(item: dict[str, Any]) -> list[HomeRole]:
    """A lookup's roles (a string set, read back as a list or set), in a stable order."""
    return sorted(HomeRole(r) for r in item.get("roles", ()))
