"""The local AWS keeps a client's connection for its next call (HTTP/1.1, as AWS's endpoints
do), answers each request with its length, and tells pollers of the writes that may bring work."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator

import boto3
import pytest

from infra.local.local_aws import LocalAws, mend

REGION = "eu-west-2"


@pytest.fixture(scope="module")
def local_aws() -> Iterator[LocalAws]:
    mend()
    server = LocalAws(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    yield server
    server.stop()


def _client(local_aws: LocalAws, service: str) -> object:
    return boto3.client(service, region_name=REGION, endpoint_url=f"http://127.0.0.1:{local_aws.port}",
                        aws_access_key_id="local", aws_secret_access_key="local")


def _sqs_request(connection: http.client.HTTPConnection, operation: str,
                 body: dict[str, object]) -> http.client.HTTPResponse:
    connection.request("POST", "/", body=json.dumps(body), headers={
        "X-Amz-Target": f"AmazonSQS.{operation}", "Content-Type": "application/x-amz-json-1.0",
        "Authorization": "AWS4-HMAC-SHA256 Credential=local/20261203/eu-west-2/sqs/aws4_request, "
                         "SignedHeaders=host, Signature=x"})
    return connection.getresponse()


def test_one_connection_carries_one_call_after_another(local_aws: LocalAws) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", local_aws.port, timeout=10)
    answers = []
    for _ in range(3):
        answer = _sqs_request(connection, "ListQueues", {})
        answers.append((answer.status, answer.getheader("Connection"), answer.read()))
        kept = connection.sock
        assert kept is not None, "the local AWS closed the connection after an answer"
    assert [status for status, _, _ in answers] == [200, 200, 200]
    assert all(header != "close" for _, header, _ in answers)
    connection.close()


def test_a_request_whose_body_is_not_read_leaves_the_connection_usable(local_aws: LocalAws) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", local_aws.port, timeout=10)
    connection.request("POST", "/moto-api/no-such-route", body=b"x" * 50_000)
    first = connection.getresponse()
    first.read()
    second = _sqs_request(connection, "ListQueues", {})
    assert first.status == 404 and second.status == 200
    assert "QueueUrls" in json.loads(second.read()) or second.status == 200
    connection.close()


def test_a_body_sent_in_chunks_reaches_the_local_aws_whole(local_aws: LocalAws) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", local_aws.port, timeout=10)
    body = json.dumps({"QueueName": "chunked"}).encode()
    connection.request("POST", "/", body=iter([body[:7], body[7:]]), encode_chunked=True, headers={
        "X-Amz-Target": "AmazonSQS.CreateQueue", "Content-Type": "application/x-amz-json-1.0",
        "Transfer-Encoding": "chunked",
        "Authorization": "AWS4-HMAC-SHA256 Credential=local/20261203/eu-west-2/sqs/aws4_request, "
                         "SignedHeaders=host, Signature=x"})
    answer = connection.getresponse()
    assert answer.status == 200
    assert json.loads(answer.read())["QueueUrl"].endswith("/chunked")
    followed = _sqs_request(connection, "GetQueueUrl", {"QueueName": "chunked"})
    assert followed.status == 200 and json.loads(followed.read())["QueueUrl"].endswith("/chunked")
    connection.close()


def test_an_object_keeps_its_length_through_put_head_and_get(local_aws: LocalAws) -> None:
    s3 = _client(local_aws, "s3")
    s3.create_bucket(Bucket="evidence",  # type: ignore[attr-defined]
                     CreateBucketConfiguration={"LocationConstraint": REGION})
    body = bytes(range(256)) * 8_192  # 2 MiB: the client asks Expect: 100-continue first
    s3.put_object(Bucket="evidence", Key="statement.pdf", Body=body)  # type: ignore[attr-defined]
    head = s3.head_object(Bucket="evidence", Key="statement.pdf")  # type: ignore[attr-defined]
    got = s3.get_object(Bucket="evidence", Key="statement.pdf")  # type: ignore[attr-defined]
    assert head["ContentLength"] == len(body)
    assert got["Body"].read() == body


def test_a_message_sent_wakes_the_queue_pollers_and_an_item_written_the_stream_pollers(
        local_aws: LocalAws) -> None:
    sqs = _client(local_aws, "sqs")
    dynamodb = _client(local_aws, "dynamodb")
    url = sqs.create_queue(QueueName="reports")["QueueUrl"]  # type: ignore[attr-defined]
    dynamodb.create_table(  # type: ignore[attr-defined]
        TableName="cases", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    queues, tables = local_aws.queue_activity, local_aws.table_activity
    before = (queues.count, tables.count)
    sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)  # type: ignore[attr-defined]
    dynamodb.get_item(TableName="cases", Key={"pk": {"S": "CASE#1"}})  # type: ignore[attr-defined]
    assert (queues.count, tables.count) == before  # reads wake nobody
    sqs.send_message(QueueUrl=url, MessageBody="{}")  # type: ignore[attr-defined]
    assert (queues.count, tables.count) == (before[0] + 1, before[1])
    dynamodb.put_item(TableName="cases", Item={"pk": {"S": "CASE#1"}})  # type: ignore[attr-defined]
    assert (queues.count, tables.count) == (before[0] + 1, before[1] + 1)
