"""What the reporter's link needs beyond the case: a count of wrong links by address (counted
and read in one atomic UpdateItem), and the files they send (S3: uploaded straight from the
browser, checked, then kept or deleted)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from asb.dynamo.codec import from_item, to_item

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_s3 import S3Client

    from asb.tracking.links import WrongLinks

# What the tracking key MACs to give the wrong-link counter its own key: never a report's link
# (link_keys.mac_message is "asb-tracking-link:<report id>").
ADDRESS_KEY_MESSAGE = b"asb-wrong-link-addresses"


def kms_address_key(client: KMSClient, key_id: str) -> Callable[[], bytes]:
    """The key the counter hashes addresses under: a MAC under TrackingKey, the same in every
    process (so they count together), asked of KMS once per process, at its first wrong link."""
    def derive() -> bytes:
        # Asked at the first wrong link, not at import: the API document imports every handler.
        if not key_id:
            raise ValueError("TRACKING_KEY_ID is needed to count wrong links without keeping "
                             "addresses")
        return bytes(client.generate_mac(KeyId=key_id, Message=ADDRESS_KEY_MESSAGE,
                                         MacAlgorithm="HMAC_SHA_256")["Mac"])
    return derive


class DynamoDBGuesses:
    """Wrong links per address, in one item per address: a count per 15-minute window
    (w<window number>), with a TTL once the window after the last one counted is over. The
    address is kept only as an HMAC under a key the table never holds: a plain hash of an IPv4
    address is undone by hashing all 2^32 of them."""

    def __init__(self, client: DynamoDBClient, table: str, address_key: Callable[[], bytes]
                 ) -> None:
        self._client = client
        self._table = table
        self._address_key = address_key
        self._key: bytes | None = None

    def _hashed(self, source: str) -> str:
        if self._key is None:
            self._key = self._address_key()
        return hmac.new(self._key, source.encode(), hashlib.sha256).hexdigest()

    def count(self, source: str, now: datetime) -> WrongLinks:
        """One UpdateItem: adds one to this window's count, drops the count of the window
        before last, and answers with the counts as they are after it (ALL_NEW) - this
        window's and the last one's, read in the same atomic step as the count."""
        # Here, not at import: retention and the staff API delete files through this module and
        # need none of the reporter's service.
        from asb.tracking.links import WINDOW_SECONDS, WrongLinks, guess_window

        window, _ = guess_window(now)
        who = self._hashed(source)
        answer = self._client.update_item(
            TableName=self._table, Key=to_item({"pk": f"GUESSES#{who}", "sk": "WRONG_LINKS"}),
            UpdateExpression="ADD #this :one SET #entity = :entity, expires_at = :expires "
                             "REMOVE #gone",
            ExpressionAttributeNames={"#this": f"w{window}", "#gone": f"w{window - 2}",
                                      "#entity": "entity"},
            ExpressionAttributeValues=to_item({
                ":one": 1, ":entity": "Guesses",
                ":expires": (window + 2) * WINDOW_SECONDS}),
            ReturnValues="ALL_NEW")
        counts = from_item(answer["Attributes"])
        return WrongLinks(int(counts[f"w{window}"]), int(counts.get(f"w{window - 1}", 0)))


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

    def statement_upload_form(self, key: str, largest: int) -> dict[str, Any]:
        """A presigned POST for an officer's statement file: this key only, 1 byte to `largest`,
        for 15 minutes, no redirect (S3 answers 204 to the console's fetch); what the file is,
        is decided afterwards by its content (sniffed)."""
        return dict(self._client.generate_presigned_post(
            self._bucket, key, Conditions=[["content-length-range", 1, largest]],
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
