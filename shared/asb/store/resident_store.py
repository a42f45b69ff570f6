"""What the reporter's link needs beyond the case: a count of wrong links by address, and the
files they send (S3: uploaded straight from the browser, checked, then kept or deleted)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.config import GUESS_WINDOW_MINUTES
from asb.store.codec import from_item, to_item

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_s3 import S3Client


def _window(now: datetime) -> str:
    start = now.replace(second=0, microsecond=0)
    return start.replace(minute=start.minute - start.minute % GUESS_WINDOW_MINUTES).isoformat()


class DynamoDBGuesses:
    """Wrong links per address and 15-minute window; the address is kept only as a hash, and
    the count disappears with the window (TTL)."""

    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self._client = client
        self._table = table

    def _key(self, source: str, now: datetime) -> dict[str, Any]:
        who = hashlib.sha256(source.encode()).hexdigest()
        return to_item({"pk": f"GUESSES#{who}", "sk": _window(now)})

    def count(self, source: str, now: datetime) -> int:
        answer = self._client.get_item(TableName=self._table, Key=self._key(source, now),
                                       ConsistentRead=True)
        return int(from_item(answer["Item"]).get("wrong", 0)) if "Item" in answer else 0

    def add(self, source: str, now: datetime) -> None:
        expires = int((now + timedelta(minutes=2 * GUESS_WINDOW_MINUTES)).timestamp())
        self._client.update_item(
            TableName=self._table, Key=self._key(source, now),
            UpdateExpression="ADD wrong :one SET entity = :entity, expires_at = :expires",
            ExpressionAttributeValues=to_item({":one": 1, ":entity": "Guesses",
                                               ":expires": expires}))


class S3CaseFiles:
    def __init__(self, client: S3Client, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def upload_form(self, key: str, largest: int, kind: str, redirect: str) -> dict[str, Any]:
        """A presigned POST: this key only, at most `largest` bytes, a content type of the kind
        chosen (audio/, image/ or video/), for 15 minutes; S3 sends the browser back to
        `redirect`. What the file really is, is decided afterwards by its content (sniffed)."""
        return dict(self._client.generate_presigned_post(
            self._bucket, key,
            Fields={"success_action_redirect": redirect, "Content-Type": f"{kind}/unknown"},
            Conditions=[["content-length-range", 1, largest],
                        ["starts-with", "$Content-Type", f"{kind}/"],
                        {"success_action_redirect": redirect}],
            ExpiresIn=900))

    def head(self, key: str) -> int | None:
        """The file's size; None only if no file is there (any other fault is raised: the
        check is then tried again, never taken as a missing file)."""
        try:
            return int(self._client.head_object(Bucket=self._bucket, Key=key)["ContentLength"])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def first_bytes(self, key: str, count: int) -> bytes:
        answer = self._client.get_object(Bucket=self._bucket, Key=key, Range=f"bytes=0-{count - 1}")
        return bytes(answer["Body"].read())

    def copy(self, incoming: str, kept: str) -> None:
        self._client.copy_object(Bucket=self._bucket, Key=kept,
                                 CopySource={"Bucket": self._bucket, "Key": incoming})

    def discard(self, key: str) -> None:
        self._client.delete_object(Bucket=self._bucket, Key=key)

    def open_url(self, key: str, content_type: str, seconds: int = 300) -> str:
        """For an officer: five minutes, served as the type its content showed."""
        return str(self._client.generate_presigned_url("get_object", Params={
            "Bucket": self._bucket, "Key": key, "ResponseContentType": content_type,
            "ResponseContentDisposition": "inline"}, ExpiresIn=seconds))
