"""Signed messages to partners: the body is sent as it was signed, and the signature covers a
short statement - schema, message id and the SHA-256 of the body - so the key's 4 KB limit on
what it signs never limits a package. A partner checks it with the service's public key."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol

from asb.policy.config import DISCLOSURE_SCHEMA

if TYPE_CHECKING:
    from mypy_boto3_kms import KMSClient

ALGORITHM: Final[Literal["ECDSA_SHA_256"]] = "ECDSA_SHA_256"


class Signer(Protocol):
    key_id: str

    def sign(self, statement: bytes) -> bytes: ...


def statement(message_id: str, body: str) -> bytes:
    """What the signature covers: change one byte of the body and it no longer matches."""
    digest = hashlib.sha256(body.encode()).hexdigest()
    return f"{DISCLOSURE_SCHEMA}\n{message_id}\n{digest}".encode()


def signed(message: dict[str, Any], signer: Signer) -> tuple[str, dict[str, Any]]:
    """The body to send and its SQS message attributes."""
    body = json.dumps(message, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    signature = signer.sign(statement(str(message["message_id"]), body))
    attributes = {
        "schema": DISCLOSURE_SCHEMA, "message_id": str(message["message_id"]),
        "signature": base64.b64encode(signature).decode(), "key_id": signer.key_id,
        "algorithm": ALGORITHM,
    }
    return body, {name: {"DataType": "String", "StringValue": value}
                  for name, value in attributes.items()}


class KmsSigner:
    """Signs with an asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY): the private half never
    leaves KMS."""

    def __init__(self, client: KMSClient, key_id: str) -> None:
        self._client = client
        self.key_id = key_id

    def sign(self, statement: bytes) -> bytes:
        return self._client.sign(KeyId=self.key_id, Message=statement, MessageType="RAW",
                                 SigningAlgorithm=ALGORITHM)["Signature"]
