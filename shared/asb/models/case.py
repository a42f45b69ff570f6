"""The case a report opens, and what is written with it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from asb.models.report import ReportSubmission

_STORED = ConfigDict(extra="forbid", frozen=True)


class CaseStatus(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    OPEN = "open"
    CLOSED = "closed"


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


class Report(BaseModel):
    """One report as received, kept whole: a case can gather several."""

    model_config = _STORED

    report_id: str
    case_reference: str
    received_at: datetime
    channel: str = Field(description="web_form or api")
    submission: ReportSubmission


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
    """Everything one accepted report writes, in one transaction."""

    model_config = _STORED

    case: Case
    report: Report
    audit: AuditEntry
    event: DomainEvent
