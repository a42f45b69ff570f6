"""The reporter's side of a case, through their private link: see it, add a diary entry, send a
file. A wrong, revoked or expired link is "not found", whether or not the case exists, and is
found out with the same work (one read of the reference's item, one comparison, one count)
before anything of a case is read. Too many wrong links from one address and it must wait; a
right link is never refused."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from asb.case.change import CaseChange
from asb.case.evidence_files import Check, check_problem, evidence_key
from asb.case.link_keys import ReportLink
from asb.case.loaded import CaseRecords
from asb.case.models import Report
from asb.case.records import Evidence
from asb.case.references import is_case_reference
from asb.kernel.clock import Clock
from asb.kernel.errors import DomainError, VersionConflict
from asb.policy.config import GUESS_WINDOW_MINUTES, GUESSES_ALLOWED
from asb.tracking.models import AsbRequestIn, ResidentDiaryIn
from asb.tracking.reporter_page import (
    Upload,
    add_diary_entry,
    ask_for_asb,
    evidence_checked,
    linked_report,
    linked_report_id,
    request_upload,
    tracking_view,
)

ATTEMPTS = 3
_JOINS_FOLLOWED = 5  # a case joined into one that was joined into another, and so on
T = TypeVar("T")


class LinkNotFound(DomainError):
    pass


class TooManyGuesses(DomainError):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after  # seconds


class CaseFiles(Protocol):
    def head(self, key: str) -> int | None: ...
    def first_bytes(self, key: str, count: int) -> bytes: ...
    def copy(self, incoming: str, kept: str) -> None: ...
    def discard(self, key: str) -> None: ...


# ------------------------------------------------------------------ wrong links, by address
WINDOW_SECONDS = GUESS_WINDOW_MINUTES * 60


def guess_window(now: datetime) -> tuple[int, float]:
    """The fixed window `now` is in (its number since the epoch), and how far through it is."""
    seconds = now.timestamp()
    return int(seconds // WINDOW_SECONDS), seconds % WINDOW_SECONDS / WINDOW_SECONDS


@dataclass(frozen=True)
class WrongLinks:
    """Wrong links from one address, this one counted: in this window and the one before."""

    this_window: int
    last_window: int


def wait_for(counted: WrongLinks, now: datetime) -> int | None:
    """Seconds this address must wait, or None. A sliding window: the last window's count,
    weighted by how much of it still falls in the 15 minutes up to now, plus this one's; more
    than GUESSES_ALLOWED and it waits until, with no more wrong links, one more is allowed."""
    _, through = guess_window(now)
    if counted.this_window + counted.last_window * (1 - through) <= GUESSES_ALLOWED:
        return None
    room = GUESSES_ALLOWED - 1  # what the count must fall to, for one more to be allowed
    if counted.this_window <= room:  # before this window ends, as the last one slides out
        until = 1 - (room - counted.this_window) / counted.last_window
    else:  # into the next window, as this one slides out
        until = 2 - room / counted.this_window
    return max(1, math.ceil(round((until - through) * WINDOW_SECONDS, 3)))


class Guesses(Protocol):
    def count(self, source: str, now: datetime) -> WrongLinks:
        """Counts one more wrong link from `source`, atomically."""
        ...


# ------------------------------------------------------------------ the link's service
class ResidentStore(Protocol):
    def report_link(self, reference: str) -> ReportLink | None: ...
    def load(self, reference: str) -> CaseRecords | None: ...
    def apply(self, change: CaseChange) -> None: ...


@dataclass(frozen=True)
class Opened:
    records: CaseRecords
    report: Report


class ResidentService:
    def __init__(self, store: ResidentStore, guesses: Guesses, files: CaseFiles,
                 sniff: Callable[[bytes], str | None], clock: Clock,
                 new_id: Callable[[], str] = lambda: str(uuid.uuid4())) -> None:
        self._store = store
        self._guesses = guesses
        self._files = files
        self._sniff = sniff
        self._clock = clock
        self._new_id = new_id

    def open(self, reference: str, secret: str, source: str) -> Opened:
        """The case and report a link opens. The link is checked first, with its reference's
        item alone: a missing reference, a wrong secret, a revoked or anonymised link all
        stop there, having done the same work. Only a right link reads the case; it is never
        refused, however many wrong links its address has sent."""
        # Only a reference that could exist is looked up: anything else is the same 404.
        plausible = bool(secret) and len(secret) <= 100 and is_case_reference(reference)
        link = self._store.report_link(reference) if plausible else None
        report_id = linked_report_id(link.hashes if link else {}, secret)
        records = self._store.load(link.case_reference) if link and report_id else None
        records = self._followed(records, report_id)
        report = linked_report(records.folder.reports, reference, report_id, secret) \
            if records and report_id else None
        if records is None or report is None or records.folder.case.anonymised_at:
            raise self._wrong_link(source)
        return Opened(records, report)

    def _followed(self, records: CaseRecords | None,
                  report_id: str | None) -> CaseRecords | None:
        """A joined case's own reference keeps naming it (staff read its record there): the
        report of its reporter is on the case it was joined into, one read per join."""
        for _ in range(_JOINS_FOLLOWED):
            case = records.folder.case if records else None
            if records is None or case is None or case.joined_into is None or any(
                    r.report_id == report_id for r in records.folder.reports):
                return records
            records = self._store.load(case.joined_into)
        return records

    def _wrong_link(self, source: str) -> DomainError:
        now = self._clock.now()
        wait = wait_for(self._guesses.count(source, now), now)
        if wait is None:
            return LinkNotFound("Page not found")
        return TooManyGuesses("Too many wrong links have come from your internet connection.",
                              wait)

    def view(self, reference: str, secret: str, source: str) -> dict[str, Any]:
        opened = self.open(reference, secret, source)
        folder = opened.records.folder
        return tracking_view(folder.case, opened.report, folder.reports, opened.records.items)

    def add_diary(self, reference: str, secret: str, source: str,
                  entry: ResidentDiaryIn) -> None:
        self._change(reference, secret, source, lambda opened, now: (
            add_diary_entry(opened.records.folder, opened.report, entry, now, self._new_id),
            None))

    def ask_for_asb(self, reference: str, secret: str, source: str, body: AsbRequestIn) -> None:
        self._change(reference, secret, source, lambda opened, now: (
            ask_for_asb(opened.records.folder, opened.report, body, now, self._new_id), None))

    def request_upload(self, reference: str, secret: str, source: str, kind: str) -> Upload:
        return self._change(reference, secret, source, lambda opened, now: request_upload(
            opened.records.folder, opened.report, kind, now, self._new_id))

    def uploaded(self, reference: str, secret: str, source: str, evidence_id: str) -> str:
        """Checks the file that arrived: kept for the officer, or deleted with the reason.
        Returns the file's status: checked or refused. Safe to run again (a reload, a retry
        after an officer changed the case meanwhile): the file is copied before the record
        says so, and leaves `incoming/` only after."""
        opened = self.open(reference, secret, source)
        evidence = self._evidence(opened, evidence_id)
        if evidence.status != "awaiting upload":
            return evidence.status  # checked once
        incoming = str(evidence.incoming_key)
        size = self._files.head(incoming)
        check = Check(self._sniff(self._files.first_bytes(incoming, 4096)) if size else None,
                      size)
        if check_problem(evidence.kind, check) is None:
            # Files live under the case's reference, whatever the reporter's own.
            self._files.copy(incoming, evidence_key(opened.records.folder.case.reference,
                                                    evidence_id))

        def record(now_opened: Opened, now: datetime) -> tuple[CaseChange | None, str]:
            found = self._evidence(now_opened, evidence_id)
            if found.status != "awaiting upload":
                return None, found.status
            change = evidence_checked(now_opened.records.folder, evidence_id, check, now,
                                      self._new_id)
            return change, str(change.records[0].data["status"])

        status = self._change(reference, secret, source, record, opened)
        if size is not None:
            self._files.discard(incoming)
        return status

    @staticmethod
    def _evidence(opened: Opened, evidence_id: str) -> Evidence:
        evidence = opened.records.folder.evidence.get(evidence_id)
        if evidence is None or evidence.report_id != opened.report.report_id:
            raise LinkNotFound("Page not found")
        return evidence

    def _change(self, reference: str, secret: str, source: str,
                make: Callable[[Opened, datetime], tuple[CaseChange | None, T]],
                opened: Opened | None = None) -> T:
        """A reporter holds no version: the change is made on the case as it is now (`opened`,
        if just read), again if an officer changed it meanwhile. No change, nothing written."""
        for attempt in range(ATTEMPTS):
            opened = opened or self.open(reference, secret, source)
            change, result = make(opened, self._clock.now())
            try:
                if change is not None:
                    self._store.apply(change)
                return result
            except VersionConflict:
                if attempt == ATTEMPTS - 1:
                    raise
                opened = None
        raise AssertionError("unreachable")
