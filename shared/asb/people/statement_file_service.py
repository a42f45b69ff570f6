"""A witness's statement file, end to end: the upload form asked for, then the file the browser
sent checked by its size and first bytes (never its name), copied to the case if it passes, and
the record written. The evidence bucket and the sniffing are given by the composition root (the
bucket's adapter and the sniffer are the tracking page's too), and so is the case service: this
capability imports neither. Its time is the case service's clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from asb.case.change import CaseChange, CaseChanges, CaseFolder
from asb.case.evidence_files import (
    SNIFFED_BYTES,
    STATEMENT,
    Check,
    check_problem,
    evidence_key,
    incoming_key,
)
from asb.case.models import Case
from asb.kernel.staff import StaffMember
from asb.people.statement_files import (
    awaited_statement_file,
    request_statement_file,
    statement_file_checked,
)
from asb.people.witness_models import StatementFileIn
from asb.policy.config import STATEMENT_FILE_KINDS


class StatementFileBucket(Protocol):
    """What this needs of the evidence bucket (asb.tracking.store.S3CaseFiles)."""

    def statement_upload_form(self, key: str, largest: int) -> dict[str, Any]: ...
    def head(self, key: str) -> int | None: ...
    def first_bytes(self, key: str, count: int) -> bytes: ...
    def copy(self, incoming: str, kept: str) -> None: ...
    def discard(self, key: str) -> None: ...


@dataclass(frozen=True)
class UploadAsked:
    case: Case
    evidence_id: str
    form: dict[str, Any]  # the presigned POST: its url and fields
    largest: int
    types: list[str]


@dataclass(frozen=True)
class FileChecked:
    case: Case
    evidence_id: str
    status: str  # checked (kept) or refused (deleted)
    reason: str | None


class StatementFiles:
    def __init__(self, cases: CaseChanges, bucket: StatementFileBucket,
                 sniff: Callable[[bytes], str | None]) -> None:
        self._cases, self._bucket, self._sniff = cases, bucket, sniff

    def ask(self, reference: str, party_id: str, body: StatementFileIn, staff: StaffMember,
            if_match: str | None) -> UploadAsked:
        """An Evidence record awaiting the file, then the form that sends it straight to S3."""
        now = self._cases.clock.now()
        made: list[CaseChange] = []

        def action(folder: CaseFolder) -> CaseChange:
            made.append(request_statement_file(folder, party_id, body, staff, now))
            return made[-1]

        case = self._cases.change(reference, staff, if_match, action)
        evidence_id = made[-1].records[0].record_id
        _, largest, types = STATEMENT_FILE_KINDS
        form = self._bucket.statement_upload_form(incoming_key(evidence_id), largest)
        return UploadAsked(case, evidence_id, form, largest, sorted(types))

    def check(self, reference: str, evidence_id: str, staff: StaffMember,
              if_match: str | None) -> FileChecked:
        """Kept (copied beside the case's files before the record says so) or refused; what
        arrived leaves the incoming folder only once the record is written."""
        now = self._cases.clock.now()
        made: list[CaseChange] = []
        arrived: list[str] = []

        def action(folder: CaseFolder) -> CaseChange:
            incoming = str(awaited_statement_file(folder, evidence_id).incoming_key)
            size = self._bucket.head(incoming)
            sniffed = self._sniff(self._bucket.first_bytes(incoming, SNIFFED_BYTES)) \
                if size else None
            check = Check(sniffed, size)
            if check_problem(STATEMENT, check) is None:
                self._bucket.copy(incoming, evidence_key(folder.case.reference, evidence_id))
            if size is not None:
                arrived.append(incoming)
            made.append(statement_file_checked(folder, evidence_id, check, staff, now))
            return made[-1]

        case = self._cases.change(reference, staff, if_match, action)
        for incoming in arrived:
            self._bucket.discard(incoming)
        kept = made[-1].records[0].data
        return FileChecked(case, evidence_id, kept["status"], kept.get("reason"))
