"""SQS adapters: the outbox relay's sender (string attributes) and the partner publisher's (the
attributes as SQS takes them, signature included)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


class SqsEventSender:
    """asb.outbox.QueueSender: each attribute a string, as the consumers' filters read them."""

    def __init__(self, client: SQSClient) -> None:
        self._client = client

    def send(self, queue_url: str, body: str, attributes: dict[str, str]) -> None:
        self._client.send_message(
            QueueUrl=queue_url, MessageBody=body,
            MessageAttributes={name: {"DataType": "String", "StringValue": value}
                               for name, value in attributes.items()})


class SqsMessageSender:
    """asb.partner_delivery.MessageSender: attributes already in SQS's shape."""

    def __init__(self, client: SQSClient) -> None:
        self._client = client

    def send(self, queue_url: str, body: str, attributes: dict[str, Any]) -> None:
        self._client.send_message(QueueUrl=queue_url, MessageBody=body,
                                  MessageAttributes=attributes)


class SqsRedelivery:
    """Puts a message received from a queue back for later: each failed attempt waits longer."""

    def __init__(self, client: SQSClient) -> None:
        self._client = client

    def later(self, queue_arn: str, receipt_handle: str, seconds: int) -> None:
        queue_url = self._client.get_queue_url(QueueName=queue_arn.rsplit(":", 1)[1])["QueueUrl"]
        self._client.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=receipt_handle,
                                               VisibilityTimeout=seconds)
