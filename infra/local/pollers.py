"""Queue and stream pollers that deliver records to functions with Lambda's semantics.

- Batch size, filters and partial batch responses come from the function's event in template.yaml.
- SQS: a message the function did not handle stays on the queue and comes back after the
  visibility timeout (shortened with `retry_delay` for quick local runs); SQS itself moves it to
  the dead-letter queue after `maxReceiveCount`.
- Streams: a failed batch is retried from its first failed record; after MaximumRetryAttempts the
  batch's positions go to the OnFailure destination and the shard moves on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from infra.local import streams
from infra.local.filters import passes
from infra.local.functions import LocalFunction
from infra.local.resources import REGION, LocalResources
from infra.local.template import Trigger

if TYPE_CHECKING:
    from mypy_boto3_dynamodbstreams.literals import ShardIteratorTypeType

    from infra.local.local_aws import Activity

log = logging.getLogger("asb.local")
POLL_INTERVAL = 0.2  # between empty polls, told of no writes
IDLE_INTERVAL = 1.0  # at most, waiting for a write


class Poller(threading.Thread):
    """Polls while there is work; then waits for the local AWS to say a write may have brought
    more (`activity`), or for `interval` at most (a message whose delay or visibility timeout
    ran out brings work with no write). Without an activity it polls every `interval`."""

    def __init__(self, name: str, interval: float | None = None,
                 activity: Activity | None = None) -> None:
        super().__init__(name=name, daemon=True)
        self._stop_event = threading.Event()
        self._activity = activity
        self._interval = interval if interval is not None else (
            IDLE_INTERVAL if activity is not None else POLL_INTERVAL)
        self._least = 0.02  # between empty polls, however busy the local AWS is with writes

    def stop(self) -> None:
        self._stop_event.set()
        if self._activity is not None:
            self._activity.wake()

    def run(self) -> None:
        while not self._stop_event.is_set():
            seen = self._activity.count if self._activity is not None else 0
            try:
                busy = self.poll_once()
            except Exception:
                log.exception("%s: poll failed", self.name)
                busy = False
            if busy:
                continue
            if self._activity is None:
                self._stop_event.wait(self._interval)
            else:
                self._activity.wait_past(seen, self._idle_seconds(), self._stop_event)
                self._stop_event.wait(self._least)

    def _idle_seconds(self) -> float:
        return self._interval

    def poll_once(self) -> bool:
        raise NotImplementedError


def _failed_ids(result: Any, reports_failures: bool) -> list[str]:
    if not reports_failures:
        return []
    failures = (result or {}).get("batchItemFailures") or []
    return [str(f["itemIdentifier"]) for f in failures]


class QueuePoller(Poller):
    def __init__(self, function: LocalFunction, trigger: Trigger, resources: LocalResources,
                 retry_delay: int | None = None, activity: Activity | None = None) -> None:
        super().__init__(f"{function.spec.logical_id}:{trigger.name}", activity=activity)
        self._retry_at = 0.0  # when a message this poller gave back is visible again
        props = trigger.properties
        self.function = function
        self.trigger = trigger
        self.sqs = resources.session.client("sqs")
        self.queue_url = str(resources.resolve(props["Queue"]))
        if self.queue_url.startswith("arn:"):
            self.queue_url = self.sqs.get_queue_url(QueueName=self.queue_url.rsplit(":", 1)[1])[
                "QueueUrl"
            ]
        self.queue_arn = self.sqs.get_queue_attributes(
            QueueUrl=self.queue_url, AttributeNames=["QueueArn"]
        )["Attributes"]["QueueArn"]
        self.batch_size = min(int(props.get("BatchSize", 10)), 10)
        self.filters = (props.get("FilterCriteria") or {}).get("Filters")
        self.reports_failures = "ReportBatchItemFailures" in props.get("FunctionResponseTypes", [])
        self.retry_delay = retry_delay

    def poll_once(self) -> bool:
        answer = self.sqs.receive_message(
            QueueUrl=self.queue_url, MaxNumberOfMessages=self.batch_size,
            AttributeNames=["All"], MessageAttributeNames=["All"], WaitTimeSeconds=0,
        )
        messages = answer.get("Messages", [])
        if not messages:
            return False
        records = [self._record(m) for m in messages]
        wanted = [r for r in records if passes(self.filters, r)]
        unwanted = [r for r in records if r not in wanted]
        failed = self._deliver(wanted) if wanted else set()
        self._settle(records, failed, filtered_out=unwanted)
        return True

    def _deliver(self, records: list[dict[str, Any]]) -> set[str]:
        ids = [r["messageId"] for r in records]
        try:
            result = self.function.invoke({"Records": records}, f"sqs {self.trigger.name}")
        except Exception:
            return set(ids)
        return set(_failed_ids(result, self.reports_failures))

    def _settle(self, records: list[dict[str, Any]], failed: set[str],
                filtered_out: list[dict[str, Any]]) -> None:
        done = [r for r in records if r["messageId"] not in failed]
        for start in range(0, len(done), 10):
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": r["receiptHandle"]}
                         for i, r in enumerate(done[start:start + 10])],
            )
        if self.retry_delay is None:
            return
        for record in records:
            if record["messageId"] in failed:
                self.sqs.change_message_visibility(
                    QueueUrl=self.queue_url, ReceiptHandle=record["receiptHandle"],
                    VisibilityTimeout=self.retry_delay,
                )
        if failed:  # visible strictly after the timeout SQS counts from its last change
            self._retry_at = time.monotonic() + self.retry_delay + 0.05

    def _idle_seconds(self) -> float:
        retry_in = self._retry_at - time.monotonic()
        return min(self._interval, retry_in) if retry_in > 0 else self._interval

    def _record(self, message: Mapping[str, Any]) -> dict[str, Any]:
        attributes = {
            name: {"stringValue": a.get("StringValue"), "binaryValue": a.get("BinaryValue"),
                   "stringListValues": [], "binaryListValues": [], "dataType": a["DataType"]}
            for name, a in message.get("MessageAttributes", {}).items()
        }
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": attributes,
            "md5OfBody": message.get("MD5OfBody") or hashlib.md5(  # noqa: S324 - as SQS does
                message["Body"].encode()
            ).hexdigest(),
            "eventSource": "aws:sqs",
            "eventSourceARN": self.queue_arn,
            "awsRegion": REGION,
        }


class StreamPoller(Poller):
    def __init__(self, function: LocalFunction, trigger: Trigger,
                 resources: LocalResources, activity: Activity | None = None) -> None:
        super().__init__(f"{function.spec.logical_id}:{trigger.name}", activity=activity)
        props = trigger.properties
        self.function = function
        self.trigger = trigger
        self.resources = resources
        self.streams = resources.session.client("dynamodbstreams")
        self.stream_arn = str(resources.resolve(props["Stream"]))
        self.batch_size = int(props.get("BatchSize", 100))
        self.filters = (props.get("FilterCriteria") or {}).get("Filters")
        self.reports_failures = "ReportBatchItemFailures" in props.get("FunctionResponseTypes", [])
        self.max_retries = int(props.get("MaximumRetryAttempts", -1))
        self.on_failure = ((props.get("DestinationConfig") or {}).get("OnFailure") or {}).get(
            "Destination"
        )
        self.pending: list[dict[str, Any]] = []
        self.attempts = 0
        self.iterators = self._iterators(props.get("StartingPosition", "LATEST"))

    def _iterators(self, position: str) -> dict[str, str]:
        shards = self.streams.describe_stream(StreamArn=self.stream_arn)["StreamDescription"][
            "Shards"
        ]
        return {
            shard["ShardId"]: self.streams.get_shard_iterator(
                StreamArn=self.stream_arn, ShardId=shard["ShardId"],
                ShardIteratorType=cast("ShardIteratorTypeType", position)
            )["ShardIterator"]
            for shard in shards
        }

    def poll_once(self) -> bool:
        if not self.pending:
            self._read()
        if not self.pending:
            return False
        batch = self.pending[: self.batch_size]
        failed_from = self._deliver(batch)
        if failed_from is None:
            self.pending = self.pending[len(batch):]
            self.attempts = 0
            return True
        self.attempts += 1
        if 0 <= self.max_retries < self.attempts:
            self._give_up(batch)
            self.pending = self.pending[len(batch):]
            self.attempts = 0
        else:
            self.pending = self.pending[failed_from:]
            self._stop_event.wait(min(2 ** self.attempts * 0.1, 2))
        return True

    def _read(self) -> None:
        for shard_id, iterator in list(self.iterators.items()):
            answer = self.streams.get_records(ShardIterator=iterator, Limit=1000)
            self.iterators[shard_id] = answer["NextShardIterator"]
            records = [streams.lambda_record(r, self.stream_arn) for r in answer["Records"]]
            self.pending += [r for r in records if passes(self.filters, r)]

    def _deliver(self, batch: list[dict[str, Any]]) -> int | None:
        """None when the batch is done; else the index to retry from."""
        sequence = [r["dynamodb"]["SequenceNumber"] for r in batch]
        try:
            result = self.function.invoke({"Records": batch}, f"stream {self.trigger.name}")
        except Exception:
            return 0
        failed = set(_failed_ids(result, self.reports_failures))
        if not failed:
            return None
        return min(i for i, s in enumerate(sequence) if s in failed)

    def _give_up(self, batch: list[dict[str, Any]]) -> None:
        log.warning("%s: batch dropped after %d attempts", self.name, self.attempts)
        if not self.on_failure:
            return
        destination = str(self.resources.resolve(self.on_failure))
        sqs = self.resources.session.client("sqs")
        url = sqs.get_queue_url(QueueName=destination.rsplit(":", 1)[1])["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({
            "requestContext": {"condition": "RetryAttemptsExhausted",
                               "approximateInvokeCount": self.attempts},
            "timestamp": datetime.now(UTC).isoformat(),
            "DDBStreamBatchInfo": {
                "shardId": next(iter(self.iterators), ""),
                "startSequenceNumber": batch[0]["dynamodb"]["SequenceNumber"],
                "endSequenceNumber": batch[-1]["dynamodb"]["SequenceNumber"],
                "batchSize": len(batch),
                "streamArn": self.stream_arn,
            },
        }))


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    """For tests and tools: polls until the condition holds or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def first_messages(sqs: Any, queue_url: str, seconds: float = 20.0) -> list[str]:
    """For tests and tools: the bodies of the first messages to arrive on a queue (received,
    not deleted), or [] if none arrives in time."""
    bodies: list[str] = []

    def arrived() -> bool:
        bodies.extend(m["Body"] for m in sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []))
        return bool(bodies)

    wait_until(arrived, seconds)
    return bodies
