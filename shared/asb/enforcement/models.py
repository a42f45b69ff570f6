"""What staff send to use a tool or power (POST /cases/{reference}/measures), to decide legal
action, and to move it on: each step of its life one model, told apart by `step`
(POST /cases/{reference}/measures/{measure_id}/steps)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
    field_validator,
)

from asb.case.enforcement import HearingOutcome, HearingPurpose, OrderKind
from asb.kernel.plausible_dates import Day, Moment
from asb.policy.config import TOOL_CATALOGUE

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)
Words = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Reason = Annotated[str, StringConstraints(min_length=3, max_length=2000)]
Decision = Annotated[str, StringConstraints(min_length=10, max_length=2000)]
Court = Annotated[str, StringConstraints(min_length=3, max_length=200)]
Terms = Annotated[list[Words], Field(min_length=1, max_length=30)]


class InterviewIn(BaseModel):
    model_config = _IN
    held_on: Day
    attended: Annotated[list[Words], Field(min_length=1, max_length=12)] = Field(
        description="Who attended, with their role")
    account: Annotated[str, StringConstraints(min_length=3, max_length=5000)] = Field(
        description="The alleged perpetrator's account")
    next_steps: Annotated[str, StringConstraints(min_length=3, max_length=2000)]


class AgreementIn(BaseModel):
    model_config = _IN
    terms: Terms
    signatories: Annotated[list[Words], Field(min_length=1, max_length=12)]
    starts_on: Day
    review_on: Day


class AbsoluteGroundIn(BaseModel):
    """Which of the absolute ground's five conditions is met, and when it was met."""

    model_config = _IN
    condition: int = Field(ge=1, le=5, description=(
        "1 serious offence conviction, 2 injunction breach found, 3 CBO breach conviction, "
        "4 closure order, 5 noise abatement conviction"))
    met_on: Day = Field(description="The conviction, the court's finding or the closure order")


class NoticeServed(BaseModel):
    model_config = _IN
    step: Literal["notice_served"]
    ground: Literal["ground_14", "ground_2", "ground_7a", "s84a"]
    served_on: Day
    absolute_ground: AbsoluteGroundIn | None = Field(
        default=None, description="Ground 7A / s84A: the condition, unless already recorded")


class Applied(BaseModel):
    model_config = _IN
    step: Literal["applied"]
    applied_on: Day
    court: Court
    without_notice: bool = False
    respondent_born_on: Day | None = Field(
        default=None, description="An injunction: the respondent's date of birth (10 or over)")
    youth_offending_team_consulted_on: Day | None = Field(
        default=None, description="An injunction against someone under 18 (ASBCPA 2014 s14)")
    power_of_arrest_sought: bool = False
    violence_or_significant_risk_of_harm: bool = Field(
        default=False, description="A power of arrest needs it (ASBCPA 2014 s4)")


class HearingListed(BaseModel):
    model_config = _IN
    step: Literal["hearing_listed"]
    at: Moment
    court: Court
    purpose: HearingPurpose


class OrderIn(BaseModel):
    model_config = _IN
    kind: OrderKind
    terms: Annotated[list[Words], Field(max_length=30)] = Field(default_factory=list)
    power_of_arrest: bool = False
    expires_on: Day | None = None


class HearingHeld(BaseModel):
    model_config = _IN
    step: Literal["hearing_held"]
    hearing_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    outcome: HearingOutcome
    note: Reason
    adjourned_to: Moment | None = Field(
        default=None, description="Adjourned: when it is listed again")
    order: OrderIn | None = Field(default=None, description="An order made: what it says")


class BreachRecorded(BaseModel):
    model_config = _IN
    step: Literal["breach"]
    on: Day
    what: Annotated[str, StringConstraints(min_length=3, max_length=5000)]


class AgreementReviewed(BaseModel):
    model_config = _IN
    step: Literal["agreement_reviewed"]
    held_on: Day
    outcome: Literal["continues", "ended: kept", "ended: broken", "ended: other"]
    note: Reason
    next_review_on: Day | None = Field(default=None, description="It continues: the next review")


class OrderEnded(BaseModel):
    model_config = _IN
    step: Literal["order_ended"]
    on: Day
    note: Reason


class Withdrawn(BaseModel):
    model_config = _IN
    step: Literal["withdrawn"]
    note: Reason


StepBody = Annotated[NoticeServed | Applied | HearingListed | HearingHeld | BreachRecorded
                     | AgreementReviewed | OrderEnded | Withdrawn, Field(discriminator="step")]


OFFERED: list[JsonValue] = [key for key, tool in TOOL_CATALOGUE.items() if tool.offered]


class MeasureIn(BaseModel):
    """A tool or power, with why it is proportionate; an interview's record, an agreement's
    terms or the absolute ground's condition where the tool has one."""

    model_config = _IN
    measure: str = Field(json_schema_extra={"enum": OFFERED})
    rationale: Annotated[str, StringConstraints(min_length=20, max_length=5000)]
    equality_impact: Annotated[str, StringConstraints(min_length=20, max_length=5000)] | None = None
    subject: Literal["perpetrator", "household", "reporter", "other"] = "perpetrator"
    party_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = Field(
        default=None, description="The party it is against (the alleged perpetrator's, unless "
                                  "the case has only one)")
    interview: InterviewIn | None = Field(default=None, description="An interview: its record")
    agreement: AgreementIn | None = Field(
        default=None, description="An Acceptable Behaviour Agreement: its terms and review")
    absolute_ground: AbsoluteGroundIn | None = Field(
        default=None, description="Absolute ground 7A / s84A: the condition met, if known now")

    @field_validator("measure")
    @classmethod
    def _in_catalogue(cls, value: str) -> str:
        if value not in OFFERED:
            raise ValueError(f"choose from the catalogue: {', '.join(map(str, OFFERED))}")
        return value


class ApprovalIn(BaseModel):
    model_config = _IN
    approved: bool
    reason: Decision


class MeasureStatusIn(BaseModel):
    model_config = _IN
    status: Literal["considered", "applied", "granted", "refused", "breached", "expired",
                    "completed", "withdrawn"]
    note: Decision
    expires_on: Day | None = Field(default=None, description="When a granted order ends")


class WarningLetterIn(BaseModel):
    """A warning letter under a verbal, first or final written warning, to the party the
    warning is against: the particulars in the officer's own words, which the letter quotes.
    Never a reporter's name or contact details: the letter does not say who complained."""

    model_config = _IN
    channel: Literal["email", "letter"] = Field(
        description="email: attached as a PDF; letter: a PDF for the print room to post")
    what_happened: Annotated[str, StringConstraints(min_length=20, max_length=3000)] = Field(
        description="What happened, as the letter tells the person")
    happened_on: Annotated[list[Day], Field(min_length=1, max_length=20)] = Field(
        description="The days it happened on")
    must_stop: Annotated[list[Annotated[str, StringConstraints(min_length=3, max_length=300)]],
                         Field(min_length=1, max_length=10)] = Field(
        description="What must stop, each in a few words")
