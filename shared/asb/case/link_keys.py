"""The tracking links' secrets: a MAC of the report id under a KMS HMAC key (asb.tracking),
kept light: intake imports it on its hot path."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote

if TYPE_CHECKING:
    from mypy_boto3_kms import KMSClient


def mac_message(report_id: str) -> bytes:
    return f"asb-tracking-link:{report_id}".encode()


def link_secret(mac: bytes) -> str:
    """The secret a reporter's link carries: 43 URL-safe characters, 256 bits."""
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tracking_path(reference: str, secret: str) -> str:
    """A reporter's page, below the API's base: the one place its address is written."""
    return f"/track/{reference}?secret={quote(secret)}"


class LinkKeys(Protocol):
    def secret(self, report_id: str) -> str: ...


class KmsLinkKeys:
    def __init__(self, client: KMSClient, key_id: str) -> None:
        self._client = client
        self._key_id = key_id

    def secret(self, report_id: str) -> str:
        answer = self._client.generate_mac(KeyId=self._key_id, Message=mac_message(report_id),
                                           MacAlgorithm="HMAC_SHA_256")
        return link_secret(answer["Mac"])



@dataclass(frozen=True)
class ReportLink:
    """What a reference's REPORTREF item says of it: the case it is on, and the hash of every
    link under it that still works (report id -> SHA-256 of the secret). One link for any
    report stored since reports had their own reference; every report without one, for a
    case's reference from before."""

    case_reference: str
    hashes: dict[str, str]
