"""The intake service: a validated report becomes a new case, exactly once."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from pydantic import ValidationError

from asb.clock import Clock
from asb.config import IDEMPOTENCY_RECORD_HOURS
from asb.errors import IdempotencyKeyReused, InvalidReport
from asb.models.case import AuditEntry, Case, CaseStatus, DomainEvent, OpenedCase, Report
from asb.models.report import ReportSubmission
from asb.references import case_reference
from asb.validation import field_errors


@dataclass(frozen=True)
class Receipt:
    """What the reporter is told: the reference that will lead to their case."""

    reference: str
    report_id: str
    received_at: datetime
    anonymous: bool
    replayed: bool = False


@dataclass(frozen=True)
class IdempotencyRecord:
    key_hash: str
    fingerprint: str
    receipt: Receipt
    expires_at: datetime

    def replay_for(self, fingerprint: str) -> Receipt:
        if fingerprint != self.fingerprint:
            raise IdempotencyKeyReused()
        return Receipt(**{**self.receipt.__dict__, "replayed": True})


class IntakeStore(Protocol):
    def find_idempotency_record(self, key_hash: str, now: datetime) -> IdempotencyRecord | None:
        ...

    def next_case_sequence(self, year: int) -> int:
        ...

    def save_opened_case(
        self, opened: OpenedCase, idempotency: IdempotencyRecord | None, now: datetime
    ) -> IdempotencyRecord | None:
        """Writes it all in one transaction. Returns the record already held for the key
        instead when a concurrent request with the same key won the race."""
        ...


def parse_submission(data: Any, now: datetime) -> ReportSubmission:
    try:
        return ReportSubmission.model_validate(data, context={"now": now})
    except ValidationError as error:
        raise InvalidReport(field_errors(error)) from None


def hash_key(idempotency_key: str) -> str:
    # Keys are client-chosen strings: keep only their hash.
    return hashlib.sha256(idempotency_key.encode()).hexdigest()


def fingerprint(submission: ReportSubmission) -> str:
    return hashlib.sha256(submission.model_dump_json().encode()).hexdigest()


def open_case(
    submission: ReportSubmission,
    reference: str,
    channel: str,
    now: datetime,
    new_id: Callable[[], str],
) -> OpenedCase:
    """A report that starts a case: the case (new), the report, its audit line and event."""
    report = Report(
        report_id=new_id(),
        case_reference=reference,
        received_at=now,
        channel=channel,
        submission=submission,
    )
    case = Case(
        reference=reference,
        status=CaseStatus.NEW,
        opened_at=now,
        updated_at=now,
        anonymous=submission.anonymous,
        behaviours=submission.incident.behaviours,
        hate_incident=submission.is_hate_incident,
        location_address=submission.location.address,
        postcode=submission.location.postcode,
    )
    audit = AuditEntry(
        entry_id=new_id(),
        case_reference=reference,
        at=now,
        actor=f"reporter:{channel}",
        action="CaseOpened",
        after={"status": case.status.value, "report_id": report.report_id},
    )
    event = DomainEvent(
        event_id=new_id(),
        type="ReportReceived",
        case_reference=reference,
        occurred_at=now,
        detail={"report_id": report.report_id, "channel": channel},
    )
    return OpenedCase(case=case, report=report, audit=audit, event=event)


class IntakeService:
    def __init__(
        self,
        store: IntakeStore,
        clock: Clock,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self._store = store
        self._clock = clock
        self._new_id = new_id

    def submit(self, data: Any, channel: str, idempotency_key: str | None = None) -> Receipt:
        now = self._clock.now()
        submission = parse_submission(data, now)
        submitted = fingerprint(submission)
        key_hash = hash_key(idempotency_key) if idempotency_key else None
        if key_hash:
            held = self._store.find_idempotency_record(key_hash, now)
            if held:
                return held.replay_for(submitted)
        reference = case_reference(now.year, self._store.next_case_sequence(now.year))
        opened = open_case(submission, reference, channel, now, self._new_id)
        receipt = Receipt(reference, opened.report.report_id, now, submission.anonymous)
        record = None
        if key_hash:
            expires = now + timedelta(hours=IDEMPOTENCY_RECORD_HOURS)
            record = IdempotencyRecord(key_hash, submitted, receipt, expires)
        winner = self._store.save_opened_case(opened, record, now)
        return winner.replay_for(submitted) if winner else receipt
