"""The session's moto, put back before each test: nothing a handler (or a test) left behind is
seen by the next test, and it starts as a fresh moto would - the first reference is 000001."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import ModuleType

import boto3
from moto.core.base_backend import BackendDict

from infra.local import streams
from infra.local.resources import LocalResources
from tests.conftest import LambdaContext, sample_event
from tests.integration.helpers import queue_messages, table_items
from tests.session_aws import SessionAws


def report(intake: ModuleType) -> str:
    event = sample_event("intake-valid-json")
    event["headers"].pop("Idempotency-Key")
    answer = intake.lambda_handler(event, LambdaContext())
    assert answer["statusCode"] == 201, answer["body"]
    return str(json.loads(answer["body"])["reference"])


def leave_something_everywhere(aws: LocalResources, intake: ModuleType) -> None:
    """What handlers leave: items, stream records, a reference used, messages waiting and in
    flight, objects of two versions, an email and a text sent; and things beyond the template."""
    report(intake)
    sqs = boto3.client("sqs")
    for queue in ("TriageQueue", "NotificationQueue"):
        for body in ("waiting", "in flight"):
            sqs.send_message(QueueUrl=str(aws.ref(queue)), MessageBody=body)
    assert len(queue_messages(str(aws.ref("TriageQueue")), most=1)) == 1  # now in flight
    s3 = boto3.client("s3")
    for version in ("first", "second"):
        s3.put_object(Bucket=str(aws.ref("LettersBucket")), Key="letter.pdf", Body=version)
    s3.delete_object(Bucket=str(aws.ref("LettersBucket")), Key="letter.pdf")  # a delete marker
    s3.create_multipart_upload(Bucket=str(aws.ref("EvidenceBucket")), Key="half-sent")
    boto3.client("ses").send_email(
        Source=str(aws.ref("SenderIdentity")), Destination={"ToAddresses": ["a@example.org"]},
        Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "b"}}})
    boto3.client("sns").publish(PhoneNumber="+447700900123", Message="a text")
    boto3.client("dynamodb").create_table(
        TableName="made-by-a-test", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    sqs.create_queue(QueueName="made-by-a-test")
    s3.create_bucket(Bucket="made-by-a-test",
                     CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})


def test_putting_back_leaves_nothing_a_test_left_and_references_start_again(
        aws: LocalResources, session_aws: SessionAws,
        load_handler: Callable[[str], ModuleType]) -> None:
    intake = load_handler("IntakeFunction")
    leave_something_everywhere(aws, intake)

    session_aws.put_back()

    tables = [str(aws.ref(t)) for t in ("CasesTable", "IdempotencyTable")]
    assert [table_items(t) for t in tables] == [[], []]
    assert streams.read_all(boto3.client("dynamodbstreams"),
                            aws.attribute("CasesTable", "StreamArn")) == []
    sqs = boto3.client("sqs")
    for queue in ("TriageQueue", "NotificationQueue"):
        attributes = sqs.get_queue_attributes(
            QueueUrl=str(aws.ref(queue)), AttributeNames=["All"])["Attributes"]
        assert (attributes["ApproximateNumberOfMessages"],
                attributes["ApproximateNumberOfMessagesNotVisible"]) == ("0", "0"), queue
    s3 = boto3.client("s3")
    for bucket in ("LettersBucket", "EvidenceBucket"):
        name = str(aws.ref(bucket))
        versions = s3.list_object_versions(Bucket=name)
        assert "Versions" not in versions and "DeleteMarkers" not in versions, bucket
        assert "Uploads" not in s3.list_multipart_uploads(Bucket=name), bucket
    assert boto3.client("ses").get_send_quota()["SentLast24Hours"] == 0
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends
    assert ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-2"].sent_messages == []
    assert sns_backends[DEFAULT_ACCOUNT_ID]["eu-west-2"].sms_messages == {}
    assert "made-by-a-test" not in boto3.client("dynamodb").list_tables()["TableNames"]
    assert not any(url.endswith("/made-by-a-test")
                   for url in sqs.list_queues().get("QueueUrls", []))
    assert "made-by-a-test" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    # The reference counter lives in the cases table: the next report is the year's first.
    assert report(intake).endswith("-000001")


def test_a_reset_moto_gets_the_resources_made_again(session_aws: SessionAws) -> None:
    """A test with a pristine moto of its own, or the e2e runtime (it resets moto at start),
    wipes every backend: the next test that asks for the resources gets them whole."""
    session_aws.enter()
    session_aws.leave()
    BackendDict.reset()

    resources = session_aws.enter()
    try:
        table = str(resources.ref("CasesTable"))
        assert table in boto3.client("dynamodb").list_tables()["TableNames"]
        key = str(resources.attribute("DataKey", "Arn"))
        assert boto3.client("kms").describe_key(KeyId=key)["KeyMetadata"]["Enabled"]
    finally:
        session_aws.leave()
