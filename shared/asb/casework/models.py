"""What staff send to change a case: one model per write, validated before anything is stored."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from asb.kernel.validation import chosen
from asb.policy.config import CLOSURE_OUTCOMES, PATCHES, RISK_QUESTIONS, UNASSIGNED_TEAM

# Built on first use: a staff function validates one of these bodies per request, so a cold
# start builds only the one it receives.
_IN = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)

Text = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
Reason = Annotated[str, StringConstraints(min_length=10, max_length=2000)]
Step = Annotated[str, StringConstraints(min_length=3, max_length=500)]


class DiaryEntryIn(BaseModel):
    model_config = _IN
    kind: Literal["diary", "further_report"] = "diary"
    text: Text
    occurred_at: datetime | None = None


class ContactIn(BaseModel):
    model_config = _IN
    channel: Literal["phone", "email", "sms", "letter", "visit", "meeting"]
    with_whom: Literal["reporter", "perpetrator", "witness", "agency"] = "reporter"
    summary: Text
    party_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = Field(
        default=None, description=(
            "The party the contact was with (a witness: their contact schedule moves on)"))


class ActionPlanIn(BaseModel):
    model_config = _IN
    landlord_actions: list[Step] = Field(min_length=1, max_length=20)
    customer_actions: list[Step] = Field(min_length=1, max_length=20)
    contact_channel: Literal["phone", "email", "sms", "letter", "visit"]
    contact_every_working_days: int = Field(ge=1, le=20)
    review_on: date
    customer_agreed: bool
    agreed_on: date | None = None
    agreed_with: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = Field(
        default=None, description=(
            "The report id of the complainant the plan was agreed with: only they are sent it "
            "and see it on their page. Left out: the case's first report (none if it is "
            "anonymous)"))


class RiskReassessmentIn(BaseModel):
    model_config = _IN
    answers: dict[str, bool] = Field(description="Officer's answers, by question")

    @field_validator("answers")
    @classmethod
    def _known_questions(cls, value: dict[str, bool]) -> dict[str, bool]:
        unknown = sorted(set(value) - set(RISK_QUESTIONS))
        if unknown:
            raise ValueError(f"unknown questions {', '.join(unknown)}; "
                             f"choose from {', '.join(RISK_QUESTIONS)}")
        return value


class OverrideIn(BaseModel):
    model_config = _IN
    field: Literal["category", "risk"]
    value: Literal["A", "B", "C", "standard", "medium", "high"]
    reason: Reason


class ReferralIn(BaseModel):
    model_config = _IN
    service: Literal["mediation", "support"]
    subject: Literal["reporter", "perpetrator", "household"]
    consent: bool = Field(description="The subject agreed to the referral")
    notes: Annotated[str, StringConstraints(max_length=2000)] | None = None


class ClosureIn(BaseModel):
    model_config = _IN
    outcome: str = Field(json_schema_extra={"enum": list(CLOSURE_OUTCOMES)})
    reasons: Annotated[str, StringConstraints(min_length=20, max_length=5000)]

    @field_validator("outcome")
    @classmethod
    def _known_outcome(cls, value: str) -> str:
        return chosen(value, CLOSURE_OUTCOMES)


# The teams a case can be on: each patch's team, and central intake (the team queue of a case
# whose postcode names no patch).
TEAMS = tuple(sorted({team for _, team in PATCHES.values()} | {UNASSIGNED_TEAM}))
Username = Annotated[str, StringConstraints(min_length=2, max_length=64,
                                            pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]*$")]


class AssignmentIn(BaseModel):
    """A manager or the intake team puts a case with an officer, or back on a team's queue."""

    model_config = _IN
    team: str = Field(json_schema_extra={"enum": list(TEAMS)})
    officer: Username | None = Field(default=None, description=(
        "The officer's user name, who is told by email; left out, an open case waits on the "
        "team's queue (a closed case's open work needs an officer)"))
    reason: Annotated[str, StringConstraints(max_length=2000)] | None = None

    @field_validator("team")
    @classmethod
    def _known_team(cls, value: str) -> str:
        if value not in TEAMS:
            raise ValueError(f"Choose one of the teams: {', '.join(TEAMS)}")
        return value


class ReopenIn(BaseModel):
    model_config = _IN
    reason: Reason


class LegalConsiderationIn(BaseModel):
    model_config = _IN
    considered: bool
    reason: Reason


class LegalHoldIn(BaseModel):
    """The DPO stops (or restarts) the retention clock: litigation, an inquiry, a complaint."""

    model_config = _IN
    hold: bool
    reason: Reason


class SplitIn(BaseModel):
    """A report split out of its case into a new case of its own."""

    model_config = _IN
    report_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(
        description="The report to split out: its reporter's party and what they added go too")
    reason: Reason


class PathwayMoveIn(BaseModel):
    """An officer moves a case to the domestic abuse pathway: a risk re-assessment, a contact or
    a further report disclosed it (ASB-REFERENCE 7a). It is not moved back: a disclosure stays."""

    model_config = _IN
    pathway: Literal["domestic_abuse"] = Field(description="The pathway the case moves to")
    reason: Reason


class JoinIn(BaseModel):
    """Another open case joined into this one: its reports, parties and what its reporters
    added move here; it is closed, joined into this one, its own record kept."""

    model_config = _IN
    case_reference: Annotated[str, StringConstraints(pattern=r"^ASB-\d{4}-\d{6}$")] = Field(
        description="The case joined into this one")
    case_version: int = Field(ge=1, description=(
        "The version of the case joined into this one, as read (If-Match is this case's)"))
    reason: Reason


class GoodNeighbourDecisionIn(BaseModel):
    """An officer decides whether a good-neighbour request is anti-social behaviour: asked by
    its reporter, or on their own judgement. The reason is told to the reporter."""

    model_config = _IN
    treat_as_asb: bool = Field(description=(
        "Yes: it becomes an ASB case today (NM01 counts it) and is triaged as one"))
    reason: Reason = Field(description="Why, in plain words: the reporter is told it")
