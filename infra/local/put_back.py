"""What a handler, a test or a runtime left in moto's backends, dropped from them directly, so
template.yaml's resources are as made: DynamoDB items and stream records, queued and in-flight
messages, S3 objects of every version, the emails SES and the texts SNS sent, and anything made
beyond the template. The service's own clients only ever write to DynamoDB, its streams, S3, SES,
SNS and SQS (KMS only encrypts and decrypts); KMS keys, Cognito, IAM, logs and alarms stay as made.

Making the resources again takes a second or more of CPU (about two hundred calls); putting them
back takes milliseconds. The integration tests' moto (tests/session_aws.py) and the end-to-end
tests' local AWS (infra.local.runtime.KeptLocalAws) are put back so between tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moto.core.model_instances import reset_model_data
from moto.dynamodb.models import dynamodb_backends
from moto.s3.models import FakeKey, s3_backends
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from moto.sqs.models import sqs_backends

from infra.local.resources import ACCOUNT, REGION


@dataclass(frozen=True)
class MadeNames:
    """What create_all made that a handler can write to, by name, and the moto tables it made
    (by identity: a moto reset replaces them, even where a runtime made them again by name)."""

    tables: dict[str, Any]
    queues: dict[str, Any]
    buckets: dict[str, Any]

    @classmethod
    def now(cls) -> MadeNames:
        return cls(tables=dict(_dynamodb().tables), queues=dict(_sqs().queues),
                   buckets=dict(_s3().buckets))

    def still_there(self) -> bool:
        """Every table, queue and bucket made is the one moto holds now (a template may have
        no tables: the runtime's own test template has only queues)."""
        return all(all(now.get(name) is made for name, made in kept.items())
                   for kept, now in ((self.tables, _dynamodb().tables),
                                     (self.queues, _sqs().queues),
                                     (self.buckets, _s3().buckets)))


def put_back(made: MadeNames) -> None:
    empty_tables(made)
    purge_queues(made)
    empty_buckets(made)
    forget_sent_messages()
    # moto also keeps every model it makes for its dashboard (/moto-api/data.json, which
    # `make outbox` and the e2e tests read for the emails and texts sent): every item written
    # besides, which a dashboard read walks, attribute by attribute.
    reset_model_data()


def _dynamodb() -> Any:
    return dynamodb_backends[ACCOUNT][REGION]


def _sqs() -> Any:
    return sqs_backends[ACCOUNT][REGION]


def _s3() -> Any:
    return s3_backends[ACCOUNT]["global"]


def empty_tables(made: MadeNames) -> None:
    tables = _dynamodb().tables
    for name in set(tables) - set(made.tables):
        del tables[name]
    for table in made.tables.values():
        table.items.clear()
        if table.stream_shard is not None:
            # A fresh shard: the next record gets the first sequence number again.
            table.stream_shard.items.clear()


def purge_queues(made: MadeNames) -> None:
    queues = _sqs().queues
    for name in set(queues) - set(made.queues):
        del queues[name]
    for queue in queues.values():
        queue._messages = []  # waiting and in flight (a FIFO queue dedupes against these too)
        queue._pending_messages = set()
        queue.deleted_messages = set()
        queue.last_purged_at = None


def empty_buckets(made: MadeNames) -> None:
    backend = _s3()
    for name in set(backend.buckets) - set(made.buckets):
        _drop_objects(backend.buckets[name])
        del backend.buckets[name]
        s3_backends.bucket_accounts.pop(name, None)
    for bucket in backend.buckets.values():
        _drop_objects(bucket)


def _drop_objects(bucket: Any) -> None:
    for name in list(bucket.keys):
        for version in bucket.keys.getlist(name):
            if isinstance(version, FakeKey):  # not a delete marker
                version.dispose()  # moto keeps each object's body in a temporary file
    bucket.keys.clear()
    for upload in bucket.multiparts.values():
        upload.dispose()
    bucket.multiparts.clear()


def forget_sent_messages() -> None:
    ses = ses_backends[ACCOUNT][REGION]
    ses.sent_messages.clear()
    ses.sent_message_count = 0  # GetSendQuota's SentLast24Hours
    ses.rejected_messages_count = 0
    sns = sns_backends[ACCOUNT][REGION]
    sns.sms_messages.clear()
    sns.sms_message_objects.clear()
    for topic in sns.topics.values():
        topic.sent_notifications.clear()
