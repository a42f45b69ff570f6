"""What staff send to run an ASB Case Review and to record a closure survey."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from asb.kernel.plausible_dates import Day
from asb.kernel.validation import chosen
from asb.policy.config import SATISFACTION_ANSWERS

# Built on first use: a staff function validates one of these bodies per request, so a cold
# start builds only the one it receives.
_IN = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)

Text = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
Reason = Annotated[str, StringConstraints(min_length=10, max_length=2000)]
ReportId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]


class CaseReviewApplicationIn(BaseModel):
    model_config = _IN
    received_on: date
    applicant: Literal["victim", "someone with the victim's consent"] = "victim"
    report_id: ReportId | None = Field(
        default=None, description="The victim's report on this case; the first if not given")
    summary: Text


class ReferAgainIn(BaseModel):
    """As a participant: the application referred again after its referral was refused."""

    model_config = _IN
    reason: Reason = Field(description="Why it can go now (what was put right)")


class AcknowledgementIn(BaseModel):
    model_config = _IN
    acknowledged_on: date
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class ThresholdDecisionIn(BaseModel):
    model_config = _IN
    met: bool
    reasons: Reason


class Recommendation(BaseModel):
    model_config = _IN
    action: Annotated[str, StringConstraints(min_length=5, max_length=1000)]
    owner: Annotated[str, StringConstraints(min_length=2, max_length=200)] | None = Field(
        default=None, description=(
            "The agency that will carry it out: required when we are the lead body; as a "
            "participant every recommendation recorded is one made to us"))
    due_on: Day | None = Field(default=None, description=(
        "When it is due: required as a participant (each is due work until done)"))


class ReviewMeetingIn(BaseModel):
    model_config = _IN
    held_on: date
    agencies: list[Annotated[str, StringConstraints(min_length=2, max_length=200)]] = Field(
        min_length=1, max_length=20, description="Who attended")
    summary: Text
    landlord_attended: bool | None = Field(default=None, description=(
        "As a participant: whether we attended the lead body's meeting (required then)"))


class RecommendationResponseIn(BaseModel):
    model_config = _IN
    on: Day
    what_we_did: Text
    done: bool = Field(description="True: the recommendation is carried out, its due work ends")


class RecommendationsIn(BaseModel):
    model_config = _IN
    recommendations: list[Recommendation] = Field(max_length=30, description=(
        "What the review panel recommends; an empty list records that it made none"))


class AppealIn(BaseModel):
    model_config = _IN
    received_on: date
    grounds: Reason


class AppealDecisionIn(BaseModel):
    model_config = _IN
    upheld: bool = Field(description="True: the appeal succeeds")
    reasons: Reason


class ReviewOutcomeIn(BaseModel):
    model_config = _IN
    summary: Text
    told_on: Day | None = Field(default=None, description=(
        "As a participant: the day the lead body told us its outcome (today if not given)"))


class SatisfactionSurveyIn(BaseModel):
    """A closure survey answer, for the landlord's local measure of closure satisfaction: how
    satisfied the respondent is with how their case was handled."""

    model_config = _IN
    answer: str = Field(json_schema_extra={"enum": list(SATISFACTION_ANSWERS)})
    answered_on: date
    channel: Literal["phone", "email", "letter", "sms", "visit", "online"]
    report_id: ReportId | None = Field(
        default=None, description="The respondent's report; the first identified if not given")
    comments: Annotated[str, StringConstraints(max_length=2000)] | None = None

    @field_validator("answer")
    @classmethod
    def _known_answer(cls, value: str) -> str:
        return chosen(value, SATISFACTION_ANSWERS)
