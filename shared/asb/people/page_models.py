"""What the staff API answers of a person's page and a home's page: typed, so the OpenAPI document
describes them field by field. Built at their first use (defer_build): only GET /people and
GET /homes make them."""

from __future__ import annotations

from datetime import date, datetime, time

from pydantic import BaseModel, ConfigDict, Field

from asb.case.escalation import Rung
from asb.case.home_cases import HomeRole
from asb.case.homes import TenancyType, Tenure
from asb.case.parties import PartyStatus, Role

_ANSWER = ConfigDict(frozen=True, defer_build=True)


class CaseHeading(BaseModel):
    """What a page lists of a case."""

    model_config = _ANSWER
    reference: str
    status: str
    team: str | None
    officer: str | None
    category: str | None
    opened_at: datetime
    closed_at: datetime | None


class PersonsCase(CaseHeading):
    """A case the person is a party of, and their place in it."""

    risk_level: str | None
    roles: list[Role] = Field(description="Their roles in this case, over every party of theirs")
    party_status: PartyStatus = Field(description="Confirmed if any party of theirs is")
    unlinked: bool = Field(description="Every party of theirs on this case was unlinked")
    tenancy: str | None = Field(description="The tenancy a party of theirs is tied to here")


class PersonsReport(BaseModel):
    """A report the person made (their party came from it)."""

    model_config = _ANSWER
    case_reference: str
    reference: str = Field(description="The report's own reference")
    received_at: datetime
    behaviours: list[str]


class PersonsMeasure(BaseModel):
    """A tool or power recorded on a case where they are the alleged perpetrator."""

    model_config = _ANSWER
    case_reference: str
    measure_id: str
    measure: str
    name: str
    legal: bool
    subject: str
    status: str
    approval: str
    recorded_at: datetime
    expires_on: date | None


class VulnerabilityFlag(BaseModel):
    """Why an officer should take care: a harm answer of one of their reports, a case's
    assessed risk where they are the complainant or victim, a repeat victim, or a vulnerability
    an officer recorded for their party in a case (whatever their role) and safeguarding
    concerns."""

    model_config = _ANSWER
    kind: str = Field(json_schema_extra={"enum": ["harm_answer", "risk", "repeat_victim",
                                                  "recorded", "safeguarding_concerns"]})
    case_reference: str
    text: str
    source: str | None = Field(description=(
        "harm_answer: the report's reference; risk: report, officer or records; recorded and "
        "safeguarding_concerns: the officer who screened them"))
    type: str | None = Field(default=None, exclude_if=lambda value: value is None, description=(
        "recorded: personal, situational or incidental"))


class ContactSafety(BaseModel):
    """How (and when) the person said it is safe to contact them, from one of their reports,
    newest first."""

    model_config = _ANSWER
    report_reference: str
    received_at: datetime
    preferred_contact: str | None
    unsafe_channels: list[str]
    safe_contact_times: str | None
    safe_from: time | None
    safe_until: time | None
    reasonable_adjustments: str | None
    large_print: bool
    language: str | None
    interpreter: bool


class PersonPage(BaseModel):
    """A person's page. A record merged into another answers only `person_id`, `merged_into`
    and `message` (read the survivor's page), with nothing of the person."""

    model_config = _ANSWER
    person_id: str
    merged_into: str | None = Field(default=None, description=(
        "This record was merged into that person's: their page holds everything"))
    message: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    postcode: str | None = None
    cases: list[PersonsCase] = Field(default_factory=list, description=(
        "Their cases you may see (an officer: their team's; a manager: all), newest first"))
    cases_in_other_teams: int = Field(default=0, description=(
        "Their cases in other teams, counted only: no detail"))
    reports: list[PersonsReport] = Field(default_factory=list)
    measures: list[PersonsMeasure] = Field(default_factory=list)
    ladder: list[Rung] = Field(default_factory=list, description=(
        "Their ladder of interventions across the cases you may see: each tool or power used "
        "against them (a measure kept before measures named their party: on a case where they "
        "are an alleged perpetrator), in the order it was used, with each step's date and its "
        "outcome; a rung that skips a stage on their ladder says so"))
    vulnerability: list[VulnerabilityFlag] = Field(default_factory=list)
    contact_safety: list[ContactSafety] = Field(default_factory=list)


class HomeTenant(BaseModel):
    model_config = _ANSWER
    name: str
    email: str | None
    phone: str | None


class HomeTenancy(BaseModel):
    model_config = _ANSWER
    reference: str
    tenancy_type: TenancyType
    start_date: date
    end_date: date | None
    current: bool
    tenants: list[HomeTenant]


class HomesParty(BaseModel):
    """A party of a case at this home, tied to one of its tenancies."""

    model_config = _ANSWER
    party_id: str
    person_id: str | None
    roles: list[Role]
    tenancy: str


class HomesCase(CaseHeading):
    """A case at the home."""

    home_roles: list[HomeRole] = Field(default_factory=list, description=(
        "What this home is in the case: the place, the alleged perpetrator's home, the home of "
        "a tenancy a party is tied to"))
    parties: list[HomesParty] = Field(description="Its parties tied to this home's tenancies")


class HomePage(BaseModel):
    model_config = _ANSWER
    uprn: str
    address: str
    postcode: str
    tenure: Tenure
    patch: str
    landlords: bool = Field(description="The landlord's own home (possession and demotion apply)")
    left_register_on: date | None
    tenancies: list[HomeTenancy] = Field(description="Current first, then ended, newest first")
    cases: list[HomesCase] = Field(description=(
        "Cases at this home you may see (its place, the alleged perpetrator's home, or a party "
        "tied to one of its tenancies), newest first"))
    cases_in_other_teams: int = Field(description="Cases at it in other teams, counted only")
