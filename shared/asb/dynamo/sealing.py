"""Field-level encryption of the special category data a report carries (health, vulnerability,
the identity a hate incident targeted, reasonable adjustments, language): sealed with the data
key before the report is stored and opened when it is read, so that an export of the table shows
none of it. The encryption context binds each seal to its case and report."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from mypy_boto3_kms import KMSClient

# Where in a stored submission the sealed data sits: (section, field or None for all of it).
SEALED_FIELDS: tuple[tuple[str, str | None], ...] = (
    ("harm", None), ("reporter", "reasonable_adjustments"), ("reporter", "language"),
)
SEALED = "sealed"


class Sealer(Protocol):
    def seal(self, plain: bytes, context: dict[str, str]) -> bytes: ...
    def unseal(self, sealed: bytes, context: dict[str, str]) -> bytes: ...


def _context(item: dict[str, Any]) -> dict[str, str]:
    return {"case_reference": str(item["case_reference"]), "report_id": str(item["report_id"])}


def seal_report(item: dict[str, Any], sealer: Sealer) -> dict[str, Any]:
    """A stored report item with its special category fields sealed."""
    submission = json.loads(json.dumps(item["submission"]))
    taken: dict[str, Any] = {}
    for section, name in SEALED_FIELDS:
        holder = submission.get(section)
        if not isinstance(holder, dict):
            continue
        if name is None:
            taken[section] = submission.pop(section)
        elif name in holder:
            taken[f"{section}.{name}"] = holder.pop(name)
    if not taken:
        return item
    blob = sealer.seal(json.dumps(taken).encode(), _context(item))
    return {**item, "submission": {**submission, SEALED: base64.b64encode(blob).decode()}}


def unseal_report(item: dict[str, Any], sealer: Sealer) -> dict[str, Any]:
    """The report item as it was before sealing (unchanged if nothing is sealed)."""
    submission = dict(item.get("submission") or {})
    blob = submission.pop(SEALED, None)
    if blob is None:
        return item
    taken = json.loads(sealer.unseal(base64.b64decode(blob), _context(item)))
    for path, value in taken.items():
        section, _, name = path.partition(".")
        if name:
            submission[section] = {**(submission.get(section) or {}), name: value}
        else:
            submission[section] = value
    return {**item, "submission": submission}


class KmsSealer:
    """The sealer of a function: the data key, through the KMS client asb.bootstrap gives it."""

    def __init__(self, client: KMSClient, key_id: str) -> None:
        self._client = client
        self._key_id = key_id

    def seal(self, plain: bytes, context: dict[str, str]) -> bytes:
        return self._client.encrypt(KeyId=self._key_id, Plaintext=plain,
                                    EncryptionContext=context)["CiphertextBlob"]

    def unseal(self, sealed: bytes, context: dict[str, str]) -> bytes:
        return self._client.decrypt(CiphertextBlob=sealed, EncryptionContext=context,
                                    KeyId=self._key_id)["Plaintext"]
