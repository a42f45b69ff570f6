"""The evidence bucket as the court bundle uses it: a checked file read to be drawn in, the
bundle kept under bundles/ (the bucket's lifecycle removes it after 30 days) and a link to
fetch it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


class S3BundleFiles:
    def __init__(self, client: S3Client, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def read(self, key: str) -> bytes:
        return bytes(self._client.get_object(Bucket=self._bucket, Key=key)["Body"].read())

    def keep(self, key: str, pdf: bytes) -> None:
        self._client.put_object(Bucket=self._bucket, Key=key, Body=pdf,
                                ContentType="application/pdf")

    def fetch_url(self, key: str, seconds: int) -> str:
        """For the officer who made it: a download, for `seconds`."""
        return str(self._client.generate_presigned_url("get_object", Params={
            "Bucket": self._bucket, "Key": key, "ResponseContentType": "application/pdf",
            "ResponseContentDisposition": 'attachment; filename="court-bundle.pdf"'},
            ExpiresIn=seconds))
