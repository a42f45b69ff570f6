"""The case a report opens, and what is written with it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from asb.case.submission import ReportSubmission
from asb.policy.config import POLICY_VERSION, Category, Pathway

_STORED = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class CaseStatus(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    OPEN = "open"
    CLOSED = "closed"


class ReportedBefore(BaseModel):
    """Another case a complainant of this case reported on, open at some time in the 12 months
    before their report here (a repeat victim, found at triage): its reference and the day it
    opened, never anything of that case's people; and which report here its complainant made
    (None on a case flagged before this was kept: whose it is, is not known)."""

    model_config = _STORED

    reference: str
    opened_on: date
    report_id: str | None = None


class Case(BaseModel):
    """What every view of a case starts from; personal details stay on its reports."""

    model_config = _STORED

    reference: str
    status: CaseStatus
    opened_at: datetime
    updated_at: datetime
    version: int = 1
    anonymous: bool
    behaviours: list[str]
    hate_incident: bool
    location_address: str
    postcode: str | None = None
    matter_keys: list[str] = Field(default_factory=list)
    linked_to: str | None = Field(default=None, description="The closed case this one follows")
    split_from: str | None = Field(default=None, description=(
        "The case its report was split out of, into this one"))
    joined_into: str | None = Field(default=None, description=(
        "The case this one was joined into: its reports are there now (NM01 counts that one)"))
    joined_from: list[str] = Field(default_factory=list, description=(
        "Cases joined into this one"))
    pathway: Pathway = Field(default="asb", description=(
        "The route it takes: asb (counted in NM01), domestic_abuse (its own pathway) or "
        "good_neighbour (advice, mediation, a property check: not an ASB case)"))
    asb_opened_at: datetime | None = Field(default=None, description=(
        "A good-neighbour request an officer decided to treat as ASB (or moved to the domestic "
        "abuse pathway): when it became a case, its targets running from then (NM01 counts an "
        "ASB one as opened then, not at opened_at)"))
    asb_request: dict[str, Any] | None = Field(default=None, description=(
        "A good-neighbour request's reporter asked for it to be treated as ASB: report_id, "
        "reason (their words) and at; until an officer decides"))
    good_neighbour_decision: dict[str, Any] | None = Field(default=None, description=(
        "An officer's decision whether a good-neighbour request is ASB: treat_as_asb, reason "
        "(told to the reporter), by and at"))
    address_to_check: bool = Field(default=False, description=(
        "Its report says a home involved is the landlord's but could not find it in the list: "
        "an officer checks the address"))
    # Set by triage.
    category: Category | None = None
    category_reasons: list[str] = Field(default_factory=list)
    risk: dict[str, Any] | None = None
    emergency: bool = False
    emergency_reasons: list[str] = Field(default_factory=list)
    officer: str | None = None
    team: str | None = None
    targets: dict[str, str] | None = None
    report_count: int = 1
    triaged_report_ids: list[str] = Field(default_factory=list)
    case_review_threshold_met_at: datetime | None = None
    officer_answers: dict[str, bool] = Field(default_factory=dict)
    hate_finding: dict[str, Any] | None = Field(
        default=None, description="Who found it a hate incident when no report said so (NM01(2))")
    category_override: dict[str, Any] | None = None
    risk_override: dict[str, Any] | None = None
    reported_before: list[ReportedBefore] = Field(default_factory=list, description=(
        "A repeat victim: its complainants' other cases, open in the 12 months before"))
    policy_version: str | None = Field(default=None, description=(
        "The version of the landlord's policy its last triage decided by (category, risk, "
        "emergency, targets, the ASB Case Review threshold); none on a case triaged before "
        "policies had versions"))
    # Set by case work.
    first_contact_at: datetime | None = None
    first_contact_on_time: bool | None = None
    action_plan: dict[str, Any] | None = Field(default=None, description=(
        "The plan agreed with the case's lead complainant (the first agreed), whose contact "
        "schedule the case keeps"))
    complainant_plans: dict[str, dict[str, Any]] = Field(default_factory=dict, description=(
        "Each further complainant's own plan, by their report id"))
    contact_every_working_days: int | None = None
    closed_at: datetime | None = None
    outcome: str | None = None
    closure_reasons: str | None = None
    # Retention.
    retain_until: date | None = None
    legal_hold: dict[str, Any] | None = None
    anonymised_at: datetime | None = None


class Report(BaseModel):
    """One report as received, kept whole: a case can gather several."""

    model_config = _STORED

    report_id: str
    case_reference: str
    reference: str | None = Field(default=None, description=(
        "The reporter's own reference (ASB-<year>-<6 digits>): the case's for the report that "
        "opened it, a fresh one for a report that joined it; None for reports stored before "
        "reports had their own"))
    received_at: datetime
    channel: str = Field(description="web_form or api")
    submission: ReportSubmission
    # Who reported (a hash: one closure letter per person).
    reporter_key: str | None = None
    # The place's key of a removed index, on reports stored before; never written now.
    location_key: str | None = None
    incident_on: date | None = None
    hate_incident: bool = False
    # The alleged perpetrator's home as the homes register has it (its UPRN), and the tenancy
    # current there when the report came (the matter a further report joins by).
    perpetrator_home: str | None = None
    perpetrator_tenancy: str | None = None
    # The reporter's tracking link, as a hash only (asb.tracking); gone once revoked.
    tracking_hash: str | None = None
    tracking_revoked_at: datetime | None = None

    @property
    def public_reference(self) -> str:
        """What the reporter is told, and what their link and messages carry: never another
        report's or, for a report that joined a case, the case's."""
        return self.reference or self.case_reference


class AuditEntry(BaseModel):
    """An append-only line of who did what to a case, and when."""

    model_config = _STORED

    entry_id: str
    case_reference: str
    at: datetime
    actor: str
    action: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    # The landlord's policy the writing process runs by (a process keeps the one it started
    # with), set on every entry written; an entry stored before versions were recorded has none.
    policy_version: str | None = POLICY_VERSION


class DomainEvent(BaseModel):
    """A fact the rest of the service reacts to. Carries references, never personal data."""

    model_config = _STORED

    event_id: str
    type: str
    case_reference: str
    occurred_at: datetime
    detail: dict[str, Any] = Field(default_factory=dict)
    schema_version: int = 1


class OpenedCase(BaseModel):
    """Everything a report that opens a case writes, in one transaction."""

    model_config = _STORED

    case: Case
    report: Report
    audit: AuditEntry
    event: DomainEvent


class JoinedReport(BaseModel):
    """A further report about a matter with an open case: it joins that case (NM01)."""

    model_config = _STORED

    case_reference: str
    matter_key: str
    report: Report
    audit: AuditEntry
    event: DomainEvent
