"""The year's imported tenant perception survey: one item per reporting year, written with its
audit entry in one transaction, conditional on the version the manager read. The item carries
the ByReportingYear keys, so the year's figures find it by the index they already read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.case.models import AuditEntry
from asb.dynamo import keys
from asb.dynamo.codec import from_item, to_item
from asb.dynamo.transactions import audit_item, cancelled
from asb.kernel.errors import VersionConflict
from asb.reporting.survey_import import READ_AGAIN
from asb.reporting.tenant_survey import ENTITY as TENANT_SURVEY

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


class DynamoDBFiguresStore:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def tenant_survey(self, year: int) -> dict[str, Any] | None:
        answer = self._client.get_item(TableName=self._table, ConsistentRead=True,
                                       Key=to_item(keys.tenant_survey_key(year)))
        return from_item(answer["Item"]) if "Item" in answer else None

    def save_tenant_survey(self, record: dict[str, Any], expected_version: int | None,
                           audit: AuditEntry) -> None:
        year = int(record["reporting_year"])
        key = keys.tenant_survey_key(year)
        put: TransactWriteItemTypeDef = {"Put": {
            "TableName": self._table, "Item": to_item({
                **key, keys.ENTITY: TENANT_SURVEY, **record,
                "year_list": keys.year_list(TENANT_SURVEY, year),
                "year_on": record["imported_at"]}),
            "ConditionExpression": "attribute_not_exists(pk)" if expected_version is None
            else "version = :expected"}}
        if expected_version is not None:
            put["Put"]["ExpressionAttributeValues"] = to_item({":expected": expected_version})
        entry = audit_item(audit, pk=key[keys.PK])
        try:
            self._client.transact_write_items(TransactItems=[put, {"Put": {
                "TableName": self._table, "Item": to_item(entry)}}])
        except ClientError as error:
            reasons = cancelled(error)
            if reasons is not None and reasons.failed(0):
                raise VersionConflict("The year's survey was imported meanwhile: read it again. "
                                      f"{READ_AGAIN}") from None
            raise  # a conflict or throttle: nothing was written, and the import says so
