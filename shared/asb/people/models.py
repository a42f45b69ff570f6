"""What staff send to change a case's parties, or to merge two persons: validated before anything
is stored."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from asb.case.parties import Role
from asb.case.submission import Email, Name, Phone, Postcode

_IN = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, defer_build=True)

Line = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Reason = Annotated[str, StringConstraints(min_length=10, max_length=2000)]
Id = Annotated[str, StringConstraints(pattern=r"^[0-9a-f-]{36}$")]


class PersonIn(BaseModel):
    """Someone not yet known to the service: at least their name."""

    model_config = _IN
    name: Name
    email: Email = None
    phone: Phone = None
    address: Line | None = None
    postcode: Postcode = None


class PartyIn(BaseModel):
    """A party added to a case: a new person, or a person already known, by id (one of them)."""

    model_config = _IN
    roles: list[Role] = Field(min_length=1, max_length=6)
    person: PersonIn | None = None
    person_id: Id | None = Field(default=None, description="An existing person, to link")

    @model_validator(mode="after")
    def _one_person(self) -> PartyIn:
        if (self.person is None) == (self.person_id is None):
            raise ValueError("give either person (someone new) or person_id (someone known)")
        return self


class ConfirmationIn(BaseModel):
    """An officer has checked who a proposed party is."""

    model_config = _IN
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class UnlinkingIn(BaseModel):
    model_config = _IN
    reason: Reason


class TenancyTieIn(BaseModel):
    model_config = _IN
    tenancy_reference: Annotated[str, StringConstraints(min_length=1, max_length=40)]


class MergerIn(BaseModel):
    """Another record of the same person, merged into the one the path names."""

    model_config = _IN
    merged_person_id: Id
    reason: Reason
