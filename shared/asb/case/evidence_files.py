"""Files on a case, as both ways in check them: a reporter's through their tracking link
(asb.tracking) and a witness's signed statement an officer attaches (asb.people.statement_files).
A file lands at `incoming/<evidence id>`, is checked by its size and its first bytes (sniffed,
never its name), and only a file that is what it says is copied to `evidence/<reference>/<id>`;
the record says which, with the reason for a refusal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from asb.case.records import Evidence
from asb.policy.config import EVIDENCE_KINDS, STATEMENT_FILE_KINDS

STATEMENT = "statement"
SNIFFED_BYTES = 4096


def file_kind(kind: str) -> tuple[str, int, frozenset[str]]:
    """A kind of file: its name in words, its largest size in bytes, the types its content may
    show (the policy's)."""
    return STATEMENT_FILE_KINDS if kind == STATEMENT else EVIDENCE_KINDS[kind]


@dataclass(frozen=True)
class Check:
    """What the check of an uploaded file found: its type from its first bytes, and its size
    (None: no file arrived)."""

    sniffed: str | None
    size: int | None


def incoming_key(evidence_id: str) -> str:
    """Where the browser sends a file: by the evidence id alone, since the key is in the upload
    form (and a reporter's S3 redirect), and a report that joined a case must not learn the
    case's reference. Only the checked copy is filed under the case (`evidence_key`)."""
    return f"incoming/{evidence_id}"


def evidence_key(reference: str, evidence_id: str) -> str:
    return f"evidence/{reference}/{evidence_id}"


def check_problem(kind: str, check: Check) -> str | None:
    """Why a file is refused, in plain words; None when it is what it says."""
    name, largest, types = file_kind(kind)
    if check.size is None:
        return "We did not receive a file. Please choose it and send it again."
    if check.size > largest:
        return (f"The file was larger than {largest // (1024 * 1024)} MB, so we did not keep "
                f"it. Please send a shorter or smaller one.")
    if check.size == 0:
        return "The file was empty, so we did not keep it."
    if check.sniffed not in types:
        return (f"The file did not look like {name} when we checked its contents, so we did "
                f"not keep it.")
    return None


def checked_file(evidence: Evidence, reference: str, check: Check, now: datetime) -> Evidence:
    """The record once its file is checked: kept (its type as sniffed, where the copy is) or
    refused with the reason."""
    problem = check_problem(evidence.kind, check)
    kept = problem is None
    return evidence.model_copy(update={
        "status": "checked" if kept else "refused", "reason": problem,
        "content_type": check.sniffed if kept else None, "size": check.size, "checked_at": now,
        "object_key": evidence_key(reference, evidence.record_id) if kept else None})
