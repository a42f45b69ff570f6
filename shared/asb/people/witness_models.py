"""What staff send about a witness: a statement, and what the witness needs to give evidence -
validated before anything is stored (asb.people.witnesses)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from asb.kernel.plausible_dates import Day
from asb.policy.config import SPECIAL_MEASURES, WITNESS_CONTACT_LONGEST_WORKING_DAYS, WITNESS_SUPPORT

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)

StatementText = Annotated[str, StringConstraints(min_length=10, max_length=20000)]
Officer = Annotated[str, StringConstraints(min_length=1, max_length=100)]
EvidenceId = Annotated[str, StringConstraints(min_length=1, max_length=64)]


def _one_of(catalogue: dict[str, str]) -> AfterValidator:
    def known(value: str) -> str:
        if value not in catalogue:
            raise ValueError(f"Choose one of: {', '.join(catalogue)}")
        return value
    return AfterValidator(known)


# Codes from the policy's lists, each named in the OpenAPI document.
Support = Annotated[str, Field(json_schema_extra={"enum": list(WITNESS_SUPPORT)}),
                    _one_of(WITNESS_SUPPORT)]
SpecialMeasure = Annotated[str, Field(json_schema_extra={"enum": list(SPECIAL_MEASURES)}),
                           _one_of(SPECIAL_MEASURES)]


class StatementIn(BaseModel):
    """A witness statement: the day it was made (required), its words or a checked file on the
    case (one of them), whether its statement of truth is signed and when, who took it, and
    whether the witness will attend court."""

    model_config = _IN
    made_on: Day = Field(description="The day the statement was made")
    text: StatementText | None = Field(default=None, description="The statement's words")
    evidence_id: EvidenceId | None = Field(default=None, description=(
        "Or a checked file on this case that holds the statement (its evidence id)"))
    signed: bool = Field(default=False, description="The statement of truth is signed")
    signed_on: Day | None = Field(default=None, description=(
        "The day it was signed: required when signed"))
    taken_by: Officer | None = Field(default=None, description=(
        "The officer who took it; left out, whoever records it"))
    willing_to_attend_court: bool | None = Field(default=None, description=(
        "Will the witness give evidence in court? Left out: not yet asked"))


class WitnessNeedsIn(BaseModel):
    """What the witness needs to give evidence, replacing what was recorded before; and how
    often the officer will keep in touch with them."""

    model_config = _IN
    support: list[Support] = Field(default_factory=list, max_length=len(WITNESS_SUPPORT),
                                   description="Support they need (the policy's list)")
    special_measures: list[SpecialMeasure] = Field(
        default_factory=list, max_length=len(SPECIAL_MEASURES),
        description="Special measures to ask the court for (the policy's list)")
    notes: Annotated[str, StringConstraints(max_length=2000)] | None = None
    contact_every_working_days: int | None = Field(
        default=None, ge=1, le=WITNESS_CONTACT_LONGEST_WORKING_DAYS, description=(
            "Working days between the officer's contacts with them; left out, the policy's"))


class SignatureIn(BaseModel):
    """A statement taken unsigned: its statement of truth signed since."""

    model_config = _IN
    signed_on: Day = Field(description="The day the statement of truth was signed")


class StatementFileIn(BaseModel):
    """Ask to attach a witness's signed statement as a file: nothing to send ({}); the answer
    holds the form to POST the file with, straight to S3."""

    model_config = _IN


class FileCheckIn(BaseModel):
    """Check a statement's file once the browser has sent it: nothing to send ({})."""

    model_config = _IN
