"""What a command returns: one CaseChange of a case folder, which one writer commits in one
transaction with its audit entry, tasks and events (optimistic locking on the case's version)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from asb.case.home_cases import CaseAtHome
from asb.case.models import AuditEntry, Case, DomainEvent, Report
from asb.case.parties import Party, Person
from asb.case.records import (
    ActionPlanVersion,
    CaseReview,
    Contact,
    DiaryEntry,
    Disclosure,
    Evidence,
    Measure,
    Meeting,
    Referral,
    Survey,
    WitnessNeeds,
    WitnessStatement,
)
from asb.case.tasks import TaskState
from asb.kernel.clock import Clock
from asb.kernel.staff import StaffMember
from asb.policy.config import POLICY_VERSION

NewId = Callable[[], str]


@dataclass(frozen=True)
class CaseFolder:
    """A case with what the rules need to see: its reports, tasks and records."""

    case: Case
    reports: list[Report]
    tasks: dict[str, TaskState] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    case_reviews: dict[str, CaseReview] = field(default_factory=dict)
    surveys: list[Survey] = field(default_factory=list)
    disclosures: dict[str, Disclosure] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    # Only ever written, shown back to staff on the timeline; by record id.
    diary_entries: dict[str, DiaryEntry] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    referrals: dict[str, Referral] = field(default_factory=dict)
    plan_versions: dict[str, ActionPlanVersion] = field(default_factory=dict)
    parties: dict[str, Party] = field(default_factory=dict)  # by party id, unlinked ones too
    # Enforcement's open dates (Deadline items: due work by officer on the DueWork index), each
    # as stored, by record id: a reassignment moves them with the case.
    deadlines: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Multi-agency meetings about the case (asb.case.meetings), by meeting id.
    meetings: dict[str, Meeting] = field(default_factory=dict)
    # Witnesses (asb.case.witnesses): statements by record id, each witness's needs by party id.
    witness_statements: dict[str, WitnessStatement] = field(default_factory=dict)
    witness_needs: dict[str, WitnessNeeds] = field(default_factory=dict)


@dataclass(frozen=True)
class Record:
    entity: str  # DiaryEntry, Contact, ActionPlan, Measure, Referral, CaseReview, Survey
    record_id: str
    at: datetime
    data: dict[str, Any]
    replace: bool = False  # measures and case reviews are one record each, updated in place


# How a task is written: "set" as given (opened or moved, or done when due_at is None), "new"
# opened on condition that the case has no such task yet (triage), "move" its due time only,
# on condition that it is still open (triage bringing a target forward).
TaskWrite = Literal["set", "new", "move"]


@dataclass(frozen=True)
class TaskChange:
    kind: str
    due_at: datetime | None  # None: done, and out of the due-work index
    title: str
    outcome: str | None = None
    write: TaskWrite = "set"
    # The landlord's policy its due time was set by (kept on the task item while it is open).
    policy_version: str = POLICY_VERSION


@dataclass(frozen=True)
class PartyWrite:
    """A party as it is now: new (on condition that it is not there yet) or on condition that
    it is still at `expected_version`. `moved_from`: the person whose record it was filed
    under before (a merge), whose lookup of it goes."""

    party: Party
    expected_version: int | None = None  # None: a new party
    moved_from: str | None = None


@dataclass(frozen=True)
class PersonWrite:
    person: Person
    expected_version: int | None = None  # None: a new person


@dataclass(frozen=True)
class PersonErasure:
    """A person's record deleted (no case of theirs needs it any more), on condition that it
    is still at `expected_version`."""

    person_id: str
    expected_version: int


@dataclass(frozen=True)
class MatchKeyWrite:
    """The persons known under one match key (asb.case.parties: an email's or a phone's hash,
    a tenancy): ids added and removed, and when they were added (kept on the key so that
    intake proposes and keeps the most recent; None: an officer's, stored as the oldest)."""

    key: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    added_at: datetime | None = None


@dataclass(frozen=True)
class CaseChange:
    case: Case
    expected_version: int
    audit: AuditEntry
    records: list[Record] = field(default_factory=list)
    tasks: list[TaskChange] = field(default_factory=list)
    events: list[DomainEvent] = field(default_factory=list)
    matters_open: bool | None = None  # set the case's matter keys open or closed
    # Matter keys the case lets go of (deleted, if still its own): no report finds it by them
    matters_released: list[str] = field(default_factory=list)
    # Matter keys the case claims (each free, or held by a closed case): further reports join it
    matters_claimed: list[str] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)  # corrected or erased reports
    people_removed: list[tuple[str, str, str]] = field(default_factory=list)  # key, report, role
    people_added: list[tuple[str, str, str]] = field(default_factory=list)
    # A reporter's reference -> the tracking links it carries now (its REPORTREF item's hashes)
    report_links: dict[str, dict[str, str]] = field(default_factory=dict)
    parties: list[PartyWrite] = field(default_factory=list)
    persons: list[PersonWrite] = field(default_factory=list)
    persons_erased: list[PersonErasure] = field(default_factory=list)
    match_keys: list[MatchKeyWrite] = field(default_factory=list)
    homes: list[CaseAtHome] = field(default_factory=list)  # homes the change brings the case to


def bump(case: Case, now: datetime, **changes: Any) -> Case:
    return case.model_copy(update={**changes, "version": case.version + 1, "updated_at": now})


def audit_entry(case: Case, by: StaffMember, action: str, now: datetime, new_id: NewId,
                before: dict[str, Any] | None = None,
                after: dict[str, Any] | None = None) -> AuditEntry:
    return AuditEntry(entry_id=new_id(), case_reference=case.reference, at=now,
                      actor=f"staff:{by.username}", action=action, before=before, after=after)


def domain_event(case: Case, kind: str, now: datetime, new_id: NewId,
                 detail: dict[str, Any]) -> DomainEvent:
    return DomainEvent(event_id=new_id(), type=kind, case_reference=case.reference,
                       occurred_at=now, detail=detail)


class CaseChanges(Protocol):
    """One change to a case, whoever asks: checked against If-Match and written as one
    transaction (the case service, given by the composition root to the capabilities that
    change a case without importing case work), and the clock it keeps."""

    @property
    def clock(self) -> Clock: ...

    def change(self, reference: str, staff: StaffMember, if_match: str | None,
               action: Callable[[CaseFolder], CaseChange],
               roles: tuple[str, ...] = ("officer", "manager")) -> Case: ...
