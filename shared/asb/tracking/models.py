"""What a reporter sends through their private tracking link: a diary entry, or a file."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

from asb.case.submission import not_in_future

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)


class ResidentDiaryIn(BaseModel):
    """One entry of the diary the acknowledgement asks a reporter to keep."""

    model_config = _IN
    occurred_on: date
    occurred_at: time | None = Field(default=None, description="The time it started")
    lasted_minutes: int | None = Field(default=None, ge=1, le=24 * 60)
    what_happened: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    effect: Annotated[str, StringConstraints(max_length=1000)] | None = Field(
        default=None, description="How it affected you or your household")

    @field_validator("occurred_on")
    @classmethod
    def _past(cls, value: date, info: ValidationInfo) -> date:
        return not_in_future(value, info)


class EvidenceRequestIn(BaseModel):
    model_config = _IN
    kind: Literal["audio", "image", "video"]


class LinkRevocationIn(BaseModel):
    """An officer stops a reporter's tracking link: lost, shared, or no longer safe."""

    model_config = _IN
    reason: Annotated[str, StringConstraints(min_length=10, max_length=2000)]


class AsbRequestIn(BaseModel):
    """A good-neighbour request's reporter asks for it to be treated as anti-social behaviour."""

    model_config = _IN
    reason: Annotated[str, StringConstraints(min_length=10, max_length=2000)] = Field(
        description="Why they think it is anti-social behaviour, in their words")
