"""Queue and stream consumers' batches: each failed record is reported for retry, and says why in
the log (the error's type and the record's id: never the record, never the error's text, which
could quote personal data)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType
from aws_lambda_powertools.utilities.batch.base import FailureResponse
from aws_lambda_powertools.utilities.batch.exceptions import ExceptionInfo


class LoggedBatchProcessor(BatchProcessor):
    def __init__(self, event_type: EventType, logger: Logger) -> None:
        # A batch whose every record failed is still a partial response: Lambda retries each one.
        super().__init__(event_type=event_type, raise_on_entire_batch_failure=False)
        self._logger = logger

    def failure_handler(self, record: Any, exception: ExceptionInfo) -> FailureResponse:
        error_type = exception[0].__name__ if exception[0] else "unknown"
        self._logger.error("record failed, to be retried",
                           extra={"error_type": error_type, "record_id": record_id(record)})
        return super().failure_handler(record, exception)


def record_id(record: Any) -> str | None:
    """An SQS message id or a stream record's sequence number."""
    message_id = getattr(record, "message_id", None)
    if message_id:
        return str(message_id)
    stream = getattr(record, "dynamodb", None)
    sequence = getattr(stream, "sequence_number", None) if stream else None
    return str(sequence) if sequence else None
