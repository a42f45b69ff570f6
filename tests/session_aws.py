"""template.yaml's resources on moto, made once per test session and put back as made before
each test that uses them.

Making them took 3 to 17 s a test (create_all asks 96 boto3 clients). Putting them back takes
milliseconds: what a handler can leave behind - DynamoDB items and stream records, queued and
in-flight messages, S3 objects of every version, the emails SES and the texts SNS sent, and
anything made beyond the template - is dropped from moto's backends directly (the service's own
clients only ever use DynamoDB, its streams, KMS, S3, SES, SNS and SQS). KMS keys, Cognito,
IAM, logs and alarms are only read, and stay as made.

A test that starts a pristine moto of its own resets every backend; the next test here finds its
tables gone and makes the resources again.

moto gives boto3 a new default session each time it starts, so every test's clients loaded
botocore's endpoints and service models again (a third of the integration tests' time). Here
every test that uses these resources has the same boto3 session (its loader keeps what it read);
moto's own interception is the same for it, and the previous default comes back as the test ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3
from moto import mock_aws
from moto.core.config import DefaultConfig, default_user_config
from moto.dynamodb.models import dynamodb_backends
from moto.s3.models import FakeKey, s3_backends
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from moto.sqs.models import sqs_backends

from infra.local.local_aws import mend
from infra.local.resources import ACCOUNT, REGION, LocalResources


@dataclass(frozen=True)
class MadeNames:
    """What create_all made that a handler can write to, by name, and the moto tables it made
    (by identity: a moto reset replaces them, even where a runtime made them again by name)."""

    tables: dict[str, Any]
    queues: frozenset[str]
    buckets: frozenset[str]

    @classmethod
    def now(cls) -> MadeNames:
        return cls(tables=dict(_dynamodb().tables), queues=frozenset(_sqs().queues),
                   buckets=frozenset(_s3().buckets))

    def still_there(self) -> bool:
        tables = _dynamodb().tables
        return all(tables.get(name) is table for name, table in self.tables.items())


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
    for name in set(queues) - made.queues:
        del queues[name]
    for queue in queues.values():
        queue._messages = []  # waiting and in flight (a FIFO queue dedupes against these too)
        queue._pending_messages = set()
        queue.deleted_messages = set()
        queue.last_purged_at = None


def empty_buckets(made: MadeNames) -> None:
    backend = _s3()
    for name in set(backend.buckets) - made.buckets:
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


class SessionAws:
    """One moto for the session, on only while a test that asked for it runs (so the e2e
    runtime's real HTTP to its own moto server is never intercepted)."""

    def __init__(self) -> None:
        mend()  # moto as the local runtime runs it, whichever tests this process ran first
        kept: DefaultConfig = {"core": {**default_user_config["core"], "reset_boto3_session": False}}
        self._mock = mock_aws(config=kept)
        self._resources: LocalResources | None = None
        self._made: MadeNames | None = None
        self._session: boto3.Session | None = None
        self._outside: boto3.Session | None = None

    def enter(self) -> LocalResources:
        """template.yaml's resources, as create_all made them and with nothing in them."""
        intact = self._made is not None and self._made.still_there()
        self._mock.start(reset=not intact)
        self._outside = boto3.DEFAULT_SESSION
        if self._session is None:
            self._session = boto3.Session()  # with moto's credentials, started just now
        boto3.DEFAULT_SESSION = self._session
        try:
            if self._resources is None or self._made is None or not intact:
                self._resources = LocalResources().create_all()
                self._made = MadeNames.now()
            else:
                self.put_back()
        except BaseException:
            self._made = None  # made again, from a reset moto, for the next test
            self.leave()
            raise
        return self._resources

    def put_back(self) -> None:
        assert self._made is not None
        empty_tables(self._made)
        purge_queues(self._made)
        empty_buckets(self._made)
        forget_sent_messages()

    def leave(self) -> None:
        try:
            self._mock.stop(remove_data=False)
        finally:
            boto3.DEFAULT_SESSION = self._outside

    def close(self) -> None:
        """Drops everything, closing the temporary files moto keeps objects in."""
        self._mock.start(reset=True)
        self._mock.stop(remove_data=True)
