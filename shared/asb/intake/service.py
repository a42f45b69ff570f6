"""The intake service: a validated report becomes a new case, or joins the open case of its
matter (NM01's counting rule), exactly once.

Every report has its own reference, from the one counter and in the one format case references
use: the report that opens a case has the case's, a report that joins one a fresh one. So what
a reporter is told (the 201, the confirmation page, their link and messages) is the same
whether or not a case already existed: naming an address tells nobody that a case is open
about it, nor which.

A report joins an open case only when it is about the same current tenancy of one of the
landlord's homes (asb.case.matters): a home it names is checked against the homes register
(an unknown UPRN is refused, naming the field, and nothing is stored), and the alleged
perpetrator's home and its current tenancy are recorded on the report."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from pydantic import ValidationError

from asb.case.homes import Home, HomesRegister, Tenancy
from asb.case.link_keys import LinkKeys, secret_hash
from asb.case.matters import matter_keys, reporter_key
from asb.case.models import AuditEntry, Case, CaseStatus, DomainEvent, JoinedReport, OpenedCase, Report
from asb.case.pathways import pathway_of
from asb.case.references import case_reference
from asb.case.submission import ReportSubmission
from asb.case.targets import local_day
from asb.kernel.clock import Clock
from asb.kernel.errors import IdempotencyKeyReused, InvalidReport, VersionConflict
from asb.kernel.validation import FieldError, field_errors
from asb.policy.config import IDEMPOTENCY_RECORD_HOURS

ATTEMPTS = 3
UNKNOWN_HOME = ("We do not have a home with this reference: choose the address from the list "
                "of our homes, or say it is not listed")
HOME_ELSEWHERE = "This home is not at the postcode given: choose the address again"


@dataclass(frozen=True)
class ReportHomes:
    """What the homes register says of the homes a report names: the alleged perpetrator's
    home (its UPRN) and its current tenancy's reference, if it is one of the landlord's."""

    perpetrator_home: str | None = None
    perpetrator_tenancy: str | None = None


class _NoHomes:
    """A register with no homes: every UPRN is unknown (a service built without one)."""

    def homes_at(self, postcode: str) -> list[Home]:
        return []

    def home(self, uprn: str) -> Home | None:
        return None

    def tenancies_of(self, uprn: str) -> list[Tenancy]:
        return []


@dataclass(frozen=True)
class Receipt:
    """What the reporter is told: their report's own reference (never, for a report that joined
    a case, the case's). `joined` is for the service's own use and is never shown."""

    reference: str
    report_id: str
    received_at: datetime
    anonymous: bool
    replayed: bool = False
    joined: bool = False
    tracking_secret: str | None = field(default=None, repr=False)  # never stored (asb.tracking)
    # What was submitted, for the confirmation only (never stored on the idempotency record).
    submission: ReportSubmission | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class IdempotencyRecord:
    key_hash: str
    fingerprint: str
    receipt: Receipt
    expires_at: datetime

    def replay_for(self, fingerprint: str) -> Receipt:
        if fingerprint != self.fingerprint:
            raise IdempotencyKeyReused()
        return replace(self.receipt, replayed=True)


@dataclass(frozen=True)
class Matter:
    """What the table says of a matter key: the case handling it, and whether it is open."""

    case_reference: str
    open: bool


@dataclass(frozen=True)
class Lookup:
    record: IdempotencyRecord | None = None
    matters: dict[str, Matter] = field(default_factory=dict)


class IntakeStore(Protocol):
    def look_up(self, key_hash: str | None, matter_keys: list[str], now: datetime) -> Lookup: ...

    def next_reference_sequence(self, year: int) -> int:
        """The year's next number, for a case's reference or a joining report's."""
        ...

    def save_opened_case(
        self, opened: OpenedCase, idempotency: IdempotencyRecord | None, now: datetime
    ) -> IdempotencyRecord | None:
        """Writes it all in one transaction. Returns the record already held for the key
        instead when a concurrent request with the same key won the race. Raises VersionConflict
        (MATTER_CHANGED) when another case took one of its matters."""
        ...

    def save_joined_report(
        self, joined: JoinedReport, idempotency: IdempotencyRecord | None, now: datetime
    ) -> IdempotencyRecord | None:
        """As save_opened_case; raises VersionConflict if the case closed meanwhile."""
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


def incident_day(submission: ReportSubmission) -> date | None:
    last = submission.incident.last_occurred
    if isinstance(last, datetime):
        return local_day(last)  # the day in England, whatever offset the moment was given in
    return last or submission.incident.first_occurred


def homes_of(submission: ReportSubmission, register: HomesRegister | _NoHomes,
             today: date) -> ReportHomes:
    """Checks each UPRN the report gives against the register (InvalidReport naming the field
    if it has no such home, or one at another postcode than the report's); the alleged
    perpetrator's home, and the tenancy current there today if it is one of the landlord's."""
    errors: list[FieldError] = []
    found: dict[str, Home] = {}
    for part, place in (("location", submission.location),
                        ("perpetrator", submission.perpetrator)):
        if not place.uprn:
            continue
        home = register.home(place.uprn)
        if home is None:
            errors.append(FieldError(f"{part}.uprn", UNKNOWN_HOME))
        elif place.postcode and home.postcode != place.postcode:
            errors.append(FieldError(f"{part}.uprn", HOME_ELSEWHERE))
        else:
            found[part] = home
    if errors:
        raise InvalidReport(errors)
    home = found.get("perpetrator")
    if home is None:
        return ReportHomes()
    current = next((t for t in register.tenancies_of(home.uprn) if t.current_on(today)), None) \
        if home.landlords else None
    return ReportHomes(home.uprn, current.reference if current else None)


def new_report(submission: ReportSubmission, case_ref: str, channel: str, now: datetime,
               report_id: str, reference: str | None = None,
               homes: ReportHomes = ReportHomes()) -> Report:
    """A report on case `case_ref`, under its own `reference` (the case's if not given)."""
    return Report(
        report_id=report_id,
        case_reference=case_ref,
        reference=reference or case_ref,
        received_at=now,
        channel=channel,
        submission=submission,
        reporter_key=reporter_key(submission.reporter),
        incident_on=incident_day(submission),
        hate_incident=submission.is_hate_incident,
        perpetrator_home=homes.perpetrator_home,
        perpetrator_tenancy=homes.perpetrator_tenancy,
    )


def received_event(report: Report, new_id: Callable[[], str], joined: bool) -> DomainEvent:
    return DomainEvent(
        event_id=new_id(),
        type="ReportReceived",
        case_reference=report.case_reference,
        occurred_at=report.received_at,
        detail={"report_id": report.report_id, "channel": report.channel, "joined": joined},
    )


def open_case(
    submission: ReportSubmission,
    reference: str,
    channel: str,
    now: datetime,
    new_id: Callable[[], str],
    linked_to: str | None = None,
    homes: ReportHomes = ReportHomes(),
) -> OpenedCase:
    """A report that starts a case: the case (new), the report, its audit line and event."""
    report = new_report(submission, reference, channel, now, new_id(), homes=homes)
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
        matter_keys=matter_keys(submission, homes.perpetrator_tenancy),
        linked_to=linked_to,
        pathway=pathway_of(submission),
        address_to_check=submission.address_to_check,
    )
    audit = AuditEntry(
        entry_id=new_id(),
        case_reference=reference,
        at=now,
        actor=f"reporter:{channel}",
        action="CaseOpened",
        after={"status": case.status.value, "report_id": report.report_id,
               **({"linked_to": linked_to} if linked_to else {})},
    )
    event = received_event(report, new_id, joined=False)
    return OpenedCase(case=case, report=report, audit=audit, event=event)


def join_case(
    submission: ReportSubmission,
    reference: str,
    matter_key: str,
    channel: str,
    now: datetime,
    new_id: Callable[[], str],
    report_reference: str,
    homes: ReportHomes = ReportHomes(),
) -> JoinedReport:
    """A further report on the open case `reference`, under its own `report_reference`."""
    report = new_report(submission, reference, channel, now, new_id(), report_reference, homes)
    audit = AuditEntry(
        entry_id=new_id(),
        case_reference=reference,
        at=now,
        actor=f"reporter:{channel}",
        action="ReportAdded",
        after={"report_id": report.report_id, "reference": report_reference,
               "matched_on": matter_key.split("#", 1)[0].lower()},
    )
    return JoinedReport(case_reference=reference, matter_key=matter_key, report=report,
                        audit=audit, event=received_event(report, new_id, joined=True))


class IntakeService:
    def __init__(
        self,
        store: IntakeStore,
        clock: Clock,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
        links: LinkKeys | None = None,
        homes: HomesRegister | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._new_id = new_id
        self._links = links
        self._homes: HomesRegister | _NoHomes = homes or _NoHomes()

    def homes_at(self, postcode: str) -> list[Home]:
        """The landlord's homes at a postcode: a refused form's list of homes shown again."""
        return self._homes.homes_at(postcode)

    def submit(self, data: Any, channel: str, idempotency_key: str | None = None) -> Receipt:
        now = self._clock.now()
        submission = parse_submission(data, now)
        submitted = fingerprint(submission)
        key_hash = hash_key(idempotency_key) if idempotency_key else None
        homes = homes_of(submission, self._homes, local_day(now))
        keys = matter_keys(submission, homes.perpetrator_tenancy)
        for _ in range(ATTEMPTS):
            lookup = self._store.look_up(key_hash, keys, now)
            try:
                receipt = (self._with_link(lookup.record.replay_for(submitted)) if lookup.record
                           else self._file(submission, channel, homes, keys, lookup, key_hash,
                                           submitted, now))
                return replace(receipt, submission=submission)
            except VersionConflict:
                continue  # someone else opened or closed the case: look again
        raise VersionConflict("The matter kept changing; try again")

    def _file(self, submission: ReportSubmission, channel: str, homes: ReportHomes,
              keys: list[str], lookup: Lookup, key_hash: str | None, submitted: str,
              now: datetime) -> Receipt:
        open_matter = next((k for k in keys if k in lookup.matters and lookup.matters[k].open),
                           None)
        if open_matter:
            reference = lookup.matters[open_matter].case_reference
            own = case_reference(now.year, self._store.next_reference_sequence(now.year))
            joined = join_case(submission, reference, open_matter, channel, now, self._new_id,
                               own, homes)
            secret, report = self._linked(joined.report)
            joined = joined.model_copy(update={"report": report})
            receipt = Receipt(own, report.report_id, now, submission.anonymous,
                              joined=True, tracking_secret=secret)
            record = self._record(key_hash, submitted, receipt, now)
            winner = self._store.save_joined_report(joined, record, now)
            return self._with_link(winner.replay_for(submitted)) if winner else receipt
        closed = next((m.case_reference for m in lookup.matters.values() if not m.open), None)
        reference = case_reference(now.year, self._store.next_reference_sequence(now.year))
        opened = open_case(submission, reference, channel, now, self._new_id, linked_to=closed,
                           homes=homes)
        secret, report = self._linked(opened.report)
        opened = opened.model_copy(update={"report": report})
        receipt = Receipt(reference, report.report_id, now, submission.anonymous,
                          tracking_secret=secret)
        record = self._record(key_hash, submitted, receipt, now)
        winner = self._store.save_opened_case(opened, record, now)
        return self._with_link(winner.replay_for(submitted)) if winner else receipt

    def _linked(self, report: Report) -> tuple[str | None, Report]:
        """The report's tracking link: its secret for the reporter, its hash for the table."""
        if self._links is None:
            return None, report
        secret = self._links.secret(report.report_id)
        return secret, report.model_copy(update={"tracking_hash": secret_hash(secret)})

    def _with_link(self, receipt: Receipt) -> Receipt:
        """A replayed answer carries the same link: the secret is derived again, not stored."""
        if self._links is None:
            return receipt
        return replace(receipt, tracking_secret=self._links.secret(receipt.report_id))

    @staticmethod
    def _record(key_hash: str | None, submitted: str, receipt: Receipt,
                now: datetime) -> IdempotencyRecord | None:
        if not key_hash:
            return None
        expires = now + timedelta(hours=IDEMPOTENCY_RECORD_HOURS)
        return IdempotencyRecord(key_hash, submitted, receipt, expires)
