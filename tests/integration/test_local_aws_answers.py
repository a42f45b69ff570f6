"""The local AWS writes DynamoDB's item answers as JSON directly (infra.local.local_aws), not
through moto's model-driven serializer: each answer must be what that serializer writes. Every
item operation below runs through both, over items with every kind of attribute, and the two
answers are compared as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.core.responses import ActionResult
from moto.dynamodb.responses import DynamoHandler

from infra.local import local_aws

ITEM = {
    "pk": {"S": "CASE#ASB-2026-000001"}, "sk": {"S": "RECORD#1"},
    "text": {"S": "Loud music after midnight; \"quoted\" and ünïcode"}, "count": {"N": "12.50"},
    "sealed": {"B": b"\x00\x01ciphertext\xff"}, "open": {"BOOL": True}, "gone": {"NULL": True},
    "tags": {"SS": ["noise", "threats"]}, "scores": {"NS": ["1", "2.5"]},
    "blobs": {"BS": [b"\x01", b"\x02"]},
    "steps": {"L": [{"S": "warning"}, {"N": "3"}, {"M": {"at": {"S": "2026-12-02"}}},
                    {"B": b"\x09"}]},
    "detail": {"M": {"officer": {"S": "o.hughes"}, "nested": {"M": {"x": {"NULL": True}}},
                     "files": {"L": [{"B": b"\x07"}]}}},
}


def typed(body: str | bytes) -> Any:
    """The answer as JSON, each number with its kind: 2 and 2.0 are not the same answer."""
    return json.loads(body, parse_int=lambda text: ("int", text),
                      parse_float=lambda text: ("float", float(text)))


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every DynamoDB answer written both ways; the item operations' must be the same."""
    seen: list[str] = []

    def both(self: DynamoHandler, result: ActionResult) -> Any:
        shaped = local_aws._shaped(self, result)
        direct = local_aws._items_as_json(self, result)
        if self._get_action() in local_aws.ITEM_OPERATIONS:
            seen.append(self._get_action())
            assert direct[0] == shaped[0], self._get_action()
            assert direct[1]["Content-Type"] == shaped[1]["Content-Type"]
            assert typed(direct[2]) == typed(shaped[2]), self._get_action()
        return direct

    monkeypatch.setattr(DynamoHandler, "serialized", both)
    with mock_aws():
        yield seen


def _table(dynamodb: Any) -> None:
    dynamodb.create_table(
        TableName="cases", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}])


def test_every_item_operation_answers_as_the_serializer_would(compared: list[str]) -> None:
    dynamodb = boto3.client("dynamodb", region_name="eu-west-2")
    _table(dynamodb)
    key = {"pk": ITEM["pk"], "sk": ITEM["sk"]}
    other = {"pk": ITEM["pk"], "sk": {"S": "RECORD#2"}}
    dynamodb.put_item(TableName="cases", Item=ITEM, ReturnConsumedCapacity="TOTAL")
    dynamodb.put_item(TableName="cases", Item={**ITEM, "sk": {"S": "RECORD#2"}},
                      ReturnValues="ALL_OLD")
    dynamodb.put_item(TableName="cases", Item=ITEM, ReturnValues="ALL_OLD")
    dynamodb.get_item(TableName="cases", Key=key)
    dynamodb.get_item(TableName="cases", Key={**key, "sk": {"S": "NOTHING"}})
    dynamodb.get_item(TableName="cases", Key=key, ProjectionExpression="detail.officer, tags")
    dynamodb.update_item(TableName="cases", Key=key, UpdateExpression="SET #c = :c",
                         ExpressionAttributeNames={"#c": "count"},
                         ExpressionAttributeValues={":c": {"N": "13"}}, ReturnValues="ALL_NEW")
    dynamodb.query(TableName="cases", KeyConditionExpression="pk = :pk",
                   ExpressionAttributeValues={":pk": ITEM["pk"]}, ReturnConsumedCapacity="TOTAL")
    dynamodb.query(TableName="cases", KeyConditionExpression="pk = :pk", Limit=1,
                   ExpressionAttributeValues={":pk": ITEM["pk"]}, ScanIndexForward=False)
    dynamodb.query(TableName="cases", KeyConditionExpression="pk = :pk", Select="COUNT",
                   ExpressionAttributeValues={":pk": ITEM["pk"]})
    dynamodb.batch_get_item(RequestItems={"cases": {"Keys": [key, other]}},
                            ReturnConsumedCapacity="TOTAL")  # whole capacity units
    dynamodb.transact_get_items(TransactItems=[{"Get": {"TableName": "cases", "Key": key}},
                                               {"Get": {"TableName": "cases", "Key": other}}])
    dynamodb.transact_write_items(TransactItems=[
        {"Put": {"TableName": "cases", "Item": {**ITEM, "sk": {"S": "RECORD#3"}},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {"TableName": "cases", "Key": key, "UpdateExpression": "REMOVE gone"}}])
    dynamodb.batch_write_item(RequestItems={"cases": [{"DeleteRequest": {"Key": other}}]})
    dynamodb.delete_item(TableName="cases", Key=key, ReturnValues="ALL_OLD")
    assert set(compared) == local_aws.ITEM_OPERATIONS


def test_a_refusal_is_still_moto_s_own_answer(compared: list[str]) -> None:
    """A cancelled transaction's reasons and a failed condition come from moto's serializer."""
    dynamodb = boto3.client("dynamodb", region_name="eu-west-2")
    _table(dynamodb)
    dynamodb.put_item(TableName="cases", Item=ITEM)
    with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException) as failed:
        dynamodb.put_item(TableName="cases", Item=ITEM, ReturnValuesOnConditionCheckFailure="ALL_OLD",
                          ConditionExpression="attribute_not_exists(pk)")
    assert failed.value.response["Item"]["sealed"]["B"] == ITEM["sealed"]["B"]
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException) as cancelled:
        dynamodb.transact_write_items(TransactItems=[{"Put": {
            "TableName": "cases", "Item": ITEM, "ConditionExpression": "attribute_not_exists(pk)"}}])
    assert [reason["Code"] for reason in cancelled.value.response["CancellationReasons"]] == [
        "ConditionalCheckFailed"]


def test_the_local_aws_is_mended_to_write_them_so() -> None:
    local_aws.mend()
    assert DynamoHandler.serialized is local_aws._items_as_json


def test_moto_s_folders_are_listed_once_and_as_moto_lists_them() -> None:
    from moto import backends

    local_aws.mend()
    listed = backends.list_of_moto_modules
    assert isinstance(listed, local_aws._ModuleList)
    assert listed() == tuple(listed.listed()) and "dynamodb" in listed()
    assert listed() is listed()  # read once


def test_every_user_pool_signs_with_moto_s_key_read_once() -> None:
    """Each pool's key is moto's file's, as moto reads it, and read once (0.2 s a pool)."""
    from joserfc import jwk
    from moto.cognitoidp.models import CognitoIdpUserPool
    from moto.utilities.utils import load_resource

    local_aws.mend()
    local_aws.mend()  # twice: the key is not wrapped twice
    first = CognitoIdpUserPool("123456789012", "eu-west-2", "one", {})
    second = CognitoIdpUserPool("123456789012", "eu-west-2", "two", {})
    as_moto_reads_it = jwk.RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))
    assert first.json_web_key is second.json_web_key
    assert first.json_web_key.as_dict(private=True) == as_moto_reads_it.as_dict(private=True)


def test_stream_records_answer_as_the_serializer_would(monkeypatch: pytest.MonkeyPatch) -> None:
    """GetRecords is written directly too: every kind of attribute, in new and old images."""
    from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

    answers: list[str] = []

    def both(self: DynamoDBStreamsHandler, result: ActionResult) -> Any:
        shaped = local_aws._shaped_records(self, result)
        direct = local_aws._records_as_json(self, result)
        if self._get_action() == "GetRecords":
            answers.append(direct[2])
            assert direct[0] == shaped[0]
            assert typed(direct[2]) == typed(shaped[2])
        return direct

    monkeypatch.setattr(DynamoDBStreamsHandler, "serialized", both)
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="eu-west-2")
        _table(dynamodb)
        arn = dynamodb.update_table(TableName="cases", StreamSpecification={
            "StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})[
            "TableDescription"]["LatestStreamArn"]
        dynamodb.put_item(TableName="cases", Item=ITEM)
        dynamodb.put_item(TableName="cases", Item={**ITEM, "count": {"N": "13"}})
        dynamodb.delete_item(TableName="cases", Key={"pk": ITEM["pk"], "sk": ITEM["sk"]})
        streams = boto3.client("dynamodbstreams", region_name="eu-west-2")
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records = streams.get_records(ShardIterator=iterator)["Records"]
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    assert records[1]["dynamodb"]["OldImage"]["sealed"]["B"] == ITEM["sealed"]["B"]
    assert len(answers) == 1


@pytest.mark.parametrize("paths", [
    [["text"]], [["detail", "officer"], ["tags"]], [["steps[2]", "at"]], [["steps[1]"]],
    [["detail", "nested", "x"], ["count"], ["no_such"]], [["detail", "files[0]"], ["pk"]],
    [["steps"], ["steps[1]"], ["steps[2]", "at"]],  # overlapping: DynamoDB refuses, moto answers
])
def test_a_projection_reads_only_what_it_names_and_gives_what_moto_gives(
        paths: list[list[str]]) -> None:
    from moto.dynamodb.models.dynamo_type import DynamoType, Item

    item = Item(hash_key=DynamoType(ITEM["pk"]), range_key=DynamoType(ITEM["sk"]),
                attrs={k: v for k, v in ITEM.items()})
    assert _sets_sorted(local_aws._project_named(item, paths).to_json()) == \
        _sets_sorted(local_aws._project_whole(item, paths).to_json())


def _sets_sorted(value: Any) -> Any:
    """A set attribute's members come out in the set's order: compared sorted."""
    if isinstance(value, dict):
        return {key: sorted(member) if key in ("SS", "NS", "BS") else _sets_sorted(member)
                for key, member in value.items()}
    if isinstance(value, list):
        return [_sets_sorted(member) for member in value]
    return value


def test_a_query_answered_from_the_stored_items_leaves_them_whole(
        compared: list[str]) -> None:
    """The local AWS does not copy a Query's items before writing its answer: a projection or
    an index's keys-only projection must still not change what is stored."""
    local_aws.mend()
    dynamodb = boto3.client("dynamodb", region_name="eu-west-2")
    dynamodb.create_table(
        TableName="cases", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"}
                              for a in ("pk", "sk", "team")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                   {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{"IndexName": "ByTeam", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                 "KeySchema": [{"AttributeName": "team", "KeyType": "HASH"}]}])
    dynamodb.put_item(TableName="cases", Item={**ITEM, "team": {"S": "north"}})
    by_partition = dynamodb.query(
        TableName="cases", KeyConditionExpression="pk = :pk", ProjectionExpression="#t, detail.officer",
        ExpressionAttributeNames={"#t": "text"},
        ExpressionAttributeValues={":pk": ITEM["pk"]})["Items"]
    by_team = dynamodb.query(TableName="cases", IndexName="ByTeam", KeyConditionExpression="team = :t",
                             ExpressionAttributeValues={":t": {"S": "north"}})["Items"]
    stored = dynamodb.get_item(TableName="cases", Key={"pk": ITEM["pk"], "sk": ITEM["sk"]})["Item"]
    assert by_partition == [{"text": ITEM["text"], "detail": {"M": {"officer": {"S": "o.hughes"}}}}]
    assert set(by_team[0]) == {"pk", "sk", "team"}
    assert stored == {**ITEM, "team": {"S": "north"}}
